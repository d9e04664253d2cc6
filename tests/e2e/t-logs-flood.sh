#!/bin/bash
# A service that writes as fast as it can does not stall supd: status
# answers promptly throughout (under 500ms; 200ms is the worst seen with two
# CPU hogs and no flood), the log files stay bounded by
# LogMaxBytes/LogBackups, and the service stops promptly.
. "$(dirname "$0")/lib.sh"

YES=$(command -v yes) || skip "no yes"
unit flood <<EOF
[Service]
ExecStart=$YES flood-flood-flood-flood-flood-flood-flood-flood-flood-flood
LogMaxBytes=64K
LogBackups=1
EOF
unit calm <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
supd_start
wait_for 10 state_is flood running || fail "flood not running"
wait_for 10 state_is calm running || fail "calm not running"
worst=0
for i in $(seq 1 25); do
	start=$(date +%s%N)
	[ "$(state_of calm)" = running ] || fail "status of calm during the flood: $(state_of calm)"
	took=$((($(date +%s%N) - start) / 1000000))
	[ "$took" -gt "$worst" ] && worst=$took
	sleep 0.1
done
log "slowest status during the flood: ${worst}ms"
[ "$worst" -lt 500 ] || fail "status took ${worst}ms during the flood"
start=$(date +%s%N)
ctl stop flood || fail "stop flood failed"
took=$((($(date +%s%N) - start) / 1000000))
log "stop took ${took}ms"
[ "$took" -lt 3000 ] || fail "stop during the flood took ${took}ms"
for f in "$LOGDIR"/flood.log*; do
	size=$(stat -c %s "$f")
	[ "$size" -le $((64 * 1024 + 4096)) ] || fail "$f is $size bytes with LogMaxBytes=64K"
done
[ -e "$LOGDIR/flood.log.2" ] && fail "flood.log.2 exists with LogBackups=1"
ctl logs flood -n 3 >"$T/last.lines"
mapfile -t last <"$T/last.lines"
assert_eq "${#last[@]}" 3 "lines from logs -n 3 after the flood"
pass
