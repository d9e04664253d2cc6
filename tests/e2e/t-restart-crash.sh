#!/bin/bash
# A service that crashes is restarted after RestartSec: auto-restart in
# between with the result recorded, then running with a new pid and a
# restart counter of 1.
. "$(dirname "$0")/lib.sh"

# Seconds of the day of the first log line matching a pattern.
ts_of() {
	grep -m1 -- "$2" "$1" | awk '{ split($1, a, "T"); split(a[2], b, ":");
		sub("Z", "", b[3]); printf "%.3f\n", b[1] * 3600 + b[2] * 60 + b[3] }'
}

cat >"$T/crash.sh" <<'EOF'
n=$(cat "$1" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$1"
echo "run $n pid $$"
if [ "$n" -eq 1 ]; then
	echo "crashing now"
	exit 3
fi
exec sleep 1000
EOF
unit crashy <<EOF
[Service]
ExecStart=/bin/sh $T/crash.sh $T/count
Restart=on-failure
RestartSec=1500ms
EOF
supd_start
# One status snapshot taken in auto-restart, so a slow machine cannot see
# fields of the next run.
snap() {
	ctl --json status crashy >"$T/snap.json" 2>/dev/null &&
		[ "$(jq -r '.services[0].state' "$T/snap.json")" = auto-restart ]
}
field() { jq -r ".services[0].$1" "$T/snap.json"; }
wait_for 10 snap || fail "crashy never reached auto-restart"
assert_eq "$(field result)" exit-code "result while waiting to restart"
assert_eq "$(field exit_status)" 3 "exit status recorded"
assert_eq "$(field exit_code)" exited "exit code kind"
assert_eq "$(field pid)" null "pid while waiting to restart"
assert_eq "$(field restarts)" 0 "restarts before the restart"
wait_for 10 file_has "$LOGDIR/crashy.log" "run 2 pid" || fail "never restarted"
wait_for 5 state_is crashy running || fail "restarted instance not running"
assert_eq "$(restarts_of crashy)" 1 "restarts after one crash"
pid1=$(sed -n 's/.*run 1 pid \([0-9]*\).*/\1/p' "$LOGDIR/crashy.log")
pid2=$(sed -n 's/.*run 2 pid \([0-9]*\).*/\1/p' "$LOGDIR/crashy.log")
assert_eq "$(pid_of crashy)" "$pid2" "pid of the new instance"
[ "$pid1" != "$pid2" ] || fail "same pid $pid1 for both runs"
kill -0 "$pid1" 2>/dev/null && fail "old pid $pid1 still alive"
t1=$(ts_of "$LOGDIR/crashy.log" "crashing now")
t2=$(ts_of "$LOGDIR/crashy.log" "run 2 pid")
awk -v a="$t1" -v b="$t2" 'BEGIN { d = b - a; exit !(d >= 1.45 && d < 3.5) }' ||
	fail "restart came $(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')s after the crash, RestartSec=1500ms"
# The last result stays visible while the new run is healthy.
[ "$(svc_json crashy .uptime_usec)" != null ] || fail "no uptime for the running instance"
pass
