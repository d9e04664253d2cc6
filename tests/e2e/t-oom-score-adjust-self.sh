#!/bin/bash
# supd, the recovery agent, sets its own oom_score_adj to -1000 when it
# can; when the kernel refuses, it says so plainly, once, with the reason.
. "$(dirname "$0")/lib.sh"

unit idle <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
supd_start
wait_for 10 state_is idle running || fail "idle not running"
own=$(cat /proc/"$SUPD_PID"/oom_score_adj)
n=$(grep -c "oom_score_adj" "$T/supd.log")
if [ "$own" = -1000 ]; then
	log "supd runs with oom_score_adj -1000"
else
	assert_eq "$n" 1 "lines about supd's own oom_score_adj (it is $own)"
	line=$(grep "oom_score_adj" "$T/supd.log")
	[[ $line == *-1000* && $line == *"Permission denied"* ]] ||
		fail "the line does not give the value and the kernel's reason: $line"
	# A service still starts with supd's value.
	assert_eq "$(cat /proc/"$(pid_of idle)"/oom_score_adj)" "$own" "the service's oom_score_adj"
fi
pass
