#!/bin/bash
# When the log cannot be written (disk full), lines are dropped and
# counted; once writing works again the log gets a note with the exact
# number of lines lost, and supd's own log says so too.  The service is
# never blocked.
. "$(dirname "$0")/lib.sh"

mount -t tmpfs -o size=32k tmpfs "$LOGDIR" 2>/dev/null || skip "cannot mount a tmpfs"
trap 'rc=$?; umount -l "$LOGDIR" 2>/dev/null; (exit $rc); cleanup' EXIT
cat >"$T/tick.sh" <<'EOF'
pad=pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp
i=0
while :; do
	i=$((i + 1))
	echo "tick $i $pad end"
	echo "$i" >"$1.tmp" && mv "$1.tmp" "$1"
	sleep 0.01
done
EOF
unit tick <<EOF
[Service]
ExecStart=/bin/sh $T/tick.sh $T/counter
EOF
supd_start
wait_for 20 file_has "$T/supd.log" "dropping lines" || fail "the log never filled up: $(df "$LOGDIR" | tail -1)"
# The service goes on while lines are dropped.
c1=$(cat "$T/counter")
wait_for 5 bash -c "[ \$(cat '$T/counter') -gt $((c1 + 20)) ]" || fail "service blocked while its log is full"
last=$(grep -o 'tick [0-9]* p* end$' "$LOGDIR/tick.log" | tail -1 | cut -d' ' -f2)
[ -n "$last" ] || fail "no complete line before the disk filled"
log "last complete line before the disk filled: tick $last; service at $(cat "$T/counter")"
: >"$LOGDIR/tick.log"
wait_for 10 file_has "$LOGDIR/tick.log" "lines dropped" || fail "no drop note after space came back: $(head -c 300 "$LOGDIR/tick.log")"
wait_for 5 bash -c "grep -q 'tick [0-9]* p* end\$' '$LOGDIR/tick.log'" || fail "no line after the note"
note=$(grep -m1 "lines dropped" "$LOGDIR/tick.log")
log "note: $note"
n=$(echo "$note" | sed -n 's/.*supd: \([0-9]*\) lines dropped.*/\1/p')
echo "$note" | grep -qi "no space left" || fail "the note does not say why: $note"
next=$(grep -o 'tick [0-9]* p* end$' "$LOGDIR/tick.log" | head -1 | cut -d' ' -f2)
assert_eq "$next" $((last + n + 1)) "first line after the note (last $last + $n dropped + 1)"
grep -q "writing again; $n lines were dropped" "$T/supd.log" || fail "supd's log does not report the $n dropped lines"
pass
