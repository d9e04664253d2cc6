#!/bin/bash
# fork() fails for supd itself: supd runs in a pids cgroup whose pids.max
# is set to what it already holds.  A start then fails with result
# resources and the reason in status and supd's log; supd keeps serving;
# with the limit lifted the same service starts.
. "$(dirname "$0")/lib.sh"

pids_root=/sys/fs/cgroup/pids
[ -f "$pids_root/cgroup.procs" ] || skip "no v1 pids hierarchy"
P=$pids_root/supd-rel-forkfail.$$
mkdir "$P" || skip "cannot create $P"
real=$SUPD
cat >"$T/supd-in-cgroup" <<EOF2
#!/bin/sh
echo \$\$ >"$P/cgroup.procs" || exit 111
exec "$real" "\$@"
EOF2
chmod +x "$T/supd-in-cgroup"
SUPD=$T/supd-in-cgroup
rel_pre_cleanup() {
	echo max >"$P/pids.max" 2>/dev/null
	stop_supd
	find "$P" -depth -type d -exec rmdir {} \; 2>/dev/null
}

unit a <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
unit b <<'EOF2'
[Service]
ExecStart=/bin/sleep 1001
AutoStart=no
EOF2
unit c <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'sleep 1; exit 3'
Restart=always
RestartSec=200ms
StartLimitBurst=0
AutoStart=no
EOF2
supd_start
grep -qx "$SUPD_PID" "$P/cgroup.procs" || fail "supd is not in $P"
wait_for 10 state_is a running || fail "a not running"
cur=$(cat "$P/pids.current")
echo "$cur" >"$P/pids.max"
rel_fault
out=$(ctl start b 2>&1)
rc=$?
log "start b: rc $rc: $out"
[ $rc -ne 0 ] || fail "start succeeded at the pids limit ($cur)"
wait_for 5 state_is b failed || fail "b: $(state_of b)"
assert_eq "$(result_of b)" resources "b's result"
err=$(svc_json b .error)
grep -qi 'fork' <<<"$err" || fail "status error does not say fork failed: $err"
grep -qi 'Resource temporarily unavailable' <<<"$err" || fail "status error has no reason: $err"
grep -qi 'b:.*fork' "$T/supd.log" || fail "supd's log lacks the failed fork"
lat=$(status_latency_ms 5)
[ "$lat" -lt 1000 ] || fail "status took $lat ms at the pids limit"
assert_eq "$(state_of a)" running "a at the pids limit"
# A crash-looping service whose restart cannot fork: it must not spin.
echo max >"$P/pids.max"
ctl start c >/dev/null || fail "start c"
# Every task supd's cgroup holds except c's two (sh and its sleep, read
# while the sleep runs): c's next start cannot fork.
cdir=$(find "$P" -mindepth 2 -maxdepth 2 -type d -name c)
set_limit() {
	local c1 all c2
	c1=$(cat "$cdir/pids.current")
	all=$(cat "$P/pids.current")
	c2=$(cat "$cdir/pids.current")
	[ "$c1" = 2 ] && [ "$c2" = 2 ] || return 1
	echo $((all - 2)) >"$P/pids.max"
}
wait_for 10 set_limit || fail "c never ran with its sleep"
rel_fault
wait_for 10 bash -c "[ \"\$(\"$SUPCTL\" -s \"$SOCK\" --json status c | jq -r '.services[0].result')\" = resources ]" ||
	fail "c's failed restart: $(state_of c) $(result_of c)"
cpu0=$(awk '{ print $14 + $15 }' "/proc/$SUPD_PID/stat")
sleep 1 # proves supd does not spin on failing forks (bounded, <= 2 s)
cpu1=$(awk '{ print $14 + $15 }' "/proc/$SUPD_PID/stat")
rel_note "fork failing: supd used $((cpu1 - cpu0)) ticks in 1 s; c is $(state_of c)"
[ $((cpu1 - cpu0)) -le 20 ] || fail "supd used $((cpu1 - cpu0)) ticks in 1 s while forks fail"
# The limit lifted: everything starts again.
echo max >"$P/pids.max"
ctl reset-failed b >/dev/null
ctl start b >/dev/null || fail "start b with the limit lifted: $(svc_json b .error)"
assert_eq "$(state_of b)" running "b"
ctl stop c >/dev/null
assert_alive "fork failures"
pass
