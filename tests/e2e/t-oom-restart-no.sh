#!/bin/bash
# After an OOM kill, Restart=no, on-success and on-abort do not restart the
# service (systemd's OOM row), whether the main process was the victim
# (OOMPolicy=continue) or a child was and OOMPolicy=stop stopped it or
# OOMPolicy=kill killed it: each ends failed with result oom-kill and
# restarts 0, and stays so.
. "$(dirname "$0")/lib.sh"

policies="no on-success on-abort"
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
RestartSec=100ms
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
RestartSec=100ms
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
RestartSec=100ms
EOF
done
supd_start
for r in $policies; do
	for s in "main-$r" "child-$r" "kill-$r"; do
		wait_for 10 state_is "$s" failed || fail "$s: not failed after its OOM kill: $(state_of "$s")"
		assert_eq "$(result_of "$s")" oom-kill "$s: result"
		assert_eq "$(restarts_of "$s")" 0 "$s: restarts"
	done
done
# Proving that no restart follows: 1 s is ten times RestartSec.
sleep 1
for r in $policies; do
	for s in "main-$r" "child-$r" "kill-$r"; do
		assert_eq "$(state_of "$s")" failed "$s: state 1 s later"
		assert_eq "$(restarts_of "$s")" 0 "$s: restarts 1 s later"
		# v2's memory.oom.group counts every process killed (kill-*).
		[ "$(svc_json "$s" .memory.oom_kills)" -ge 1 ] || fail "$s: oom_kills $(svc_json "$s" .memory.oom_kills)"
	done
done
pass
