#!/bin/bash
# A unit with an invalid value does not load: status shows it as
# bad-config with file:line, key and why, `supctl start` refuses it, and
# every other service runs, including one with unknown keys and sections
# (warnings in supd's log).
. "$(dirname "$0")/lib.sh"

unit good <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
unit broken <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
RestartSec=soon
EOF
unit pasted service <<'EOF'
[Unit]
Description=pasted
After=network.target
[Service]
ExecStart=/bin/sleep 1000
[Install]
WantedBy=multi-user.target
EOF
supd_start
wait_for 10 state_is good running || fail "good not running"
wait_for 10 state_is pasted running || fail "pasted (unknown keys) not running"
assert_eq "$(state_of broken)" bad-config "state of the broken unit"
err=$(svc_json broken .error)
echo "$err" | grep -q "broken\.conf:3" || fail "bad-config message lacks file:line: $err"
echo "$err" | grep -q "RestartSec" || fail "bad-config message lacks the key: $err"
echo "$err" | grep -q "soon" || fail "bad-config message lacks the value: $err"
assert_eq "$(pid_of broken)" null "pid of a bad-config unit"
ctl status | grep broken | grep -q bad-config || fail "table status does not show bad-config"
out=$(ctl start broken 2>&1) && fail "start of a bad-config unit succeeded"
echo "$out" | grep -qi "bad-config\|RestartSec" || fail "start refusal does not say why: $out"
assert_eq "$(state_of broken)" bad-config "state after a refused start"
ctl show broken >"$T/show.out" || fail "show of a bad-config unit failed"
grep -q "broken\.conf:3.*RestartSec" "$T/show.out" || fail "show does not give the error: $(cat "$T/show.out")"
out=$(ctl restart broken 2>&1) && fail "restart of a bad-config unit succeeded"
[ -n "$CG_UNI" ] && [ -d "$CG_UNI/broken" ] && fail "a cgroup was created for the bad-config unit"
grep -q "pasted\.service:3.*After" "$T/supd.log" || fail "no warning for After= in supd's log"
assert_eq "$(svc_json pasted .description)" pasted "description of the pasted unit"
pass
