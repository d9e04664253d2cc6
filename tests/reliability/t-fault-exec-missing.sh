#!/bin/bash
# ExecStart= binaries that cannot run: missing, not executable, a
# directory, a script with a missing interpreter.  Each ends failed with
# 203/EXEC and the reason in its log; a Restart=always one stops at the
# start limit; supd carries on.
. "$(dirname "$0")/lib.sh"

printf 'not a program\n' >"$T/noexec"
chmod 0644 "$T/noexec"
printf '#!/nonexistent/interpreter\n' >"$T/badinterp"
chmod 0755 "$T/badinterp"
mkdir "$T/adir"
i=0
for bin in /nonexistent/prog "$T/noexec" "$T/adir" "$T/badinterp"; do
	i=$((i + 1))
	unit bad$i <<EOF2
[Service]
ExecStart=$bin
Restart=no
EOF2
done
unit looper <<'EOF2'
[Service]
ExecStart=/nonexistent/looper
Restart=always
RestartSec=50ms
StartLimitBurst=3
StartLimitIntervalSec=60
EOF2
unit good <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
supd_start
wait_for 10 state_is good running || fail "good not running"
for i in 1 2 3 4; do
	rel_fault
	wait_for 10 state_is bad$i failed || fail "bad$i: $(state_of bad$i)"
	assert_eq "$(result_of bad$i)" exit-code "bad$i result"
	assert_eq "$(svc_json bad$i .exit_status)" 203 "bad$i exit status"
	assert_eq "$(svc_json bad$i .exit_status_name)" EXEC "bad$i exit status name"
	wait_for 5 file_has "$LOGDIR/bad$i.log" 'No such file\|Permission denied\|Is a directory\|not executable\|xec' ||
		fail "bad$i: no reason in its log: $(cat "$LOGDIR/bad$i.log" 2>&1)"
done
rel_fault
wait_for 15 state_is looper failed || fail "looper: $(state_of looper)"
assert_eq "$(result_of looper)" start-limit-hit "looper result"
grep -qi 'exec\|No such file' "$LOGDIR/looper.log" || fail "looper's log has no reason"
assert_eq "$(state_of good)" running "good"
assert_alive "binaries that cannot run"
pass
