#!/bin/bash
# ExecStopPost= runs after every run with SERVICE_RESULT, EXIT_CODE and
# EXIT_STATUS as systemd sets them: exit 3 -> exit-code/exited/3; SIGKILL
# from outside -> signal/killed/KILL; supctl stop -> success/killed/TERM.
. "$(dirname "$0")/lib.sh"

cat >"$T/post.sh" <<'EOF'
echo "$1 R=$SERVICE_RESULT C=$EXIT_CODE S=$EXIT_STATUS" >>"$2"
EOF
for s in exits killed stopped; do
	case $s in
	exits) cmd="/bin/sh -c 'exit 3'" ;;
	*) cmd="/bin/sleep 1000" ;;
	esac
	unit "$s" <<EOF
[Service]
ExecStart=$cmd
ExecStopPost=/bin/sh $T/post.sh $s $T/post.out
EOF
done
supd_start
wait_for 10 state_is killed running || fail "killed not running"
wait_for 10 state_is stopped running || fail "stopped not running"
kill -KILL "$(pid_of killed)"
ctl stop stopped || fail "stop failed"
post() { wait_for 10 file_has "$T/post.out" "^$1 " || fail "$1: ExecStopPost did not run"; grep "^$1 " "$T/post.out"; }
assert_eq "$(post exits)" "exits R=exit-code C=exited S=3" "ExecStopPost environment after exit 3"
assert_eq "$(post killed)" "killed R=signal C=killed S=KILL" "ExecStopPost environment after SIGKILL"
assert_eq "$(post stopped)" "stopped R=success C=killed S=TERM" "ExecStopPost environment after stop"
assert_eq "$(state_of exits)" failed "exits: state"
assert_eq "$(state_of killed)" failed "killed: state"
assert_eq "$(state_of stopped)" stopped "stopped: state"
assert_eq "$(grep -c . "$T/post.out")" 3 "ExecStopPost runs"
pass
