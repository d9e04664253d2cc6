#!/bin/bash
# Sixty clients at once that pipeline status requests and never read: each
# is held off once 256 KiB of its replies wait, and all of them together
# once 16 MiB do (docs/protocol.md), so supd's memory grows by a bounded
# amount however many such clients come, and a client that reads is
# served meanwhile.  Release binary: the sanitizer's allocator keeps freed
# memory and would hide what is measured.
. "$(dirname "$0")/lib.sh"

SUPD=$TOP/bin/supd
[ -x "$SUPD" ] || skip "no release build at $SUPD"
for s in a b c d e f g h i j; do
	unit $s <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
done
supd_start
wait_for 10 state_is a running || fail "a not running"
rss0=$(supd_rss)
pids=""
for i in $(seq 1 60); do
	"$HOSTILE" -s "$SOCK" -t 60 noread 100000 >"$T/noread-$i.out" 2>&1 &
	pids="$pids $!"
done
peak=$rss0 slowest=0
for i in $(seq 1 30); do
	sleep 0.1
	r=$(supd_rss)
	[ "$r" -gt "$peak" ] && peak=$r
	t0=$(date +%s%N)
	ctl_ok status || fail "status not served while 60 clients do not read"
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ $ms -gt $slowest ] && slowest=$ms
done
bad=0
for p in $pids; do
	wait "$p" || bad=$((bad + 1))
	rel_case
done
rel_note "60 never-reading clients at once: supd RSS $rss0 KiB before, peak $peak KiB (+$(((peak - rss0) / 1024)) MiB); slowest status meanwhile $slowest ms"
[ "$bad" = 0 ] || fail "$bad clients were neither dropped nor held off: $(cat "$T"/noread-*.out | sort | uniq -c | head -3)"
[ $((peak - rss0)) -lt $((32 * 1024)) ] || fail "60 clients that do not read pinned $(((peak - rss0) / 1024)) MiB (bound: 16 MiB + one reply each)"
assert_alive "sixty clients that never read"
pass
