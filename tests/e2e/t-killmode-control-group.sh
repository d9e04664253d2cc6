#!/bin/bash
# KillMode=control-group: on stop every process of the cgroup gets SIGTERM
# and then SIGCONT, so a stopped (SIGSTOP) child wakes up to handle it; when
# the main process exits on its own, the processes it leaves get SIGTERM
# too.  Nothing survives.
. "$(dirname "$0")/lib.sh"

[ -x "$HELPERS/proctree" ] || skip "no $HELPERS/proctree (make SANITIZE=1 test-bins)"
# "stop" is stopped with supctl, "exit"'s main process exits after 300ms.
unit stop <<EOF
[Service]
ExecStart=$HELPERS/proctree -f $T/stop.rec -c 2 -g 1
KillMode=control-group
TimeoutStopSec=5s
EOF
unit exit <<EOF
[Service]
ExecStart=$HELPERS/proctree -f $T/exit.rec -c 2 -g 1 -e 300
KillMode=control-group
TimeoutStopSec=5s
EOF
got() { grep -q "^$2 " "$T/$1.rec"; }
pids() { awk '$1 == "start" { print $3 }' "$T/$1.rec"; }
all_dead() {
	local p
	for p in $(pids "$1"); do
		st=$(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null)
		[ -z "$st" ] || [ "$st" = Z ] || fail "$1: pid $p survived: $(cat "/proc/$p/stat")"
		# A zombie is reaped by supd shortly.
		wait_for 5 test ! -e "/proc/$p/stat" || fail "$1: pid $p not reaped"
	done
	if [ -n "$CG_UNI" ] && [ -s "$CG_UNI/$1/cgroup.procs" ]; then
		fail "$1: cgroup not empty: $(cat "$CG_UNI/$1/cgroup.procs")"
	fi
	return 0
}
all_alive() {
	local p
	for p in $(pids "$1" | tail -n +2); do
		kill -0 "$p" 2>/dev/null || fail "$1: pid $p did not survive"
		[ -z "$CG_UNI" ] || grep -qx "$p" "$CG_UNI/$1/cgroup.procs" ||
			fail "$1: pid $p left its cgroup"
	done
}
supd_start
wait_for 10 file_has "$T/stop.rec" "^ready" || fail "stop's tree not ready"
wait_for 10 state_is stop running || fail "stop not running"
# A stopped process sees SIGTERM only after SIGCONT.
c1=$(awk '$1 == "start" && $2 == "child1" { print $3 }' "$T/stop.rec")
kill -STOP "$c1"
wait_for 5 bash -c "[ \"\$(cut -d' ' -f3 /proc/$c1/stat)\" = T ]" || fail "child1 not stopped"
start=$(date +%s%N)
ctl stop stop || fail "supctl stop failed"
took=$((($(date +%s%N) - start) / 1000000))
log "stop took ${took}ms"
[ "$took" -lt 3000 ] || fail "stop took ${took}ms: waited for TimeoutStopSec instead of killing"
assert_eq "$(state_of stop)" stopped "state after stop"
assert_eq "$(result_of stop)" success "result after stop"
wait_for 10 state_is exit exited || fail "exit: expected exited, got $(state_of exit)"
assert_eq "$(result_of exit)" success "exit: result"
got exit "exit main" || fail "exit: main did not exit by itself"
for r in main child1 child2 grand1.1 grand2.1; do
	got stop "TERM $r" || fail "stop: $r got no SIGTERM"
done
# child1 was stopped: its SIGTERM record proves the SIGCONT (only SIGCONT
# or SIGKILL wake it, and SIGKILL records nothing).
for r in child1 child2 grand1.1 grand2.1; do
	got exit "TERM $r" || fail "main exit: leftover $r got no SIGTERM"
done
all_dead stop
all_dead exit
pass
