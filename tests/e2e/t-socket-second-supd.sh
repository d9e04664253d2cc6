#!/bin/bash
# A second supd on the socket of a running one refuses to start, at once,
# with "already running", and disturbs neither the first supd nor its
# services.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
supd_start
wait_for 10 state_is web running || fail "web not running"
wpid=$(pid_of web)
start=$(date +%s%N)
timeout -k 1 8 "$SUPD" --conf-dir "$CONF" --socket "$SOCK" --log-dir "$LOGDIR" \
	--state-dir "$STATEDIR" --cgroup-root "$CGROOT" >"$T/second.out" 2>&1
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
sed 's/^/# second: /' "$T/second.out"
[ "$rc" -ne 0 ] || fail "second supd exited 0"
[ "$rc" -lt 124 ] || fail "second supd hung (killed by timeout after ${took}ms, exit $rc)"
grep -qi "already running" "$T/second.out" || fail "second supd does not say why it refused"
grep -q "services loaded" "$T/second.out" && fail "second supd loaded services before refusing"
kill -0 "$SUPD_PID" || fail "first supd died"
ctl_ok status || fail "first supd no longer answers"
assert_eq "$(state_of web)" running "web after the second supd tried"
assert_eq "$(pid_of web)" "$wpid" "web's pid after the second supd tried"
[ -z "$CG_UNI" ] || grep -qx "$wpid" "$CG_UNI/web/cgroup.procs" ||
	fail "web's process left its cgroup after the second supd tried"
ctl stop web || fail "stop after the second supd tried failed"
pass
