#!/bin/bash
# The restart counter counts automatic restarts only; as in systemd it is
# reset by a manual start/restart and by reset-failed, not by a healthy
# run.
. "$(dirname "$0")/lib.sh"

# Crash twice, then run.
cat >"$T/svc.sh" <<'EOF'
n=$(cat "$1" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$1"
echo "run $n"
[ "$n" -le 2 ] && exit 1
exec sleep 1000
EOF
unit crashy <<EOF
[Service]
ExecStart=/bin/sh $T/svc.sh $T/count
Restart=on-failure
RestartSec=100ms
EOF
supd_start
wait_for 10 file_has "$LOGDIR/crashy.log" "run 3" || fail "no third run"
wait_for 5 state_is crashy running || fail "third run not running"
assert_eq "$(restarts_of crashy)" 2 "restarts after two crashes"
ctl restart crashy || fail "restart failed"
assert_eq "$(state_of crashy)" running "state after a manual restart"
assert_eq "$(restarts_of crashy)" 0 "restarts after a manual restart"
pass
