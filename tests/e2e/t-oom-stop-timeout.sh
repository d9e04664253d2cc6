#!/bin/bash
# OOMPolicy=stop with a main process that ignores SIGTERM: after
# TimeoutStopSec= supd sends SIGKILL, and the result stays oom-kill (the
# first failure of a run wins over the stop timeout).
. "$(dirname "$0")/lib.sh"

memdir() {
	if [ -n "$CG_MEM" ] && [ -d "$CG_MEM/$1" ]; then echo "$CG_MEM/$1"; else echo "$CG_UNI/$1"; fi
}

mkfifo "$T/go"
cat >"$T/svc.sh" <<EOF
trap 'echo "main ignores SIGTERM"' TERM
read -r _ <"$T/go"
"$HELPERS/memhog" 64 &
while :; do sleep 1000 & wait; done
EOF
unit hog <<EOF
[Service]
ExecStart=/bin/bash $T/svc.sh
MemoryMax=32M
MemorySwapMax=0
OOMPolicy=stop
TimeoutStopSec=1
Restart=no
EOF
supd_start
wait_for 10 state_is hog running || fail "hog not running"
pid=$(pid_of hog)
timeout 10 sh -c "echo go >'$T/go'" || fail "the service never read its FIFO"
wait_for 10 state_is hog stopping || fail "hog not stopping after the OOM kill: $(state_of hog)"
wait_for 5 file_has "$LOGDIR/hog.log" "main ignores SIGTERM" || fail "SIGTERM never reached the main process"
assert_eq "$(state_of hog)" stopping "state while the main process ignores SIGTERM"
wait_for 10 state_is hog failed || fail "hog not killed after TimeoutStopSec: $(state_of hog)"
assert_eq "$(result_of hog)" oom-kill "result after the stop timed out"
kill -0 "$pid" 2>/dev/null && fail "main process $pid still alive"
[ -s "$(memdir hog)/cgroup.procs" ] && fail "cgroup not empty: $(cat "$(memdir hog)/cgroup.procs")"
pass
