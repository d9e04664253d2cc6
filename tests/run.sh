#!/bin/bash
# Run every suite: unit tests (sanitizer build), end-to-end tests against
# the real daemon on real cgroups, and the VM suite.  Prints one line per
# test and ends with "N passed, N failed"; exits non-zero on any failure.
# Usage: tests/run.sh [unit|e2e|release|reliability|fuzz|vm ...] [-k PATTERN]
set -u
cd "$(dirname "$0")/.."
top=$PWD
suites=()
pattern=""
while [ $# -gt 0 ]; do
	case $1 in
	-k) pattern=$2; shift 2 ;;
	*) suites+=("$1"); shift ;;
	esac
done
[ ${#suites[@]} -eq 0 ] && suites=(unit e2e release reliability fuzz vm)

# The end-to-end tests run again on the release binary, which is linked
# statically (docs/DESIGN.md) while the sanitizer build is not: those
# whose code paths differ between the two (users and groups, the state
# file and adoption, the control socket's group) and a few of the core.
release_tests="t-basic t-exec-user t-exec-user-numeric t-socket-group t-memory-adopt-stale
t-restart-crash t-oom-kill-main t-reload-apply t-shutdown-supctl t-status-output
t-fdholder-exec t-fdholder-fallback t-exec-missing-binary"

passed=0 failed=0 skipped=0
failures=()
logdir=$(mktemp -d /tmp/supd-test-logs.XXXXXX)

count_line() {
	case $1 in
	PASS*) passed=$((passed + 1)) ;;
	FAIL*) failed=$((failed + 1)); failures+=("$1") ;;
	SKIP*) skipped=$((skipped + 1)) ;;
	esac
}

run_unit() {
	local bin out
	for bin in build/asan/tests/test-*; do
		[ -x "$bin" ] || continue
		[ -n "$pattern" ] && [[ $bin != *$pattern* ]] && continue
		out="$logdir/$(basename "$bin").log"
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			timeout 300 "$bin" >"$out" 2>&1
		local rc=$?
		while IFS= read -r line; do
			case $line in
			PASS*|FAIL*) echo "unit/$(basename "$bin") $line"; count_line "$line" ;;
			esac
		done <"$out"
		if [ $rc -ne 0 ] && ! grep -q '^FAIL' "$out"; then
			echo "FAIL unit/$(basename "$bin"): exited $rc"
			count_line "FAIL unit/$(basename "$bin")"
		fi
		grep -q '^FAIL' "$out" && sed 's/^/    /' "$out" | grep -v '^    PASS' | tail -20
	done
}

# run_e2e SUITE TEST... - each test against the sanitizer build, or for
# SUITE "release" against bin/supd and bin/supctl.
run_e2e() {
	local suite=$1 t name out rc
	shift
	for t in "$@"; do
		name=$(basename "$t" .sh)
		if [ ! -f "$t" ]; then
			count_line "FAIL $suite/$name"; echo "FAIL $suite/$name: no such test $t"
			continue
		fi
		[ -n "$pattern" ] && [[ $name != *$pattern* ]] && continue
		out="$logdir/$suite.$name.log"
		if [ "$suite" = release ]; then
			SUPD_TOP=$top SUPD_BIN=$top/bin/supd SUPCTL_BIN=$top/bin/supctl \
				timeout 180 bash "$t" >"$out" 2>&1
		else
			SUPD_TOP=$top timeout 180 bash "$t" >"$out" 2>&1
		fi
		rc=$?
		if [ $rc -eq 0 ]; then
			count_line "PASS"; echo "PASS $suite/$name"
		elif [ $rc -eq 77 ]; then
			count_line "SKIP"; echo "SKIP $suite/$name: $(tail -1 "$out")"
		else
			count_line "FAIL $suite/$name"; echo "FAIL $suite/$name (exit $rc)"
			sed 's/^/    /' "$out" | tail -30
		fi
	done
}

# A suite with its own runner that prints PASS/FAIL/SKIP lines (and, for
# reliability and fuzz, a summary table of its own).
run_script_suite() {
	local name=$1 script=$2
	shift 2
	[ -x "$script" ] || return 0
	local out="$logdir/$name.log"
	"$script" "$@" >"$out" 2>&1
	local rc=$?
	while IFS= read -r line; do
		case $line in
		PASS*|FAIL*|SKIP*) echo "$name/$line"; count_line "$line" ;;
		esac
	done <"$out"
	# The suite's own table, if it printed one.
	sed -n '/^TABLE/,/^END TABLE/p' "$out" | grep -v 'TABLE$' | sed 's/^/    /'
	if [ $rc -ne 0 ] && ! grep -q '^FAIL' "$out"; then
		count_line "FAIL $name"; echo "FAIL $name: runner exited $rc"
	fi
	grep -q '^FAIL' "$out" && sed 's/^/    /' "$out" | grep -v '^    PASS' | tail -30
}

run_vm() {
	[ -x tests/vm/run.sh ] || return 0
	local out="$logdir/vm.log"
	tests/vm/run.sh >"$out" 2>&1
	while IFS= read -r line; do
		case $line in
		PASS*|FAIL*|SKIP*) echo "vm/$line"; count_line "$line" ;;
		esac
	done <"$out"
	if grep -q '^FAIL' "$out" || ! grep -qE '^(PASS|SKIP)' "$out"; then
		grep -qE '^(PASS|FAIL|SKIP)' "$out" || { count_line "FAIL vm"; echo "FAIL vm: no verdict"; }
		sed 's/^/    /' "$out" | tail -40
	fi
}

for s in "${suites[@]}"; do
	case $s in
	unit) run_unit ;;
	e2e) run_e2e e2e tests/e2e/t-*.sh ;;
	release) run_e2e release $(printf 'tests/e2e/%s.sh ' $release_tests) ;;
	vm) run_vm ;;
	reliability) run_script_suite reliability tests/reliability/run.sh ;;
	fuzz) FUZZ_SECONDS=${FUZZ_SECONDS:-5} run_script_suite fuzz tests/fuzz/run.sh --ci ;;
	*) echo "unknown suite $s" >&2; exit 2 ;;
	esac
done

echo "logs: $logdir"
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
