#!/bin/bash
# Type=oneshot: the service is starting while its process runs and ends
# exited/success when it exits 0 (failed/exit-code otherwise); `supctl
# start` waits for it to finish.
. "$(dirname "$0")/lib.sh"

unit quick <<'EOF'
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo did the work'
EOF
unit broken <<'EOF'
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo failing; exit 2'
EOF
unit slow <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'while [ ! -f $T/go ]; do sleep 0.05; done; echo finished >$T/slow.done'
AutoStart=no
EOF
unit blocking <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'sleep 0.5; echo finished >$T/blocking.done'
AutoStart=no
EOF
supd_start
wait_for 10 state_is quick exited || fail "quick: expected exited, got $(state_of quick)"
assert_eq "$(result_of quick)" success "quick: result"
assert_eq "$(pid_of quick)" null "quick: pid"
file_has "$LOGDIR/quick.log" "did the work" || fail "quick: no output"
wait_for 10 state_is broken failed || fail "broken: expected failed, got $(state_of broken)"
assert_eq "$(result_of broken)" exit-code "broken: result"
assert_eq "$(svc_json broken .exit_status)" 2 "broken: exit status"
ctl start --no-block slow || fail "start --no-block slow failed"
wait_for 5 state_is slow starting || fail "slow: expected starting while it runs, got $(state_of slow)"
assert_eq "$(pid_of slow)" "$(pid_of slow | grep -E '^[0-9]+$')" "slow: pid while starting"
touch "$T/go"
wait_for 10 state_is slow exited || fail "slow: expected exited, got $(state_of slow)"
assert_eq "$(cat "$T/slow.done")" finished "slow: work done"
# supctl start waits until the oneshot has finished.
ctl start blocking || fail "start blocking failed"
[ -f "$T/blocking.done" ] || fail "supctl start returned before the oneshot finished"
assert_eq "$(state_of blocking)" exited "blocking: state after start returned"
pass
