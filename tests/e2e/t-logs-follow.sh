#!/bin/bash
# `supctl logs NAME -f` prints the last lines, then streams every new line
# as the service writes it, and ends with exit 0 when supd shuts down.
. "$(dirname "$0")/lib.sh"

unit ticker <<'EOF'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.1; done'
EOF
supd_start
wait_for 10 file_has "$LOGDIR/ticker.log" "tick 3" || fail "ticker not ticking"
ctl logs ticker -n 2 -f >"$T/follow.out" 2>"$T/follow.err" &
fpid=$!
wait_for 10 file_has "$T/follow.out" "tick" || fail "follow printed nothing"
first=$(grep -o 'tick [0-9]*' "$T/follow.out" | tail -1 | cut -d' ' -f2)
log "first tick seen by the follower: $first"
later() { grep -q "tick $((first + 5))\$" "$T/follow.out"; }
wait_for 10 later || fail "no new lines streamed after tick $first: $(tail -3 "$T/follow.out")"
# Streamed lines are consecutive and timestamped like the file's.
ticks=$(grep -o 'tick [0-9]*$' "$T/follow.out" | cut -d' ' -f2)
prev=""
for n in $ticks; do
	[ -z "$prev" ] || [ "$n" -eq $((prev + 1)) ] || fail "follow skipped from tick $prev to $n"
	prev=$n
done
grep -Ev '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z tick [0-9]+$' "$T/follow.out" && fail "malformed followed line"
kill -0 "$fpid" 2>/dev/null || fail "follower exited while the service runs"
ctl shutdown || fail "shutdown failed"
wait_for 15 bash -c "! kill -0 $fpid 2>/dev/null" || fail "follower still running after supd shut down"
wait "$fpid"
assert_eq "$?" 0 "exit code of logs -f when supd closes the stream"
pass
