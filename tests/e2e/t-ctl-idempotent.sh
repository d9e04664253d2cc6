#!/bin/bash
# start on a running service and stop on a stopped one succeed and change
# nothing; restart on a stopped or failed service starts it.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
unit once <<EOF
[Service]
ExecStart=/bin/sh -c 'test -f $T/ok || exit 1; exec sleep 1000'
EOF
supd_start
wait_for 10 state_is web running || fail "web not running"
pid=$(pid_of web)
ctl start web || fail "start of a running service failed"
assert_eq "$(pid_of web)" "$pid" "pid after start of a running service"
assert_eq "$(grep -c "web: started" "$T/supd.log")" 1 "starts of web"
ctl stop web || fail "stop failed"
ctl stop web || fail "stop of a stopped service failed"
assert_eq "$(state_of web)" stopped "state"
ctl restart web || fail "restart of a stopped service failed"
assert_eq "$(state_of web)" running "state after restart of a stopped service"
wait_for 10 state_is once failed || fail "once: not failed"
touch "$T/ok"
ctl restart once || fail "restart of a failed service failed"
assert_eq "$(state_of once)" running "state after restart of a failed service"
pass
