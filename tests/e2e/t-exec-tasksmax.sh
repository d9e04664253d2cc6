#!/bin/bash
# TasksMax= sets pids.max of the service's cgroup where the pids
# controller exists, and the kernel enforces it: a shell that forks
# without end dies on a failed fork with TasksMax processes in the cgroup.
. "$(dirname "$0")/lib.sh"

# fork.sh: at most 20 children (bounded even without a pids controller);
# dash dies on the first failed fork, its parent goes on.
cat >"$T/fork.sh" <<'EOF'
i=0
while [ $i -lt 20 ]; do i=$((i + 1)); sleep 1000 & done
EOF
unit forky <<EOF
[Service]
TasksMax=5
ExecStart=/bin/sh -c 'sh $T/fork.sh; echo "forked"; exec sleep 1000'
EOF
supd_start
# v1: the pids hierarchy; v2: the unified one if supd enabled pids there.
pidsdir=""
if [ -n "$CG_PIDS" ]; then
	pidsdir=$CG_PIDS
elif [ -n "$CG_UNI" ] && [ -f "$CG_UNI/forky/pids.max" ]; then
	pidsdir=$CG_UNI
fi
[ -n "$pidsdir" ] || skip "no pids controller"
wait_for 10 state_is forky running || fail "forky: expected running, got $(state_of forky)"
assert_eq "$(cat "$pidsdir/forky/pids.max")" 5 "pids.max"
wait_for 10 file_has "$LOGDIR/forky.log" "forked" || fail "forky did not finish forking"
n=$(wc -l <"$pidsdir/forky/cgroup.procs")
[ "$n" -le 5 ] || fail "$n processes with TasksMax=5"
[ "$n" -ge 3 ] || fail "only $n processes: forks failed early"
grep -qi "resource temporarily unavailable\|cannot fork\|fork" "$LOGDIR/forky.log" || fail "no fork failure in the log"
pass
