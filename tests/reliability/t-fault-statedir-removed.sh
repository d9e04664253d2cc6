#!/bin/bash
# The state directory is removed while supd runs: supd keeps running,
# writes its state file again at the next change, and so a later crash
# of supd still re-adopts every service.
. "$(dirname "$0")/lib.sh"

unit a <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
unit b <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "b $i"; sleep 0.05; done'
EOF2
supd_start
wait_for 10 state_is a running || fail "a not running"
wait_for 10 state_is b running || fail "b not running"
wait_for 5 test -s "$STATEDIR/state.json" || fail "no state.json"
hp=$(cat "$STATEDIR/fdholder.pid")
# lib.sh finds the holder by its pid file, which goes with the directory.
rel_pre_cleanup() {
	stop_supd
	kill -0 "$hp" 2>/dev/null && kill -KILL "$hp"
	return 0
}
rel_fault
rm -rf "$STATEDIR"
# A change of state: a's restart must be recorded again.
ctl restart a >/dev/null || fail "restart a"
pa=$(pid_of a) pb=$(pid_of b)
wait_for 10 test -s "$STATEDIR/state.json" || fail "state.json not written again after $STATEDIR was removed"
grep -q "$pa" "$STATEDIR/state.json" || fail "state.json lacks a's new pid $pa"
grep -qi "$STATEDIR" "$T/supd.log" || fail "supd's log does not mention the state directory"
# Now supd dies: the next one must still find and adopt both services.
kill -KILL "$SUPD_PID"
wait "$SUPD_PID" 2>/dev/null
rel_fault
supd_start
wait_for 5 bash -c "[ \"\$(\"$SUPCTL\" -s \"$SOCK\" --json status a | jq -r '.services[0].pid')\" = $pa ]" ||
	{ rel_lost_services 1; fail "a not re-adopted: $(state_of a) $(pid_of a), was $pa"; }
wait_for 5 bash -c "[ \"\$(\"$SUPCTL\" -s \"$SOCK\" --json status b | jq -r '.services[0].pid')\" = $pb ]" ||
	{ rel_lost_services 1; fail "b not re-adopted: $(state_of b) $(pid_of b), was $pb"; }
# b's output still reaches its log (the pipes were not lost with the dir).
n0=$(grep -c '^.* b [0-9]*$' "$LOGDIR/b.log")
wait_for 5 bash -c "[ \$(grep -c '^.* b [0-9]*\$' '$LOGDIR/b.log') -gt $((n0 + 10)) ]" || fail "b's output no longer logged"
nums=$(grep -o ' b [0-9]*$' "$LOGDIR/b.log" | awk '{ print $2 }' | sort -n | uniq)
max=$(tail -1 <<<"$nums") n=$(wc -l <<<"$nums")
rel_lost_data $((max - n))
assert_eq "$n" "$max" "b's lines logged across the removal and the crash"
# The old holder was not left behind beside a new one.
if [ "$(cat "$STATEDIR/fdholder.pid" 2>/dev/null)" != "$hp" ]; then
	pid_alive "$hp" && { kill -KILL "$hp"; fail "the old fd holder $hp still runs beside a new one"; }
fi
assert_alive "the state directory removed"
pass
