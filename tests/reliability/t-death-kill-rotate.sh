#!/bin/bash
# supd SIGKILLed six times while two services write as fast as they can,
# with the log rotating every 512 KiB: one writes whole lines, the other
# writes each line in two pieces (so supd often holds half a line).  Read
# oldest file first, every number is there exactly once, in order, and
# every line is whole: nothing taken from a pipe is lost or logged twice
# (docs/reliability.md: the output journal).
. "$(dirname "$0")/lib.sh"

unit whole <<'EOF2'
[Service]
ExecStart=/usr/bin/seq 1 100000000
LogMaxBytes=512K
LogBackups=400
EOF2
cat >"$T/halves.awk" <<'EOF2'
BEGIN { for (i = 1; i < 100000000; i++) { printf "a%d-", i; fflush(); printf "b%d\n", i; fflush() } }
EOF2
unit halves <<EOF2
[Service]
ExecStart=/usr/bin/awk -f $T/halves.awk
LogMaxBytes=512K
LogBackups=400
EOF2
supd_start
for s in whole halves; do
	wait_for 10 state_is $s running || fail "$s not running"
done
for round in 1 2 3 4 5 6; do
	sleep "0.$((RANDOM % 6 + 2))"
	kill -KILL "$SUPD_PID"
	wait "$SUPD_PID" 2>/dev/null
	rel_fault
	supd_start
	for s in whole halves; do
		wait_for 5 state_is $s running || fail "round $round: $s not running: $(state_of $s)"
	done
done
sleep 0.5
ctl stop whole halves >/dev/null 2>&1
# The log files, oldest first.
files() { ls "$LOGDIR/$1".log.* 2>/dev/null | awk -F. '{ print $NF " " $0 }' | sort -rn | cut -d' ' -f2; echo "$LOGDIR/$1.log"; }
[ -e "$LOGDIR/whole.log.400" ] && fail "whole rotated past its 400 backups: the test cannot see everything"
# whole: the numbers 1..N, each once, in order (the last line may be cut by the stop).
read -r bad max <<<"$(cat $(files whole) | head -n -1 | awk '$2 !~ /^[0-9]+$/ { next } { n = $2 } n != p + 1 { bad++; if (bad < 4) print p " then " n >"/dev/stderr" } { p = n } END { print bad + 0, p }')"
# halves: every line "aN-bN", N consecutive.
read -r bad2 max2 <<<"$(cat $(files halves) | head -n -1 | awk '$2 !~ /^a/ { next } { split($2, f, "-"); a = substr(f[1], 2); b = substr(f[2], 2) } a != b || a != p + 1 { bad++; if (bad < 4) print p " then " $2 >"/dev/stderr" } { p = a } END { print bad + 0, p }')"
nfiles=$(files whole | wc -l)
rel_note "6 SIGKILLs under two full-speed writers, log rotated into $nfiles files: whole $max lines, $bad gaps or repeats; halves $max2 lines, $bad2 gaps, repeats or torn lines"
[ "${max:-0}" -gt 100000 ] || fail "whole: only ${max:-0} lines logged"
[ "${max2:-0}" -gt 1000 ] || fail "halves: only ${max2:-0} lines logged"
rel_lost_data $((bad + bad2))
assert_eq "$bad" 0 "whole: gaps or repeats"
assert_eq "$bad2" 0 "halves: gaps, repeats or torn lines"
assert_alive "SIGKILLs under rotating floods"
pass
