#!/bin/bash
# A process cannot join a cgroup that has +memory in its subtree_control
# (no internal processes): EBUSY.  Why supd moves itself into a leaf first.
. "$(dirname "$0")/../lib.sh"

c=$(cg_make parent)
mkdir "$c/leaf" || fail "mkdir leaf"
echo +memory >"$c/cgroup.subtree_control" || fail "cannot enable memory in an empty cgroup"
sleep 100000 &
pid=$!
err=$( (echo "$pid" >"$c/cgroup.procs") 2>&1)
[ $? -ne 0 ] || fail "joining a cgroup with +memory in subtree_control succeeded"
[[ $err == *"busy"* ]] || fail "expected EBUSY, got: $err"
echo "$pid" >"$c/leaf/cgroup.procs" || fail "cannot join the leaf"
pass
