#!/bin/bash
# The control socket is created with mode 0600 owned by root; a stale
# socket left by a supd that died is replaced; a non-socket file at the
# path is an error and is not removed.
. "$(dirname "$0")/lib.sh"

# children_of PID: pids whose parent is PID (busybox guests have no pgrep).
children_of() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '{ pid = $1; sub(/^.*\) /, ""); if ($2 == p) print pid }'
}
supd_start
[ -S "$SOCK" ] || fail "$SOCK is not a socket"
assert_eq "$(stat -c %a "$SOCK")" 600 "socket mode"
assert_eq "$(stat -c %u "$SOCK")" 0 "socket owner"
first=$SUPD_PID
# supd's helpers (an fd holder outlives a killed supd by design): ours to end.
helpers=$(children_of "$first")

# A stale socket: supd dies without removing it (no services, so nothing
# is left running).
kill -KILL "$first"
wait "$first" 2>/dev/null
[ -S "$SOCK" ] || fail "no stale socket left by a killed supd"
ctl_ok status && fail "a killed supd still answers"
for p in $helpers; do kill -KILL "$p" 2>/dev/null; done
# Its fd holder (if any) notices the death on its own; give supd_start a
# fresh state dir so this test is only about the socket.
STATEDIR=$T/state2
mkdir -p "$STATEDIR"
supd_start
[ "$SUPD_PID" != "$first" ] || fail "same supd"
ctl_ok status || fail "new supd does not answer on the replaced stale socket"
assert_eq "$(stat -c %a "$SOCK")" 600 "mode of the replaced socket"
grep -q "stale" "$T/supd.log" || fail "replacing the stale socket was not logged"
ctl shutdown || fail "shutdown failed"
wait_for 15 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || fail "supd did not exit"
[ -e "$SOCK" ] && fail "supd did not remove its socket on exit"

# A regular file at the socket path.
echo "not a socket" >"$SOCK"
timeout -k 1 8 "$SUPD" --conf-dir "$CONF" --socket "$SOCK" --log-dir "$LOGDIR" \
	--state-dir "$STATEDIR" --cgroup-root "$CGROOT" >"$T/third.out" 2>&1
rc=$?
sed 's/^/# file: /' "$T/third.out"
[ "$rc" -ne 0 ] && [ "$rc" -lt 124 ] || fail "supd with a regular file at the socket path exited $rc"
grep -q "not a socket" "$T/third.out" || fail "no message about the file at the socket path"
assert_eq "$(cat "$SOCK")" "not a socket" "the regular file at the socket path"
pass
