#!/bin/bash
# OOMPolicy=continue, the main process is the OOM victim: its exit is
# recorded as oom-kill (not signal), the victim is "main", Restart=no
# leaves it failed, and the child it left behind is cleaned up.
. "$(dirname "$0")/lib.sh"

memdir() {
	if [ -n "$CG_MEM" ] && [ -d "$CG_MEM/$1" ]; then echo "$CG_MEM/$1"; else echo "$CG_UNI/$1"; fi
}
state_not() { [ "$(state_of "$1")" != "$2" ]; }

# bash starts a sleeping child, then becomes memhog (same pid) when told.
mkfifo "$T/go"
cat >"$T/svc.sh" <<EOF
sleep 1000 &
echo \$! >"$T/child.pid"
read -r _ <"$T/go"
exec "$HELPERS/memhog" 64
EOF
unit hog <<EOF
[Service]
ExecStart=/bin/bash $T/svc.sh
MemoryMax=32M
MemorySwapMax=0
OOMPolicy=continue
Restart=no
EOF
supd_start
wait_for 10 state_is hog running || fail "hog not running"
pid=$(pid_of hog)
wait_for 10 test -s "$T/child.pid" || fail "no child pid"
child=$(cat "$T/child.pid")
timeout 10 sh -c "echo go >'$T/go'" || fail "the service never read its FIFO"
wait_for 10 state_is hog failed || fail "hog did not fail: $(state_of hog)"

assert_eq "$(result_of hog)" oom-kill "result when the main process is the OOM victim"
assert_eq "$(svc_json hog .memory.oom_kills)" 1 "oom_kills"
assert_eq "$(svc_json hog '.oom_events | length')" 1 "number of oom_events"
assert_eq "$(svc_json hog '.oom_events[0].victim')" main "victim in oom_events"
[ "$(svc_json hog .memory.last_oom)" != null ] || fail "last_oom not set"
assert_eq "$(svc_json hog .pid)" null "pid after the main process died"
assert_eq "$(restarts_of hog)" 0 "restarts with Restart=no"
kill -0 "$pid" 2>/dev/null && fail "main process $pid still alive"
kill -0 "$child" 2>/dev/null && fail "child $child left running after the main process died"
[ -s "$(memdir hog)/cgroup.procs" ] && fail "cgroup not empty: $(cat "$(memdir hog)/cgroup.procs")"
grep "hog: OOM kill" "$T/supd.log" | grep -q "the main process" || fail "supd.log does not name the main process as the victim"
pass
