#!/bin/bash
# OOMPolicy=stop with a main process that ignores SIGTERM: the service
# stays stopping for TimeoutStopSec=, then supd sends SIGKILL, and the
# result stays oom-kill (the first failure of a run wins over the stop
# timeout).  The main process ignores SIGTERM with SIG_IGN and allocates
# nothing, so the kernel has no reason to OOM-kill it as well.
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
now_ms() { echo $(($(date +%s%N) / 1000000)); }

mkfifo "$T/go"
cat >"$T/svc.sh" <<EOF
read -r _ <"$T/go"
trap '' TERM
"$HELPERS/memhog" 64 &
exec sleep 1000
EOF
unit hog <<EOF
[Service]
ExecStart=/bin/bash $T/svc.sh
MemoryMax=32M
MemorySwapMax=0
OOMPolicy=stop
TimeoutStopSec=2
Restart=no
EOF
supd_start
wait_for 10 state_is hog running || fail "hog not running"
pid=$(pid_of hog)
timeout 10 sh -c "echo go >'$T/go'" || fail "the service never read its FIFO"
wait_for 10 state_is hog stopping || fail "hog not stopping after the OOM kill: $(state_of hog)"
t0=$(now_ms)
wait_for 10 state_is hog failed || fail "hog not killed after TimeoutStopSec: $(state_of hog)"
t1=$(now_ms)
log "stopping for $((t1 - t0)) ms"
[ $((t1 - t0)) -ge 1000 ] || fail "stopping lasted $((t1 - t0)) ms, not TimeoutStopSec=2"
assert_eq "$(result_of hog)" oom-kill "result after the stop timed out"
assert_eq "$(svc_json hog ' | .exit_code + " " + .signal')" "killed SIGKILL" "how the main process ended"
assert_eq "$(svc_json hog .memory.oom_kills)" 1 "oom_kills (the main process was not an OOM victim)"
assert_eq "$(cg_oom_kills hog)" 1 "the cgroup's oom_kill counter"
kill -0 "$pid" 2>/dev/null && fail "main process $pid still alive"
[ -s "$(memdir hog)/cgroup.procs" ] && fail "cgroup not empty: $(cat "$(memdir hog)/cgroup.procs")"
pass
