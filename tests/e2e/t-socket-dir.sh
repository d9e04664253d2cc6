#!/bin/bash
# The socket's directory is created (0755) when missing; a socket path too
# long for a Unix socket is a clear start-up error, after which no cgroup
# is left behind.
. "$(dirname "$0")/lib.sh"

SOCK=$T/run/sub/supd.sock
export SUPD_SOCKET=$SOCK
supd_start
[ -S "$SOCK" ] || fail "no socket at $SOCK"
assert_eq "$(stat -c %a "$T/run/sub")" 755 "mode of the created directory"
assert_eq "$(stat -c %a "$SOCK")" 600 "socket mode"
ctl shutdown || fail "shutdown failed"
wait_for 15 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || fail "supd did not exit"
long=$T/$(printf 'd%.0s' $(seq 1 120))/supd.sock
timeout -k 1 8 "$SUPD" --conf-dir "$CONF" --socket "$long" --log-dir "$LOGDIR" \
	--state-dir "$STATEDIR" --cgroup-root "$CGROOT" >"$T/long.out" 2>&1
rc=$?
sed 's/^/# /' "$T/long.out" | cut -c1-200
[ "$rc" -ne 0 ] && [ "$rc" -lt 124 ] || fail "supd with a ${#long}-byte socket path exited $rc"
grep -qi "long\|108\|107" "$T/long.out" || fail "no clear message about the path length"
# A supd that fails to start leaves no cgroup behind either.
for d in "$CG_UNI" "$CG_MEM" "$CG_PIDS"; do
	[ -n "$d" ] || continue
	[ -d "$d" ] && fail "failed start left $d behind"
done
pass
