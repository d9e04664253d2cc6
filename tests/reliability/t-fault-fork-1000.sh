#!/bin/bash
# A service that forks 1000 children: supd stays responsive, status reads
# fine, and a stop kills every one of the 1001 processes (cgroup empty, no
# zombie left with supd).
. "$(dirname "$0")/lib.sh"

unit many <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while [ $i -lt 1000 ]; do sleep 1000 & i=$((i+1)); done; echo forked; wait'
TasksMax=2000
EOF2
supd_start
rel_fault
wait_for 30 file_has "$LOGDIR/many.log" forked || fail "the 1000 children were not forked"
procs() { cat "$CG_UNI/many/cgroup.procs" 2>/dev/null | wc -l; }
if [ -n "$CG_UNI" ]; then
	wait_for 10 cmp_ok 'procs' -ge 1001 || fail "expected 1001 processes in the cgroup, got $(procs)"
fi
lat=$(status_latency_ms 10)
rel_note "1001 processes in one service: status worst ${lat} ms of 10"
[ "$lat" -lt 1000 ] || fail "status took $lat ms"
t0=$(date +%s%N)
ctl stop many >/dev/null || fail "stop failed"
ms=$((($(date +%s%N) - t0) / 1000000))
rel_note "stop of 1001 processes took $ms ms"
assert_eq "$(state_of many)" stopped "state after stop"
[ -z "$CG_UNI" ] || assert_eq "$(procs)" 0 "processes left in the cgroup"
wait_for 5 cmp_ok 'supd_zombies' -eq 0 || fail "$(supd_zombies) zombies left with supd"
assert_alive "a service with 1000 children"
pass
