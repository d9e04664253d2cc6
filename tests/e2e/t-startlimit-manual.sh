#!/bin/bash
# Manual starts count against the start limit as in systemd: with
# StartLimitBurst=2 the third `supctl start` within the window is refused
# with start-limit-hit and the service does not run.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF'
[Unit]
StartLimitIntervalSec=60s
StartLimitBurst=2
[Service]
ExecStart=/bin/sh -c 'echo started; exec sleep 1000'
AutoStart=no
EOF
supd_start
assert_eq "$(state_of web)" stopped "state with AutoStart=no"
for i in 1 2; do
	ctl start web || fail "start $i failed"
	assert_eq "$(state_of web)" running "state after start $i"
	ctl stop web || fail "stop $i failed"
	assert_eq "$(state_of web)" stopped "state after stop $i"
done
out=$(ctl start web 2>&1) && fail "third start within the window succeeded"
echo "$out" | grep -q "start-limit-hit" || fail "refusal does not say start-limit-hit: $out"
assert_eq "$(state_of web)" failed "state after the refused start"
assert_eq "$(result_of web)" start-limit-hit "result after the refused start"
assert_eq "$(grep -c started "$LOGDIR/web.log")" 2 "processes started"
ctl reset-failed web || fail "reset-failed failed"
ctl start web || fail "start after reset-failed failed"
assert_eq "$(state_of web)" running "state after reset-failed and start"
pass
