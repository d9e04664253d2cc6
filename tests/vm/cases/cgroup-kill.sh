#!/bin/bash
# Writing 1 to cgroup.kill empties a cgroup, forked descendants and nested
# cgroups included, in one step.
. "$(dirname "$0")/../lib.sh"

c=$(cg_make victim)
mkdir "$c/nested" || fail "mkdir nested"
cg_spawn "$c" /bin/sh -c 'sleep 100000 & sleep 100000 & (sleep 100000 &) ; exec sleep 100000'
cg_spawn "$c/nested" sleep 100000
wait_for 5 cg_has_nprocs "$c" 4 || fail "tree did not start: $(cg_nprocs "$c") procs"
echo 1 >"$c/cgroup.kill" || fail "cannot write cgroup.kill"
wait_for 2 cg_empty "$c" || fail "not empty 2 s after cgroup.kill"
rmdir "$c/nested" "$c" || fail "cannot remove the emptied cgroups"
pass
