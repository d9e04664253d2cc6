#!/bin/bash
# EnvironmentFile= is read just before each start: a change to the file
# applies at the next start without a reload.
. "$(dirname "$0")/lib.sh"

echo "COLOR=red" >"$T/env"
unit paint <<EOF
[Service]
EnvironmentFile=$T/env
ExecStart=/bin/sh -c 'echo "color=\$\$COLOR"; exec sleep 1000'
EOF
supd_start
wait_for 10 file_has "$LOGDIR/paint.log" "color=red" || fail "first run: $(cat "$LOGDIR/paint.log")"
echo "COLOR=blue" >"$T/env"
ctl restart paint || fail "restart failed"
wait_for 5 file_has "$LOGDIR/paint.log" "color=blue" || fail "second run did not re-read the file: $(cat "$LOGDIR/paint.log")"
assert_eq "$(svc_json paint .pending_restart)" false "pending_restart (the unit did not change)"
pass
