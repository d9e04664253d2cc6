#!/bin/bash
# A memory key that cannot be applied as written (emulated or not enforced
# here) is reported as a warning once per service, not at every start; an
# enforced key gives no warning.
. "$(dirname "$0")/lib.sh"

unit lim <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMin=8M
MemoryLow=16M
MemoryHigh=48M
MemoryMax=64M
EOF
supd_start
wait_for 10 state_is lim running || fail "lim not running"
for i in 1 2; do
	ctl restart lim || fail "restart $i failed"
	wait_for 10 state_is lim running || fail "lim not running after restart $i"
done
assert_eq "$(grep -c "lim: started" "$T/supd.log")" 3 "starts"
limits=$(ctl --json show lim | jq -r '.service.limits[] | "\(.key) \(.how)"')
[ -n "$limits" ] || fail "no limits in show"
while read -r key how; do
	case $key in Memory*) ;; *) continue ;; esac
	n=$(grep -c "warning: lim: $key=" "$T/supd.log")
	case $how in
	emulated | not-enforced) assert_eq "$n" 1 "warnings for $key ($how) after 3 starts" ;;
	*) assert_eq "$n" 0 "warnings for $key ($how)" ;;
	esac
done <<<"$limits"
pass
