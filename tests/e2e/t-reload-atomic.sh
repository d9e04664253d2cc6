#!/bin/bash
# A reload with broken files changes nothing: supctl exits 1 and reports
# every error with file:line; new units are not loaded, changed ones are
# not marked, running ones keep running, valid-but-changed settings wait.
. "$(dirname "$0")/lib.sh"

unit alpha <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
unit beta <<'EOF'
[Service]
ExecStart=/bin/sleep 1001
EOF
supd_start
wait_for 10 state_is alpha running || fail "alpha not running"
wait_for 10 state_is beta running || fail "beta not running"
apid=$(pid_of alpha)
bpid=$(pid_of beta)
# One change, one new unit, two broken files.
unit alpha <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
RestartSec=2s
EOF
unit gamma <<'EOF'
[Service]
ExecStart=/bin/sleep 1002
EOF
unit beta <<'EOF'
[Service]
ExecStart=/bin/sleep 1001
KillMode=sometimes
EOF
unit delta <<'EOF'
[Unit]
Description=broken too
[Service]
ExecStart=/bin/sleep 1003
Restart=maybe
EOF
ctl reload >"$T/reload.out" 2>&1
rc=$?
sed 's/^/# /' "$T/reload.out"
assert_eq "$rc" 1 "supctl reload exit code with errors"
grep -q "beta\.conf:3.*KillMode" "$T/reload.out" || fail "beta's error not reported"
grep -q "delta\.conf:5.*Restart" "$T/reload.out" || fail "delta's error not reported"
ctl --json reload >"$T/reload.json" 2>/dev/null
assert_eq "$(jq -r .ok "$T/reload.json")" false "ok of the JSON reply"
assert_eq "$(jq -r '.errors | length' "$T/reload.json")" 2 "errors in the JSON reply"
ctl status gamma >/dev/null 2>&1
assert_eq "$?" 4 "status of a unit added by a failed reload"
ctl status delta >/dev/null 2>&1
assert_eq "$?" 4 "status of a broken unit added by a failed reload"
assert_eq "$(state_of beta)" running "beta after a failed reload"
assert_eq "$(pid_of beta)" "$bpid" "beta's pid after a failed reload"
assert_eq "$(svc_json beta .pending_restart)" false "beta pending_restart"
assert_eq "$(state_of alpha)" running "alpha after a failed reload"
assert_eq "$(pid_of alpha)" "$apid" "alpha's pid after a failed reload"
assert_eq "$(svc_json alpha .pending_restart)" false "alpha pending_restart"
# The effective settings are still the old ones.
ctl --json show alpha | jq -e '.service.settings[] | select(.key == "RestartSec")' >/dev/null &&
	fail "alpha shows RestartSec from a failed reload"
pass
