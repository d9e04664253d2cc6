#!/bin/bash
# Invalid JSON, wrong types, bad versions, unknown commands, binary
# garbage and invalid UTF-8 on one connection: each gets its documented
# error code, the connection stays usable, supd and its services carry on.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
supd_start
wait_for 10 state_is web running || fail "web not running"
pid=$(pid_of web)
out=$("$HOSTILE" -s "$SOCK" -t 30 junk 2>&1)
rc=$?
echo "$out"
n=$(sed -n 's/^junk cases=\([0-9]*\).*/\1/p' <<<"$out")
rel_case "${n:-0}"
[ $rc -eq 0 ] || fail "junk requests: $(grep -v '^junk cases' <<<"$out" | head -5)"
# The same junk from 50 clients at once, then hang up without reading.
pids=()
for i in $(seq 50); do
	printf '{"v":1,"cmd":"nope"}\n{]\n\0\0\n{"v":1,"cmd":"status"}\n' |
		"$HOSTILE" -s "$SOCK" -t 10 send 0 >/dev/null 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
rel_case 50
assert_eq "$(pid_of web)" "$pid" "web's pid after the junk"
assert_eq "$(state_of web)" running "web after the junk"
assert_alive "junk requests"
pass
