#!/bin/bash
# (make soak only: it takes over a minute.)  Clients that connect and
# send nothing, or half a line, are closed by the 60 s idle timeout
# (PROTO_IDLE_TIMEOUT_MS), not before 60 s and not much after; a client
# waiting for a job is not.
. "$(dirname "$0")/lib.sh"

unit slow <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
ExecStartPre=/bin/sleep 70
TimeoutStartSec=120
AutoStart=no
EOF2
supd_start
t0=$SECONDS
"$HOSTILE" -s "$SOCK" -t 90 silent 80000 >"$T/silent.out" 2>&1 &
s=$!
printf '{"v":1,"cmd":"sta' | "$HOSTILE" -s "$SOCK" -t 90 send 80000 >/dev/null 2>&1 &
# A client waiting 70 s for a start job must not be cut at 60 s.
( "$SUPCTL" -s "$SOCK" start slow >"$T/start.out" 2>&1; echo "rc=$?" >>"$T/start.out" ) &
w=$!
rel_case 3
wait $s
took=$((SECONDS - t0))
log "$(cat "$T/silent.out") after ${took}s"
grep -q 'closed_by_supd=1' "$T/silent.out" || fail "an idle client was not closed within 80 s"
[ $took -ge 59 ] && [ $took -le 65 ] || fail "idle client closed after $took s (limit 60 s)"
wait $w
grep -q 'rc=0' "$T/start.out" || fail "a client waiting 70 s for its job was cut off: $(cat "$T/start.out")"
rel_note "idle clients closed after ${took} s; a 70 s job wait was not cut"
assert_alive "idle clients"
pass
