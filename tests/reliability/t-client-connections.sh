#!/bin/bash
# 1000 connections at once that send nothing: supd accepts 256
# (PROTO_MAX_CONNECTIONS), refuses every other one with a clear "busy"
# reply, serves other clients again as soon as the hogs leave, and its
# memory and fds come back to what they were.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
supd_start
wait_for 10 state_is web running || fail "web not running"
rss0=$(supd_rss) fds0=$(supd_fds)

"$HOSTILE" -s "$SOCK" -t 60 conns 1000 3000 >"$T/conns.out" 2>&1 &
hog=$!
wait_for 20 grep -q '^conns' "$T/conns.out" || fail "hostile conns printed nothing: $(cat "$T/conns.out")"
rel_case 1000
line=$(grep '^conns' "$T/conns.out")
log "$line"
held=$(sed 's/.* held=\([0-9]*\).*/\1/' <<<"$line")
busy=$(sed 's/.* busy=\([0-9]*\).*/\1/' <<<"$line")
assert_eq "$held" 256 "connections held open"
assert_eq "$busy" 744 "connections refused with busy"
# While the 256 are held, another client is refused clearly, not hung.
out=$(timeout 5 "$SUPCTL" -s "$SOCK" status 2>&1)
rc=$?
[ $rc -ne 124 ] || fail "supctl hung while supd was full"
grep -q 'too many connections' <<<"$out" || fail "257th client not told why: rc $rc: $out"
rss1=$(supd_rss)
wait $hog || fail "hostile conns failed: $(cat "$T/conns.out")"
# The hogs are gone: status works at once and nothing leaked.
wait_for 5 ctl_ok status || fail "status not served after the hogs left"
assert_eq "$(state_of web)" running "web after the flood"
wait_for 5 cmp_ok 'supd_fds' -le "$fds0" || fail "fds: $fds0 before, $(supd_fds) after"
rss2=$(supd_rss)
rel_note "1000 conns: RSS ${rss0} KiB before, ${rss1} KiB with 256 held, ${rss2} KiB after; fds $fds0 -> $(supd_fds)"
[ $((rss1 - rss0)) -lt 65536 ] || fail "RSS grew by $((rss1 - rss0)) KiB with 256 idle connections"
[ $((rss2 - rss0)) -lt 16384 ] || fail "RSS after the flood: $rss0 -> $rss2 KiB"
assert_alive "1000 connections"
pass
