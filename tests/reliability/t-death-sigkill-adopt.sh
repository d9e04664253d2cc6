#!/bin/bash
# supd is SIGKILLed: its services keep running (their output pipes are
# held by the fd holder), output written while supd is down is not lost,
# and a new supd with the same config re-adopts every live service within
# 1 s without restarting any (same pids, same restart counters), handles
# those that died meanwhile by Restart=, and goes on supervising the
# adopted ones (their exit is seen and Restart= applies).
. "$(dirname "$0")/lib.sh"

# "seq" writes numbered lines fast, so a lost line shows as a gap.
unit seq <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "seq $i"; if [ $((i % 20)) = 0 ]; then sleep 0.05; fi; done'
Restart=always
EOF2
unit sleeper <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
Restart=on-failure
EOF2
unit crasher <<'EOF2'
[Service]
ExecStart=/bin/sleep 1001
Restart=always
EOF2
unit oneshot <<'EOF2'
[Service]
ExecStart=/bin/sleep 1002
Restart=no
EOF2
supd_start
for s in seq sleeper crasher oneshot; do
	wait_for 10 state_is $s running || fail "$s not running"
done
declare -A pid0 r0
for s in seq sleeper crasher oneshot; do
	pid0[$s]=$(pid_of $s)
	r0[$s]=$(restarts_of $s)
done
old=$SUPD_PID
kill -KILL "$old"
wait "$old" 2>/dev/null
rel_fault
pid_alive "$old" && fail "supd $old survived SIGKILL"
# While no supd runs: two services die, the others must live on and
# keep writing (a second is enough to fill pipes at seq's rate).
kill -KILL "${pid0[crasher]}" "${pid0[oneshot]}"
rel_fault 2
sleep 1 # proves the services survive supd's absence (bounded, <= 2 s)
for s in seq sleeper; do
	pid_alive "${pid0[$s]}" || { rel_lost_services 1; fail "$s (pid ${pid0[$s]}) died with supd"; }
done

t0=$(date +%s%N)
supd_start
adopted_all() {
	[ "$(pid_of seq)" = "${pid0[seq]}" ] && state_is seq running &&
		[ "$(pid_of sleeper)" = "${pid0[sleeper]}" ] && state_is sleeper running
}
wait_for 5 adopted_all || fail "not re-adopted: seq $(state_of seq) $(pid_of seq), sleeper $(state_of sleeper) $(pid_of sleeper)"
ms=$((($(date +%s%N) - t0) / 1000000))
rel_note "re-adoption after SIGKILL: ${ms} ms from exec to status showing every live service (${SUPD#$TOP/})"
[ $ms -le 1000 ] || fail "re-adoption took $ms ms (limit 1000)"
for s in seq sleeper; do
	assert_eq "$(restarts_of $s)" "${r0[$s]}" "$s restarts after re-adoption"
	grep -q "$s: re-adopted main process ${pid0[$s]}" "$T/supd.log" || fail "no re-adoption line for $s"
done
# Died while supd was down: Restart=always starts it again, Restart=no not.
wait_for 5 bash -c "[ \"\$(\"$SUPCTL\" -s \"$SOCK\" --json status crasher | jq -r '.services[0].state')\" = running ]" ||
	fail "crasher not restarted: $(state_of crasher)"
[ "$(pid_of crasher)" != "${pid0[crasher]}" ] || fail "crasher has its old pid"
assert_eq "$(restarts_of crasher)" $((r0[crasher] + 1)) "crasher restarts"
wait_for 5 bash -c "! [ \"\$(\"$SUPCTL\" -s \"$SOCK\" --json status oneshot | jq -r '.services[0].state')\" = running ]" ||
	fail "oneshot (Restart=no, killed while supd was down) still shown running"
st=$(state_of oneshot)
[ "$st" = failed ] || fail "oneshot: expected failed (died of unknown cause, Restart=no), got $st"
pid_alive "${pid0[oneshot]}" && fail "oneshot's old pid lives"

# Supervision goes on: an adopted process's exit is seen, Restart= applies.
kill -KILL "${pid0[sleeper]}"
rel_fault
wait_for 5 bash -c "p=\$(\"$SUPCTL\" -s \"$SOCK\" --json status sleeper | jq -r '.services[0].pid'); [ \"\$p\" != null ] && [ \"\$p\" != ${pid0[sleeper]} ]" ||
	fail "exit of adopted sleeper not handled: $(state_of sleeper) $(pid_of sleeper)"
wait_for 5 state_is sleeper running || fail "sleeper not restarted: $(state_of sleeper)"
assert_eq "$(restarts_of sleeper)" $((r0[sleeper] + 1)) "sleeper restarts after its adopted process died"
grep -q "sleeper: adopted main process ${pid0[sleeper]} exited" "$T/supd.log" || fail "no log line for the adopted process's exit"

# No line of seq lost: the numbers in its log run 1..N without a gap,
# across the time supd was down (read while seq still runs, after it has
# written more since the re-adoption).
max0=$(grep -o 'seq [0-9]*$' "$LOGDIR/seq.log" | awk '{ print $2 }' | sort -n | tail -1)
wait_for 5 bash -c "[ \$(grep -o 'seq [0-9]*\$' '$LOGDIR/seq.log' | awk '{ print \$2 }' | sort -n | tail -1) -gt $((max0 + 100)) ]" ||
	fail "seq's output is no longer logged after the re-adoption"
rel_case
nums=$(grep -o 'seq [0-9]*$' "$LOGDIR/seq.log" | awk '{ print $2 }' | sort -n | uniq)
max=$(tail -1 <<<"$nums")
n=$(wc -l <<<"$nums")
rel_note "seq wrote $max lines across the crash; $((max - n)) missing from its log"
[ "${max:-0}" -gt 100 ] || fail "seq logged only ${max:-0} lines"
rel_lost_data $((max - n))
assert_eq "$n" "$max" "distinct seq lines logged (of $max written)"
# A manual stop of an adopted service is a clean stop, as for a child.
assert_eq "$(pid_of seq)" "${pid0[seq]}" "seq's pid"
out=$(ctl stop seq 2>&1) || fail "stop of the adopted seq failed: $out"
assert_eq "$(state_of seq)" stopped "seq after stop"
assert_alive "SIGKILL and re-adoption"
pass
