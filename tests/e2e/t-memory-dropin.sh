#!/bin/bash
# The memory keys of a seed-style NAME.service are overridden by a drop-in
# NAME.service.d/memory.conf: show lists the drop-in, the effective values
# come from it (file:line), and the cgroup files hold them.
. "$(dirname "$0")/lib.sh"

unit web service <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=7G
MemoryHigh=6G
OOMPolicy=stop
Restart=always
RestartSec=10

[Unit]
StartLimitIntervalSec=300
StartLimitBurst=3
EOF
dropin web memory.conf service <<'EOF'
[Service]
MemoryMax=2G
MemoryHigh=1536M
MemorySwapMax=0
OOMPolicy=continue
EOF
supd_start
wait_for 10 state_is web running || fail "web not running: $(state_of web) $(svc_json web .error)"
d=$CONF/web.service.d/memory.conf
show=$(ctl --json show web) || fail "show failed"
# The effective assignment of a key is its last one (show may also list
# the ones it overrode; t-memory-dropin-show-effective.sh checks that).
setting() { jq -r "[.service.settings[] | select(.section == \"$1\" and .key == \"$2\")] | last | \"\(.value) \(.file):\(.line)\"" <<<"$show"; }
limit() { jq -r ".service.limits[] | select(.key == \"$1\") | .$2" <<<"$show"; }
assert_eq "$(jq -r '.service.dropins | join(" ")' <<<"$show")" "$d" "dropins"
assert_eq "$(setting Service MemoryMax)" "2G $d:2" "MemoryMax setting"
assert_eq "$(setting Service MemoryHigh)" "1536M $d:3" "MemoryHigh setting"
assert_eq "$(setting Service MemorySwapMax)" "0 $d:4" "MemorySwapMax setting"
assert_eq "$(setting Service OOMPolicy)" "continue $d:5" "OOMPolicy setting"
assert_eq "$(setting Service Restart)" "always $CONF/web.service:6" "Restart setting (main file)"
assert_eq "$(jq -r .service.oom_policy <<<"$show")" continue "oom_policy"

G=$((1024 * 1024 * 1024))
if [ -n "$CG_MEM" ] && [ -f "$CG_MEM/web/memory.limit_in_bytes" ]; then
	m=$CG_MEM/web
	assert_eq "$(limit MemoryMax file)" "$m/memory.limit_in_bytes" "MemoryMax file"
	assert_eq "$(limit MemoryHigh file)" "$m/memory.soft_limit_in_bytes" "MemoryHigh file"
	if [ -f "$m/memory.memsw.limit_in_bytes" ]; then
		# memsw = MemoryMax + MemorySwapMax
		assert_eq "$(limit MemorySwapMax file)" "$m/memory.memsw.limit_in_bytes" "MemorySwapMax file"
		assert_eq "$(cat "$m/memory.memsw.limit_in_bytes")" $((2 * G)) "memsw limit"
	fi
else
	m=$CG_UNI/web
	assert_eq "$(limit MemoryMax file)" "$m/memory.max" "MemoryMax file"
	assert_eq "$(limit MemoryHigh file)" "$m/memory.high" "MemoryHigh file"
	if [ -f "$m/memory.swap.max" ]; then
		assert_eq "$(limit MemorySwapMax file)" "$m/memory.swap.max" "MemorySwapMax file"
		assert_eq "$(cat "$m/memory.swap.max")" 0 "memory.swap.max"
	fi
fi
assert_eq "$(cat "$(limit MemoryMax file)")" $((2 * G)) "MemoryMax in the cgroup"
assert_eq "$(limit MemoryMax value)" $((2 * G)) "MemoryMax value in show"
assert_eq "$(cat "$(limit MemoryHigh file)")" $((1536 * 1024 * 1024)) "MemoryHigh in the cgroup"
assert_eq "$(limit MemoryHigh value)" $((1536 * 1024 * 1024)) "MemoryHigh value in show"
sw=$(limit MemorySwapMax file)
[ "$sw" = null ] || assert_eq "$(limit MemorySwapMax value)" "$(cat "$sw")" "MemorySwapMax value vs its file"
assert_eq "$(svc_json web .memory.max)" $((2 * G)) "status .memory.max"
assert_eq "$(svc_json web .memory.high)" $((1536 * 1024 * 1024)) "status .memory.high"
assert_eq "$(svc_json web .memory.swap_max)" 0 "status .memory.swap_max"
pass
