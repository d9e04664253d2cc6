#!/bin/bash
# The table of `supctl show NAME` lists every memory limit read back from
# cgroupfs: each "KEY how value (file)" line holds the file's contents, and
# keys that cannot be enforced say so with the reason.
. "$(dirname "$0")/lib.sh"

unit lim <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMin=8M
MemoryLow=16M
MemoryHigh=48M
MemoryMax=64M
MemorySwapMax=32M
EOF
supd_start
wait_for 10 state_is lim running || fail "lim not running"
table=$(ctl show lim) || fail "show failed"
limits=$(sed -n '/^Limits/,$p' <<<"$table" | tail -n +2)
[ -n "$limits" ] || fail "no Limits section: $table"
for key in MemoryMin MemoryLow MemoryHigh MemoryMax MemorySwapMax; do
	line=$(grep -E "^ +$key " <<<"$limits") || fail "no $key line in: $limits"
	read -r _ how value rest <<<"$line"
	want_how=$(ctl --json show lim | jq -r ".service.limits[] | select(.key == \"$key\") | .how")
	assert_eq "$how" "$want_how" "$key: how in the table vs JSON"
	if [[ $rest =~ ^\(([^\)]+)\) ]]; then
		file=${BASH_REMATCH[1]}
		assert_eq "$value" "$(cat "$file")" "$key: value in the table vs $file"
	else
		assert_eq "$value" - "$key: value without a file"
		[[ $how == not-enforced ]] || fail "$key: $how without a file: $line"
		[ -n "$rest" ] || fail "$key: not enforced without a reason: $line"
	fi
done
pass
