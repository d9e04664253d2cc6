#!/bin/bash
# User= and Group= given as numbers work like names; with a passwd entry
# for the uid, USER/LOGNAME/HOME/SHELL come from it, as systemd sets them
# (it looks the entry up by uid).
. "$(dirname "$0")/lib.sh"

id nobody >/dev/null 2>&1 || skip "no user nobody"
uid=$(id -u nobody)
name=$(awk -F: -v u="$uid" '$3 == u { print $1; exit }' /etc/passwd)
home=$(awk -F: -v u="$uid" '$3 == u { print $6; exit }' /etc/passwd)
unit num <<EOF
[Service]
User=$uid
Group=$uid
ExecStart=/bin/sh -c 'echo "ids=\$\$(id -u):\$\$(id -g) user=\$\$USER logname=\$\$LOGNAME home=\$\$HOME"; exec sleep 1000'
EOF
supd_start
wait_for 10 state_is num running || fail "num: $(state_of num) $(svc_json num .error)"
wait_for 5 file_has "$LOGDIR/num.log" "ids=" || fail "no output"
assert_eq "$(grep -o 'ids=.*' "$LOGDIR/num.log")" "ids=$uid:$uid user=$name logname=$name home=$home" "identity"
pass
