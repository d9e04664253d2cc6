#!/bin/bash
# `make soak`: the long reliability runs that do not fit in `make test`.
#   1. 10,000 crash/restart cycles across 50 services, sanitizer build
#      (zombies, fds, cgroups, RSS back to baseline, ASan/UBSan silent);
#   2. the same with the release bin/supd (RSS back to baseline, strict);
#   3. valgrind memcheck of bin/supd over 2,000 cycles (clean);
#   4. the 60 s idle timeout of control connections;
#   5. the tests of open bugs listed in tests/reliability/known-bugs.
# SOAK_CYCLES, SOAK_SERVICES and SOAK_VALGRIND_CYCLES change the sizes.
# Prints PASS/FAIL lines and the suite's table; exit 0 when all pass.
set -u
cd "$(dirname "$0")/../.."
top=$PWD
for b in bin/supd build/asan/bin/supd build/asan/bin/supctl build/asan/tests/helpers/hostile; do
	[ -x "$b" ] || { echo "FAIL build: $b missing (make all && make SANITIZE=1 test-bins)"; exit 1; }
done
cycles=${SOAK_CYCLES:-10000}
nsvc=${SOAK_SERVICES:-50}
vgcycles=${SOAK_VALGRIND_CYCLES:-2000}
export REL_STATS
REL_STATS=$(mktemp /tmp/supd-soak.XXXXXX)
logdir=$(mktemp -d /tmp/supd-soak-logs.XXXXXX)
failed=0
t0=$SECONDS

run() { # name env... script
	local name=$1 out rc start=$SECONDS
	shift
	out=$logdir/$name.log
	env SUPD_TOP="$top" "$@" >"$out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "PASS $name ($((SECONDS - start))s): $(grep -h '^SOAK\|^# idle' "$out" | head -1)"
	elif [ $rc -eq 77 ]; then
		echo "SKIP $name: $(grep '^SKIP' "$out" | tail -1)"
	else
		echo "FAIL $name: $(grep -m1 '^FAIL' "$out" | sed 's/^FAIL: //')"
		sed 's/^/    /' "$out" | tail -40
		failed=$((failed + 1))
	fi
}
run soak-asan SOAK_NAME=soak-asan SOAK_CYCLES=$cycles SOAK_SERVICES=$nsvc SOAK_MODE=asan \
	timeout $((cycles / 20 + 600)) bash tests/reliability/soak-run.sh
run soak-release SOAK_NAME=soak-release SOAK_CYCLES=$cycles SOAK_SERVICES=$nsvc SOAK_MODE=release \
	timeout $((cycles / 20 + 600)) bash tests/reliability/soak-run.sh
run soak-valgrind SOAK_NAME=soak-valgrind SOAK_CYCLES=$vgcycles SOAK_SERVICES=$nsvc SOAK_MODE=valgrind \
	timeout $((vgcycles / 5 + 600)) bash tests/reliability/soak-run.sh
run idle-timeout timeout 200 bash tests/reliability/long-idle-timeout.sh
# The tests of open bugs that `make test` skips (tests/reliability/known-bugs).
while read -r known _; do
	case $known in ''|\#*) continue ;; esac
	run "$known" timeout 120 bash "tests/reliability/$known.sh"
done <tests/reliability/known-bugs

echo "TABLE"
awk -v secs=$((SECONDS - t0)) '
$1 == "STAT" { c += $3; f += $4; s += $5; sl += $6; dl += $7 }
$1 == "NOTE" { sub(/^NOTE /, ""); notes[n++] = $0 }
END {
	printf "%-12s %8s %7s %9s %14s %10s\n", "suite", "cases", "faults", "survived", "services-lost", "data-lost"
	printf "%-12s %8d %7d %9d %14d %10d\n", "soak", c, f, s, sl, dl
	for (i = 0; i < n; i++) print "  " notes[i]
	printf "(%d s)\n", secs
}' "$REL_STATS"
echo "END TABLE"
rm -f "$REL_STATS"
[ $failed -eq 0 ] && rm -rf "$logdir" || echo "logs: $logdir"
[ $failed -eq 0 ]
