# tests/reliability/lib.sh - the e2e harness (tests/e2e/lib.sh) plus what the
# reliability suite counts: cases tried, faults injected, whether supd
# survived them, services lost and data lost.  Each test appends one line
# to $REL_STATS (set by tests/reliability/run.sh) when it exits:
#   STAT name cases faults survived services_lost data_lost
# and may add "NOTE name text" lines (figures such as RSS) with rel_note.
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

HOSTILE=$HELPERS/hostile
REL_STATS=${REL_STATS:-/dev/null}
REL_CASES=0
REL_FAULTS=0
REL_SVC_LOST=0
REL_DATA_LOST=0
# A small quarantine keeps the sanitizer build's RSS meaningful: freed
# memory is reused soon, so growth means memory actually kept.
export ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=4"

rel_case() { REL_CASES=$((REL_CASES + ${1:-1})); }
rel_fault() { REL_FAULTS=$((REL_FAULTS + ${1:-1})); REL_CASES=$((REL_CASES + ${1:-1})); }
rel_lost_services() { REL_SVC_LOST=$((REL_SVC_LOST + $1)); }
rel_lost_data() { REL_DATA_LOST=$((REL_DATA_LOST + $1)); }
rel_note() { echo "NOTE $TEST_NAME $*" >>"$REL_STATS"; log "$*"; }

# supd answers status (its process alive and serving).
supd_alive() {
	[ -n "$SUPD_PID" ] && kill -0 "$SUPD_PID" 2>/dev/null && ctl_ok status
}
# Fail unless supd still runs and answers; used after every fault.
assert_alive() {
	supd_alive || fail "supd is not answering after: $*"
}
# cmp_ok CMD OP VALUE: CMD's output compared with test(1)'s OP, for
# wait_for (whose arguments are expanded once, so "$(CMD)" would not poll).
cmp_ok() {
	local v
	v=$(eval "$1") || return 1
	[ "$v" "$2" "$3" ]
}
# A process runs (a zombie, which kill -0 still finds, does not).
pid_alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
# supd's resident set in KiB, its open fds, its live children.
supd_rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$SUPD_PID/status"; }
supd_fds() { ls "/proc/$SUPD_PID/fd" | wc -l; }
# Zombie children of supd (processes it has not reaped).
supd_zombies() {
	local n=0 p
	for p in /proc/[0-9]*; do
		[ -r "$p/stat" ] || continue
		# Fields after the ")" of comm: state ppid ...
		set -- $(sed 's/.*) //' "$p/stat" 2>/dev/null)
		[ "${1:-}" = Z ] && [ "${2:-}" = "$SUPD_PID" ] && n=$((n + 1))
	done
	echo $n
}
# Milliseconds a `status` round trip takes: the worst of N.
status_latency_ms() {
	local i t0 t1 worst=0
	for ((i = 0; i < $1; i++)); do
		t0=$(date +%s%N)
		ctl_ok status || { echo 999999; return; }
		t1=$(date +%s%N)
		t1=$(((t1 - t0) / 1000000))
		[ $t1 -gt $worst ] && worst=$t1
	done
	echo $worst
}

# Stop supd by its pid (SIGTERM, bounded wait, then SIGKILL) and its fd holder.
stop_supd() {
	[ -n "$SUPD_PID" ] || return 0
	if kill -0 "$SUPD_PID" 2>/dev/null; then
		kill -TERM "$SUPD_PID" 2>/dev/null
		wait_for 30 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || kill -KILL "$SUPD_PID" 2>/dev/null
	fi
	wait "$SUPD_PID" 2>/dev/null
	if [ -f "$STATEDIR/fdholder.pid" ]; then
		local hp
		hp=$(cat "$STATEDIR/fdholder.pid")
		[ -n "$hp" ] && kill -0 "$hp" 2>/dev/null && kill -KILL "$hp" 2>/dev/null
	fi
	return 0
}
# A test that mounted or moved things defines rel_pre_cleanup; it runs
# after the verdict is counted and before lib.sh's cleanup.
rel_pre_cleanup() { :; }

rel_exit() {
	local rc=$? survived=0
	if [ -n "$SUPD_PID" ] && supd_alive; then
		survived=$REL_CASES
	fi
	echo "STAT $TEST_NAME $REL_CASES $REL_FAULTS $survived $REL_SVC_LOST $REL_DATA_LOST" >>"$REL_STATS"
	rel_pre_cleanup
	(exit $rc)
	cleanup
}
trap rel_exit EXIT
