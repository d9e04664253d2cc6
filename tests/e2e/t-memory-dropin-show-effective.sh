#!/bin/bash
# `supctl show` lists the settings in effect: a memory key that the drop-in
# NAME.service.d/memory.conf overrides appears once, with the drop-in's
# value and file:line, not also with the main file's overridden value (as
# `systemctl show -p MemoryMax` gives one value).
. "$(dirname "$0")/lib.sh"

unit web service <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=7G
OOMPolicy=stop
EOF
dropin web memory.conf service <<'EOF'
[Service]
MemoryMax=2G
OOMPolicy=continue
EOF
supd_start
wait_for 10 state_is web running || fail "web not running: $(state_of web) $(svc_json web .error)"
d=$CONF/web.service.d/memory.conf
show=$(ctl --json show web) || fail "show failed"
for kv in MemoryMax=2G:2 OOMPolicy=continue:3; do
	key=${kv%%=*} rest=${kv#*=}
	got=$(jq -r ".service.settings[] | select(.key == \"$key\") | \"\(.value) \(.file):\(.line)\"" <<<"$show")
	assert_eq "$got" "${rest%%:*} $d:${rest#*:}" "$key in show's settings"
done
table=$(ctl show web)
grep -q 'MemoryMax=7G' <<<"$table" && fail "the table shows the overridden MemoryMax=7G as in effect: $(grep MemoryMax <<<"$table")"
pass
