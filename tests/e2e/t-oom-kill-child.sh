#!/bin/bash
# OOMPolicy=kill, a child is the OOM victim: the whole cgroup is killed at
# once (the main process dies by SIGKILL, its SIGTERM trap never runs),
# result oom-kill, nothing left; on v2 memory.oom.group is 1.
. "$(dirname "$0")/lib.sh"

memdir() {
	if [ -n "$CG_MEM" ] && [ -d "$CG_MEM/$1" ]; then echo "$CG_MEM/$1"; else echo "$CG_UNI/$1"; fi
}
cg_oom_kills() {
	local d
	d=$(memdir "$1")
	if [ -f "$d/memory.oom_control" ]; then
		awk '$1 == "oom_kill" { print $2 }' "$d/memory.oom_control"
	else
		awk '$1 == "oom_kill" { print $2 }' "$d/memory.events"
	fi
}

mkfifo "$T/go"
cat >"$T/svc.sh" <<EOF
trap 'echo "main got SIGTERM"; exit 0' TERM
sleep 1000 &
echo \$! >"$T/child.pid"
read -r _ <"$T/go"
"$HELPERS/memhog" 64 &
wait
EOF
unit hog <<EOF
[Service]
ExecStart=/bin/bash $T/svc.sh
MemoryMax=32M
MemorySwapMax=0
OOMPolicy=kill
Restart=no
EOF
supd_start
wait_for 10 state_is hog running || fail "hog not running"
pid=$(pid_of hog)
d=$(memdir hog)
if [ -f "$d/memory.oom.group" ]; then
	assert_eq "$(cat "$d/memory.oom.group")" 1 "memory.oom.group with OOMPolicy=kill"
fi
wait_for 10 test -s "$T/child.pid" || fail "no child pid"
child=$(cat "$T/child.pid")
timeout 10 sh -c "echo go >'$T/go'" || fail "the service never read its FIFO"
wait_for 15 state_is hog failed || fail "hog was not killed: $(state_of hog)"

assert_eq "$(result_of hog)" oom-kill "result after OOMPolicy=kill"
# The count is the kernel's: v1 counts the victim (supd kills the rest),
# v2 with memory.oom.group counts every process the kernel killed.
n=$(svc_json hog .memory.oom_kills)
[ "$n" -ge 1 ] 2>/dev/null || fail "oom_kills: $n"
assert_eq "$n" "$(cg_oom_kills hog)" "oom_kills vs the cgroup's oom_kill counter"
assert_eq "$(restarts_of hog)" 0 "restarts with Restart=no"
kill -0 "$pid" 2>/dev/null && fail "main process $pid still alive"
kill -0 "$child" 2>/dev/null && fail "child $child still alive"
[ -s "$d/cgroup.procs" ] && fail "cgroup not empty: $(cat "$d/cgroup.procs")"
grep -q "main got SIGTERM" "$LOGDIR/hog.log" && fail "the main process got SIGTERM: stopped, not killed"
pass
