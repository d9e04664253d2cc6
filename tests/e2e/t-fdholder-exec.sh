#!/bin/bash
# The fd holder supd starts is the program supd-fdholder found next to
# supd, not a fork of supd: /proc/PID/exe of the pid in
# STATE_DIR/fdholder.pid is that file, its argument is the socket's path,
# and it keeps a few pages resident (VmRSS below 200 kB: a fork of supd
# keeps ~1.5 MiB, so this checks how it is built, not a timing).  It holds
# both ends of every service's output pipe: after a SIGKILL of supd a
# service goes on writing, the next supd finds the same holder, and no
# line is lost.
. "$(dirname "$0")/lib.sh"

for i in 1 2 3 4 5; do
	unit "s$i" <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
done
unit talk <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "talk $i"; sleep 0.02; done'
EOF2
supd_start
for s in s1 s2 s3 s4 s5 talk; do
	wait_for 10 state_is $s running || fail "$s not running"
done
wait_for 5 test -s "$STATEDIR/fdholder.pid" || fail "no $STATEDIR/fdholder.pid"
hp=$(cat "$STATEDIR/fdholder.pid")
kill -0 "$hp" 2>/dev/null || fail "holder $hp does not run"
assert_eq "$(readlink "/proc/$hp/exe")" "$(readlink -f "$(dirname "$SUPD")/supd-fdholder")" "holder's executable"
assert_eq "$(tr '\0' ' ' <"/proc/$hp/cmdline")" "supd-fdholder $STATEDIR/fdholder.sock " "holder's command line"
grep -q "started output fd holder .*/supd-fdholder, pid $hp" "$T/supd.log" || fail "no log line for the holder"
grep -q "fork of supd" "$T/supd.log" && fail "supd fell back to a forked holder"
# Both ends of six services' pipes, the listening socket and supd's
# connection; nothing of supd's (its log, its control socket).
wait_for 5 bash -c "[ \$(ls -l /proc/$hp/fd | grep -c 'pipe:') = 12 ]" ||
	fail "holder holds $(ls -l "/proc/$hp/fd" | grep -c 'pipe:') pipe ends, not 12"
nfd=$(ls "/proc/$hp/fd" | wc -l)
assert_eq "$nfd" 14 "holder's descriptors ($(ls -l "/proc/$hp/fd" | awk 'NR > 1 { print $NF }' | tr '\n' ' '))"
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$hp/status")
log "holder VmRSS: $rss kB"
# Built without libc on x86_64 only (elsewhere libc's pages count).
if [ "$(uname -m)" = x86_64 ]; then
	[ "$rss" -lt 200 ] || fail "holder VmRSS is $rss kB (limit 200): not the libc-free program?"
	grep -q libc "/proc/$hp/maps" && fail "the holder maps libc"
fi
# Signals from a terminal or supd's process group do not reach it: SIGHUP,
# SIGINT, SIGPIPE, SIGTERM ignored (they stay so across exec), not SIGCHLD.
ign=$((16#$(awk '/^SigIgn:/ { print $2 }' "/proc/$hp/status")))
for sig in 1 2 13 15; do
	[ $(((ign >> (sig - 1)) & 1)) = 1 ] || fail "holder does not ignore signal $sig (SigIgn $ign)"
done
[ $(((ign >> 16) & 1)) = 0 ] || fail "holder ignores SIGCHLD"

# supd dies: talk writes on into the held pipe; the next supd re-adopts it
# with the same holder and logs every line.
kill -KILL "$SUPD_PID"
wait "$SUPD_PID" 2>/dev/null
sleep 0.5
kill -0 "$hp" 2>/dev/null || fail "holder died with supd"
supd_start
wait_for 5 state_is talk running || fail "talk not re-adopted: $(state_of talk)"
assert_eq "$(cat "$STATEDIR/fdholder.pid")" "$hp" "holder after supd's restart"
grep -q "talk: re-adopted main process" "$T/supd.log" || fail "talk was not re-adopted"
max0=$(grep -o 'talk [0-9]*$' "$LOGDIR/talk.log" | awk '{ print $2 }' | sort -n | tail -1)
wait_for 5 bash -c "[ \$(grep -o 'talk [0-9]*\$' '$LOGDIR/talk.log' | awk '{ print \$2 }' | sort -n | tail -1) -gt $((max0 + 10)) ]" ||
	fail "talk's output is no longer logged"
nums=$(grep -o 'talk [0-9]*$' "$LOGDIR/talk.log" | awk '{ print $2 }' | sort -n | uniq)
assert_eq "$(wc -l <<<"$nums")" "$(tail -1 <<<"$nums")" "distinct talk lines logged across supd's death"
# A clean shutdown ends the holder.
ctl shutdown >/dev/null || fail "shutdown failed"
wait_for 15 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || fail "supd did not exit"
wait_for 5 bash -c "! kill -0 $hp 2>/dev/null" || fail "holder $hp outlived a clean shutdown"
pass
