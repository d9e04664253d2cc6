# tests/vm/lib.sh - helpers for the VM cases (tests/vm/cases/*.sh), which
# run inside the guest as root on pure cgroup v2.  /init runs each case in
# $VM_CG/driver and gives it $VM_CG (memory and pids enabled for its
# children, removed afterwards), $VM_TMP (its working directory) and
# $VM_CASE.  Exit 0 passes, 77 skips, anything else fails; the last
# "FAIL: "/"SKIP: " line is the reason.  Every wait is a bounded poll.
#
#   . "$(dirname "$0")/../lib.sh"
#   cg=$(cg_make hog); echo 32M >"$cg/memory.max"
#   cg_spawn "$cg" sleep 100; pid=$!
#   wait_for 10 cg_empty "$cg" || fail "still populated"
#   pass
set -u

SUPD_TOP=${SUPD_TOP:-/opt/supd}
SUPD=${SUPD_BIN:-$SUPD_TOP/bin/supd}
SUPCTL=${SUPCTL_BIN:-$SUPD_TOP/bin/supctl}
VM_HELPERS=${VM_HELPERS:-$SUPD_TOP/build/asan/tests/helpers}

log() { echo "# $*"; }
fail() {
	echo "FAIL: $*"
	exit 1
}
skip() {
	echo "SKIP: $*"
	exit 77
}
pass() { exit 0; }

# nap - sleep 20 ms without a fork and exec, which cost as much again
# under TCG: read with a timeout from a FIFO nobody writes.
NAP_FD=""
nap() {
	if [ -z "$NAP_FD" ]; then
		mkfifo "${VM_TMP:-/tmp}/.nap.$BASHPID" && exec {NAP_FD}<>"${VM_TMP:-/tmp}/.nap.$BASHPID" || {
			sleep 0.02
			return
		}
		rm -f "${VM_TMP:-/tmp}/.nap.$BASHPID"
	fi
	read -r -t 0.02 -u "$NAP_FD" _
	return 0
}

# wait_for SECONDS CMD... - poll CMD every 20 ms until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	while ! "$@"; do
		[ $SECONDS -ge $deadline ] && return 1
		nap
	done
}

# assert_eq ACTUAL EXPECTED WHAT
assert_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }

# cg_make NAME - create $VM_CG/NAME and print its path.
cg_make() {
	mkdir "$VM_CG/$1" || fail "mkdir $VM_CG/$1"
	echo "$VM_CG/$1"
}

# cg_spawn CG CMD... - run CMD in the background inside cgroup CG, which it
# joins before exec; $! is its pid.
cg_spawn() {
	local cg=$1
	shift
	(echo "$BASHPID" >"$cg/cgroup.procs" && exec "$@") &
}

# cg_key CG FILE KEY - the value of KEY in a flat-keyed file of CG
# (memory.events, cgroup.events, memory.stat).
cg_key() { awk -v k="$3" '$1 == k { print $2; found = 1 } END { if (!found) print "" }' "$1/$2"; }

# cg_empty CG - true when no process is left in CG or below it.
cg_empty() { [ "$(cg_key "$1" cgroup.events populated)" = 0 ]; }

# cg_nprocs CG - the number of processes directly in CG.
cg_nprocs() { wc -l <"$1/cgroup.procs"; }

# cg_has_nprocs CG N - true when CG holds exactly N processes directly.
cg_has_nprocs() { [ "$(cg_nprocs "$1")" -eq "$2" ]; }

# memhog MB - allocate and touch MB MiB of anonymous memory in one go
# (dd's buffer, filled by a read from /dev/zero), then exit.
memhog() { dd if=/dev/zero of=/dev/null bs="$1M" count=1 2>/dev/null; }

# ---- supd as PID 1 of a "container" (pid, mount and cgroup namespaces,
# as LXC gives its init), see docs/testing-vm.md.

CT_PID=""	# the container's init (supd) as the host sees it
CT_MON=""	# the unshare process waiting for it
CT_CG=""	# the container's root cgroup, as the host sees it
CT_STATUS=""	# how it ended: "exit N", "signal NAME" or "timeout"
CT_LOG=""	# the init's stdout and stderr

# ct_start CMD... - run CMD as PID 1 of a new container whose cgroup root is
# $VM_CG/ct (memory and pids available to it, nothing else inside); its
# output goes to $CT_LOG.
ct_start() {
	command -v unshare >/dev/null || skip "unshare (util-linux) not in the guest"
	CT_CG=$(cg_make ct)
	CT_LOG=$VM_TMP/ct.log
	unshare --pid --fork --mount --mount-proc --propagation private \
		/bin/bash "$SUPD_TOP/tests/vm/ct-enter.sh" "$CT_CG" "$@" >"$CT_LOG" 2>&1 &
	CT_MON=$!
	wait_for 10 ct_find_init || ct_fail "container init did not start"
	[ -n "$CT_PID" ] || { ct_wait 1; ct_fail "container ended at once ($CT_STATUS)"; }
}

# ct_fail WHY - fail, showing the end of the init's output.
ct_fail() {
	[ -n "$CT_LOG" ] && [ -s "$CT_LOG" ] && tail -30 "$CT_LOG" | sed 's/^/  init: /'
	fail "$*"
}

# ct_find_init - true once the container's init is known or it is gone.
ct_find_init() {
	local c
	kill -0 "$CT_MON" 2>/dev/null || return 0
	# The file has no trailing newline, so read fails even when it reads.
	read -r c _ 2>/dev/null <"/proc/$CT_MON/task/$CT_MON/children"
	[ -n "$c" ] || return 1
	CT_PID=$c
}

# ct_alive - true while the container's init runs.
ct_alive() { kill -0 "$CT_MON" 2>/dev/null && [ -n "$CT_PID" ] && [ -d "/proc/$CT_PID" ]; }

# ct_wait SECONDS - wait for the container to end and set CT_STATUS.  A
# pid namespace's init calling reboot(RB_POWER_OFF) ends by SIGINT, and
# reboot(RB_AUTOBOOT) by SIGHUP (pid_namespaces(7)); unshare re-raises it.
ct_wait() {
	local timer who rc
	sleep "$1" &
	timer=$!
	wait -n -p who "$CT_MON" "$timer"
	rc=$?
	if [ "$who" = "$timer" ]; then
		CT_STATUS=timeout
		kill -KILL "$CT_PID" "$CT_MON" 2>/dev/null
		wait "$CT_MON"
		return 1
	fi
	kill "$timer" 2>/dev/null
	wait "$timer"
	if [ $rc -gt 128 ]; then
		CT_STATUS="signal $(kill -l $((rc - 128)))"
	else
		CT_STATUS="exit $rc"
	fi
}

# ct_zombies - print the pids of zombies whose parent is the container's init.
ct_zombies() {
	# One cat for all: a process may vanish between the glob and the read.
	cat /proc/[0-9]*/stat 2>/dev/null |
		awk -v p="$CT_PID" '{ pid = $1; sub(/^.*\) /, ""); if ($1 == "Z" && $2 == p) print pid }'
}

# ct_host_pid NSPID - the host pid of the container's process NSPID.
ct_host_pid() {
	local ns s
	ns=$(readlink "/proc/$CT_PID/ns/pid") || return 1
	for s in $(grep -l "^NSpid:[[:space:]]*[0-9]*[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null); do
		s=${s%/status}
		[ "$(readlink "$s/ns/pid" 2>/dev/null)" = "$ns" ] && { echo "${s#/proc/}"; return 0; }
	done
	return 1
}

# ---- supd in a container.  ct_supd_start runs $SUPD as the container's
# init with conf.d, log, state and socket under $CT_DIR ($VM_TMP/ct), and
# waits until it answers on the socket.

CT_DIR=""

# ct_supd_prepare - create $CT_DIR and its conf.d (write units there next).
ct_supd_prepare() {
	[ -x "$SUPD" ] || skip "supd not built"
	[ -x "$SUPCTL" ] || skip "supctl not built"
	CT_DIR=$VM_TMP/ct
	mkdir -p "$CT_DIR/conf.d" "$CT_DIR/log" "$CT_DIR/state" || fail "mkdir $CT_DIR"
}

# ct_supd_start [ARGS...] - start supd as PID 1 of a container.
ct_supd_start() {
	ct_start "$SUPD" --conf-dir "$CT_DIR/conf.d" --socket "$CT_DIR/supd.sock" \
		--log-dir "$CT_DIR/log" --state-dir "$CT_DIR/state" "$@"
	wait_for 30 ct_ctl_ok status || ct_fail "supd did not answer on $CT_DIR/supd.sock"
}

ct_ctl() { "$SUPCTL" -s "$CT_DIR/supd.sock" "$@"; }
ct_ctl_ok() { "$SUPCTL" -s "$CT_DIR/supd.sock" "$@" >/dev/null 2>&1; }

# ct_svc NAME JQ - a jq expression on the JSON status of one service.
ct_svc() { ct_ctl --json status "$1" 2>/dev/null | jq -r ".services[0]$2"; }
ct_state_is() { [ "$(ct_svc "$1" .state)" = "$2" ]; }
