#!/bin/bash
# OOMPolicy=continue with five children OOM-killed one after the other:
# each kill is counted once (supd's count equals the cgroup's oom_kill
# counter), the main process runs on, and oom_events keeps the latest.
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
unit hog <<EOF
[Service]
ExecStart=/bin/bash -c 'for i in 1 2 3 4 5; do $HELPERS/memhog 64; done; echo hogs done; exec sleep 1000'
MemoryMax=32M
MemorySwapMax=0
OOMPolicy=continue
EOF
supd_start
wait_for 10 state_is hog running || fail "hog not running"
pid=$(pid_of hog)
wait_for 20 file_has "$LOGDIR/hog.log" "hogs done" || fail "the five hogs did not finish"
kills_are() { [ "$(svc_json hog .memory.oom_kills)" = "$1" ]; }
wait_for 5 kills_are 5 || fail "oom_kills $(svc_json hog .memory.oom_kills), expected 5"
assert_eq "$(cg_oom_kills hog)" 5 "the cgroup's oom_kill counter"
assert_eq "$(state_of hog)" running "state"
assert_eq "$(pid_of hog)" "$pid" "main pid"
assert_eq "$(result_of hog)" success "result"
n=$(svc_json hog '.oom_events | length')
[ "$n" -ge 1 ] && [ "$n" -le 5 ] || fail "oom_events has $n entries"
assert_eq "$(svc_json hog '.oom_events[-1].time')" "$(svc_json hog .memory.last_oom)" "the last oom_events entry is the latest"
# Kills close together may share a line ("OOM kill (2, total N)").
grep 'hog: OOM kill' "$T/supd.log" | tail -1 | grep -q 'total 5)' ||
	fail "the last OOM line does not say total 5: $(grep 'hog: OOM kill' "$T/supd.log" | tail -1)"
pass
