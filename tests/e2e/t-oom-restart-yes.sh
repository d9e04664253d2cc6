#!/bin/bash
# After an OOM kill, Restart=always, on-failure and on-abnormal restart the
# service (systemd's OOM row), both when the main process was the victim
# (OOMPolicy=continue) and when a child was and OOMPolicy=stop stopped the
# service or OOMPolicy=kill killed it: each goes to auto-restart with result oom-kill, then runs again
# with restarts 1.  The first run of each hogs memory, later runs idle.
. "$(dirname "$0")/lib.sh"

policies="always on-failure on-abnormal"
for r in $policies; do
	cat >"$T/main-$r.sh" <<EOF
[ -e "$T/main-$r.ran" ] && exec sleep 1000
touch "$T/main-$r.ran"
exec "$HELPERS/memhog" 64
EOF
	unit "main-$r" <<EOF
[Service]
ExecStart=/bin/bash $T/main-$r.sh
MemoryMax=16M
MemorySwapMax=0
OOMPolicy=continue
Restart=$r
RestartSec=3
EOF
	cat >"$T/child-$r.sh" <<EOF
[ -e "$T/child-$r.ran" ] && exec sleep 1000
touch "$T/child-$r.ran"
trap 'exit 0' TERM
sleep 1000 &
"$HELPERS/memhog" 64 &
wait
EOF
	unit "child-$r" <<EOF
[Service]
ExecStart=/bin/bash $T/child-$r.sh
MemoryMax=16M
MemorySwapMax=0
OOMPolicy=stop
Restart=$r
RestartSec=3
EOF
	cat >"$T/kill-$r.sh" <<EOF
[ -e "$T/kill-$r.ran" ] && exec sleep 1000
touch "$T/kill-$r.ran"
trap 'exit 0' TERM
sleep 1000 &
"$HELPERS/memhog" 64 &
wait
EOF
	unit "kill-$r" <<EOF
[Service]
ExecStart=/bin/bash $T/kill-$r.sh
MemoryMax=16M
MemorySwapMax=0
OOMPolicy=kill
Restart=$r
RestartSec=3
EOF
done
supd_start
for r in $policies; do
	for s in "main-$r" "child-$r" "kill-$r"; do
		wait_for 10 state_is "$s" auto-restart || fail "$s: not in auto-restart after its OOM kill: $(state_of "$s")"
		assert_eq "$(result_of "$s")" oom-kill "$s: result while waiting to restart"
		assert_eq "$(svc_json "$s" .memory.oom_kills)" 1 "$s: oom_kills"
	done
done
for r in $policies; do
	for s in "main-$r" "child-$r" "kill-$r"; do
		wait_for 10 state_is "$s" running || fail "$s: not running again: $(state_of "$s")"
		assert_eq "$(restarts_of "$s")" 1 "$s: restarts"
		assert_eq "$(svc_json "$s" .memory.oom_kills)" 1 "$s: oom_kills after the restart"
	done
done
pass
