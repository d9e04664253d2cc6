#!/bin/bash
# SIGTERM to supd stops every service (SIGTERM-ignoring children too,
# after TimeoutStopSec=), supd exits 0, removes its socket, and no cgroup
# of its subtree is left in any hierarchy.
. "$(dirname "$0")/lib.sh"

unit plain <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
cat >"$T/stub.sh" <<'EOF'
sh -c 'trap "" TERM; echo $$ >"$0"; exec sleep 1000' "$1" &
exec sleep 1000
EOF
unit stubborn <<EOF
[Service]
ExecStart=/bin/sh $T/stub.sh $T/stubborn.child
TimeoutStopSec=1s
EOF
unit flappy <<'EOF'
[Service]
ExecStart=/bin/sh -c 'exit 1'
Restart=always
RestartSec=30s
EOF
unit done <<'EOF'
[Service]
Type=oneshot
ExecStart=/bin/true
EOF
supd_start
for s in plain stubborn; do
	wait_for 10 state_is "$s" running || fail "$s not running"
done
wait_for 10 state_is flappy auto-restart || fail "flappy not in auto-restart"
wait_for 10 state_is done exited || fail "done not exited"
wait_for 10 test -s "$T/stubborn.child" || fail "stubborn's child not started"
child=$(cat "$T/stubborn.child")
wait_for 5 grep -q '^SigIgn:.*[4567cdef]...$' "/proc/$child/status" || fail "stubborn's child does not ignore SIGTERM"
pids="$(pid_of plain) $(pid_of stubborn) $child"
dirs=""
for d in "$CG_UNI" "$CG_MEM" "$CG_PIDS"; do
	[ -n "$d" ] || continue
	[ -d "$d/plain" ] || fail "no cgroup $d/plain"
	dirs="$dirs $d"
done
start=$(date +%s%N)
kill -TERM "$SUPD_PID"
wait_for 20 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || fail "supd did not exit"
wait "$SUPD_PID"
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
log "supd exited $rc after ${took}ms"
assert_eq "$rc" 0 "supd's exit status"
[ "$took" -ge 900 ] || fail "supd exited after ${took}ms, before stubborn's TimeoutStopSec=1s"
for p in $pids; do
	[ -e "/proc/$p/stat" ] && fail "pid $p survived the shutdown: $(cat "/proc/$p/stat")"
done
for d in $dirs; do
	[ -d "$d" ] && fail "cgroups left behind: $(find "$d" -type d | tr '\n' ' ')"
done
[ -e "$SOCK" ] && fail "socket left behind"
grep -q "sanitizer\|ERROR: AddressSanitizer" "$T/supd.log" && fail "sanitizer output in supd.log"
pass
