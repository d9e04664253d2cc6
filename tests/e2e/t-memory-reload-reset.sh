#!/bin/bash
# A memory limit removed from the unit by `supctl reload` leaves nothing
# stale: after the restart the cgroup is unlimited again, and a changed
# limit is the new one.  Until the restart the old limit stays and status
# marks the change pending.
. "$(dirname "$0")/lib.sh"

memfile() { # SERVICE V1-FILE V2-FILE
	if [ -n "$CG_MEM" ] && [ -f "$CG_MEM/$1/$2" ]; then echo "$CG_MEM/$1/$2"; else echo "$CG_UNI/$1/$3"; fi
}
unlimited() { # the value an unlimited FILE reads back
	case $1 in
	*/memory.max | */memory.high) echo max ;;
	*) echo $((9223372036854775807 / page * page)) ;;
	esac
}
# busybox has no getconf (the VM guest): the page size from smaps then.
page=$(getconf PAGESIZE 2>/dev/null || awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
M=$((1024 * 1024))
unit gone <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=64M
MemoryHigh=48M
EOF
unit changed <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=64M
EOF
supd_start
for s in gone changed; do wait_for 10 state_is $s running || fail "$s not running"; done
max=$(memfile gone memory.limit_in_bytes memory.max)
high=$(memfile gone memory.soft_limit_in_bytes memory.high)
[ -f "$max" ] && [ -f "$high" ] || skip "no memory controller files ($max)"
assert_eq "$(cat "$max")" $((64 * M)) "gone: max before reload"
assert_eq "$(cat "$high")" $((48 * M)) "gone: high before reload"

printf '[Service]\nExecStart=/bin/sleep 1000\n' | unit gone
printf '[Service]\nExecStart=/bin/sleep 1000\nMemoryMax=128M\n' | unit changed
ctl reload || fail "reload failed"
for s in gone changed; do
	assert_eq "$(svc_json $s .pending_restart)" true "$s: pending_restart after reload"
done
assert_eq "$(cat "$max")" $((64 * M)) "gone: max before the restart"
ctl restart gone changed || fail "restart failed"
assert_eq "$(cat "$max")" "$(unlimited "$max")" "gone: max after the limit was removed"
assert_eq "$(cat "$high")" "$(unlimited "$high")" "gone: high after the limit was removed"
assert_eq "$(svc_json gone .memory.max)" null "gone: status .memory.max"
assert_eq "$(cat "$(memfile changed memory.limit_in_bytes memory.max)")" $((128 * M)) "changed: max"
assert_eq "$(svc_json changed .memory.max)" $((128 * M)) "changed: status .memory.max"
assert_eq "$(svc_json gone .pending_restart)" false "gone: pending_restart after the restart"
pass
