#!/bin/bash
# vm-timeout: 60
# With CAP_SYS_RESOURCE (root in the guest) supd lowers its own
# oom_score_adj to -1000, but its services must not inherit that: one
# without OOMScoreAdjust= runs at 0 (else the OOM killer could never pick
# it and a cgroup at MemoryMax would stall instead of killing), and a
# negative OOMScoreAdjust=-500 is applied as written.
. "$(dirname "$0")/../lib.sh"
ct_supd_prepare
D=$CT_DIR
cat >"$D/conf.d/plain.conf" <<UNIT
[Service]
ExecStart=/bin/sleep 100000
UNIT
cat >"$D/conf.d/lowered.conf" <<UNIT
[Service]
ExecStart=/bin/sleep 100000
OOMScoreAdjust=-500
UNIT
ct_supd_start
wait_for 20 ct_state_is plain running || ct_fail "plain is $(ct_svc plain .state)"
wait_for 20 ct_state_is lowered running || ct_fail "lowered is $(ct_svc lowered .state)"
log "supd's own oom_score_adj: $(cat "/proc/$CT_PID/oom_score_adj")"
for s in plain:0 lowered:-500; do
	name=${s%%:*}
	hpid=$(ct_host_pid "$(ct_svc "$name" .pid)") || ct_fail "no host pid for $name"
	assert_eq "$(cat "/proc/$hpid/oom_score_adj")" "${s#*:}" "oom_score_adj of $name"
done
kill -TERM "$CT_PID"
ct_wait 30 || ct_fail "supd did not end after SIGTERM"
pass
