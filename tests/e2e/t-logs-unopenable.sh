#!/bin/bash
# A service whose log file cannot be opened (a directory is in the way)
# fails to start with result resources and an error naming the file;
# other services run; once the obstacle is gone it starts.
. "$(dirname "$0")/lib.sh"

unit blocked <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo running; exec sleep 1000'
EOF
unit other <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
mkdir "$LOGDIR/blocked.log"
supd_start
wait_for 10 state_is other running || fail "other not running"
wait_for 10 state_is blocked failed || fail "blocked: $(state_of blocked)"
assert_eq "$(result_of blocked)" resources "result"
svc_json blocked .error | grep -q "blocked\.log" || fail "error does not name the log file: $(svc_json blocked .error)"
rmdir "$LOGDIR/blocked.log"
ctl start blocked || fail "start after the obstacle went failed"
wait_for 5 file_has "$LOGDIR/blocked.log" running || fail "no output in the log"
pass
