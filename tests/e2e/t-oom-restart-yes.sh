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
names=""
for r in $policies; do names="$names main-$r child-$r kill-$r"; done
# One status call per poll, so a slow machine (the VM) cannot miss a
# service's auto-restart window: remember which were seen there.
declare -A seen=() wrong=()
observe() {
	local name state result kills
	while read -r name state result kills; do
		[ "$state" = auto-restart ] || continue
		if [ "$result" = oom-kill ] && [ "$kills" -ge 1 ]; then
			seen[$name]=1
		else
			wrong[$name]="$result, $kills OOM kills"
		fi
	done <<<"$(ctl --json status | jq -r '.services[] | "\(.name) \(.state) \(.result) \(.memory.oom_kills)"')"
	for name in $names; do [ -n "${seen[$name]:-}" ] || return 1; done
}
wait_for 20 observe
for name in $names; do
	[ -z "${wrong[$name]:-}" ] || fail "$name: in auto-restart with ${wrong[$name]}"
	[ -n "${seen[$name]:-}" ] || fail "$name: never seen in auto-restart with result oom-kill: $(state_of "$name"), $(result_of "$name")"
done
for name in $names; do
	wait_for 10 state_is "$name" running || fail "$name: not running again: $(state_of "$name")"
	assert_eq "$(restarts_of "$name")" 1 "$name: restarts"
done
pass
