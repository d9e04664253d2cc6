#!/bin/bash
# Clients that connect and send nothing, or half a request, do not hold
# up anyone: other clients are served at once; the half line is answered
# bad-request when its sender half-closes.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
supd_start
wait_for 10 state_is web running || fail "web not running"
pids=()
for i in $(seq 20); do
	"$HOSTILE" -s "$SOCK" -t 30 silent 3000 >/dev/null 2>&1 &
	pids+=($!)
done
"$HOSTILE" -s "$SOCK" -t 30 half 2000 >"$T/half.out" 2>&1 &
half=$!
rel_case 21
# Served while 21 connections sit idle or mid-line (each well under 1 s).
lat=$(status_latency_ms 10)
rel_note "status latency with 21 stalled clients: worst ${lat} ms of 10"
[ "$lat" -lt 1000 ] || fail "status took $lat ms with stalled clients"
wait $half || fail "half line: $(cat "$T/half.out")"
grep -q 'bad-request' "$T/half.out" || fail "half line: $(cat "$T/half.out")"
wait "${pids[@]}"
assert_eq "$(state_of web)" running "web"
assert_alive "silent and half-line clients"
pass
