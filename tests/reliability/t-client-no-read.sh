#!/bin/bash
# A client that sends requests and never reads the replies is either
# dropped once 4 MiB of replies wait for it (PROTO_MAX_PENDING_OUTPUT),
# with a warning in supd's log, or held off (supd stops reading its
# requests); either way supd's memory does not follow the client's
# backlog.  A `logs -f` follower that stops reading is dropped.
. "$(dirname "$0")/lib.sh"

for s in a b c d e f g h; do
	unit $s <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
done
unit chatty <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'while :; do echo "chatty line with some text to make it longer ......................................"; done'
EOF2
supd_start
wait_for 10 state_is a running || fail "a not running"
# Memory is bounded when supd's RSS stops growing: the first round may
# leave freed memory in the allocator, later rounds must reuse it.
noread_round() {
	local out rc
	out=$("$HOSTILE" -s "$SOCK" -t 60 noread 200000 2>&1)
	rc=$?
	log "$out"
	rel_case
	[ $rc -eq 0 ] || fail "a client that never reads was neither dropped nor held off: $out"
	if grep -q 'dropped=1' <<<"$out"; then
		wait_for 5 grep -q 'is not reading' "$T/supd.log" || fail "no warning about the dropped client in supd's log"
	fi
	ctl_ok status || fail "status not served after a client that never reads"
}
# A follower that never reads, and keeps sending: supd must drop it.
follow_round() {
	local n out
	n=$(grep -c 'is not reading' "$T/supd.log")
	out=$("$HOSTILE" -s "$SOCK" -t 60 noread 1000 '{"v":1,"cmd":"logs","name":"chatty","follow":true}' 2>&1) ||
		fail "a logs -f client that never reads was not dropped: $out"
	log "follow: $out"
	rel_case
	wait_for 5 cmp_ok "grep -c 'is not reading' '$T/supd.log'" -gt "$n" || fail "no warning about the follower in supd's log"
}
rss0=$(supd_rss)
noread_round
follow_round
rss1=$(supd_rss)
for i in 1 2; do
	noread_round
	follow_round
done
rss2=$(supd_rss)
rel_note "never-reading clients: RSS $rss0 KiB before, $rss1 after round 1, $rss2 after round 3"
[ $((rss2 - rss1)) -lt 4096 ] || fail "RSS keeps growing: $rss0 -> $rss1 -> $rss2 KiB over 3 rounds"
lat=$(status_latency_ms 5)
[ "$lat" -lt 1000 ] || fail "status took $lat ms after the non-readers"
assert_eq "$(state_of chatty)" running "chatty"
assert_alive "clients that never read"
pass
