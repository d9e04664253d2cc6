#!/bin/bash
# The seed-style unit pastes and works as written: NAME.service with
# MemoryMax=7G, OOMPolicy=continue, Restart=always, RestartSec=10 and
# StartLimitIntervalSec=300, StartLimitBurst=3 loads, runs, shows every
# key with its file:line, and the 7G limit is in the cgroup.
. "$(dirname "$0")/lib.sh"

unit web service <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=7G
OOMPolicy=continue
Restart=always
RestartSec=10

[Unit]
StartLimitIntervalSec=300
StartLimitBurst=3
EOF
supd_start
wait_for 10 state_is web running || fail "web not running: $(state_of web) $(svc_json web .error)"
f=$CONF/web.service
show=$(ctl --json show web) || fail "show failed"
setting() { jq -r ".service.settings[] | select(.section == \"$1\" and .key == \"$2\") | \"\(.value) \(.file):\(.line)\"" <<<"$show"; }
assert_eq "$(setting Service MemoryMax)" "7G $f:3" "MemoryMax setting"
assert_eq "$(setting Service OOMPolicy)" "continue $f:4" "OOMPolicy setting"
assert_eq "$(setting Service Restart)" "always $f:5" "Restart setting"
assert_eq "$(setting Service RestartSec)" "10 $f:6" "RestartSec setting"
assert_eq "$(setting Unit StartLimitIntervalSec)" "300 $f:9" "StartLimitIntervalSec setting"
assert_eq "$(setting Unit StartLimitBurst)" "3 $f:10" "StartLimitBurst setting"
assert_eq "$(jq -r .service.oom_policy <<<"$show")" continue "oom_policy"
assert_eq "$(jq -r .service.path <<<"$show")" "$f" "unit path"

G7=$((7 * 1024 * 1024 * 1024))
file=$(jq -r '.service.limits[] | select(.key == "MemoryMax") | .file' <<<"$show")
value=$(jq -r '.service.limits[] | select(.key == "MemoryMax") | .value' <<<"$show")
assert_eq "$(jq -r '.service.limits[] | select(.key == "MemoryMax") | .how' <<<"$show")" enforced "MemoryMax how"
if [ -n "$CG_MEM" ] && [ -f "$CG_MEM/web/memory.limit_in_bytes" ]; then
	assert_eq "$file" "$CG_MEM/web/memory.limit_in_bytes" "MemoryMax file"
else
	assert_eq "$file" "$CG_UNI/web/memory.max" "MemoryMax file"
fi
assert_eq "$(cat "$file")" "$G7" "MemoryMax=7G in $file"
assert_eq "$value" "$G7" "MemoryMax value in show"
assert_eq "$(svc_json web .memory.max)" "$G7" "status .memory.max"
ctl status web | grep -E '^web ' | grep -q ' / 7G ' || fail "status row lacks '/ 7G': $(ctl status web)"
pass
