#!/bin/bash
# An idle supd makes no wakeups: with 5 idle services under memory limits
# (each with its OOM event source registered), supd's context switches
# (voluntary + involuntary, all its threads) do not move over 3 s.
. "$(dirname "$0")/lib.sh"

for i in 1 2 3 4 5; do
	unit "idle$i" <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=64M
MemoryHigh=48M
OOMPolicy=stop
EOF
done
supd_start
for i in 1 2 3 4 5; do
	wait_for 10 state_is "idle$i" running || fail "idle$i not running"
done

switches() {
	cat /proc/"$SUPD_PID"/task/*/status 2>/dev/null |
		awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}
# Settled: the last supctl connection has been handled (two readings 200 ms
# apart agree).
settled() {
	local a
	a=$(switches)
	sleep 0.2
	[ "$(switches)" = "$a" ]
}
wait_for 10 settled || fail "supd never went quiet: $(switches) switches and counting"
before=$(switches)
# Proving that nothing happens: the quiet interval is the measurement itself.
sleep 3
after=$(switches)
if [ "$after" != "$before" ]; then
	cat /proc/"$SUPD_PID"/task/*/status | grep -E 'ctxt|^Name|^Pid' | sed 's/^/# after: /'
	fail "supd woke up $((after - before)) times in 3 s while idle"
fi
pass
