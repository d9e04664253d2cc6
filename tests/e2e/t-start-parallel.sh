#!/bin/bash
# Every service is started when supd starts, all at once: twelve services
# whose ExecStartPre= takes 1s are all running within about 1s, not 12s.
. "$(dirname "$0")/lib.sh"

for i in $(seq -w 1 12); do
	unit "s$i" <<'EOF'
[Service]
ExecStartPre=/bin/sleep 1
ExecStart=/bin/sleep 1000
EOF
done
start=$(date +%s%N)
supd_start
all_running() {
	[ "$(ctl --json status | jq '[.services[] | select(.state == "running")] | length')" = 12 ]
}
wait_for 15 all_running || fail "not all running: $(ctl status)"
took=$((($(date +%s%N) - start) / 1000000))
log "12 services running after ${took}ms"
[ "$took" -lt 4000 ] || fail "services started one by one: ${took}ms for 12 x 1s"
pass
