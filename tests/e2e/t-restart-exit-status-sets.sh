#!/bin/bash
# SuccessExitStatus= makes an exit code (or signal) clean,
# RestartPreventExitStatus= prevents a restart Restart=always would do,
# RestartForceExitStatus= forces one that Restart=no would not.
. "$(dirname "$0")/lib.sh"

cat >"$T/beh.sh" <<'EOF'
n=$(cat "$1" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$1"
echo "run $n pid $$"
[ "$n" -eq 1 ] && [ "$2" != wait ] && exit "$2"
exec sleep 1000
EOF
svc() { # NAME CODE|wait LINES...
	local name=$1 code=$2
	shift 2
	{
		echo "[Service]"
		echo "ExecStart=/bin/sh $T/beh.sh $T/$name.count $code"
		echo "RestartSec=200ms"
		printf '%s\n' "$@"
	} | unit "$name"
}
svc success42 42 Restart=on-failure "SuccessExitStatus=42 SIGUSR1"
svc success-usr1 wait Restart=on-failure "SuccessExitStatus=42 SIGUSR1"
svc success-other 43 Restart=no "SuccessExitStatus=42"
svc prevent7 7 Restart=always "RestartPreventExitStatus=7"
svc prevent-other 8 Restart=always "RestartPreventExitStatus=7"
svc force9 9 Restart=no "RestartForceExitStatus=9"
svc force-clean 0 Restart=no "RestartForceExitStatus=0"
supd_start
wait_for 10 state_is success-usr1 running || fail "success-usr1 not running"
kill -USR1 "$(pid_of success-usr1)"

settled() { # NAME STATE RESULT RESTARTS
	wait_for 10 state_is "$1" "$2" || fail "$1: expected $2, got $(state_of "$1")"
	assert_eq "$(result_of "$1")" "$3" "$1: result"
	assert_eq "$(restarts_of "$1")" "$4" "$1: restarts"
}
restarted() {
	wait_for 10 file_has "$LOGDIR/$1.log" "run 2 pid" || fail "$1: not restarted"
	settled "$1" running success 1
}
settled success42 exited success 0
assert_eq "$(svc_json success42 .exit_status)" 42 "success42: exit status"
settled success-usr1 exited success 0
settled success-other failed exit-code 0
settled prevent7 failed exit-code 0
restarted prevent-other
restarted force9
restarted force-clean
file_has "$LOGDIR/prevent7.log" "run 2 pid" && fail "prevent7 restarted"
pass
