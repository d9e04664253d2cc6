#!/bin/bash
# OOMScoreAdjust=-500 without CAP_SYS_RESOURCE: the kernel refuses it, and
# the start fails with exit status 206/OOM_ADJUST and a clear message in
# status .error and the service's log, never silently dropped.  Skipped
# where supd could lower its own oom_score_adj (then -500 is allowed).
. "$(dirname "$0")/lib.sh"

unit neg <<EOF
[Service]
ExecStart=/bin/sleep 1000
OOMScoreAdjust=-500
Restart=no
EOF
unit other <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
supd_start
[ "$(cat /proc/"$SUPD_PID"/oom_score_adj)" = -1000 ] &&
	skip "supd could set its own oom_score_adj to -1000: negative values are allowed here"
wait_for 10 state_is neg failed || fail "neg did not fail: $(state_of neg)"
assert_eq "$(result_of neg)" exit-code "result"
assert_eq "$(svc_json neg .exit_status)" 206 "exit_status"
assert_eq "$(svc_json neg .exit_status_name)" OOM_ADJUST "exit_status_name"
err=$(svc_json neg .error)
[[ $err == *OOMScoreAdjust=-500* && $err == *"Permission denied"* ]] ||
	fail "status .error does not name the key, value and the kernel's reason: $err"
wait_for 5 file_has "$LOGDIR/neg.log" "OOMScoreAdjust=-500" || fail "the service log has no message"
grep "OOMScoreAdjust=-500" "$LOGDIR/neg.log" | grep -q "Permission denied" ||
	fail "the service log does not give the reason: $(cat "$LOGDIR/neg.log")"
grep -q "neg: .*OOMScoreAdjust=-500" "$T/supd.log" || fail "supd.log has no message"
wait_for 10 state_is other running || fail "another service did not run"
pass
