#!/bin/bash
# MemoryMax=50% and MemoryHigh=12.5% are shares of physical memory, or of
# the memory limit supd lives under if that is smaller (systemd's
# physical_memory_scale: whole pages, rounded down); the cgroup holds the
# resulting bytes.
. "$(dirname "$0")/lib.sh"

# busybox has no getconf (the VM guest): the page size from smaps then.
page=$(getconf PAGESIZE 2>/dev/null || awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
phys=$(($(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo) * 1024))
# The limits above supd (the cgroup it starts in, and its ancestors).
lower() { [ -n "$1" ] && [ "$1" != max ] && [ "$1" -lt "$phys" ] && phys=$1; }
if [ -n "$CG_MEM" ]; then
	d=$(dirname "$CG_MEM")
	lower "$(awk '$1 == "hierarchical_memory_limit" { print $2 }' "$d/memory.stat")"
	lower "$(cat "$d/memory.limit_in_bytes")"
elif [ -n "$CG_UNI" ]; then
	mnt=/sys/fs/cgroup
	[[ $CG_UNI == /sys/fs/cgroup/unified/* ]] && mnt=/sys/fs/cgroup/unified
	d=$(dirname "$CG_UNI")
	while [ "${#d}" -gt "${#mnt}" ]; do
		[ -f "$d/memory.max" ] && lower "$(cat "$d/memory.max")"
		d=$(dirname "$d")
	done
fi
pages=$((phys / page))
want_max=$((pages * 5000 / 10000 * page))
want_high=$((pages * 1250 / 10000 * page))
log "memory base $phys bytes: 50% = $want_max, 12.5% = $want_high"

unit pct <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=50%
MemoryHigh=12.5%
EOF
supd_start
wait_for 10 state_is pct running || fail "pct not running: $(state_of pct) $(svc_json pct .error)"
assert_eq "$(svc_json pct .memory.max)" "$want_max" "status .memory.max for 50%"
assert_eq "$(svc_json pct .memory.high)" "$want_high" "status .memory.high for 12.5%"
show=$(ctl --json show pct)
for kv in MemoryMax=$want_max MemoryHigh=$want_high; do
	key=${kv%=*} want=${kv#*=}
	file=$(jq -r ".service.limits[] | select(.key == \"$key\") | .file" <<<"$show")
	[ -f "$file" ] || fail "$key: no file ($file)"
	assert_eq "$(cat "$file")" "$want" "$key in $file"
	assert_eq "$(jq -r ".service.limits[] | select(.key == \"$key\") | .value" <<<"$show")" "$want" "$key value in show"
done
pass
