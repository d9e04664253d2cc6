#!/bin/bash
# supd SIGKILLed five times in a row while a service crash-loops: after
# each start the stable services are re-adopted (same pids, no restart)
# within 1 s, the crash-looping one keeps a single instance, no output
# line is lost, and one fd holder remains, not one per supd.
. "$(dirname "$0")/lib.sh"

for s in a b c d e; do
	unit $s <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
done
unit seq <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "seq $i"; sleep 0.01; done'
EOF2
unit crash <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'echo up; sleep 0.2; exit 3'
Restart=always
RestartSec=100ms
StartLimitBurst=0
EOF2
supd_start
declare -A pid0
for s in a b c d e seq; do
	wait_for 10 state_is $s running || fail "$s not running"
	pid0[$s]=$(pid_of $s)
done
adopted_all() {
	local json s
	json=$("$SUPCTL" -s "$SOCK" --json status 2>/dev/null) || return 1
	for s in a b c d e seq; do
		[ "$(jq -r --arg n $s '.services[] | select(.name == $n) | "\(.state) \(.pid) \(.restarts)"' <<<"$json")" = "running ${pid0[$s]} 0" ] || return 1
	done
}
worst=0
for round in 1 2 3 4 5; do
	kill -KILL "$SUPD_PID"
	wait "$SUPD_PID" 2>/dev/null
	rel_fault
	t0=$(date +%s%N)
	supd_start
	wait_for 5 adopted_all || fail "round $round: not every service re-adopted: $(ctl status)"
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ $ms -gt $worst ] && worst=$ms
	[ $ms -le 1000 ] || fail "round $round: re-adoption took $ms ms"
	# Let the crash loop go through a cycle or two under this supd.
	r=$(restarts_of crash)
	wait_for 5 bash -c "[ \$(\"$SUPCTL\" -s \"$SOCK\" --json status crash | jq .services[0].restarts) -gt $r ]" ||
		fail "round $round: crash no longer restarted"
done
rel_note "5 SIGKILLs of supd: re-adoption worst ${worst} ms"
# A single instance of the crash loop: at most its sh and its sleep.
if [ -n "$CG_UNI" ]; then
	n=$(wc -l <"$CG_UNI/crash/cgroup.procs")
	[ "$n" -le 2 ] || fail "crash has $n processes: $(cat "$CG_UNI/crash/cgroup.procs" | tr '\n' ' ')"
fi
# One holder: supd-fdholder started for our state directory (its argument
# is the socket's path), or a fork of supd (our command line) other than
# supd itself.
holders=0
for p in /proc/[0-9]*; do
	[ "${p#/proc/}" = "$SUPD_PID" ] && continue
	{ tr "\0" " " <"$p/cmdline"; } 2>/dev/null |
		grep -q -e "--conf-dir $CONF " -e "^supd-fdholder $STATEDIR/fdholder.sock " &&
		holders=$((holders + 1))
done
assert_eq "$holders" 1 "fd holder processes"
nums=$(grep -o 'seq [0-9]*$' "$LOGDIR/seq.log" | awk '{ print $2 }' | sort -n | uniq)
max=$(tail -1 <<<"$nums") n=$(wc -l <<<"$nums")
rel_note "seq wrote $max lines across 5 crashes of supd; $((max - n)) missing"
rel_lost_data $((max - n))
assert_eq "$n" "$max" "seq lines logged"
assert_alive "repeated SIGKILLs"
pass
