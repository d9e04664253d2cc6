#!/bin/bash
# KillMode=process: on stop only the main process gets SIGTERM, the other
# processes get nothing and survive in the cgroup; when the main process
# exits on its own the leftovers are left alone too.
. "$(dirname "$0")/lib.sh"

[ -x "$HELPERS/proctree" ] || skip "no $HELPERS/proctree (make SANITIZE=1 test-bins)"
# "stop" is stopped with supctl, "exit"'s main process exits after 300ms.
unit stop <<EOF
[Service]
ExecStart=$HELPERS/proctree -f $T/stop.rec -c 2 -g 1
KillMode=process
TimeoutStopSec=5s
EOF
unit exit <<EOF
[Service]
ExecStart=$HELPERS/proctree -f $T/exit.rec -c 2 -g 1 -e 300
KillMode=process
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
got stop "TERM main" || fail "stop: main got no SIGTERM"
for r in child1 child2 grand1.1 grand2.1; do
	got stop "TERM $r" && fail "stop: $r got SIGTERM under KillMode=process"
	got exit "TERM $r" && fail "main exit: $r got SIGTERM under KillMode=process"
done
# Proving that the leftovers are left alone: they still run 1s later.
sleep 1
all_alive stop
all_alive exit
pass
