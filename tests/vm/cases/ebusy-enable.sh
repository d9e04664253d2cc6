#!/bin/bash
# +memory cannot be enabled in subtree_control of a cgroup that holds
# processes: EBUSY.
. "$(dirname "$0")/../lib.sh"

c=$(cg_make busy)
cg_spawn "$c" sleep 100000
wait_for 5 cg_has_nprocs "$c" 1 || fail "sleeper did not start"
err=$( (echo +memory >"$c/cgroup.subtree_control") 2>&1)
[ $? -ne 0 ] || fail "enabling +memory in a populated cgroup succeeded"
[[ $err == *"busy"* ]] || fail "expected EBUSY, got: $err"
pass
