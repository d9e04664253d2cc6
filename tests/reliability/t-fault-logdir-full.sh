#!/bin/bash
# The log directory is a full filesystem (a 512 KiB tmpfs): services keep
# running (their output is drained, not left to block them), supd says
# so in its log without flooding it, keeps serving, and once space is
# back logging resumes with a count of the lines dropped.
. "$(dirname "$0")/lib.sh"

mount -t tmpfs -o size=512k supd-rel-logfull "$LOGDIR" 2>/dev/null || skip "cannot mount a tmpfs"
rel_pre_cleanup() {
	stop_supd
	umount -l "$LOGDIR" 2>/dev/null
}
unit chatty <<EOF2
[Service]
ExecStart=/bin/sh -c 'while [ ! -e $T/go ]; do sleep 0.05; done; i=0; while :; do i=\$((i+1)); echo "chatty line \$i ................................................................"; done'
LogMaxBytes=infinity
EOF2
unit tick <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "tick $i ........................................................................................................................................................................"; sleep 0.05; done'
LogMaxBytes=infinity
EOF2
supd_start
rel_fault
wait_for 10 state_is chatty running || fail "chatty not running"
wait_for 10 file_has "$LOGDIR/tick.log" 'tick 2 ' || fail "tick not logging"
# chatty fills most of it; a filler file takes the rest.
touch "$T/go"
dd if=/dev/zero of="$LOGDIR/filler" bs=4k >/dev/null 2>&1
full() { [ "$(df --output=avail -k "$LOGDIR" | tail -1 | tr -d ' ')" -le 4 ]; }
wait_for 10 full || fail "the log filesystem did not fill: $(df -k "$LOGDIR" | tail -1)"
wait_for 5 grep -qi 'chatty.*No space left' "$T/supd.log" || fail "supd's log does not say chatty's disk is full"
wait_for 5 grep -qi 'tick.*No space left' "$T/supd.log" || fail "supd's log does not say tick's disk is full"
# The writer is not blocked: its counter keeps moving while the disk is
# full (supd drains the pipe and drops the lines).
pid=$(pid_of chatty)
lat=$(status_latency_ms 10)
rel_note "log dir full: status worst ${lat} ms of 10"
[ "$lat" -lt 1000 ] || fail "status took $lat ms with the log disk full"
s0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
sleep 1 # proves the writer is not blocked on its pipe (bounded, <= 2 s)
s1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
[ $((s1 - s0)) -gt 5 ] || fail "chatty got only $((s1 - s0)) ticks of CPU in 1 s: blocked on a full pipe?"
n=$(grep -ci 'No space left' "$T/supd.log")
rel_note "supd log lines about the full disk: $n"
[ "$n" -le 10 ] || fail "$n log lines about the full disk: supd floods its own log"
# Space is back: lines are logged again, with a note of how many were dropped.
ctl stop chatty >/dev/null || fail "stop chatty"
rm -f "$LOGDIR/chatty.log" "$LOGDIR/filler"
n0=$(grep -c tick "$LOGDIR/tick.log")
wait_for 10 bash -c "[ \$(grep -c tick '$LOGDIR/tick.log') -gt $((n0 + 3)) ]" || fail "tick's lines not logged after space came back"
wait_for 5 grep -qi 'dropped\|lost' "$LOGDIR/tick.log" || fail "tick's log does not say lines were dropped"
rel_note "after the disk was full, tick's log says: $(grep -i 'dropped\|lost' "$LOGDIR/tick.log" | head -1 | cut -c26-)"
assert_eq "$(state_of tick)" running "tick"
assert_alive "a full log disk"
pass
