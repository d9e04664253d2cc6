#!/bin/bash
# Restart= table, row "timeout": the main process exits 0 but leaves a
# child that ignores SIGTERM; after TimeoutStopSec supd kills it and the
# result is timeout, restarted with Restart=always, on-failure and
# on-abnormal; no, on-success and on-abort end failed/timeout.
. "$(dirname "$0")/lib.sh"
# Each service runs beh.sh: its first run ends in the way under test, any
# later run just sleeps, so a restarted service settles in running with
# restarts=1 and one that is not restarted settles in exited or failed.
cat >"$T/beh.sh" <<'EOF'
n=$(cat "$1" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$1"
echo "run $n pid $$"
if [ "$n" -eq 1 ]; then
	case $2 in
	exit*) exit "${2#exit}" ;;
	orphan)
		# The child must ignore SIGTERM before main exits.
		(trap '' TERM; echo >"$1.ready"; exec sleep 1000) &
		while [ ! -f "$1.ready" ]; do sleep 0.02; done
		exit 0 ;;
	esac
fi
exec sleep 1000
EOF
MODES="no always on-success on-failure on-abnormal on-abort"

# table_unit NAME RESTART MODE [extra lines]
table_unit() {
	unit "$1" <<EOF
[Service]
ExecStart=/bin/sh $T/beh.sh $T/$1.count $3
Restart=$2
RestartSec=200ms
${4:-}
EOF
}

# expect NAME restart | expect NAME exited|failed RESULT
expect() {
	if [ "$2" = restart ]; then
		wait_for 10 file_has "$LOGDIR/$1.log" "run 2 pid" || fail "$1: not restarted"
		wait_for 5 state_is "$1" running || fail "$1: restarted but not running"
		assert_eq "$(restarts_of "$1")" 1 "$1: restarts"
		return
	fi
	wait_for 10 state_is "$1" "$2" || fail "$1: expected state $2, got $(state_of "$1")"
	assert_eq "$(result_of "$1")" "$3" "$1: result"
	assert_eq "$(restarts_of "$1")" 0 "$1: restarts"
	file_has "$LOGDIR/$1.log" "run 2 pid" && fail "$1: restarted"
	return 0
}

for m in $MODES; do
	table_unit "timeout-$m" "$m" orphan "TimeoutStopSec=500ms"
done
supd_start
expect timeout-no failed timeout
expect timeout-always restart
expect timeout-on-success failed timeout
expect timeout-on-failure restart
expect timeout-on-abnormal restart
expect timeout-on-abort failed timeout
pass
