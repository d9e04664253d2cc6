#!/bin/sh
# make bench: install the peers when missing, build the bench's two C
# programs into bench/results/bin, and run every scenario (QUICK=1: short).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_RESULTS:-$here/results}
"$here/deps.sh"
mkdir -p "$out/bin"
# Two benches at once would move each other's figures: one at a time.
exec 9>"$out/.lock"
if ! flock -n 9; then
	echo "bench: another bench is running; waiting for it" >&2
	flock -w 1200 9 || { echo "bench: gave up waiting" >&2; exit 1; }
fi
cc=${CC:-cc}
# The service is static so that almost nothing runs before its main().
# Built aside and renamed: a bench still running keeps its binaries.
$cc -O2 -Wall -Wextra -static -o "$out/bin/stamp.$$" "$here/stamp.c"
$cc -O2 -Wall -Wextra -o "$out/bin/floor.$$" "$here/floor.c"
mv -f "$out/bin/stamp.$$" "$out/bin/stamp"
mv -f "$out/bin/floor.$$" "$out/bin/floor"
PYTHONDONTWRITEBYTECODE=1 exec python3 "$here/bench.py"
