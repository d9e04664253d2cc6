#!/bin/bash
# KillSignal= is the stop signal: with KillSignal=SIGINT the service gets
# SIGINT, not SIGTERM, and a clean exit on it ends the service stopped.
. "$(dirname "$0")/lib.sh"

cat >"$T/svc.sh" <<'EOF'
trap 'echo "got INT"; exit 0' INT
trap 'echo "got TERM"; exit 0' TERM
echo ready
while :; do sleep 0.05; done
EOF
unit gentle <<EOF
[Service]
ExecStart=/bin/sh $T/svc.sh
KillSignal=SIGINT
TimeoutStopSec=5s
EOF
supd_start
wait_for 10 state_is gentle running || fail "not running"
wait_for 5 file_has "$LOGDIR/gentle.log" ready || fail "not ready"
start=$(date +%s%N)
ctl stop gentle || fail "stop failed"
took=$((($(date +%s%N) - start) / 1000000))
file_has "$LOGDIR/gentle.log" "got INT" || fail "no SIGINT seen: $(cat "$LOGDIR/gentle.log")"
file_has "$LOGDIR/gentle.log" "got TERM" && fail "SIGTERM sent with KillSignal=SIGINT"
[ "$took" -lt 3000 ] || fail "stop took ${took}ms"
assert_eq "$(state_of gentle)" stopped "state"
assert_eq "$(result_of gentle)" success "result"
pass
