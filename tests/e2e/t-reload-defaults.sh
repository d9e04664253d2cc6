#!/bin/bash
# `supctl reload` re-reads the Default*= keys of supd.conf: a unit that
# relies on DefaultTimeoutStopSec= gets the new value at its next start.
# A broken supd.conf makes the reload fail and change nothing.
. "$(dirname "$0")/lib.sh"

cat >"$T/supd.conf" <<'EOF'
[supd]
DefaultTimeoutStopSec=6s
EOF
unit stubborn <<'EOF'
[Service]
AutoStart=no
ExecStart=/bin/sh -c 'trap "" TERM; echo ready; while :; do sleep 0.1; done'
EOF
supd_start -c "$T/supd.conf"
# A broken supd.conf: refused, as a unit error would be.
cat >"$T/supd.conf" <<'EOF'
[supd]
DefaultTimeoutStopSec=1s
DefaultRestartSec=whenever
EOF
out=$(ctl reload 2>&1) && fail "reload with a broken supd.conf succeeded"
echo "$out" | grep -q "supd\.conf:3" || fail "reload error does not name supd.conf:3: $out"
cat >"$T/supd.conf" <<'EOF'
[supd]
DefaultTimeoutStopSec=1s
EOF
ctl reload || fail "reload failed"
ctl start stubborn || fail "start failed"
wait_for 5 file_has "$LOGDIR/stubborn.log" ready || fail "not ready"
start=$(date +%s%N)
ctl stop stubborn
took=$((($(date +%s%N) - start) / 1000000))
log "stop took ${took}ms"
[ "$took" -ge 900 ] && [ "$took" -lt 3000 ] || fail "stop took ${took}ms: DefaultTimeoutStopSec=1s from the reload not applied"
pass
