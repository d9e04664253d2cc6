#!/bin/bash
# Restart= table, row "clean exit or clean signal": a main process that
# exits 0, or is killed by SIGTERM from outside supd, is restarted only
# with Restart=always and on-success; the others end exited/success.
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
	table_unit "exit0-$m" "$m" exit0
	table_unit "term-$m" "$m" wait
done
supd_start
# The clean signal: SIGTERM sent by someone else than supd.
for m in $MODES; do
	wait_for 10 state_is "term-$m" running || fail "term-$m not running"
	kill -TERM "$(pid_of "term-$m")"
done
for p in exit0 term; do
	expect "$p-no" exited success
	expect "$p-always" restart
	expect "$p-on-success" restart
	expect "$p-on-failure" exited success
	expect "$p-on-abnormal" exited success
	expect "$p-on-abort" exited success
done
pass
