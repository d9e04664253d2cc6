#!/bin/bash
# With memory.oom.group=1 an OOM kill takes every task of the cgroup, not
# only the one that allocated (OOMPolicy=kill).  oom_kill may count one more
# than the tasks killed, so it is only checked to rise.
. "$(dirname "$0")/../lib.sh"

c=$(cg_make group)
echo 32M >"$c/memory.max" || fail "cannot set memory.max"
echo 0 >"$c/memory.swap.max" 2>/dev/null
echo 1 >"$c/memory.oom.group" || fail "cannot set memory.oom.group"
for _ in 1 2 3; do
	cg_spawn "$c" sleep 100000
done
wait_for 5 cg_has_nprocs "$c" 3 || fail "sleepers did not start"
cg_spawn "$c" /bin/sh -c ". $SUPD_TOP/tests/vm/lib.sh; memhog 64"
wait_for 10 cg_empty "$c" || fail "tasks left after the group OOM kill: $(cat "$c/cgroup.procs" | tr '\n' ' ')"
[ "$(cg_key "$c" memory.events oom_group_kill)" -ge 1 ] || fail "oom_group_kill did not rise"
[ "$(cg_key "$c" memory.events oom_kill)" -ge 1 ] || fail "oom_kill did not rise"
pass
