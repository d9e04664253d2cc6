#!/bin/bash
# A reload that changes a service waiting in auto-restart applies at the
# automatic restart; one that removes such a service cancels its restart.
. "$(dirname "$0")/lib.sh"

for s in change drop; do
	unit "$s" <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo "version=$V"; exit 1'
Environment=V=1
Restart=always
RestartSec=4s
EOF
done
supd_start
wait_for 10 state_is change auto-restart || fail "change not in auto-restart"
wait_for 10 state_is drop auto-restart || fail "drop not in auto-restart"
unit change <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo "version=$V"; exec sleep 1000'
Environment=V=2
Restart=always
RestartSec=4s
EOF
rm "$CONF/drop.conf"
ctl reload || fail "reload failed"
ctl_ok status drop && fail "drop still loaded after the reload"
wait_for 10 state_is change running || fail "change: $(state_of change)"
wait_for 5 file_has "$LOGDIR/change.log" "version=2" || fail "the restart used the old unit: $(cat "$LOGDIR/change.log")"
assert_eq "$(svc_json change .pending_restart)" false "pending_restart after the restart"
# The removed service never ran again (its restart was 4s after its exit).
assert_eq "$(grep -c version= "$LOGDIR/drop.log")" 1 "runs of the removed service"
pass
