#!/bin/bash
# `supctl reexec` replaces supd with the binary now on disk (an upgrade):
# same pid, new executable, no service restarted (same pids and restart
# counters), no output line lost, the socket never missing for new
# clients, and the services stay supd's children (a later exit has its
# real status).  A binary that cannot be executed changes nothing.
. "$(dirname "$0")/lib.sh"

cp "$SUPD" "$T/supd-bin" || fail "copy supd"
SUPD=$T/supd-bin
unit seq <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "seq $i"; sleep 0.005; done'
Restart=always
EOF2
unit sleeper <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
Restart=on-failure
EOF2
unit crash <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'sleep 0.3; exit 3'
Restart=always
RestartSec=200ms
StartLimitBurst=0
EOF2
supd_start
declare -A pid0 r0
for s in seq sleeper; do
	wait_for 10 state_is $s running || fail "$s not running"
	pid0[$s]=$(pid_of $s)
	r0[$s]=$(restarts_of $s)
done
spid=$SUPD_PID

# New clients during the exec: every one must be served.
( n=0 bad=0; end=$((SECONDS + 3)); while [ $SECONDS -lt $end ]; do
	"$SUPCTL" -s "$SOCK" status >/dev/null 2>"$T/client.err" || { bad=$((bad + 1)); cat "$T/client.err" >>"$T/clients.err"; }
	n=$((n + 1)); done
	echo "clients=$n failed=$bad" >"$T/clients.out" ) &
cl=$!
# Clients connected before the exec, each with half a request sent: they
# finish it after the third exec and must get their replies.
for i in 1 2 3; do
	"$HOSTILE" -s "$SOCK" -t 60 split "$T/go" >"$T/split-$i.out" 2>&1 &
	splits="${splits:-} $!"
done
# The upgrade: a new file at the same path (a new inode).
cp "$TOP/build/asan/bin/supd" "$T/supd-bin.new" && mv "$T/supd-bin.new" "$T/supd-bin" || fail "replace the binary"
ino=$(stat -c %i "$T/supd-bin")
for round in 1 2 3; do
	rel_fault
	out=$(ctl reexec 2>&1) || fail "reexec $round: $out"
	wait_for 10 bash -c "[ \$(grep -c 'listening on' '$T/supd.log') -ge $((round + 1)) ]" || fail "reexec $round: supd did not come back"
	wait_for 5 ctl_ok status || fail "reexec $round: status not served"
	assert_eq "$SUPD_PID" "$spid" "supd's pid"
	kill -0 "$spid" 2>/dev/null || fail "supd $spid is gone"
done
assert_eq "$(stat -L -c %i "/proc/$spid/exe")" "$ino" "inode of the running executable (the new binary)"
touch "$T/go"
nsplit=0
for p in $splits; do
	wait "$p" && nsplit=$((nsplit + 1))
done
log "clients connected across 3 exec's: $nsplit of 3 served: $(cat "$T"/split-*.out | tr '\n' ' ')"
[ "$nsplit" = 3 ] || fail "a connection held across reexec lost its request: $(cat "$T"/split-*.out)"
wait $cl
log "$(cat "$T/clients.out")"
grep -q 'failed=0' "$T/clients.out" || fail "clients failed during reexec: $(cat "$T/clients.out"): $(head -3 "$T/clients.err")"
for s in seq sleeper; do
	assert_eq "$(pid_of $s)" "${pid0[$s]}" "$s's pid after reexec"
	assert_eq "$(restarts_of $s)" "${r0[$s]}" "$s's restarts after reexec"
done
# The crash loop goes on, one instance at a time.
r=$(restarts_of crash)
wait_for 5 bash -c "[ \$(\"$SUPCTL\" -s \"$SOCK\" --json status crash | jq .services[0].restarts) -gt $r ]" || fail "crash no longer restarted"
# Still supd's children: a kill is seen with its signal.
kill -KILL "${pid0[sleeper]}"
rel_fault
wait_for 5 bash -c "[ \"\$(\"$SUPCTL\" -s \"$SOCK\" --json status sleeper | jq -r .services[0].restarts)\" = $((r0[sleeper] + 1)) ]" ||
	fail "sleeper's exit not handled: $(state_of sleeper) $(restarts_of sleeper)"
grep -q "sleeper: main process ${pid0[sleeper]} killed by SIGKILL" "$T/supd.log" ||
	fail "sleeper's exit status not known after reexec: $(grep sleeper "$T/supd.log" | tail -2)"
# A binary that cannot run: an error, nothing changes.
chmod -x "$T/supd-bin"
rel_fault
out=$(ctl reexec 2>&1) && fail "reexec of a non-executable binary succeeded"
log "reexec refused: $out"
ctl_ok status || fail "status after the refused reexec"
assert_eq "$(pid_of seq)" "${pid0[seq]}" "seq's pid after the refused reexec"
chmod +x "$T/supd-bin"
# Not a line lost across three exec's.
max0=$(grep -o 'seq [0-9]*$' "$LOGDIR/seq.log" | awk '{ print $2 }' | sort -n | tail -1)
wait_for 5 bash -c "[ \$(grep -o 'seq [0-9]*\$' '$LOGDIR/seq.log' | awk '{ print \$2 }' | sort -n | tail -1) -gt $((max0 + 20)) ]" ||
	fail "seq's output not logged after reexec"
nums=$(grep -o 'seq [0-9]*$' "$LOGDIR/seq.log" | awk '{ print $2 }' | sort -n | uniq)
max=$(tail -1 <<<"$nums") n=$(wc -l <<<"$nums")
rel_note "3 reexecs: $(cat "$T/clients.out") new clients meanwhile; seq wrote $max lines, $((max - n)) missing"
rel_lost_data $((max - n))
assert_eq "$n" "$max" "seq lines logged"
assert_alive "reexec"
pass
