#!/bin/bash
# A manual stop never restarts, even with Restart=always and a main
# process that exits 1 on SIGTERM (an unclean result).
. "$(dirname "$0")/lib.sh"

cat >"$T/svc.sh" <<'EOF'
echo "started $$"
trap 'echo "got TERM"; exit 1' TERM
while :; do sleep 0.05; done
EOF
unit always <<EOF
[Service]
ExecStart=/bin/sh $T/svc.sh
Restart=always
RestartSec=100ms
EOF
supd_start
wait_for 10 state_is always running || fail "not running"
wait_for 5 file_has "$LOGDIR/always.log" started || fail "no output"
ctl stop always
wait_for 5 file_has "$LOGDIR/always.log" "got TERM" || fail "no SIGTERM seen"
state=$(state_of always)
[ "$state" = failed ] || [ "$state" = stopped ] || fail "state after stop: $state"
[ "$state" = failed ] && assert_eq "$(result_of always)" exit-code "result of an unclean stop"
# Proving no restart follows: 1s is ten times RestartSec.
sleep 1
assert_eq "$(grep -c started "$LOGDIR/always.log")" 1 "starts"
assert_eq "$(state_of always)" "$state" "state 1s after the stop"
assert_eq "$(restarts_of always)" 0 "restarts"
pass
