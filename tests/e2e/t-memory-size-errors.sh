#!/bin/bash
# Memory sizes systemd refuses make the service bad-config with
# "file:line: [Service] KEY=VALUE: why" in status and supd.log, while the
# other services run: 0 for MemoryMax/MemoryHigh, an unknown suffix, a
# negative size, a percentage above 100%.
. "$(dirname "$0")/lib.sh"

# bad NAME EXT KEY=VALUE LINE: a unit whose KEY=VALUE is on line LINE.
bad() {
	local pad=$(($4 - 3)) i
	{
		echo "[Service]"
		echo "ExecStart=/bin/sleep 1000"
		for ((i = 0; i < pad; i++)); do echo "# filler"; done
		echo "$3"
	} | unit "$1" "$2"
}
bad zero conf MemoryMax=0 3
bad hzero service MemoryHigh=0 4
bad suffix service MemoryMax=12Q 5
bad neg conf MemoryHigh=-1 6
bad pct conf MemoryMax=150% 7
unit good <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=64M
EOF
supd_start
wait_for 10 state_is good running || fail "good not running: $(state_of good)"
for spec in zero:conf:MemoryMax=0:3 hzero:service:MemoryHigh=0:4 suffix:service:MemoryMax=12Q:5 \
	neg:conf:MemoryHigh=-1:6 pct:conf:MemoryMax=150%:7; do
	IFS=: read -r name ext kv line <<<"$spec"
	assert_eq "$(state_of "$name")" bad-config "$name: state"
	assert_eq "$(pid_of "$name")" null "$name: pid"
	err=$(svc_json "$name" .error)
	prefix="$CONF/$name.$ext:$line: [Service] $kv: "
	[[ $err == "$prefix"?* ]] || fail "$name: error '$err' is not '$prefix<why>'"
	grep -qF "$prefix" "$T/supd.log" || fail "$name: supd.log lacks '$prefix'"
	ctl start "$name" >/dev/null 2>&1 && fail "$name: start of a bad-config service succeeded"
	assert_eq "$(state_of "$name")" bad-config "$name: state after a start attempt"
done
# The why says what is wrong.
[[ $(svc_json zero .error) == *"greater than 0"* ]] || fail "zero: $(svc_json zero .error)"
[[ $(svc_json pct .error) == *100%* ]] || fail "pct: $(svc_json pct .error)"
assert_eq "$(state_of good)" running "good after the others failed to load"
pass
