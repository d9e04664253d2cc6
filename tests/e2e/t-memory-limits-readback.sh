#!/bin/bash
# Every memory limit is written to cgroupfs and `supctl --json show` reports
# what the files hold: each limits[] value equals the file's contents, and
# the mapping is the documented one (v1: limit_in_bytes, memsw = max + swap,
# soft limit for MemoryHigh "emulated", MemoryMin/Low "not-enforced" with a
# note; v2: the memory.* files).  A service without keys reads back as
# unlimited, and a size that is not a page multiple reads back as the
# kernel rounded it.
. "$(dirname "$0")/lib.sh"

unit lim <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMin=8M
MemoryLow=16M
MemoryHigh=48M
MemoryMax=64M
MemorySwapMax=32M
OOMPolicy=kill
EOF
unit none <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit odd <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=1000001
EOF
supd_start
for s in lim none odd; do
	wait_for 10 state_is $s running || fail "$s not running"
done

show() { ctl --json show "$1" | jq -r ".service$2"; }
lim() { show "$1" ".limits[] | select(.key == \"$2\") | .$3"; }

# Every limit that names a file holds that file's contents now.
for s in lim none odd; do
	n=$(show $s '.limits | length')
	[ "$n" -ge 5 ] 2>/dev/null || fail "$s: limits[] has $n entries"
	for i in $(seq 0 $((n - 1))); do
		key=$(show $s ".limits[$i].key")
		file=$(show $s ".limits[$i].file")
		value=$(show $s ".limits[$i].value")
		[ "$file" = null ] && continue
		[ -f "$file" ] || fail "$s: $key: $file does not exist"
		assert_eq "$value" "$(cat "$file")" "$s: $key read back from $file"
	done
done

# check SERVICE KEY HOW FILE VALUE
check() {
	assert_eq "$(lim "$1" "$2" how)" "$3" "$1: $2 how"
	assert_eq "$(lim "$1" "$2" file)" "$4" "$1: $2 file"
	[ "$4" = null ] || assert_eq "$(cat "$4")" "$5" "$1: $2 in $4"
	assert_eq "$(lim "$1" "$2" value)" "$5" "$1: $2 value"
}
has_note() {
	local note
	note=$(lim "$1" "$2" note)
	[ -n "$note" ] && [ "$note" != null ] || fail "$1: $2 is $3 without a note"
}
M=$((1024 * 1024))
# busybox has no getconf (the VM guest): the page size from smaps then.
page=$(getconf PAGESIZE 2>/dev/null || awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
v1=$CG_MEM/lim
v2=$CG_UNI/lim
if [ -n "$CG_MEM" ] && [ -f "$v1/memory.limit_in_bytes" ]; then
	log "cgroup v1 memory controller"
	check lim MemoryMax enforced "$v1/memory.limit_in_bytes" $((64 * M))
	if [ -f "$v1/memory.memsw.limit_in_bytes" ]; then
		check lim MemorySwapMax enforced "$v1/memory.memsw.limit_in_bytes" $((96 * M))
	else
		assert_eq "$(lim lim MemorySwapMax how)" not-enforced "lim: MemorySwapMax how without swap accounting"
		has_note lim MemorySwapMax not-enforced
	fi
	check lim MemoryHigh emulated "$v1/memory.soft_limit_in_bytes" $((48 * M))
	has_note lim MemoryHigh emulated
	for k in MemoryMin MemoryLow; do
		assert_eq "$(lim lim $k how)" not-enforced "lim: $k how on v1"
		assert_eq "$(lim lim $k value)" null "lim: $k value on v1"
		has_note lim $k not-enforced
	done
	assert_eq "$(lim lim OOMPolicy how)" emulated "lim: OOMPolicy=kill how on v1"
	has_note lim OOMPolicy emulated
	# v1 reads "unlimited" back as the largest page multiple of a long.
	unlimited=$((9223372036854775807 / page * page))
	assert_eq "$(cat "$CG_MEM/none/memory.limit_in_bytes")" "$unlimited" "none: memory.limit_in_bytes"
	assert_eq "$(cat "$CG_MEM/none/memory.soft_limit_in_bytes")" "$unlimited" "none: memory.soft_limit_in_bytes"
	odd=$CG_MEM/odd/memory.limit_in_bytes
elif [ -f "$v2/memory.max" ]; then
	log "cgroup v2 memory controller"
	check lim MemoryMin enforced "$v2/memory.min" $((8 * M))
	check lim MemoryLow enforced "$v2/memory.low" $((16 * M))
	check lim MemoryHigh enforced "$v2/memory.high" $((48 * M))
	check lim MemoryMax enforced "$v2/memory.max" $((64 * M))
	if [ -f "$v2/memory.swap.max" ]; then
		check lim MemorySwapMax enforced "$v2/memory.swap.max" $((32 * M))
	else
		assert_eq "$(lim lim MemorySwapMax how)" not-enforced "lim: MemorySwapMax how without swap accounting"
	fi
	check lim OOMPolicy enforced "$v2/memory.oom.group" 1
	for f in memory.max memory.high memory.swap.max; do
		[ -f "$CG_UNI/none/$f" ] || continue
		assert_eq "$(cat "$CG_UNI/none/$f")" max "none: $f"
	done
	assert_eq "$(cat "$CG_UNI/none/memory.min")" 0 "none: memory.min"
	assert_eq "$(cat "$CG_UNI/none/memory.low")" 0 "none: memory.low"
	assert_eq "$(cat "$CG_UNI/none/memory.oom.group")" 0 "none: memory.oom.group"
	odd=$CG_UNI/odd/memory.max
else
	skip "no memory controller for the services"
fi
for k in MemoryMin MemoryLow MemoryHigh MemoryMax MemorySwapMax; do
	assert_eq "$(lim none $k how)" not-set "none: $k how"
done
# The kernel rounds down to whole pages; show reports what it holds.
assert_eq "$(cat "$odd")" $((1000001 / page * page)) "odd: $odd"
assert_eq "$(lim odd MemoryMax value)" $((1000001 / page * page)) "odd: MemoryMax value"
assert_eq "$(svc_json lim .memory.max)" $((64 * M)) "status .memory.max"
assert_eq "$(svc_json lim .memory.high)" $((48 * M)) "status .memory.high"
assert_eq "$(svc_json lim .memory.swap_max)" $((32 * M)) "status .memory.swap_max"
pass
