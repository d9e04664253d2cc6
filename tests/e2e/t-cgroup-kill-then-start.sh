#!/bin/bash
# A cgroup emptied by cgroup.kill (a stop that had to escalate to SIGKILL)
# takes the service's next run as before: on Linux 6.14 to 6.18 a child
# born there by clone3(CLONE_INTO_CGROUP) would be SIGKILLed at birth, so
# supd forks and moves it instead.  Each run must reach its first line,
# stay up, and sit in the service's cgroup in every hierarchy.
. "$(dirname "$0")/lib.sh"

unit stubborn <<EOF
[Service]
ExecStart=/bin/sh -c 'trap "" TERM; echo run; cat /proc/self/cgroup; while :; do sleep 0.1; done'
TimeoutStopSec=0.3
EOF
supd_start
for run in 1 2 3; do
	wait_for 10 state_is stubborn running || fail "run $run: $(state_of stubborn)/$(result_of stubborn)"
	wait_for 5 bash -c "[ \$(grep -c ' run$' '$LOGDIR/stubborn.log') -ge $run ]" ||
		fail "run $run never reached its first line: $(cat "$LOGDIR/stubborn.log")"
	sleep 0.5
	assert_eq "$(state_of stubborn)" running "run $run half a second later"
	ctl stop stubborn >/dev/null 2>&1 # ends "failed": exits non-zero
	assert_eq "$(result_of stubborn)" timeout "run $run: stop result (SIGKILL after TimeoutStopSec)"
	ctl start stubborn >/dev/null || fail "start $((run + 1)) failed"
done
wait_for 10 state_is stubborn running || fail "last run: $(state_of stubborn)"
wait_for 5 bash -c "[ \$(grep -c ' run$' '$LOGDIR/stubborn.log') -ge 4 ]" || fail "run 4 never reached its first line"
for h in "" memory; do
	case $h in
	memory) [ -n "$CG_MEM" ] || continue; want=":memory:$(cg_self memory)/$CGROOT/stubborn" ;;
	"") [ -n "$CG_UNI" ] || continue; want="0::$(cg_self "")/$CGROOT/stubborn" ;;
	esac
	want=${want//\/\//\/}
	n=$(grep -c -- "${want}\$" "$LOGDIR/stubborn.log")
	[ "$n" -ge 4 ] || fail "$want named $n times of 4: $(cat "$LOGDIR/stubborn.log")"
done
pass
