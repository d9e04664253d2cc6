#!/bin/bash
# TasksMax= sets pids.max of the service's cgroup where the pids
# controller exists, and the kernel enforces it: a shell that forks
# without end dies on a failed fork with TasksMax processes in the cgroup.
. "$(dirname "$0")/lib.sh"

pidsdir=""
if [ -n "$CG_PIDS" ]; then
	pidsdir=$CG_PIDS
elif [ -n "$CG_UNI" ] && grep -qw pids "$(dirname "$CG_UNI")/cgroup.subtree_control" 2>/dev/null; then
	pidsdir=$CG_UNI
fi
[ -n "$pidsdir" ] || skip "no pids controller"
unit forky <<'EOF'
[Service]
TasksMax=5
ExecStart=/bin/sh -c 'sh -c "while :; do sleep 1000 & done"; echo "forked"; exec sleep 1000'
EOF
supd_start
wait_for 10 state_is forky running || fail "forky: expected running, got $(state_of forky)"
assert_eq "$(cat "$pidsdir/forky/pids.max")" 5 "pids.max"
wait_for 10 file_has "$LOGDIR/forky.log" "forked" || fail "forky did not finish forking"
n=$(wc -l <"$pidsdir/forky/cgroup.procs")
[ "$n" -le 5 ] || fail "$n processes with TasksMax=5"
[ "$n" -ge 3 ] || fail "only $n processes: forks failed early"
grep -qi "resource temporarily unavailable\|cannot fork\|fork" "$LOGDIR/forky.log" || fail "no fork failure in the log"
pass
