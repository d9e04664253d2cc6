#!/bin/bash
# clone3(CLONE_INTO_CGROUP) starts a child directly in the target cgroup,
# so not one page it touches is charged elsewhere.
. "$(dirname "$0")/../lib.sh"
command -v vmprobe >/dev/null || skip "vmprobe not built (no cc on the host?)"

c=$(cg_make target)
out=$(vmprobe clone3 "$c" 2>&1) || fail "clone3 failed: $out"
assert_eq "$out" "0::${c#/sys/fs/cgroup}" "the child's /proc/self/cgroup"
pass
