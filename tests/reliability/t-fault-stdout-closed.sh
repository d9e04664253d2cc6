#!/bin/bash
# A service that closes its stdout and stderr at once keeps running, and
# supd does not spin on the pipe's end-of-file (its CPU time stays flat).
. "$(dirname "$0")/lib.sh"

unit closer <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'echo before; exec >&- 2>&-; exec sleep 1000'
EOF2
unit halfcloser <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'exec 1>&-; echo on-stderr >&2; exec sleep 1000'
EOF2
supd_start
rel_fault 2
wait_for 10 state_is closer running || fail "closer not running"
wait_for 10 file_has "$LOGDIR/closer.log" before || fail "closer's line before closing not logged"
wait_for 10 file_has "$LOGDIR/halfcloser.log" on-stderr || fail "halfcloser's stderr not logged"
pid=$(pid_of closer)
cpu() { awk '{ print $14 + $15 }' "/proc/$SUPD_PID/stat"; }
c0=$(cpu)
sleep 1 # proves supd stays idle for a second (bounded, <= 2 s)
c1=$(cpu)
rel_note "supd CPU over 1 s with closed output pipes: $((c1 - c0)) ticks"
[ $((c1 - c0)) -le 10 ] || fail "supd used $((c1 - c0)) ticks in 1 s: spinning on a closed pipe?"
assert_eq "$(pid_of closer)" "$pid" "closer's pid"
assert_eq "$(state_of halfcloser)" running "halfcloser"
ctl stop closer halfcloser >/dev/null || fail "stop"
assert_eq "$(result_of closer)" success "closer's result"
assert_alive "services that close their output"
pass
