#!/bin/bash
# A service cgroup left by an earlier supd, with other limits in it, is
# adopted and every limit rewritten at start: keys not set are reset to
# unlimited, set ones take their value whichever way they move (on v1 the
# kernel keeps limit <= memsw at every write, so the order matters both
# when raising and when lowering).
. "$(dirname "$0")/lib.sh"

M=$((1024 * 1024))
# busybox has no getconf (the VM guest): the page size from smaps then.
page=$(getconf PAGESIZE 2>/dev/null || awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
if [ -n "$CG_MEM" ]; then
	mkdir -p "$CG_MEM/reset" "$CG_MEM/up" "$CG_MEM/down" || fail "mkdir in $CG_MEM"
	mode=v1
	[ -f "$CG_MEM/up/memory.memsw.limit_in_bytes" ] && mode=v1sw
	stale() { # NAME LIMIT MEMSW SOFT
		echo "$3" >"$CG_MEM/$1/memory.memsw.limit_in_bytes" 2>/dev/null
		echo "$2" >"$CG_MEM/$1/memory.limit_in_bytes" || fail "stale limit for $1"
		[ $mode = v1sw ] && { echo "$3" >"$CG_MEM/$1/memory.memsw.limit_in_bytes" || fail "stale memsw for $1"; }
		echo "$4" >"$CG_MEM/$1/memory.soft_limit_in_bytes" || fail "stale soft limit for $1"
	}
	stale reset $((16 * M)) $((32 * M)) $((8 * M))
	stale up $((16 * M)) $((16 * M)) $((8 * M))
	stale down $((1024 * M)) $((1024 * M)) $((512 * M))
	file() { # NAME KEY
		case $2 in
		max) echo "$CG_MEM/$1/memory.limit_in_bytes" ;;
		high) echo "$CG_MEM/$1/memory.soft_limit_in_bytes" ;;
		swap) echo "$CG_MEM/$1/memory.memsw.limit_in_bytes" ;;
		esac
	}
	unlimited=$((9223372036854775807 / page * page))
elif [ -n "$CG_UNI" ]; then
	mkdir -p "$CG_UNI" || fail "mkdir $CG_UNI"
	echo +memory >"$CG_UNI/cgroup.subtree_control" 2>/dev/null
	mkdir -p "$CG_UNI/reset" "$CG_UNI/up" "$CG_UNI/down" || fail "mkdir in $CG_UNI"
	[ -f "$CG_UNI/up/memory.max" ] || skip "cannot enable the memory controller in $CG_UNI"
	mode=v2
	stale() {
		echo "$2" >"$CG_UNI/$1/memory.max" && echo "$4" >"$CG_UNI/$1/memory.high" || fail "stale limits for $1"
		[ -f "$CG_UNI/$1/memory.swap.max" ] && echo "$3" >"$CG_UNI/$1/memory.swap.max"
	}
	stale reset $((16 * M)) $((16 * M)) $((8 * M))
	stale up $((16 * M)) 0 $((8 * M))
	stale down $((1024 * M)) 0 $((512 * M))
	file() {
		case $2 in
		max) echo "$CG_UNI/$1/memory.max" ;;
		high) echo "$CG_UNI/$1/memory.high" ;;
		swap) echo "$CG_UNI/$1/memory.swap.max" ;;
		esac
	}
	unlimited=max
else
	skip "no cgroups"
fi
log "mode $mode"

unit reset <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit up <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=256M
MemorySwapMax=64M
MemoryHigh=128M
EOF
unit down <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=64M
MemorySwapMax=0
MemoryHigh=32M
EOF
supd_start
for s in reset up down; do
	wait_for 10 state_is $s running || fail "$s not running: $(state_of $s) $(svc_json $s .error)"
done
assert_eq "$(cat "$(file reset max)")" "$unlimited" "reset: max"
assert_eq "$(cat "$(file reset high)")" "$unlimited" "reset: high"
assert_eq "$(cat "$(file up max)")" $((256 * M)) "up: max"
assert_eq "$(cat "$(file up high)")" $((128 * M)) "up: high"
assert_eq "$(cat "$(file down max)")" $((64 * M)) "down: max"
assert_eq "$(cat "$(file down high)")" $((32 * M)) "down: high"
case $mode in
v1sw)
	assert_eq "$(cat "$(file reset swap)")" "$unlimited" "reset: memsw"
	assert_eq "$(cat "$(file up swap)")" $((320 * M)) "up: memsw = max + swap"
	assert_eq "$(cat "$(file down swap)")" $((64 * M)) "down: memsw = max + 0"
	;;
v2)
	if [ -f "$(file up swap)" ]; then
		assert_eq "$(cat "$(file reset swap)")" max "reset: swap.max"
		assert_eq "$(cat "$(file up swap)")" $((64 * M)) "up: swap.max"
		assert_eq "$(cat "$(file down swap)")" 0 "down: swap.max"
	fi
	;;
esac
pass
