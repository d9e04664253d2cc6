#!/bin/bash
# supd with too few file descriptors (ulimit -n 48) and 30 services: the
# services that do not fit fail with result resources and "Too many open
# files" in status and the log, supd keeps answering (also after a burst
# of connections at the limit), and freed descriptors are used again.
. "$(dirname "$0")/lib.sh"

for i in $(seq -w 30); do
	unit s$i <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
done
real=$SUPD
printf '#!/bin/sh\nulimit -n 48 || exit 111\nexec "%s" "$@"\n' "$real" >"$T/supd-few-fds"
chmod +x "$T/supd-few-fds"
SUPD=$T/supd-few-fds
supd_start
assert_eq "$(awk '/Max open files/ { print $4 }' "/proc/$SUPD_PID/limits")" 48 "supd's fd limit"
settled() {
	[ "$(ctl --json status | jq '[.services[] | select(.state == "running" or .state == "failed")] | length')" = 30 ]
}
wait_for 15 settled || fail "services did not settle: $(ctl status)"
json=$(ctl --json status)
running=$(jq '[.services[] | select(.state == "running")] | length' <<<"$json")
failed=$(jq '[.services[] | select(.state == "failed" and .result == "resources")] | length' <<<"$json")
toomany=$(jq '[.services[] | select(.error != null and (.error | test("Too many open files")))] | length' <<<"$json")
rel_fault "$failed"
rel_note "ulimit -n 48, 30 services: $running running, $failed failed (resources), $(supd_fds) fds open"
[ "$running" -ge 1 ] || fail "no service runs"
[ "$failed" -ge 1 ] || fail "no service failed at the fd limit: raise the service count"
assert_eq $((running + failed)) 30 "running + failed"
assert_eq "$toomany" "$failed" "failed services whose error says Too many open files"
grep -q 'Too many open files' "$T/supd.log" || fail "supd's log does not say why"
# Clients at the limit: supd must not die or stop accepting for good.
"$HOSTILE" -s "$SOCK" -t 20 burst 200 20 >"$T/burst.out" 2>&1
rel_case 200
log "$(cat "$T/burst.out")"
wait_for 5 ctl_ok status || fail "status not served after a burst at the fd limit"
# Freed descriptors are used again: stop the running ones, start as many
# of the failed ones.
names_running=$(jq -r '.services[] | select(.state == "running") | .name' <<<"$json")
names_failed=$(jq -r '.services[] | select(.state == "failed") | .name' <<<"$json" | head -n "$running")
out=$(timeout 20 "$SUPCTL" -s "$SOCK" stop $names_running 2>&1) || fail "stop of the running ones at the fd limit (rc $?): $out"
ctl reset-failed $names_failed >/dev/null
out=$(ctl start $names_failed 2>&1) || fail "start after fds were freed: $out"
for s in $names_failed; do
	assert_eq "$(state_of $s)" running "$s after fds were freed"
done
# The state file is current again (its write may have failed at the limit).
p=$(pid_of $(head -1 <<<"$names_failed"))
wait_for 5 grep -q "$p" "$STATEDIR/state.json" || fail "state.json does not hold the new pid $p"
assert_alive "too few file descriptors"
pass
