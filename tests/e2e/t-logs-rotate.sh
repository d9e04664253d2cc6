#!/bin/bash
# The service log rotates by size: with LogMaxBytes=4096 and LogBackups=2,
# NAME.log, NAME.log.1 and NAME.log.2 exist, none much over 4 KiB, no
# NAME.log.3, and the kept lines are the newest ones, in order, without a
# gap; `supctl logs -n N` reads across the rotation.
. "$(dirname "$0")/lib.sh"

cat >"$T/spew.sh" <<'EOF'
pad=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
i=1000
while [ $i -lt 1300 ]; do
	i=$((i + 1))
	echo "line $i $pad"
done
echo "done writing"
exec sleep 1000
EOF
unit spew <<EOF
[Service]
ExecStart=/bin/sh $T/spew.sh
LogMaxBytes=4096
LogBackups=2
EOF
supd_start
wait_for 10 file_has "$LOGDIR/spew.log" "done writing" || fail "spew did not finish"
ls -l "$LOGDIR" | sed 's/^/# /'
for f in spew.log spew.log.1 spew.log.2; do
	[ -f "$LOGDIR/$f" ] || fail "no $f"
	size=$(stat -c %s "$LOGDIR/$f")
	# One line (about 110 bytes) may overshoot the limit.
	[ "$size" -le $((4096 + 200)) ] || fail "$f is $size bytes, LogMaxBytes=4096"
done
[ -e "$LOGDIR/spew.log.3" ] && fail "spew.log.3 exists with LogBackups=2"
# The kept lines, oldest first, are consecutive and end with the last one
# (a rotation may note dropped lines, which are not "line N").
kept=$(cat "$LOGDIR/spew.log.2" "$LOGDIR/spew.log.1" "$LOGDIR/spew.log" | grep -o 'line [0-9]*' | cut -d' ' -f2)
prev=""
for n in $kept; do
	[ -z "$prev" ] || [ "$n" -eq $((prev + 1)) ] || fail "kept lines jump from $prev to $n"
	prev=$n
done
assert_eq "$prev" 1300 "last kept line"
nkept=$(echo "$kept" | wc -l)
[ "$nkept" -ge 70 ] && [ "$nkept" -lt 300 ] || fail "$nkept lines kept in 3 files of 4 KiB"
# logs -n reaches back into spew.log.1.
incur=$(grep -c 'line [0-9]' "$LOGDIR/spew.log")
want=$((incur + 10))
ctl logs spew -n "$want" >"$T/got.lines"
mapfile -t got <"$T/got.lines"
assert_eq "${#got[@]}" "$want" "lines printed by logs -n $want"
first=$(echo "${got[0]}" | grep -o 'line [0-9]*' | cut -d' ' -f2)
assert_eq "$first" $((1300 - want + 2)) "first line printed by logs -n $want"
pass
