#!/bin/bash
# `supd --check` reports every memory-size error with file:line, key and
# value, and exits 1; the same directory without them checks clean (0).
. "$(dirname "$0")/lib.sh"

printf '[Service]\nExecStart=/bin/sleep 1000\nMemoryMax=0\n' | unit zero
printf '[Service]\nExecStart=/bin/sleep 1000\n\nMemoryMax=12Q\n' | unit suffix service
printf '[Service]\nExecStart=/bin/sleep 1000\nMemoryLow=1M\nMemoryHigh=-1\n' | unit neg
printf '[Service]\nExecStart=/bin/sleep 1000\nMemoryMax=150%%\n' | unit pct
printf '[Service]\nExecStart=/bin/sleep 1000\nMemoryMax=50%%\nMemoryHigh=1.5G\n' | unit good

out=$("$SUPD" --check --conf-dir "$CONF" --cgroup-root "$CGROOT" 2>&1)
rc=$?
assert_eq "$rc" 1 "supd --check exit status with errors"
for e in "zero.conf:3: error: [Service] MemoryMax=0: " "suffix.service:4: error: [Service] MemoryMax=12Q: " \
	"neg.conf:4: error: [Service] MemoryHigh=-1: " "pct.conf:3: error: [Service] MemoryMax=150%: "; do
	grep -qF "$CONF/$e" <<<"$out" || fail "--check output lacks '$CONF/$e': $out"
done
grep -q "good" <<<"$out" && fail "--check complains about the good unit: $out"
rm "$CONF"/zero.conf "$CONF"/suffix.service "$CONF"/neg.conf "$CONF"/pct.conf
out=$("$SUPD" --check --conf-dir "$CONF" --cgroup-root "$CGROOT" 2>&1)
assert_eq "$?" 0 "supd --check exit status without errors ($out)"
pass
