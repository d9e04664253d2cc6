#!/bin/bash
# OOMPolicy=continue, a child is the OOM victim: the main process keeps
# running (same pid, result still success), the kill is counted once, with
# last_oom set, one oom_events entry naming "other" as the victim, the
# cgroup's own counter agreeing, and one log line in supd.log and in the
# service's log.
. "$(dirname "$0")/lib.sh"

# The directory holding the service's memory files (v1 hierarchy, or the
# unified tree on pure v2).
memdir() {
	if [ -n "$CG_MEM" ] && [ -d "$CG_MEM/$1" ]; then echo "$CG_MEM/$1"; else echo "$CG_UNI/$1"; fi
}
# The kernel's oom_kill counter of a service's cgroup.
cg_oom_kills() {
	local d
	d=$(memdir "$1")
	if [ -f "$d/memory.oom_control" ]; then
		awk '$1 == "oom_kill" { print $2 }' "$d/memory.oom_control"
	else
		awk '$1 == "oom_kill" { print $2 }' "$d/memory.events"
	fi
}
oom_kills_at_least() { [ "$(svc_json "$1" .memory.oom_kills)" -ge "$2" ] 2>/dev/null; }

# The main process waits on a FIFO, so the test decides when the child
# starts hogging; the child (memhog) is the largest process and the victim.
mkfifo "$T/go"
cat >"$T/svc.sh" <<EOF
trap 'echo "main got SIGTERM"; exit 0' TERM
sleep 1000 &
read -r _ <"$T/go"
"$HELPERS/memhog" 64 &
wait
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
timeout 10 sh -c "echo go >'$T/go'" || fail "the service never read its FIFO"
wait_for 10 oom_kills_at_least hog 1 || fail "no OOM kill counted"
# The victim (one of bash, sleep, memhog) has left the cgroup.
wait_for 10 bash -c "[ \$(wc -l <'$(memdir hog)/cgroup.procs') -lt 3 ]" ||
	fail "the victim is still in the cgroup: $(cat "$(memdir hog)/cgroup.procs")"

assert_eq "$(state_of hog)" running "state after a child's OOM kill"
assert_eq "$(pid_of hog)" "$pid" "main pid after a child's OOM kill"
kill -0 "$pid" 2>/dev/null || fail "main process $pid is gone"
assert_eq "$(result_of hog)" success "result after a child's OOM kill"
assert_eq "$(svc_json hog .memory.oom_kills)" 1 "oom_kills"
assert_eq "$(cg_oom_kills hog)" 1 "the cgroup's oom_kill counter"
last=$(svc_json hog .memory.last_oom)
[[ $last =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} ]] || fail "last_oom is not a time: $last"
assert_eq "$(svc_json hog '.oom_events | length')" 1 "number of oom_events"
assert_eq "$(svc_json hog '.oom_events[0].victim')" other "victim in oom_events"
assert_eq "$(svc_json hog '.oom_events[0].time')" "$last" "oom_events[0].time vs last_oom"
[ "$(svc_json hog '.oom_events[0].peak')" -gt 0 ] 2>/dev/null || fail "oom_events[0].peak: $(svc_json hog '.oom_events[0].peak')"
grep -q "main got SIGTERM" "$LOGDIR/hog.log" && fail "the main process was sent SIGTERM"
n=$(grep -c "hog: OOM kill" "$T/supd.log")
assert_eq "$n" 1 "OOM lines in supd.log"
# One line: the service, the victim, memory.current/peak, memory.stat's lead.
line=$(grep "hog: OOM kill" "$T/supd.log")
for w in "victim" "current" "peak" "anon" "file" "kernel"; do
	[[ $line == *"$w "* ]] || fail "the OOM line lacks '$w': $line"
done
wait_for 5 file_has "$LOGDIR/hog.log" "OOM kill" || fail "the service's log has no OOM line"
pass
