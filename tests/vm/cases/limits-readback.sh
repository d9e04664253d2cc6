#!/bin/bash
# Every memory limit supd writes reads back as written (in bytes, rounded
# down to pages), and "max" restores no limit.
. "$(dirname "$0")/../lib.sh"

c=$(cg_make limits)
check() { # FILE VALUE EXPECTED
	echo "$2" >"$c/$1" || fail "cannot write $2 to $1"
	assert_eq "$(cat "$c/$1")" "$3" "$1 after writing $2"
}
check memory.min 1048576 1048576
check memory.low 2097152 2097152
check memory.high 50000000 49999872
check memory.max 67108864 67108864
check memory.swap.max 0 0
check memory.oom.group 1 1
check pids.max 64 64
check memory.max max max
check memory.high max max
check memory.swap.max max max
pass
