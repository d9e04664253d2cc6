#!/bin/bash
# A request line over 1 MiB (and one of 64 MiB): supd replies
# request-too-long and closes, without buffering the line (RSS stays
# flat), and keeps serving everyone else.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
supd_start
wait_for 10 state_is web running || fail "web not running"
rss0=$(supd_rss)
for bytes in 65537 1200000 67108864; do
	out=$("$HOSTILE" -s "$SOCK" -t 30 long $bytes 2>&1)
	rc=$?
	log "$out"
	rel_case
	[ $rc -eq 0 ] || fail "$bytes-byte line: $out"
	grep -q 'closed=1' <<<"$out" || fail "connection not closed after the over-long line: $out"
	grep -q 'exceeded\|too long\|65536' <<<"$out" || fail "the error does not say why: $out"
	ctl_ok status || fail "status not served after a $bytes-byte line"
done
# A line of exactly 65536 bytes (the newline not counted) is still served.
prefix='{"v":1,"cmd":"status","x":"'
line=$prefix$(head -c $((65536 - ${#prefix} - 2)) /dev/zero | tr '\0' a)'"}'
[ ${#line} -eq 65536 ] || fail "test bug: line of ${#line} bytes"
reply=$(printf '%s\n' "$line" | "$HOSTILE" -s "$SOCK" -t 10 send)
rel_case
grep -q '"ok":true' <<<"$reply" || fail "a ${#line}-byte line was refused: ${reply:0:200}"
rss1=$(supd_rss)
rel_note "over-long lines up to 64 MiB: RSS $rss0 -> $rss1 KiB"
[ $((rss1 - rss0)) -lt 8192 ] || fail "RSS grew $rss0 -> $rss1 KiB: the long line was buffered"
assert_eq "$(state_of web)" running "web"
assert_alive "over-long lines"
pass
