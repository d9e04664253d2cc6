#!/bin/bash
# vm-timeout: 90
# supd as PID 1 of a container on pure cgroup v2, as under LXC: its cgroup
# is the root of the hierarchy it sees, it moves itself into a leaf,
# enables +memory for the services, limits them, reaps orphans, and on
# SIGTERM stops every service in order and powers off (reboot(2)
# RB_POWER_OFF, which ends a pid namespace by SIGINT).
# CT_SIGNAL (default TERM) is the stop signal; supd-pid1-sigpwr.sh sets PWR.
. "$(dirname "$0")/../lib.sh"
sig=${CT_SIGNAL:-TERM}
ct_supd_prepare
D=$CT_DIR

cat >"$D/hello.sh" <<SH
trap 'echo stopped >$D/hello.stopped; exit 0' TERM
sleep 100000 &
wait
SH
cat >"$D/conf.d/hello.conf" <<UNIT
[Service]
ExecStart=/bin/sh $D/hello.sh
MemoryMax=64M
UNIT
# A grandchild whose parent exits at once is re-parented to PID 1: supd.
cat >"$D/orphans.sh" <<SH
( (sleep 0.3; echo finished >$D/orphan.done) & )
exec sleep 100000
SH
cat >"$D/conf.d/orphans.conf" <<UNIT
[Service]
ExecStart=/bin/sh $D/orphans.sh
UNIT

ct_supd_start
wait_for 20 ct_state_is hello running || ct_fail "hello is $(ct_svc hello .state), not running"
wait_for 20 ct_state_is orphans running || ct_fail "orphans is $(ct_svc orphans .state), not running"

# supd left the container's root cgroup for a leaf and enabled memory there.
grep -qx "$CT_PID" "$CT_CG/cgroup.procs" && ct_fail "supd is still in the container's root cgroup"
grep -qw memory "$CT_CG/cgroup.subtree_control" ||
	ct_fail "memory not enabled in the container's root: $(cat "$CT_CG/cgroup.subtree_control")"
# hello runs in its own cgroup below the container's root, with its limit.
nspid=$(ct_svc hello .pid)
hpid=$(ct_host_pid "$nspid") || ct_fail "no host pid for hello's pid $nspid"
cgpath=$(sed -n 's/^0:://p' "/proc/$hpid/cgroup")
hcg=/sys/fs/cgroup$cgpath
[[ $hcg == "$CT_CG"/* ]] || ct_fail "hello's cgroup $hcg is not below the container's $CT_CG"
assert_eq "$(cat "$hcg/memory.max")" $((64 << 20)) "hello's memory.max"
log "supd (host pid $CT_PID) in $(sed -n 's/^0:://p' "/proc/$CT_PID/cgroup"), hello (pid $nspid, host $hpid) in $cgpath"

# The orphan was re-parented to supd, exited, and was reaped.
wait_for 10 test -f "$D/orphan.done" || ct_fail "the orphan never ran"
no_zombies() { [ -z "$(ct_zombies)" ]; }
wait_for 5 no_zombies || ct_fail "zombies left unreaped by supd: $(ct_zombies)"

kill "-$sig" "$CT_PID" || fail "kill -$sig $CT_PID"
ct_wait 60 || ct_fail "supd did not end 60 s after SIG$sig"
log "supd ended by $CT_STATUS after SIG$sig; its output:"
sed 's/^/#   /' "$CT_LOG"
[ -f "$D/hello.stopped" ] || ct_fail "hello never got its SIGTERM (not stopped in order)"
# In a container (not the initial PID namespace) supd exits 0, as a
# container runtime expects; only a machine's init powers off.
assert_eq "$CT_STATUS" "exit 0" "how supd as PID 1 of a container ended"
left=$(find "$CT_CG" -mindepth 1 -type d | grep -E 'hello|orphans')
[ -z "$left" ] || fail "service cgroups left behind: $left"
pass
