#!/bin/bash
# A burst of 10,000 status requests pipelined on one connection, then
# 10,000 over 50 connections at once: every one answered ok, in bounded
# time and memory.
. "$(dirname "$0")/lib.sh"

for s in $(seq -f "s%02g" 5); do
	unit $s <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
done
supd_start
wait_for 10 state_is s05 running || fail "s05 not running"
rss0=$(supd_rss) fds0=$(supd_fds)
# Over 50 connections at once, then pipelined on one connection whose
# client reads as fast as it can: it must get every reply (supd stops
# reading requests while replies wait), not be dropped as a client that
# does not read.  Two rounds: memory is bounded when the second round
# leaves RSS where the first left it.
burst() { # requests conns
	local out rc
	out=$("$HOSTILE" -s "$SOCK" -t 60 burst "$1" "$2" 2>&1)
	rc=$?
	log "$out" >&2
	rel_case "$1"
	[ $rc -eq 0 ] || fail "burst of $1 over $2 connection(s): $out"
	sed -n 's/.*per_sec=\([0-9]*\).*/\1/p' <<<"$out"
}
r2=$(burst 10000 50) || exit 1
r1=$(burst 10000 1) || exit 1
wait_for 5 cmp_ok 'supd_fds' -le "$fds0" || fail "fds: $fds0 before, $(supd_fds) after"
rss1=$(supd_rss)
burst 10000 50 >/dev/null || exit 1
burst 10000 1 >/dev/null || exit 1
rss2=$(supd_rss)
rel_note "10,000 status (5 services): $r1/s on 1 conn, $r2/s on 50 conns; RSS $rss0 KiB before, $rss1 after round 1, $rss2 after round 2"
[ $((rss2 - rss1)) -lt 4096 ] || fail "RSS keeps growing: $rss0 -> $rss1 -> $rss2 KiB"
assert_alive "status bursts"
pass
