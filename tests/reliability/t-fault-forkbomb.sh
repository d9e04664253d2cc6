#!/bin/bash
# A fork bomb held by TasksMax=: the service's cgroup never exceeds the
# limit, supd keeps answering quickly, and a stop ends every process.
. "$(dirname "$0")/lib.sh"

unit bomb <<EOF2
[Service]
ExecStart=$HELPERS/forkbomb -t 60
TasksMax=64
TimeoutStopSec=5
EOF2
unit good <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
supd_start
rel_fault
wait_for 10 state_is bomb running || fail "bomb not running"
pids_dir=""
[ -n "$CG_PIDS" ] && [ -f "$CG_PIDS/bomb/pids.max" ] && pids_dir=$CG_PIDS/bomb
[ -z "$pids_dir" ] && [ -f "$CG_UNI/bomb/pids.max" ] && pids_dir=$CG_UNI/bomb
[ -n "$pids_dir" ] || skip "no pids controller"
assert_eq "$(cat "$pids_dir/pids.max")" 64 "pids.max"
wait_for 10 file_has "$LOGDIR/bomb.log" 'limit reached' || fail "the bomb never hit its limit"
wait_for 10 cmp_ok 'cat "$pids_dir/pids.current"' -ge 60 || fail "the bomb did not grow: $(cat "$pids_dir/pids.current")"
worst=0
for i in $(seq 10); do
	n=$(cat "$pids_dir/pids.current")
	[ "$n" -le 64 ] || fail "pids.current $n over TasksMax=64"
	l=$(status_latency_ms 1)
	[ $l -gt $worst ] && worst=$l
done
rel_note "fork bomb under TasksMax=64: status worst ${worst} ms"
[ "$worst" -lt 1000 ] || fail "status took $worst ms during the fork bomb"
assert_eq "$(state_of good)" running "good during the bomb"
ctl stop bomb >/dev/null
wait_for 15 state_is bomb stopped || wait_for 1 state_is bomb failed || fail "bomb not stopped: $(state_of bomb)"
assert_eq "$(cat "$pids_dir/pids.current" 2>/dev/null || echo 0)" 0 "bomb processes left"
wait_for 5 cmp_ok 'supd_zombies' -eq 0 || fail "$(supd_zombies) zombies left with supd"
assert_alive "a fork bomb"
pass
