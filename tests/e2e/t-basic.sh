#!/bin/bash
# A service starts in its own cgroup (every hierarchy), shows as running
# with its pid, and stops on request with its cgroup emptied.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF2'
[Unit]
Description=test web
[Service]
ExecStart=/bin/sleep 1000
EOF2
supd_start
wait_for 10 state_is web running || fail "web not running"
pid=$(pid_of web)
[ "$pid" -gt 1 ] 2>/dev/null || fail "no pid: $pid"
for d in "$CG_MEM" "$CG_UNI"; do
	[ -n "$d" ] || continue
	grep -qx "$pid" "$d/web/cgroup.procs" || fail "pid $pid not in $d/web/cgroup.procs"
done
ctl status | grep -q '^web ' || ctl status | grep -q 'web' || fail "status has no row for web"
ctl stop web || fail "stop failed"
assert_eq "$(state_of web)" stopped "state after stop"
kill -0 "$pid" 2>/dev/null && fail "pid $pid still alive after stop"
[ -z "$CG_UNI" ] || [ ! -s "$CG_UNI/web/cgroup.procs" ] || fail "cgroup not empty"
pass
