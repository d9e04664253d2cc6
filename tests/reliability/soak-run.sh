#!/bin/bash
# One soak run (used by soak.sh and t-soak-short.sh): SOAK_SERVICES
# services that exit at once with Restart=always go through SOAK_CYCLES
# crash/restart cycles in all; then every one is stopped and supd's
# zombies, open fds, cgroups and RSS are compared with a baseline taken
# after a warm-up.  SOAK_MODE: asan (the sanitizer build; lib.sh fails on
# any report), release (bin/supd), valgrind (the release objects under
# memcheck: no error and nothing definitely lost; build/supd-dynamic where
# bin/supd is static, since memcheck needs a dynamic malloc to replace).  Prints "SOAK key=value ..." and
# the figures as NOTE lines.
. "$(dirname "$0")/lib.sh"
# The name counted in the suite's table (the caller's, not this file's).
TEST_NAME=${SOAK_NAME:-$TEST_NAME}

cycles=${SOAK_CYCLES:-500}
nsvc=${SOAK_SERVICES:-50}
mode=${SOAK_MODE:-asan}
# The sanitizer build keeps freed memory in its quarantine (4 MiB, see
# lib.sh) and per-size caches, so its RSS only says something coarse.
rss_slack=${SOAK_RSS_SLACK_KIB:-$([ "$mode" = asan ] && echo 8192 || echo 1024)}
start_wait=10
case $mode in
asan) ;;
release) SUPD=$TOP/bin/supd ;;
valgrind)
	command -v valgrind >/dev/null || skip "valgrind not installed"
	vgbin=$TOP/bin/supd
	[ -x "$TOP/build/supd-dynamic" ] && vgbin=$TOP/build/supd-dynamic
	cat >"$T/supd-vg" <<EOF2
#!/bin/sh
exec valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite \\
	--show-leak-kinds=definite --track-fds=no --log-file=$T/vg.%p "$vgbin" "\$@"
EOF2
	chmod +x "$T/supd-vg"
	SUPD=$T/supd-vg
	start_wait=60
	;;
*) fail "unknown SOAK_MODE $mode" ;;
esac
[ -x "${SUPD%% *}" ] || skip "$SUPD not built"

names=()
for i in $(seq -w "$nsvc"); do
	names+=(c$i)
	unit c$i <<'EOF2'
[Service]
ExecStart=/bin/false
Restart=always
RestartSec=0
StartLimitBurst=0
AutoStart=no
LogMaxBytes=64K
LogBackups=1
EOF2
done
"$SUPD" --conf-dir "$CONF" --socket "$SOCK" --log-dir "$LOGDIR" --state-dir "$STATEDIR" \
	--cgroup-root "$CGROOT" >>"$T/supd.log" 2>&1 &
SUPD_PID=$!
wait_for $start_wait ctl_ok status || fail "supd ($mode) did not answer"

total_restarts() { ctl --json status 2>/dev/null | jq '[.services[].restarts] | add'; }
cgroup_count() {
	local d n=0
	for d in "$CG_UNI" "$CG_MEM" "$CG_PIDS"; do
		[ -n "$d" ] && [ -d "$d" ] && n=$((n + $(find "$d" -type d | wc -l)))
	done
	echo $n
}
all_settled() { # no service runs or is about to (a stop racing a failed exit ends failed, as in systemd)
	[ "$(ctl --json status | jq '[.services[] | select(.state != "stopped" and .state != "failed")] | length')" = 0 ]
}
run_cycles() { # at least $1 restarts in all, then stop everything
	local want=$1 r0
	r0=$(total_restarts)
	ctl start --no-block "${names[@]}" >/dev/null || fail "start"
	wait_for $((want / 5 + 60)) bash -c "[ \$(\"$SUPCTL\" -s \"$SOCK\" --json status | jq '[.services[].restarts] | add') -ge $((r0 + want)) ]" ||
		fail "only $(($(total_restarts) - r0)) of $want cycles"
	# (a stop racing an exit may report the run's failure: see supd-bugs.md)
	ctl stop "${names[@]}" >/dev/null 2>&1
	wait_for 30 all_settled || fail "not every service stopped: $(ctl status | grep -v stopped | head -5)"
}

# What supd holds with every service loaded and none started: a resting
# service costs no descriptor (service.c service_release_resources), so
# this is also what it must hold after any number of cycles.
fd_list() { ls -l "/proc/$SUPD_PID/fd" | awk 'NR > 1 { print $11 }' | sed 's/[0-9][0-9]*\]$/]/; s|/c[0-9][0-9]*/|/cN/|; s|/c[0-9][0-9]*\.log|/cN.log|' | sort | uniq -c; }
fd_list >"$T/fds.prestart"
fdsp=$(supd_fds)

# Warm-up: every service through a few cycles, so what stays allocated
# while a service is loaded is in the baseline.
run_cycles $((nsvc * 3))
wait_for 5 cmp_ok 'supd_zombies' -eq 0 || fail "zombies after the warm-up"
rss0=$(supd_rss) fds0=$(supd_fds) cg0=$(cgroup_count) r0=$(total_restarts)
t0=$(date +%s%N)
# Sample zombies while it runs: a moment's zombie is fine, a pile is not.
ctl start --no-block "${names[@]}" >/dev/null || fail "start"
maxz=0
deadline=$((SECONDS + cycles / 5 + 120))
while [ $(($(total_restarts) - r0)) -lt "$cycles" ]; do
	[ $SECONDS -lt $deadline ] || fail "only $(($(total_restarts) - r0)) of $cycles cycles"
	z=$(supd_zombies)
	[ "$z" -gt $maxz ] && maxz=$z
	sleep 0.2
done
done_cycles=$(($(total_restarts) - r0))
ms=$((($(date +%s%N) - t0) / 1000000))
ctl stop "${names[@]}" >/dev/null 2>&1
wait_for 30 all_settled || fail "not every service stopped"
wait_for 5 cmp_ok 'supd_zombies' -eq 0 || fail "$(supd_zombies) zombies after $done_cycles cycles"
# A resting service gives back every descriptor but one on cgroup v1: the
# eventfd registered with memory.oom_control lives as long as its cgroup
# (a registration is made per cgroup, not per start; docs/cgroups.md).
fds_resting=$fdsp
[ -n "$CG_MEM" ] && fds_resting=$((fdsp + nsvc))
wait_for 5 cmp_ok 'supd_fds' -le "$fds_resting"
rss1=$(supd_rss) fds1=$(supd_fds) cg1=$(cgroup_count)
rate=$((done_cycles * 1000 / (ms > 0 ? ms : 1)))
echo "SOAK mode=$mode services=$nsvc cycles=$done_cycles seconds=$((ms / 1000)) per_sec=$rate rss_kib=$rss0/$rss1 fds=$fdsp/$fds0/$fds1 cgroups=$cg0/$cg1 max_zombies_seen=$maxz"
rel_case "$done_cycles"
rel_note "soak $mode: $done_cycles cycles over $nsvc services in $((ms / 1000)) s ($rate/s); RSS $rss0 -> $rss1 KiB; fds $fdsp with none started, $fds0 after the warm-up, $fds1 at the end; cgroups $cg0 -> $cg1; zombies 0 at the end (at most $maxz seen in passing)"
# Every check runs (valgrind's too) before the verdict.
errs=()
[ "$fds1" -le "$fds_resting" ] ||
	errs+=("fds: $fdsp with no service started, $fds0 after the warm-up, $fds1 after $done_cycles cycles with every service resting; by kind, before -> now: $(diff "$T/fds.prestart" <(fd_list) | grep '^[<>]' | tr -s ' ' | tr '\n' ';')")
[ "$cg1" = "$cg0" ] || errs+=("cgroup directories: $cg0 at baseline, $cg1 at the end")
if [ "$mode" != valgrind ]; then
	[ $((rss1 - rss0)) -le "$rss_slack" ] || errs+=("RSS $rss0 -> $rss1 KiB after $done_cycles cycles (slack $rss_slack KiB)")
fi
if [ "$mode" = valgrind ]; then
	vgpid=$SUPD_PID
	stop_supd
	SUPD_PID=""
	# A process that ended under valgrind (supd, its fd holder) has a
	# summary; a forked child that exec'd a service has none, and must
	# show no error either.
	grep -q 'ERROR SUMMARY' "$T/vg.$vgpid" || fail "valgrind: supd ($vgpid) has no summary"
	for f in "$T"/vg.*; do
		if grep -q 'ERROR SUMMARY' "$f"; then
			grep -q 'ERROR SUMMARY: 0 errors' "$f" || fail "valgrind ($f): $(grep -v '^==[0-9]*== *$' "$f" | sed -n '7,47p')"
		elif grep -q 'Invalid \|uninitialised\|Syscall param\|Mismatched\|Source and destination' "$f"; then
			fail "valgrind ($f): $(grep -v '^==[0-9]*== *$' "$f" | sed -n '7,47p')"
		fi
	done
	nsum=$(grep -l 'ERROR SUMMARY' "$T"/vg.* | wc -l)
	leaks=$(grep -h 'definitely lost:' "$T"/vg.* | awk '{ s += $4 } END { print s + 0 }')
	log "valgrind: $(grep -h 'ERROR SUMMARY\|definitely lost\|All heap blocks' "$T"/vg.* | sed 's/==[0-9]*== //' | sort | uniq -c | tr '\n' ';')"
	rel_note "valgrind memcheck of ${vgbin#$TOP/}: $nsum processes ran to the end (supd, its fd holder, children that ended before exec): 0 errors, $leaks bytes definitely lost; $(($(ls "$T"/vg.* | wc -l) - nsum)) forked children before exec: no error"
	echo "STAT $TEST_NAME $REL_CASES 0 $REL_CASES 0 0" >>"$REL_STATS"
	REL_STATS=/dev/null
fi
[ ${#errs[@]} -eq 0 ] || fail "$(printf '%s; ' "${errs[@]}")"
pass
