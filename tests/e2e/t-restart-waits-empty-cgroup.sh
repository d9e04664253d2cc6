#!/bin/bash
# A restart never starts the new instance while the old one's cgroup still
# holds processes: the first run leaves a child that ignores SIGTERM; the
# second run must find it gone, for an automatic restart (main exits 1)
# and for `supctl restart`.
. "$(dirname "$0")/lib.sh"

# run.sh STATE MODE: run 1 leaves a SIGTERM-ignoring child (its pid in
# STATE.child) and then exits 1 (MODE=crash) or sleeps (MODE=stay); run 2
# reports whether that child is still alive and not a zombie.
cat >"$T/run.sh" <<'EOF'
n=$(cat "$1" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$1"
echo "run $n pid $$"
if [ "$n" -eq 1 ]; then
	sh -c 'trap "" TERM; echo $$ >"$0.tmp"; mv "$0.tmp" "$0"; exec sleep 1000' "$1.child" &
	while [ ! -f "$1.child" ]; do sleep 0.02; done
	echo "child $(cat "$1.child") ignores SIGTERM"
	[ "$2" = crash ] && exit 1
	exec sleep 1000
fi
old=$(cat "$1.child")
if [ -e "/proc/$old/stat" ] && [ "$(cut -d' ' -f3 "/proc/$old/stat")" != Z ]; then
	echo "OVERLAP: old child $old still alive"
else
	echo "old child $old gone"
fi
exec sleep 1000
EOF
unit auto <<EOF
[Service]
ExecStart=/bin/sh $T/run.sh $T/auto crash
Restart=always
RestartSec=100ms
TimeoutStopSec=1s
EOF
unit manual <<EOF
[Service]
ExecStart=/bin/sh $T/run.sh $T/manual stay
TimeoutStopSec=1s
EOF
supd_start
wait_for 10 file_has "$LOGDIR/manual.log" "ignores SIGTERM" || fail "manual: first run not ready"
ctl restart manual || fail "supctl restart failed"
for s in auto manual; do
	wait_for 10 file_has "$LOGDIR/$s.log" "run 2 pid" || fail "$s: no second run"
	wait_for 5 bash -c "grep -q 'old child' '$LOGDIR/$s.log'" || fail "$s: second run did not report"
	file_has "$LOGDIR/$s.log" OVERLAP && fail "$s: $(grep OVERLAP "$LOGDIR/$s.log")"
	wait_for 5 state_is "$s" running || fail "$s: second run not running"
done
pass
