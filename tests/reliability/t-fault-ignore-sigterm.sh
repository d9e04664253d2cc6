#!/bin/bash
# A service that ignores SIGTERM (itself and its children) is killed with
# SIGKILL after TimeoutStopSec=, its result is timeout, its cgroup empties,
# and supd serves other clients meanwhile.
. "$(dirname "$0")/lib.sh"

unit stubborn <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'trap "" TERM; sleep 1000 & while :; do sleep 0.2; done'
TimeoutStopSec=1500ms
Restart=no
EOF2
supd_start
wait_for 10 state_is stubborn running || fail "stubborn not running"
pid=$(pid_of stubborn)
rel_fault
t0=$(date +%s%N)
ctl stop --no-block stubborn >/dev/null || fail "stop --no-block"
# supd answers while it waits for the timeout.
wait_for 1 state_is stubborn stopping || fail "not stopping: $(state_of stubborn)"
lat=$(status_latency_ms 5)
[ "$lat" -lt 500 ] || fail "status took $lat ms while a stop was pending"
wait_for 10 bash -c "! kill -0 $pid 2>/dev/null" || fail "stubborn's main process survived"
ms=$((($(date +%s%N) - t0) / 1000000))
rel_note "SIGTERM ignored: killed after $ms ms (TimeoutStopSec=1500ms)"
[ $ms -ge 1400 ] || fail "killed after $ms ms, before TimeoutStopSec"
[ $ms -le 4000 ] || fail "killed only after $ms ms"
wait_for 5 bash -c "s=\$(\"$SUPCTL\" -s \"$SOCK\" --json status stubborn | jq -r '.services[0].state'); [ \"\$s\" = failed ] || [ \"\$s\" = stopped ]" ||
	fail "state after the forced stop: $(state_of stubborn)"
assert_eq "$(result_of stubborn)" timeout "result"
[ -z "$CG_UNI" ] || [ ! -s "$CG_UNI/stubborn/cgroup.procs" ] || fail "cgroup not empty: $(cat "$CG_UNI/stubborn/cgroup.procs")"
grep -qi 'timeout\|timed out\|SIGKILL' "$T/supd.log" || fail "supd's log does not say it had to kill"
assert_alive "a service ignoring SIGTERM"
pass
