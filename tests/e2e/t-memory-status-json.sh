#!/bin/bash
# `supctl --json status` carries memory {current, peak, high, max, swap_max,
# oom_kills, last_oom} with the right types (bytes as numbers, null for no
# limit, last_oom null or an ISO time), and the table's MEMORY column shows
# "cur / max" with a limit and just "cur" without.
. "$(dirname "$0")/lib.sh"

unit lim <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=64M
MemoryHigh=48M
MemorySwapMax=16M
EOF
unit free <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit oomed <<EOF
[Service]
ExecStart=$HELPERS/memhog -c 64
MemoryMax=32M
MemorySwapMax=0
OOMPolicy=continue
EOF
supd_start
for s in lim free oomed; do
	wait_for 10 state_is $s running || fail "$s not running"
done
oom_seen() { [ "$(svc_json oomed .memory.oom_kills)" = 1 ]; }
wait_for 10 oom_seen || fail "no OOM kill in oomed"

M=$((1024 * 1024))
for s in lim free oomed; do
	keys=$(svc_json $s '.memory | keys | join(",")')
	assert_eq "$keys" "current,high,last_oom,max,oom_kills,peak,swap_max" "$s: memory keys"
	assert_eq "$(svc_json $s '.memory.current | type')" number "$s: current type"
	assert_eq "$(svc_json $s '.memory.peak | type')" number "$s: peak type"
	assert_eq "$(svc_json $s '.memory.oom_kills | type')" number "$s: oom_kills type"
	[ "$(svc_json $s '.memory.peak >= .memory.current')" = true ] || fail "$s: peak below current"
	[ "$(svc_json $s '.memory.current > 0')" = true ] || fail "$s: current is 0 for a running service"
done
# An idle service's peak is stable: status reports the cgroup's own figure.
if [ -n "$CG_MEM" ] && [ -f "$CG_MEM/lim/memory.max_usage_in_bytes" ]; then
	peakfile=$CG_MEM/lim/memory.max_usage_in_bytes
else
	peakfile=$CG_UNI/lim/memory.peak
fi
[ -f "$peakfile" ] && assert_eq "$(svc_json lim .memory.peak)" "$(cat "$peakfile")" "lim: peak vs $peakfile"
assert_eq "$(svc_json lim .memory.max)" $((64 * M)) "lim: max"
assert_eq "$(svc_json lim .memory.high)" $((48 * M)) "lim: high"
assert_eq "$(svc_json lim .memory.swap_max)" $((16 * M)) "lim: swap_max"
assert_eq "$(svc_json lim .memory.oom_kills)" 0 "lim: oom_kills"
assert_eq "$(svc_json lim .memory.last_oom)" null "lim: last_oom"
for k in max high swap_max last_oom; do
	assert_eq "$(svc_json free ".memory.$k")" null "free: $k"
done
assert_eq "$(svc_json oomed '.memory.last_oom | type')" string "oomed: last_oom type"
[[ $(svc_json oomed .memory.last_oom) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$ ]] ||
	fail "oomed: last_oom not an ISO UTC time: $(svc_json oomed .memory.last_oom)"
assert_eq "$(svc_json oomed .memory.peak)" $((32 * M)) "oomed: peak at the limit"

table=$(ctl status)
size='[0-9]+(\.[0-9]+)?([KMGTPE]|B)'
row() { grep -E "^$1 " <<<"$table"; }
[[ $(row lim) =~ [[:space:]]$size\ /\ 64M[[:space:]] ]] || fail "lim row lacks 'cur / 64M': $(row lim)"
[[ $(row oomed) =~ [[:space:]]$size\ /\ 32M[[:space:]]+32M[[:space:]]+1\ \( ]] ||
	fail "oomed row lacks 'cur / 32M  32M  1 (...)': $(row oomed)"
[[ $(row free) == *" / "* ]] && fail "free row shows a limit: $(row free)"
[[ $(row free) =~ [[:space:]]$size[[:space:]]+$size[[:space:]]+0$ ]] || fail "free row lacks 'cur  peak  0': $(row free)"
pass
