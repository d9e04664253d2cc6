#!/bin/bash
# OOM kills are seen the moment they happen (events, no polling timer):
# in the service's log, supd's "OOM kill" line is stamped within 300 ms of
# the line the main process prints when it reaps the killed child.
. "$(dirname "$0")/lib.sh"

unit hog <<EOF
[Service]
ExecStart=$HELPERS/memhog -c -r 64 4
MemoryMax=32M
MemorySwapMax=0
OOMPolicy=continue
EOF
supd_start
wait_for 10 state_is hog running || fail "hog not running"
log=$LOGDIR/hog.log
wait_for 10 file_has "$log" "hog child killed by signal 9" || fail "the hog child was not killed: $(cat "$log")"
wait_for 5 file_has "$log" "OOM kill" || fail "no OOM line in the service log: $(cat "$log")"
# Milliseconds since midnight of a log line's timestamp (...THH:MM:SS.mmmZ).
ms() { sed -n "/$1/{s/^[^T]*T\([0-9]*\):\([0-9]*\):\([0-9]*\)\.\([0-9]*\)Z.*/\1 \2 \3 \4/p;q}" "$log" |
	awk '{ print (($1 * 60 + $2) * 60 + $3) * 1000 + $4 }'; }
killed=$(ms "hog child killed by signal 9")
seen=$(ms "OOM kill")
[ -n "$killed" ] && [ -n "$seen" ] || fail "cannot read the timestamps: $(cat "$log")"
d=$((seen - killed))
[ $d -lt 0 ] && d=$((-d))
log "OOM line and the child's reaping $d ms apart"
[ $d -le 300 ] || fail "the OOM kill was seen $d ms from the victim's death: $(cat "$log")"
pass
