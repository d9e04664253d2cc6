#!/bin/bash
# User=nobody runs the service as nobody (uid, gid of nobody's group,
# supplementary groups of nobody only); its output is still captured.
. "$(dirname "$0")/lib.sh"

id nobody >/dev/null 2>&1 || skip "no user nobody"
uid=$(id -u nobody)
gid=$(id -g nobody)
unit lowly <<'EOF'
[Service]
User=nobody
ExecStartPre=/bin/sh -c 'echo "pre-uid=$$(id -u)"'
ExecStart=/bin/sh -c 'echo "ids=$$(id -u):$$(id -g):$$(id -G)"; exec sleep 1000'
EOF
supd_start
wait_for 10 state_is lowly running || fail "lowly: expected running, got $(state_of lowly) $(svc_json lowly .error)"
wait_for 5 file_has "$LOGDIR/lowly.log" "ids=" || fail "no output captured"
assert_eq "$(grep -o 'ids=.*' "$LOGDIR/lowly.log")" "ids=$uid:$gid:$(id -G nobody)" "ids"
assert_eq "$(grep -o 'pre-uid=.*' "$LOGDIR/lowly.log")" "pre-uid=$uid" "ExecStartPre's uid"
pid=$(pid_of lowly)
assert_eq "$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "/proc/$pid/status")" "$uid$uid$uid$uid" "real/effective/saved/fs uid"
# Group= alone: root's uid, that group as gid and the only group.
ggid=$(awk -F: '$1 == "users" { print $3 }' /etc/group)
if [ -n "$ggid" ]; then
	unit grouped <<'EOF'
[Service]
Group=users
ExecStart=/bin/sh -c 'echo "ids=$$(id -u):$$(id -g):$$(id -G)"; exec sleep 1000'
EOF
	ctl reload || fail "reload failed"
	wait_for 10 file_has "$LOGDIR/grouped.log" "ids=" || fail "grouped: no output ($(state_of grouped) $(svc_json grouped .error))"
	assert_eq "$(grep -o 'ids=.*' "$LOGDIR/grouped.log")" "ids=0:$ggid:$ggid" "Group=users ids"
fi
unit badguy <<'EOF'
[Service]
User=no-such-user-here
ExecStart=/bin/sleep 1000
EOF
ctl reload || fail "reload failed"
wait_for 10 bash -c "s=\$($SUPCTL -s $SOCK --json status badguy | jq -r '.services[0].state'); [ \"\$s\" = failed ] || [ \"\$s\" = bad-config ]" ||
	fail "badguy: $(state_of badguy)"
svc_json badguy '.error' | grep -q "no-such-user-here" || fail "badguy: error does not name the user: $(svc_json badguy .error)"
pass
