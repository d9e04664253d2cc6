#!/bin/bash
# RestartSteps=/RestartMaxDelaySec= grow the delay geometrically from
# RestartSec= to the maximum: 200ms, 400ms, 800ms, 1.6s, then 1.6s, as
# seen in the timestamps of the service's log.
. "$(dirname "$0")/lib.sh"

# Seconds of the day of each log line matching a pattern.
times_of() {
	grep -- "$2" "$1" | awk '{ split($1, a, "T"); split(a[2], b, ":");
		sub("Z", "", b[3]); printf "%.3f\n", b[1] * 3600 + b[2] * 60 + b[3] }'
}

unit backoff <<'EOF'
[Unit]
StartLimitBurst=0
[Service]
ExecStart=/bin/sh -c 'echo started; exit 1'
Restart=always
RestartSec=200ms
RestartSteps=3
RestartMaxDelaySec=1600ms
EOF
supd_start
count() { [ "$(grep -c started "$LOGDIR/backoff.log" 2>/dev/null)" -ge "$1" ]; }
wait_for 15 count 6 || fail "fewer than 6 starts: $(grep -c started "$LOGDIR/backoff.log")"
r=$(restarts_of backoff)
[ "$r" -ge 5 ] || fail "restart counter $r after 6 starts"
times_of "$LOGDIR/backoff.log" started >"$T/ts.lines"
mapfile -t ts <"$T/ts.lines"
expected=(0.2 0.4 0.8 1.6 1.6)
for i in 0 1 2 3 4; do
	gap=$(awk -v a="${ts[$i]}" -v b="${ts[$((i + 1))]}" 'BEGIN { printf "%.3f", b - a }')
	log "restart $((i + 1)): ${gap}s after the previous start, expected ${expected[$i]}s"
	awk -v g="$gap" -v e="${expected[$i]}" 'BEGIN { exit !(g >= e - 0.02 && g <= e + 0.5) }' ||
		fail "restart $((i + 1)) came ${gap}s after the previous start, expected ${expected[$i]}s"
done
pass
