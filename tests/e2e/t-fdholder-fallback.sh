#!/bin/bash
# When supd-fdholder cannot be executed, supd says so in one line and holds
# the pipes in a fork of itself, which serves the same protocol: a service
# survives a SIGKILL of supd and no line it wrote meanwhile is lost.  Run
# from a copy of supd: first with a supd-fdholder beside it that is not a
# program (exec fails with ENOEXEC, which supd must learn from its child),
# then with none beside it.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/bin"
cp "$SUPD" "$T/bin/supd"
printf 'not a program\n' >"$T/bin/supd-fdholder"
chmod 0755 "$T/bin/supd-fdholder"
SUPD=$T/bin/supd

unit talk <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "talk $i"; sleep 0.02; done'
EOF2
supd_start
wait_for 10 state_is talk running || fail "talk not running"
grep -q "$T/bin/supd-fdholder: Exec format error: the fd holder is a fork of supd" "$T/supd.log" ||
	fail "no line saying the holder program could not be executed"
assert_eq "$(grep -c "fd holder is a fork of supd" "$T/supd.log")" 1 "fallback lines"
hp=$(cat "$STATEDIR/fdholder.pid")
kill -0 "$hp" 2>/dev/null || fail "holder $hp does not run"
assert_eq "$(readlink "/proc/$hp/exe")" "$(readlink -f "$T/bin/supd")" "forked holder's executable"
wait_for 5 bash -c "[ \$(ls -l /proc/$hp/fd | grep -c 'pipe:') = 2 ]" ||
	fail "holder holds $(ls -l "/proc/$hp/fd" | grep -c 'pipe:') pipe ends, not 2"

kill -KILL "$SUPD_PID"
wait "$SUPD_PID" 2>/dev/null
sleep 0.5
kill -0 "$hp" 2>/dev/null || fail "forked holder died with supd"
supd_start
wait_for 5 state_is talk running || fail "talk not re-adopted: $(state_of talk)"
grep -q "talk: re-adopted main process" "$T/supd.log" || fail "talk was not re-adopted"
assert_eq "$(cat "$STATEDIR/fdholder.pid")" "$hp" "holder after supd's restart"
max0=$(grep -o 'talk [0-9]*$' "$LOGDIR/talk.log" | awk '{ print $2 }' | sort -n | tail -1)
wait_for 5 bash -c "[ \$(grep -o 'talk [0-9]*\$' '$LOGDIR/talk.log' | awk '{ print \$2 }' | sort -n | tail -1) -gt $((max0 + 10)) ]" ||
	fail "talk's output is no longer logged"
nums=$(grep -o 'talk [0-9]*$' "$LOGDIR/talk.log" | awk '{ print $2 }' | sort -n | uniq)
assert_eq "$(wc -l <<<"$nums")" "$(tail -1 <<<"$nums")" "distinct talk lines logged across supd's death"
ctl shutdown >/dev/null || fail "shutdown failed"
wait_for 15 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || fail "supd did not exit"
wait_for 5 bash -c "! kill -0 $hp 2>/dev/null" || fail "holder $hp outlived a clean shutdown"

# No supd-fdholder beside supd: the installed one if there is one, else a
# fork again.
rm "$T/bin/supd-fdholder"
: >"$T/supd.log"
supd_start
wait_for 10 state_is talk running || fail "talk not running"
hp=$(cat "$STATEDIR/fdholder.pid")
kill -0 "$hp" 2>/dev/null || fail "holder $hp does not run"
if grep -q "no supd-fdholder next to supd nor in .*: the fd holder is a fork of supd" "$T/supd.log"; then
	assert_eq "$(readlink "/proc/$hp/exe")" "$(readlink -f "$T/bin/supd")" "forked holder's executable"
else
	log "an installed supd-fdholder: $(readlink "/proc/$hp/exe")"
	grep -q "started output fd holder /.*/supd-fdholder, pid $hp" "$T/supd.log" || fail "neither a fork nor the program"
fi
pass
