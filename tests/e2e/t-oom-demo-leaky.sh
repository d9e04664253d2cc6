#!/bin/bash
# The demo's leaky service (examples/demo/conf.d/leaky.conf, as `make run`
# installs it) is OOM-killed at every start and ends failed with
# start-limit-hit, its OOM count at least 5, within 60 s.
# SLOW: this one takes about 30-40 s (5 runs of ~4 s, RestartSec=2).
. "$(dirname "$0")/lib.sh"

leaky=$TOP/bin/supd-demo-leaky
[ -x "$leaky" ] || make -s -C "$TOP" examples >/dev/null 2>&1
[ -x "$leaky" ] || skip "no $leaky (make examples)"
src=$TOP/examples/demo/conf.d/leaky.conf
[ -f "$src" ] || fail "no $src"
sed "s|@LEAKY@|$leaky|g" "$src" | unit leaky
grep -q @LEAKY@ "$CONF/leaky.conf" && fail "placeholder left in leaky.conf"
supd_start
wait_for 10 state_is leaky running || fail "leaky not running: $(state_of leaky) $(svc_json leaky .error)"
start=$SECONDS
wait_for 60 state_is leaky failed || fail "leaky not failed after 60 s: $(state_of leaky), $(svc_json leaky .memory.oom_kills) OOM kills"
log "failed after $((SECONDS - start)) s"
assert_eq "$(result_of leaky)" start-limit-hit "result"
n=$(svc_json leaky .memory.oom_kills)
[ "$n" -ge 5 ] 2>/dev/null || fail "oom_kills $n, expected at least 5"
row=$(ctl status leaky | grep -E '^leaky ')
[[ $row == *start-limit-hit* ]] || fail "status row: $row"
pass
