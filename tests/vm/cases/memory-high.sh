#!/bin/bash
# Allocating past memory.high (below memory.max) throttles instead of
# killing: memory.events "high" rises, no OOM kill, the allocator stalls
# (without swap, for seconds per 256 KiB), and a PSI trigger on the
# cgroup's memory.pressure fires: what MemoryHigh= and pressure triggers
# rely on.
. "$(dirname "$0")/../lib.sh"
command -v vmprobe >/dev/null || skip "vmprobe not built (no cc on the host?)"

c=$(cg_make throttled)
echo 8M >"$c/memory.high" || fail "cannot set memory.high"
echo 128M >"$c/memory.max" || fail "cannot set memory.max"
echo 0 >"$c/memory.swap.max" 2>/dev/null
# 10 ms of stall within any 500 ms window.
vmprobe psi "$c/memory.pressure" "some 10000 500000" 20 >"$VM_TMP/probe" 2>&1 &
probe=$!
wait_for 5 grep -q ready "$VM_TMP/probe" || fail "PSI trigger not armed: $(cat "$VM_TMP/probe")"
cg_spawn "$c" /bin/sh -c ". $SUPD_TOP/tests/vm/lib.sh; memhog 24"
hog=$!
wait "$probe"
rc=$?
[ $rc -eq 0 ] || fail "PSI trigger on memory.pressure did not fire (vmprobe exit $rc: $(cat "$VM_TMP/probe"))"
[ "$(cg_key "$c" memory.events high)" -ge 1 ] || fail "memory.events high did not rise"
assert_eq "$(cg_key "$c" memory.events oom_kill)" 0 "oom_kill under memory.high alone"
kill -0 "$hog" 2>/dev/null || fail "the allocator ended instead of stalling"
echo 1 >"$c/cgroup.kill"
wait "$hog"
pass
