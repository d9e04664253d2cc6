#!/bin/bash
# The state directory (which holds the output journal) is a full
# filesystem: services' output is still logged, without the journal, and
# supd says so once; once space is back the journal is used again.
. "$(dirname "$0")/lib.sh"

mkdir -p "$STATEDIR"
mount -t tmpfs -o size=256k supd-rel-statefull "$STATEDIR" 2>/dev/null || skip "cannot mount a tmpfs"
rel_pre_cleanup() {
	stop_supd
	umount -l "$STATEDIR" 2>/dev/null
}
unit tick <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.02; done'
EOF2
supd_start
wait_for 10 file_has "$LOGDIR/tick.log" 'tick 5$' || fail "tick not logging"
rel_fault
dd if=/dev/zero of="$STATEDIR/filler" bs=4k >/dev/null 2>&1
# A record needs a block: the next chunk finds none.
wait_for 10 grep -q 'tick: output journal; logging without it' "$T/supd.log" ||
	fail "supd did not say the journal failed: $(tail -3 "$T/supd.log")"
last() { tail -1 "$LOGDIR/tick.log" | awk '{ print $3 }'; }
n0=$(last)
wait_for 5 cmp_ok last -gt $((n0 + 20)) || fail "tick's output stopped with the state directory full ($n0 -> $(last))"
[ "$(grep -c 'logging without it' "$T/supd.log")" = 1 ] || fail "the warning repeats: $(grep -c 'logging without it' "$T/supd.log") times"
rm -f "$STATEDIR/filler"
n1=$(last)
wait_for 5 cmp_ok last -gt $((n1 + 20)) || fail "tick's output stopped after space came back"
# Every number once, in order.
read -r bad max <<<"$(awk '$2 == "tick" { n = $3; if (p && n != p + 1) bad++; p = n } END { print bad + 0, p }' "$LOGDIR/tick.log")"
rel_note "state dir full: output logged without the journal, $max lines, $bad gaps or repeats"
rel_lost_data "$bad"
assert_eq "$bad" 0 "tick's numbers"
assert_alive "a full state directory"
pass
