#!/bin/bash
# vm-timeout: 60
# supd started from a shell on pure v2 shares a non-root cgroup with that
# shell, as from a login session without delegation: it cannot enable
# +memory below it (no internal processes), yet its services still run,
# their limits are marked not enforced, and supd says why.
. "$(dirname "$0")/../lib.sh"
[ -x "$SUPD" ] || skip "supd not built"
[ -x "$SUPCTL" ] || skip "supctl not built"
D=$VM_TMP/d
mkdir -p "$D/conf.d" "$D/log" "$D/state"
cat >"$D/conf.d/web.conf" <<UNIT
[Service]
ExecStart=/bin/sleep 100000
MemoryMax=32M
UNIT
"$SUPD" --conf-dir "$D/conf.d" --socket "$D/supd.sock" --log-dir "$D/log" \
	--state-dir "$D/state" --cgroup-root shared >"$D/supd.log" 2>&1 &
supd=$!
ctl() { "$SUPCTL" -s "$D/supd.sock" "$@"; }
svc() { ctl --json status web 2>/dev/null | jq -r ".services[0]$1"; }
up() { ctl status >/dev/null 2>&1; }
running() { [ "$(svc .state)" = running ]; }
dump() { sed 's/^/  supd.log: /' "$D/supd.log"; }
wait_for 30 up || { dump; fail "supd did not answer"; }
wait_for 20 running || { dump; fail "web is $(svc .state), not running"; }
assert_eq "$(svc .limits_enforced)" false "limits_enforced of web"
grep -qi memory "$D/supd.log" || { dump; fail "supd did not say why memory is not enforced"; }
log "$(grep -i memory "$D/supd.log" | head -3)"
kill -TERM "$supd"
wait "$supd"
assert_eq "$?" 0 "supd's exit status after SIGTERM"
pass
