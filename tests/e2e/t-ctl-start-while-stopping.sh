#!/bin/bash
# `supctl start` while the service is still stopping (a child ignores
# SIGTERM) waits for the old cgroup to empty, then starts a new instance:
# the start succeeds and the old processes are gone before the new run.
. "$(dirname "$0")/lib.sh"

cat >"$T/run.sh" <<'EOF'
n=$(cat "$1" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$1"
echo "run $n"
if [ "$n" -eq 1 ]; then
	sh -c 'trap "" TERM; echo $$ >"$0.tmp"; mv "$0.tmp" "$0"; exec sleep 1000' "$1.child" &
	while [ ! -f "$1.child" ]; do sleep 0.02; done
else
	old=$(cat "$1.child")
	st=$(cut -d' ' -f3 "/proc/$old/stat" 2>/dev/null)
	if [ -n "$st" ] && [ "$st" != Z ]; then echo "OVERLAP $old $st"; else echo "old gone"; fi
fi
exec sleep 1000
EOF
unit slowstop <<EOF
[Service]
ExecStart=/bin/sh $T/run.sh $T/count
TimeoutStopSec=1s
EOF
supd_start
wait_for 10 test -f "$T/count.child" || fail "first run not ready"
ctl stop --no-block slowstop || fail "stop --no-block failed"
wait_for 5 state_is slowstop stopping || fail "not stopping: $(state_of slowstop)"
ctl start slowstop || fail "start while stopping failed: $(state_of slowstop)"
assert_eq "$(state_of slowstop)" running "state after start"
wait_for 5 bash -c "grep -q 'old gone\|OVERLAP' '$LOGDIR/slowstop.log'" || fail "second run did not report"
file_has "$LOGDIR/slowstop.log" OVERLAP && fail "$(grep OVERLAP "$LOGDIR/slowstop.log")"
pass
