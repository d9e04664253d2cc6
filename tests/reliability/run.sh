#!/bin/bash
# The reliability suite (issue 6): hostile clients, injected faults and
# supd's own death, each test a script tests/reliability/t-*.sh against the
# real supd on real cgroups.  Prints "PASS name", "FAIL name: why" or
# "SKIP name: why" per test, then a table between "TABLE" and "END TABLE":
# cases tried, faults injected, survived, services lost, data lost.
# Usage: tests/reliability/run.sh [-k PATTERN] [-v]
set -u
cd "$(dirname "$0")/../.."
top=$PWD
pattern="" verbose=0
while [ $# -gt 0 ]; do
	case $1 in
	-k) pattern=$2; shift 2 ;;
	-v) verbose=1; shift ;;
	*) echo "usage: $0 [-k PATTERN] [-v]" >&2; exit 2 ;;
	esac
done
for b in build/asan/bin/supd build/asan/bin/supctl build/asan/tests/helpers/hostile; do
	if [ ! -x "$b" ]; then
		echo "FAIL build: $b missing (make SANITIZE=1 test-bins)"
		exit 1
	fi
done
export REL_STATS
REL_STATS=$(mktemp /tmp/supd-reliability.XXXXXX)
logdir=$(mktemp -d /tmp/supd-reliability-logs.XXXXXX)
t0=$SECONDS
failed=0
for t in tests/reliability/t-*.sh; do
	name=$(basename "$t" .sh)
	[ -n "$pattern" ] && [[ $name != *$pattern* ]] && continue
	out=$logdir/$name.log
	known=$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ +/, ""); print }' tests/reliability/known-bugs 2>/dev/null)
	if [ -n "$known" ] && [ "${RELIABILITY_KNOWN:-0}" != 1 ]; then
		echo "SKIP $name: known bug: $known (run by make soak)"
		continue
	fi
	start=$SECONDS
	SUPD_TOP=$top timeout 120 bash "$t" >"$out" 2>&1
	rc=$?
	took=$((SECONDS - start))
	if [ $rc -eq 0 ]; then
		echo "PASS $name (${took}s)"
	elif [ $rc -eq 77 ]; then
		echo "SKIP $name: $(grep '^SKIP' "$out" | tail -1 | sed 's/^SKIP: //')"
	else
		why=$(grep -m1 '^FAIL' "$out" | sed 's/^FAIL: //')
		[ $rc -eq 124 ] && why="timed out after 120 s"
		echo "FAIL $name: ${why:-exit $rc}"
		sed 's/^/    /' "$out" | tail -40
		failed=$((failed + 1))
	fi
	[ $verbose -eq 1 ] && sed 's/^/    /' "$out"
done

# The table: one row per area (the test name's first word), then totals.
echo "TABLE"
awk -v secs=$((SECONDS - t0)) '
$1 == "STAT" {
	split($2, w, "-"); a = w[2]
	if (!(a in cases)) order[n++] = a
	cases[a] += $3; faults[a] += $4; surv[a] += $5; slost[a] += $6; dlost[a] += $7
	tc += $3; tf += $4; ts += $5; tsl += $6; tdl += $7
}
$1 == "NOTE" { notes[nn++] = $0 }
END {
	printf "%-12s %6s %7s %9s %14s %10s\n", "area", "cases", "faults", "survived", "services-lost", "data-lost"
	for (i = 0; i < n; i++) {
		a = order[i]
		printf "%-12s %6d %7d %9d %14d %10d\n", a, cases[a], faults[a], surv[a], slost[a], dlost[a]
	}
	printf "%-12s %6d %7d %9d %14d %10d\n", "total", tc, tf, ts, tsl, tdl
	for (i = 0; i < nn; i++) { sub(/^NOTE /, "", notes[i]); print "  " notes[i] }
	printf "(%d s)\n", secs
}' "$REL_STATS"
echo "END TABLE"
rm -f "$REL_STATS"
if [ $failed -eq 0 ]; then
	rm -rf "$logdir"
else
	echo "logs: $logdir"
fi
[ $failed -eq 0 ]
