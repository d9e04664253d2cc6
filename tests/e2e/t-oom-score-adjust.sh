#!/bin/bash
# OOMScoreAdjust=500 is applied to the service before exec: the main
# process and the children it forks show 500 in /proc/PID/oom_score_adj,
# supd's own value is untouched, and a service without the key gets the
# value supd inherited (not the -1000 supd may have given itself).
. "$(dirname "$0")/lib.sh"

unit adj <<EOF
[Service]
ExecStart=/bin/bash -c 'sleep 1000 & echo \$! >$T/adj-child.pid; wait'
OOMScoreAdjust=500
EOF
unit plain <<EOF
[Service]
ExecStart=/bin/bash -c 'sleep 1000 & echo \$! >$T/plain-child.pid; wait'
EOF
supd_start
for s in adj plain; do
	wait_for 10 state_is $s running || fail "$s not running"
	wait_for 10 test -s "$T/$s-child.pid" || fail "$s: no child pid"
done
own=$(cat /proc/"$SUPD_PID"/oom_score_adj)
inherited=$(cat /proc/$$/oom_score_adj)
pid=$(pid_of adj)
child=$(cat "$T/adj-child.pid")
assert_eq "$(cat /proc/"$pid"/oom_score_adj)" 500 "oom_score_adj of the main process"
assert_eq "$(cat /proc/"$child"/oom_score_adj)" 500 "oom_score_adj of its child"
[ "$own" = 500 ] && fail "supd's own oom_score_adj became 500"
pid=$(pid_of plain)
child=$(cat "$T/plain-child.pid")
assert_eq "$(cat /proc/"$pid"/oom_score_adj)" "$inherited" "oom_score_adj of a service without the key (supd's inherited one; supd has $own)"
assert_eq "$(cat /proc/"$child"/oom_score_adj)" "$inherited" "oom_score_adj of its child"
pass
