#!/bin/bash
# Bad OOMScoreAdjust= (outside -1000..1000, not a number) and OOMPolicy=
# values make the service bad-config with "file:line: [Service] KEY=VALUE:
# why"; the limits themselves (1000, -1000 parse) are fine, and the other
# services run.
. "$(dirname "$0")/lib.sh"

i=0
for kv in OOMScoreAdjust=1001 OOMScoreAdjust=-1001 OOMScoreAdjust=abc OOMPolicy=bogus OOMPolicy=; do
	i=$((i + 1))
	printf '[Service]\nExecStart=/bin/sleep 1000\n%s\n' "$kv" | unit "bad$i"
done
printf '[Service]\nExecStart=/bin/sleep 1000\nOOMScoreAdjust=1000\nOOMPolicy=kill\n' | unit good
supd_start
wait_for 10 state_is good running || fail "good not running: $(state_of good) $(svc_json good .error)"
i=0
for kv in OOMScoreAdjust=1001 OOMScoreAdjust=-1001 OOMScoreAdjust=abc OOMPolicy=bogus; do
	i=$((i + 1))
	assert_eq "$(state_of "bad$i")" bad-config "bad$i ($kv): state"
	err=$(svc_json "bad$i" .error)
	prefix="$CONF/bad$i.conf:3: [Service] $kv: "
	[[ $err == "$prefix"?* ]] || fail "bad$i: error '$err' is not '$prefix<why>'"
done
# An empty OOMPolicy= is no error; the policy stays the default.
assert_eq "$(state_of bad5)" running "OOMPolicy= (empty): state"
assert_eq "$(ctl --json show bad5 | jq -r .service.oom_policy)" stop "OOMPolicy= (empty): policy"
assert_eq "$(cat /proc/"$(pid_of good)"/oom_score_adj)" 1000 "OOMScoreAdjust=1000"
out=$("$SUPD" --check --conf-dir "$CONF" 2>&1)
assert_eq "$?" 1 "supd --check exit status"
assert_eq "$(grep -c 'error: \[Service\] OOM' <<<"$out")" 4 "errors from --check ($out)"
pass
