#!/bin/bash
# The test driver of the VM's last phase, a service of supd running as the
# guest's real PID 1 (exec'd by /init in the root cgroup).  supd captures
# service output into its logs, so report lines go to the console.  Ends by
# sending SIGTERM to PID 1; the host then expects the victim's STOPPED line
# and the kernel's "Power down" (reboot(RB_POWER_OFF)), see run.sh.
exec >/dev/console 2>&1
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
TOP=/opt/supd
TAG="@@SUPDVM@@"
SUPCTL=$TOP/bin/supctl
SOCK=/run/supd.sock
failed=0

report() { # PASS|FAIL NAME [WHY]
	case $1 in
	PASS) echo "$TAG PASS supd-vm-pid1/$2" ;;
	*) failed=1; echo "$TAG FAIL supd-vm-pid1/$2: $3" ;;
	esac
}
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	while ! "$@"; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.02
	done
}
svc() { "$SUPCTL" -s "$SOCK" --json status "$1" 2>/dev/null | jq -r ".services[0]$2"; }
running() { [ "$(svc "$1" .state)" = running ]; }

exe=$(readlink /proc/1/exe)
if [ "$exe" = "$TOP/bin/supd" ]; then
	report PASS is-init
else
	report FAIL is-init "PID 1 is $exe"
fi

if wait_for 20 running victim; then
	report PASS services-run
	pid=$(svc victim .pid)
	cg=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup" 2>/dev/null)
	max=$(cat "$cg/memory.max" 2>/dev/null)
	if [ "$max" = $((32 << 20)) ]; then
		report PASS memory-limit
	else
		report FAIL memory-limit "victim (pid $pid) in $cg has memory.max '$max', want 32M"
	fi
else
	report FAIL services-run "victim is $(svc victim .state)"
fi

# A grandchild whose parent exits is re-parented to PID 1; supd reaps it.
( (sleep 0.2; echo finished >/tmp/pid1-orphan) & )
zombies() {
	local s
	for s in /proc/[0-9]*/stat; do
		awk '{ pid = $1; sub(/^.*\) /, ""); if ($1 == "Z" && $2 == 1) print pid }' "$s" 2>/dev/null
	done
}
none() { [ -f /tmp/pid1-orphan ] && [ -z "$(zombies)" ]; }
if wait_for 10 none; then
	report PASS reaps-orphans
else
	report FAIL reaps-orphans "orphan done: $([ -f /tmp/pid1-orphan ] && echo yes || echo no); zombies of PID 1: $(zombies)"
fi

echo "$TAG PID1 SHUTDOWN $failed"
kill -TERM 1
