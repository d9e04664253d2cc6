#!/bin/bash
# Output that does not end with a newline is logged as its own line when
# the run ends: it is not held back until the next run and never glued to
# the next run's first line.
. "$(dirname "$0")/lib.sh"

unit p <<'EOF'
[Service]
Type=oneshot
AutoStart=no
ExecStart=/bin/sh -c 'echo first line; printf "no newline at the end"'
EOF
supd_start
ctl start p || fail "start 1 failed"
assert_eq "$(state_of p)" exited "state after run 1"
wait_for 5 file_has "$LOGDIR/p.log" "no newline at the end" ||
	fail "unterminated output of a finished run not logged: $(cat "$LOGDIR/p.log")"
ctl start p || fail "start 2 failed"
wait_for 5 bash -c "[ \$(grep -c 'first line' '$LOGDIR/p.log') -ge 2 ]" || fail "run 2 not logged"
ts='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z '
assert_eq "$(grep -cE "${ts}first line\$" "$LOGDIR/p.log")" 2 "'first line' lines of their own: $(cat "$LOGDIR/p.log")"
pass
