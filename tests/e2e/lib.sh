# tests/e2e/lib.sh - harness for end-to-end tests: the real supd (sanitizer
# build) with a private socket, conf dir, log dir, state dir and cgroup
# subtree, driven by the real supctl.  Every wait is a bounded poll.
#
#   . "$(dirname "$0")/lib.sh"
#   unit web <<'EOF' ... EOF       write conf.d/web.conf
#   supd_start                     start supd, wait for its socket
#   ctl status                     run supctl against it
#   wait_for 10 state_is web running
#   pass                           (or fail "why"); cleanup is automatic
set -u

TOP=${SUPD_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SUPD=${SUPD_BIN:-$TOP/build/asan/bin/supd}
SUPCTL=${SUPCTL_BIN:-$TOP/build/asan/bin/supctl}
HELPERS=$TOP/build/asan/tests/helpers
TEST_NAME=$(basename "$0" .sh)
T=$(mktemp -d "/tmp/supd-e2e.$TEST_NAME.XXXXXX")
CONF=$T/conf.d
SOCK=$T/supd.sock
LOGDIR=$T/log
STATEDIR=$T/state
CGROOT="supd-test.$TEST_NAME.$$"
SUPD_PID=""
export SUPD_SOCKET=$SOCK
export ASAN_OPTIONS="log_path=$T/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$T/ubsan:print_stacktrace=1:halt_on_error=0"
mkdir -p "$CONF" "$LOGDIR" "$STATEDIR"

log() { echo "# $*"; }
fail() {
	echo "FAIL: $*"
	dump_state
	exit 1
}
skip() {
	echo "SKIP: $*"
	exit 77
}
pass() { exit 0; }

dump_state() {
	[ -n "$SUPD_PID" ] && kill -0 "$SUPD_PID" 2>/dev/null && "$SUPCTL" -s "$SOCK" status 2>&1 | sed 's/^/  status: /'
	[ -f "$T/supd.log" ] && tail -40 "$T/supd.log" | sed 's/^/  supd.log: /'
}

# unit NAME [EXT] - write conf.d/NAME.EXT (default .conf) from stdin.
unit() {
	local ext=${2:-conf}
	cat >"$CONF/$1.$ext"
}
# dropin NAME FILE [EXT] - write conf.d/NAME.EXT.d/FILE from stdin.
dropin() {
	local ext=${3:-conf}
	mkdir -p "$CONF/$1.$ext.d"
	cat >"$CONF/$1.$ext.d/$2"
}

# The cgroup directories of this test's subtree, per hierarchy.
cg_self() { # hierarchy-name -> our cgroup path in it
	awk -F: -v h="$1" '($2 == h) || (h == "" && $1 == "0") { print $3; exit }' /proc/self/cgroup
}
CG_MEM=""
CG_UNI=""
CG_PIDS=""
if [ -d /sys/fs/cgroup/memory ]; then
	CG_MEM=/sys/fs/cgroup/memory$(cg_self memory)/$CGROOT
	CG_MEM=${CG_MEM//\/\//\/}
fi
if [ -d /sys/fs/cgroup/pids ] && [ -f /sys/fs/cgroup/pids/cgroup.procs ]; then
	CG_PIDS=/sys/fs/cgroup/pids$(cg_self pids)/$CGROOT
	CG_PIDS=${CG_PIDS//\/\//\/}
fi
if [ -f /sys/fs/cgroup/unified/cgroup.procs ]; then
	CG_UNI=/sys/fs/cgroup/unified$(cg_self "")/$CGROOT
elif [ -f /sys/fs/cgroup/cgroup.procs ]; then
	CG_UNI=/sys/fs/cgroup$(cg_self "")/$CGROOT
fi
CG_UNI=${CG_UNI//\/\//\/}

# supd_start [extra args] - start supd in the background, wait for the socket.
supd_start() {
	"$SUPD" --conf-dir "$CONF" --socket "$SOCK" --log-dir "$LOGDIR" \
		--state-dir "$STATEDIR" --cgroup-root "$CGROOT" "$@" >>"$T/supd.log" 2>&1 &
	SUPD_PID=$!
	wait_for 10 ctl_ok status || fail "supd did not answer on $SOCK"
}
ctl() { "$SUPCTL" -s "$SOCK" "$@"; }
ctl_ok() { "$SUPCTL" -s "$SOCK" "$@" >/dev/null 2>&1; }

# wait_for SECONDS CMD... - poll CMD every 20 ms until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1)) i=0
	shift
	while :; do
		"$@" && return 0
		[ $SECONDS -ge "$deadline" ] && return 1
		sleep 0.02
		i=$((i + 1))
	done
}

# JSON status of one service: jq expression on it.
svc_json() { "$SUPCTL" -s "$SOCK" --json status "$1" 2>/dev/null | jq -r ".services[0]$2"; }
state_of() { svc_json "$1" .state; }
state_is() { [ "$(state_of "$1")" = "$2" ]; }
pid_of() { svc_json "$1" .pid; }
result_of() { svc_json "$1" .result; }
restarts_of() { svc_json "$1" .restarts; }

# assert_eq ACTUAL EXPECTED WHAT
assert_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }

# Wait for a file to contain a string.
file_has() { [ -f "$1" ] && grep -q -- "$2" "$1"; }

cleanup() {
	local rc=$?
	if [ -n "$SUPD_PID" ] && kill -0 "$SUPD_PID" 2>/dev/null; then
		kill -TERM "$SUPD_PID" 2>/dev/null
		wait_for 30 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || kill -KILL "$SUPD_PID" 2>/dev/null
	fi
	wait 2>/dev/null
	# The fd holder outlives a killed supd by design; end it by its pid.
	if [ -f "$STATEDIR/fdholder.pid" ]; then
		local hp
		hp=$(cat "$STATEDIR/fdholder.pid")
		[ -n "$hp" ] && kill -0 "$hp" 2>/dev/null && kill -KILL "$hp" 2>/dev/null
	fi
	# Kill anything left in our subtree (a failed test), then remove it.
	local d
	for d in "$CG_UNI" "$CG_MEM" "$CG_PIDS"; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		find "$d" -depth -type d | while read -r c; do
			[ -f "$c/cgroup.kill" ] && echo 1 >"$c/cgroup.kill" 2>/dev/null
			for p in $(cat "$c/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		done
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	if ls "$T"/asan* "$T"/ubsan* >/dev/null 2>&1; then
		echo "FAIL: sanitizer report:"
		cat "$T"/asan* "$T"/ubsan* | head -60
		rc=1
	fi
	if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then
		rm -rf "$T"
	else
		echo "(test dir kept: $T)"
	fi
	exit $rc
}
trap cleanup EXIT
