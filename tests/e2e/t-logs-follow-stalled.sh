#!/bin/bash
# A `logs -f` client that stops reading while its service floods output is
# dropped by supd once its unread replies pass the limit (4 MiB), with a
# warning; supd stays responsive and other followers keep streaming.
. "$(dirname "$0")/lib.sh"

YES=$(command -v yes) || skip "no yes"
unit flood <<EOF
[Service]
AutoStart=no
ExecStart=$YES flood-flood-flood-flood-flood-flood-flood-flood-flood-flood-flood
LogMaxBytes=1M
LogBackups=1
EOF
supd_start
ctl start flood || fail "start flood failed"
"$SUPCTL" -s "$SOCK" logs flood -f >"$T/stalled.out" 2>&1 &
stalled=$!
"$SUPCTL" -s "$SOCK" logs flood -f 2>/dev/null | tail -c 4096 >"$T/live.out" &
wait_for 5 test -s "$T/stalled.out" || fail "the follower got nothing"
kill -STOP "$stalled"
wait_for 20 bash -c "grep -qi 'drop' '$T/supd.log'" || fail "stalled follower never dropped: $(tail -3 "$T/supd.log")"
grep -i drop "$T/supd.log" | sed 's/^/# /' | head -3
start=$(date +%s%N)
ctl_ok status flood || fail "status failed while a follower is stalled"
took=$((($(date +%s%N) - start) / 1000000))
[ "$took" -lt 1000 ] || fail "status took ${took}ms"
ctl stop flood || fail "stop failed"
kill -CONT "$stalled"
wait_for 10 bash -c "! kill -0 $stalled 2>/dev/null" || fail "the dropped follower did not end"
wait "$stalled"
log "dropped follower exited $?"
# The other follower got the flood.
ctl shutdown
wait_for 15 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || fail "supd did not exit"
wait
grep -q flood-flood "$T/live.out" || fail "the reading follower got nothing"
pass
