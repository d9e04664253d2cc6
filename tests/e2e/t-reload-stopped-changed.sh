#!/bin/bash
# A reload that changes a service which is not running applies at once:
# no pending restart, and the next start uses the new settings.
. "$(dirname "$0")/lib.sh"

unit idle <<'EOF'
[Service]
AutoStart=no
ExecStart=/bin/sh -c 'echo "version=$V"; exec sleep 1000'
Environment=V=1
EOF
supd_start
assert_eq "$(state_of idle)" stopped "idle before the reload"
unit idle <<'EOF'
[Service]
AutoStart=no
ExecStart=/bin/sh -c 'echo "version=$V"; exec sleep 1000'
Environment=V=2
EOF
ctl reload || fail "reload failed"
assert_eq "$(svc_json idle .pending_restart)" false "pending_restart of a stopped service"
assert_eq "$(state_of idle)" stopped "a reload does not start a changed stopped service"
ctl start idle || fail "start failed"
wait_for 5 file_has "$LOGDIR/idle.log" "version=" || fail "no output"
grep -q "version=2\$" "$LOGDIR/idle.log" || fail "old settings used: $(grep version= "$LOGDIR/idle.log")"
pass
