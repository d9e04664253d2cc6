#!/bin/bash
# `supctl stop` on a service waiting in auto-restart cancels the restart:
# the stop succeeds, the service ends stopped (a manual stop, as systemd
# puts it in inactive) and no restart follows.
. "$(dirname "$0")/lib.sh"

unit flappy <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo started; exit 1'
Restart=always
RestartSec=1500ms
EOF
supd_start
wait_for 10 state_is flappy auto-restart || fail "flappy never reached auto-restart"
ctl stop flappy || fail "supctl stop failed on a service in auto-restart"
assert_eq "$(state_of flappy)" stopped "state after stop"
# Proving that no restart happens: 2s is past the 1.5s restart timer.
wait_for 2 bash -c "[ \$(grep -c started '$LOGDIR/flappy.log') -gt 1 ]" && fail "restarted after stop"
assert_eq "$(state_of flappy)" stopped "state a while after stop"
pass
