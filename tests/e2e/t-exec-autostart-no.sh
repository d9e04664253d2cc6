#!/bin/bash
# AutoStart=no keeps a service stopped when supd starts (no process, no
# result), while the others start; `supctl start` starts it.
. "$(dirname "$0")/lib.sh"

unit lazy <<EOF
[Service]
AutoStart=no
ExecStart=/bin/sh -c 'echo lazy ran; exec sleep 1000'
EOF
unit eager <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
supd_start
wait_for 10 state_is eager running || fail "eager not running"
assert_eq "$(state_of lazy)" stopped "lazy after supd started"
assert_eq "$(pid_of lazy)" null "lazy's pid"
# Proving it does not start later on its own: 1s after eager runs.
sleep 1
assert_eq "$(state_of lazy)" stopped "lazy 1s later"
file_has "$LOGDIR/lazy.log" "lazy ran" && fail "lazy ran"
ctl start lazy || fail "start lazy failed"
assert_eq "$(state_of lazy)" running "lazy after supctl start"
wait_for 5 file_has "$LOGDIR/lazy.log" "lazy ran" || fail "lazy's command did not run"
pass
