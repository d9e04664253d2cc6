#!/bin/bash
# MemorySwapMax= without MemoryMax=: on v1 memsw = max + swap needs a
# finite max, so the key is reported not-enforced with a note (and memsw
# stays unlimited, supd claims nothing it did not set); on v2 it is
# memory.swap.max.
. "$(dirname "$0")/lib.sh"

unit sw <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemorySwapMax=16M
EOF
supd_start
wait_for 10 state_is sw running || fail "sw not running: $(state_of sw) $(svc_json sw .error)"
show=$(ctl --json show sw)
lim() { jq -r ".service.limits[] | select(.key == \"MemorySwapMax\") | .$1" <<<"$show"; }
# busybox has no getconf (the VM guest): the page size from smaps then.
page=$(getconf PAGESIZE 2>/dev/null || awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
if [ -n "$CG_MEM" ] && [ -f "$CG_MEM/sw/memory.limit_in_bytes" ]; then
	assert_eq "$(lim how)" not-enforced "MemorySwapMax how without MemoryMax on v1"
	note=$(lim note)
	[ -n "$note" ] && [ "$note" != null ] || fail "no note for the not-enforced MemorySwapMax"
	f=$CG_MEM/sw/memory.memsw.limit_in_bytes
	[ -f "$f" ] && assert_eq "$(cat "$f")" $((9223372036854775807 / page * page)) "memsw"
	grep -q "warning: sw: MemorySwapMax=" "$T/supd.log" || fail "no warning in supd.log"
elif [ -f "$CG_UNI/sw/memory.swap.max" ]; then
	assert_eq "$(lim how)" enforced "MemorySwapMax how on v2"
	assert_eq "$(cat "$CG_UNI/sw/memory.swap.max")" $((16 * 1024 * 1024)) "memory.swap.max"
	assert_eq "$(lim value)" $((16 * 1024 * 1024)) "MemorySwapMax value"
else
	assert_eq "$(lim how)" not-enforced "MemorySwapMax how without swap accounting"
fi
pass
