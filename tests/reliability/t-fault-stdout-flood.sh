#!/bin/bash
# Services that flood stdout at full speed: status latency stays bounded,
# a quiet service's lines still reach its log, the logs rotate within
# their size, and nothing blocks.
. "$(dirname "$0")/lib.sh"

for i in 1 2 3; do
	unit flood$i <<'EOF2'
[Service]
ExecStart=/usr/bin/yes flooding-the-log-at-full-speed-..............................................
LogMaxBytes=1M
LogBackups=2
EOF2
done
unit tick <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.1; done'
EOF2
supd_start
rel_fault 3
wait_for 10 state_is flood3 running || fail "flood3 not running"
wait_for 10 file_has "$LOGDIR/flood1.log.1" flooding || fail "flood1's log never rotated"
lat=$(status_latency_ms 20)
rel_note "3 services flooding stdout: status worst ${lat} ms of 20"
[ "$lat" -lt 500 ] || fail "status took $lat ms under the flood"
# The quiet service is not starved: its lines keep arriving in order.
n0=$(grep -c tick "$LOGDIR/tick.log")
wait_for 5 bash -c "[ \$(grep -c tick '$LOGDIR/tick.log') -ge $((n0 + 10)) ]" || fail "tick starved: $n0 lines"
max=$(grep -o 'tick [0-9]*$' "$LOGDIR/tick.log" | awk '{ print $2 }' | sort -n | tail -1)
n=$(grep -o 'tick [0-9]*$' "$LOGDIR/tick.log" | awk '{ print $2 }' | sort -n | uniq | wc -l)
rel_lost_data $((max - n))
assert_eq "$n" "$max" "tick lines logged"
for i in 1 2 3; do
	sz=$(du -cb "$LOGDIR"/flood$i.log* | tail -1 | cut -f1)
	[ "$sz" -le $((3 * 1024 * 1024 + 65536)) ] || fail "flood$i's logs take $sz bytes (LogMaxBytes=1M, LogBackups=2)"
	[ ! -e "$LOGDIR/flood$i.log.3" ] || fail "flood$i.log.3 kept with LogBackups=2"
done
ctl logs -n 5 flood1 | grep -q flooding || fail "logs of flood1"
ctl stop flood1 flood2 flood3 >/dev/null || fail "stop of the floods"
assert_eq "$(state_of tick)" running "tick"
assert_alive "stdout floods"
pass
