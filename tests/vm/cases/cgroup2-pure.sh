#!/bin/bash
# The guest is pure cgroup v2: one unified hierarchy at /sys/fs/cgroup with
# the memory and pids controllers, no v1 hierarchy, PSI files present.
. "$(dirname "$0")/../lib.sh"

fstype=$(awk '$2 == "/sys/fs/cgroup" { print $3 }' /proc/mounts)
assert_eq "$fstype" cgroup2 "filesystem type of /sys/fs/cgroup"
grep -q ' cgroup ' /proc/mounts && fail "a cgroup v1 hierarchy is mounted: $(grep ' cgroup ' /proc/mounts)"
ctl=$(cat /sys/fs/cgroup/cgroup.controllers)
for c in memory pids; do
	[[ " $ctl " == *" $c "* ]] || fail "controller $c missing from cgroup.controllers ($ctl)"
done
# One line, "0::PATH": this process lives only in the unified hierarchy.
assert_eq "$(cat /proc/self/cgroup)" "0::/${VM_CG#/sys/fs/cgroup/}/driver" "/proc/self/cgroup"
[ -f /proc/pressure/memory ] || fail "/proc/pressure/memory missing (PSI off?)"
c=$(cg_make probe)
for f in memory.max memory.high memory.low memory.min memory.swap.max memory.events \
	memory.oom.group memory.peak memory.pressure pids.max cgroup.kill; do
	[ -e "$c/$f" ] || fail "$f missing in a child cgroup"
done
pass
