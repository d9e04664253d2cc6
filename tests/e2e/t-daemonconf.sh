#!/bin/bash
# supd.conf: Default*= keys are the units' defaults (a unit's own key
# wins), paths come from the file, command-line options override them, an
# invalid value is an error with file:line and supd does not start.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/conf-from-file" "$T/log-from-file"
cat >"$T/supd.conf" <<EOF
[supd]
ConfDir=$T/conf-from-file
LogDir=$T/log-from-file
Socket=$T/from-file.sock
DefaultRestartSec=1500ms
DefaultStartLimitBurst=2
DefaultStartLimitIntervalSec=60s
DefaultTimeoutStopSec=1s
EOF
cat >"$T/svc.sh" <<'EOF'
echo "started $$"
exit 1
EOF
# Uses the defaults: 1.5s between restarts, start limit after 2 starts.
unit dflt <<EOF
[Service]
ExecStart=/bin/sh $T/svc.sh
Restart=always
EOF
# Its own keys win.
unit own <<EOF
[Unit]
StartLimitBurst=0
[Service]
ExecStart=/bin/sh -c 'trap "" TERM; echo own; exec sleep 1000'
TimeoutStopSec=3s
EOF
# stubborn ignores SIGTERM: the default TimeoutStopSec=1s applies.
unit stubborn <<'EOF'
[Service]
ExecStart=/bin/sh -c 'trap "" TERM; echo stubborn; while :; do sleep 0.1; done'
EOF
# --conf-dir, --log-dir, --socket override the file; nothing may appear
# in the file's directories.
supd_start -c "$T/supd.conf"
[ -e "$T/from-file.sock" ] && fail "Socket= from the file used despite --socket"
wait_for 10 state_is stubborn running || fail "stubborn not running"
wait_for 10 state_is own running || fail "own not running"
wait_for 5 file_has "$LOGDIR/stubborn.log" stubborn || fail "stubborn: no output in --log-dir"
wait_for 5 file_has "$LOGDIR/own.log" own || fail "own: no output in --log-dir"
[ -z "$(ls "$T/log-from-file")" ] || fail "LogDir= from the file used despite --log-dir"
start=$(date +%s%N)
ctl stop stubborn
took=$((($(date +%s%N) - start) / 1000000))
log "stubborn stopped after ${took}ms (DefaultTimeoutStopSec=1s)"
[ "$took" -ge 900 ] && [ "$took" -lt 2500 ] || fail "stubborn stopped after ${took}ms, DefaultTimeoutStopSec=1s"
start=$(date +%s%N)
ctl stop own
took=$((($(date +%s%N) - start) / 1000000))
log "own stopped after ${took}ms (TimeoutStopSec=3s)"
[ "$took" -ge 2900 ] || fail "own stopped after ${took}ms, its own TimeoutStopSec=3s"
wait_for 10 bash -c "[ \"\$($SUPCTL -s $SOCK --json status dflt | jq -r '.services[0].result')\" = start-limit-hit ]" ||
	fail "dflt: no start-limit-hit with DefaultStartLimitBurst=2: $(state_of dflt)/$(result_of dflt)"
assert_eq "$(grep -c started "$LOGDIR/dflt.log")" 2 "dflt: starts"
ts() { grep started "$LOGDIR/dflt.log" | awk '{ split($1, a, "T"); split(a[2], b, ":");
	sub("Z", "", b[3]); printf "%.3f\n", b[1] * 3600 + b[2] * 60 + b[3] }'; }
gap=$(ts | awk 'NR == 1 { a = $1 } NR == 2 { printf "%.3f", $1 - a }')
awk -v g="$gap" 'BEGIN { exit !(g >= 1.45 && g < 2.5) }' || fail "dflt restarted after ${gap}s, DefaultRestartSec=1500ms"
ctl shutdown
wait_for 15 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || fail "supd did not exit"

# An invalid value in supd.conf: error with file:line, supd does not start.
cat >"$T/bad.conf" <<'EOF'
[supd]
DefaultRestartSec=1 fortnight
DefaultStartLimitBurst=lots
EOF
timeout -k 1 10 "$SUPD" -c "$T/bad.conf" --conf-dir "$CONF" --socket "$SOCK" --log-dir "$LOGDIR" \
	--state-dir "$STATEDIR" --cgroup-root "$CGROOT" >"$T/bad.out" 2>&1
rc=$?
sed 's/^/# /' "$T/bad.out"
[ "$rc" -ne 0 ] && [ "$rc" -lt 124 ] || fail "supd with a bad supd.conf exited $rc"
grep -q "bad\.conf:2.*DefaultRestartSec" "$T/bad.out" || fail "no error for bad.conf:2"
grep -q "bad\.conf:3.*DefaultStartLimitBurst" "$T/bad.out" || fail "no error for bad.conf:3"
[ -e "$SOCK" ] && fail "supd with a bad supd.conf created its socket"
pass
