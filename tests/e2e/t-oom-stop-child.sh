#!/bin/bash
# OOMPolicy=stop, a child is the OOM victim: the whole service is stopped
# cleanly (the main process gets KillSignal=SIGTERM and exits 7 from its
# trap), the result stays oom-kill although the main process exited on its
# own, no process is left, and Restart=no leaves it failed.
# The trap only exits: anything it allocated (a pipe write, a fork) while
# the victim's memory is still charged can make the kernel OOM-kill the
# main process too (seen under load), which is the kernel's doing.
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
trap 'exit 7' TERM
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
OOMPolicy=stop
Restart=no
TimeoutStopSec=10
EOF
supd_start
wait_for 10 state_is hog running || fail "hog not running"
pid=$(pid_of hog)
wait_for 10 test -s "$T/child.pid" || fail "no child pid"
child=$(cat "$T/child.pid")
timeout 10 sh -c "echo go >'$T/go'" || fail "the service never read its FIFO"
wait_for 15 state_is hog failed || fail "hog was not stopped: $(state_of hog)"

assert_eq "$(result_of hog)" oom-kill "result after OOMPolicy=stop"
assert_eq "$(svc_json hog .memory.oom_kills)" "$(cg_oom_kills hog)" "oom_kills vs the cgroup's counter"
assert_eq "$(svc_json hog '.oom_events[0].victim')" other "victim in oom_events"
assert_eq "$(restarts_of hog)" 0 "restarts with Restart=no"
assert_eq "$(svc_json hog ' | .exit_code + " " + (.exit_status | tostring)')" "exited 7" \
	"how the main process ended (its SIGTERM trap exits 7: a clean stop)"
kill -0 "$pid" 2>/dev/null && fail "main process $pid still alive"
kill -0 "$child" 2>/dev/null && fail "child $child still alive"
[ -s "$(memdir hog)/cgroup.procs" ] && fail "cgroup not empty: $(cat "$(memdir hog)/cgroup.procs")"
pass
