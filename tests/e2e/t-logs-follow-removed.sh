#!/bin/bash
# `supctl logs -f` of a service ends with exit 0 when a reload removes the
# service (supd closes the stream), and supd keeps serving others.
. "$(dirname "$0")/lib.sh"

unit doomed <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo hello; exec sleep 1000'
EOF
unit other <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
supd_start
wait_for 10 file_has "$LOGDIR/doomed.log" hello || fail "doomed: no output"
ctl logs doomed -f >"$T/follow.out" 2>&1 &
fpid=$!
wait_for 10 file_has "$T/follow.out" hello || fail "follower printed nothing"
rm "$CONF/doomed.conf"
ctl reload || fail "reload failed"
wait_for 10 bash -c "! kill -0 $fpid 2>/dev/null" || fail "follower still running after its service was removed"
wait "$fpid"
assert_eq "$?" 0 "exit code of logs -f when its service is removed"
assert_eq "$(state_of other)" running "other service"
pass
