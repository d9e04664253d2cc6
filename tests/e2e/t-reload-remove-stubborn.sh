#!/bin/bash
# Removing a unit whose process ignores SIGTERM: the reload stops it with
# SIGKILL after its TimeoutStopSec=, then the service and its cgroups are
# gone; a reload with only warnings succeeds and prints them.
. "$(dirname "$0")/lib.sh"

unit stubborn <<'EOF'
[Service]
ExecStart=/bin/sh -c 'trap "" TERM; echo ready; while :; do sleep 0.1; done'
TimeoutStopSec=1s
EOF
unit keeper <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
supd_start
wait_for 10 file_has "$LOGDIR/stubborn.log" ready || fail "stubborn not ready"
spid=$(pid_of stubborn)
kpid=$(pid_of keeper)
rm "$CONF/stubborn.conf"
unit keeper <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
[Install]
WantedBy=multi-user.target
EOF
ctl reload >"$T/reload.out" 2>&1 || fail "reload with warnings failed: $(cat "$T/reload.out")"
sed 's/^/# /' "$T/reload.out"
grep -q "keeper\.conf:3" "$T/reload.out" || fail "reload did not print the warning with file:line"
removed() { ! ctl_ok status stubborn; }
wait_for 10 removed || fail "stubborn still loaded: $(state_of stubborn)"
wait_for 5 test ! -e "/proc/$spid/stat" || fail "stubborn's process $spid survived its removal"
for d in "$CG_UNI" "$CG_MEM" "$CG_PIDS"; do
	[ -n "$d" ] || continue
	wait_for 5 test ! -d "$d/stubborn" || fail "cgroup $d/stubborn left behind"
done
grep -q "stubborn.*SIGKILL" "$T/supd.log" || fail "no SIGKILL logged for stubborn"
assert_eq "$(pid_of keeper)" "$kpid" "keeper's pid (unchanged but for a warning-only section)"
pass
