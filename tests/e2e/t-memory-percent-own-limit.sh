#!/bin/bash
# Inside a memory limit smaller than physical memory (as in an LXC
# container), MemoryMax=N% is a share of that limit: supd started in a
# cgroup limited to 512M gives MemoryMax=50% 256M and MemoryHigh=10% the
# whole pages of 51.2M.  v1 memory hierarchy only: on pure v2 the test
# shell cannot share a limited cgroup with supd (no internal processes).
. "$(dirname "$0")/lib.sh"

[ -n "$CG_MEM" ] && [ -f "$(dirname "$CG_MEM")/memory.limit_in_bytes" ] ||
	skip "needs the v1 memory hierarchy"
ORIG=$(dirname "$CG_MEM")
LIM=$ORIG/supd-lim.$$
mkdir "$LIM" || fail "mkdir $LIM"
echo $((512 * 1024 * 1024)) >"$LIM/memory.limit_in_bytes" || fail "cannot limit $LIM"
# supd inherits the test shell's cgroup; its root is then below $LIM.
echo $$ >"$LIM/cgroup.procs" || fail "cannot join $LIM"
CG_MEM=$LIM/$CGROOT
# lib.sh's cleanup (run in a subshell so we get control back) stops supd
# and removes $CG_MEM; then the shell leaves $LIM and removes it.
own_cleanup() {
	local rc=$?
	(exit $rc)
	(cleanup)
	rc=$?
	echo $$ >"$ORIG/cgroup.procs"
	rmdir "$LIM" 2>/dev/null
	exit $rc
}
trap own_cleanup EXIT

# busybox has no getconf (the VM guest): the page size from smaps then.
page=$(getconf PAGESIZE 2>/dev/null || awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
pages=$((512 * 1024 * 1024 / page))
want_max=$((pages * 5000 / 10000 * page))
want_high=$((pages * 1000 / 10000 * page))
unit pct <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=50%
MemoryHigh=10%
EOF
supd_start
wait_for 10 state_is pct running || fail "pct not running: $(state_of pct) $(svc_json pct .error)"
grep -q ":memory:.*/supd-lim.$$\$" /proc/"$SUPD_PID"/cgroup || fail "supd is not in $LIM: $(cat /proc/"$SUPD_PID"/cgroup)"
assert_eq "$(svc_json pct .memory.max)" "$want_max" "status .memory.max for 50% of 512M"
assert_eq "$(svc_json pct .memory.high)" "$want_high" "status .memory.high for 10% of 512M"
assert_eq "$(cat "$CG_MEM/pct/memory.limit_in_bytes")" "$want_max" "memory.limit_in_bytes"
assert_eq "$(cat "$CG_MEM/pct/memory.soft_limit_in_bytes")" "$want_high" "memory.soft_limit_in_bytes"
pass
