#!/bin/bash
# A valid reload starts new units, stops and removes deleted ones (their
# cgroups gone in every hierarchy), leaves unchanged ones alone, marks
# changed running ones pending_restart until their next start, and loads a
# unit that was bad-config and is now fixed.
. "$(dirname "$0")/lib.sh"

unit keep <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
unit change <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo "GREETING=$GREETING"; exec sleep 1000'
Environment=GREETING=old
EOF
unit gone <<'EOF'
[Service]
ExecStart=/bin/sleep 1002
EOF
unit fixed <<'EOF'
[Service]
ExecStart=/bin/sleep 1003
TimeoutStopSec=forever
EOF
supd_start
for s in keep change gone; do
	wait_for 10 state_is "$s" running || fail "$s not running"
done
assert_eq "$(state_of fixed)" bad-config "fixed before the reload"
kpid=$(pid_of keep)
cpid=$(pid_of change)
gpid=$(pid_of gone)
wait_for 5 file_has "$LOGDIR/change.log" "GREETING=old" || fail "change: no greeting"
for d in "$CG_UNI" "$CG_MEM"; do
	[ -z "$d" ] || [ -d "$d/gone" ] || fail "no cgroup $d/gone before the reload"
done
unit new <<'EOF'
[Service]
ExecStart=/bin/sleep 1004
EOF
rm "$CONF/gone.conf"
unit change <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo "GREETING=$GREETING"; exec sleep 1000'
Environment=GREETING=new
EOF
unit fixed <<'EOF'
[Service]
ExecStart=/bin/sleep 1003
TimeoutStopSec=5s
EOF
ctl reload || fail "valid reload failed"
wait_for 10 state_is new running || fail "new unit not started: $(state_of new)"
wait_for 10 state_is fixed running || fail "fixed unit not started: $(state_of fixed)"
wait_for 10 bash -c "! kill -0 $gpid 2>/dev/null" || fail "process of the removed unit still alive"
ctl status gone >/dev/null 2>&1
assert_eq "$?" 4 "status of the removed unit"
for d in "$CG_UNI" "$CG_MEM" "$CG_PIDS"; do
	[ -n "$d" ] || continue
	wait_for 5 test ! -d "$d/gone" || fail "cgroup $d/gone left behind"
done
assert_eq "$(pid_of keep)" "$kpid" "unchanged unit's pid"
assert_eq "$(svc_json keep .pending_restart)" false "unchanged unit pending_restart"
assert_eq "$(state_of change)" running "changed unit keeps running"
assert_eq "$(pid_of change)" "$cpid" "changed unit's pid"
assert_eq "$(svc_json change .pending_restart)" true "changed unit pending_restart"
ctl status | grep '^change' | grep -q 'running\*' || fail "table does not mark the pending restart: $(ctl status | grep '^change')"
ctl restart change || fail "restart of the changed unit failed"
assert_eq "$(svc_json change .pending_restart)" false "pending_restart after the restart"
[ "$(pid_of change)" != "$cpid" ] || fail "changed unit kept its pid over a restart"
wait_for 5 file_has "$LOGDIR/change.log" "GREETING=new" || fail "new setting not in effect after the restart"
pass
