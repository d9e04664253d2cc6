#!/bin/bash
# A burst of 10,000 status requests pipelined on one connection, then
# 10,000 over 50 connections at once: every one answered ok, in bounded
# time and memory.
. "$(dirname "$0")/lib.sh"

for s in $(seq -f 's%02g' 20); do
	unit $s <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
done
supd_start
wait_for 10 state_is s20 running || fail "s20 not running"
rss0=$(supd_rss) fds0=$(supd_fds)
# Over 50 connections at once.
out=$("$HOSTILE" -s "$SOCK" -t 60 burst 10000 50 2>&1)
rc=$?
log "$out"
rel_case 10000
[ $rc -eq 0 ] || fail "burst over 50 connections: $out"
r2=$(sed -n 's/.*per_sec=\([0-9]*\).*/\1/p' <<<"$out")
# Pipelined on one connection whose client reads as fast as it can: it
# must get every reply (supd stops reading requests while replies wait),
# not be dropped as a client that does not read.
out=$("$HOSTILE" -s "$SOCK" -t 60 burst 10000 1 2>&1)
rc=$?
log "$out"
rel_case 10000
[ $rc -eq 0 ] || fail "pipelined burst on one connection: $out"
r1=$(sed -n 's/.*per_sec=\([0-9]*\).*/\1/p' <<<"$out")
wait_for 5 test "$(supd_fds)" -le "$fds0" || fail "fds: $fds0 before, $(supd_fds) after"
rss1=$(supd_rss)
rel_note "10,000 status (20 services): $r1/s on 1 conn, $r2/s on 50 conns; RSS $rss0 -> $rss1 KiB"
[ $((rss1 - rss0)) -lt 16384 ] || fail "RSS grew $rss0 -> $rss1 KiB"
assert_alive "status bursts"
pass
