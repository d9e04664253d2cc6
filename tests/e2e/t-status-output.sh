#!/bin/bash
# supctl status: one row per service sorted by name with state, pid,
# restarts and result; no colour codes on a pipe (or with NO_COLOR on a
# terminal); the JSON reply carries the documented fields with exact
# values.
. "$(dirname "$0")/lib.sh"

unit zeta <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
unit alpha <<'EOF'
[Unit]
Description=the first
[Service]
ExecStart=/bin/sh -c 'exit 3'
EOF
supd_start
wait_for 10 state_is zeta running || fail "zeta not running"
wait_for 10 state_is alpha failed || fail "alpha not failed"
ctl status >"$T/table"
sed 's/^/# /' "$T/table"
grep -q $'\033' "$T/table" && fail "escape codes on a pipe"
assert_eq "$(awk 'NR > 1 { print $1 }' "$T/table" | tr '\n' ' ')" "alpha zeta " "rows sorted by name"
zpid=$(pid_of zeta)
grep -E "^zeta +running +$zpid +" "$T/table" >/dev/null || fail "zeta row: $(grep '^zeta' "$T/table")"
grep -E "^alpha +failed +- +- +0 +exit-code:3( |\$)" "$T/table" >/dev/null || fail "alpha row: $(grep '^alpha' "$T/table")"
if command -v script >/dev/null; then
	NO_COLOR=1 script -qc "$SUPCTL -s $SOCK status" /dev/null >"$T/tty" 2>&1
	grep -q $'\033\[' "$T/tty" && fail "escape codes on a terminal with NO_COLOR=1"
	NO_COLOR= script -qc "$SUPCTL -s $SOCK status" /dev/null >"$T/tty2" 2>&1
	grep -q $'\033\[' "$T/tty2" || fail "no colour on a terminal without NO_COLOR"
fi
ctl --json status >"$T/all.json"
for f in name state pid restarts result exit_code exit_status exit_status_name signal since since_usec uptime_usec error pending_restart memory; do
	jq -e --arg f "$f" '.services[0] | has($f)' "$T/all.json" >/dev/null || fail "no field $f in status JSON"
done
for f in current peak high max oom_kills; do
	jq -e --arg f "$f" '.services[0].memory | has($f)' "$T/all.json" >/dev/null || fail "no field memory.$f"
done
assert_eq "$(jq -r '.services[0] | "\(.name) \(.description) \(.result) \(.exit_code) \(.exit_status) \(.pid)"' "$T/all.json")" \
	"alpha the first exit-code exited 3 null" "alpha's JSON"
assert_eq "$(jq -r '.services[1] | "\(.name) \(.state) \(.pid) \(.restarts) \(.error)"' "$T/all.json")" \
	"zeta running $zpid 0 null" "zeta's JSON"
since=$(jq -r '.services[1].since' "$T/all.json")
[[ $since =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] || fail "since: $since"
now=$(date +%s)
su=$(jq -r '.services[1].since_usec' "$T/all.json")
[ $((now - su / 1000000)) -lt 60 ] && [ $((now - su / 1000000)) -ge 0 ] || fail "since_usec $su vs now $now"
up=$(jq -r '.services[1].uptime_usec' "$T/all.json")
[ "$up" -gt 0 ] && [ "$up" -lt 60000000 ] || fail "uptime_usec: $up"
assert_eq "$(jq -r '.services[0].uptime_usec' "$T/all.json")" null "uptime of a failed service"
pass
