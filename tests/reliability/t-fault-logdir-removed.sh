#!/bin/bash
# The log directory is removed while services write to it: supd keeps
# running, notices, and the services' later lines land in a new
# LOGDIR/NAME.log again (not in an unlinked file nobody can read).
. "$(dirname "$0")/lib.sh"

unit tick <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done'
EOF2
unit quiet <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'echo hello; exec sleep 1000'
EOF2
supd_start
wait_for 10 file_has "$LOGDIR/tick.log" 'tick 3$' || fail "tick not logging"
wait_for 10 file_has "$LOGDIR/quiet.log" hello || fail "quiet not logging"
rel_fault
rm -rf "$LOGDIR"
wait_for 10 file_has "$LOGDIR/tick.log" tick || fail "tick's lines not logged in a new $LOGDIR/tick.log"
ctl logs -n 3 tick | grep -q tick || fail "logs tick after the removal"
grep -i "tick.*$LOGDIR\|$LOGDIR" "$T/supd.log" | grep -qi 'warn\|remov\|recreat\|reopen\|gone' ||
	fail "supd's log does not mention the removed log directory"
# A service started afterwards gets its log too.
ctl restart quiet >/dev/null || fail "restart quiet"
wait_for 10 file_has "$LOGDIR/quiet.log" hello || fail "quiet's log not recreated after restart"
assert_eq "$(state_of tick)" running "tick"
assert_alive "the log directory removed"
pass
