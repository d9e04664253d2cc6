#!/bin/bash
# Unit names: NAME.conf and NAME.service both present is an error (the
# other services still run); an invalid name is an error; other files are
# ignored; drop-ins from NAME.conf.d/ and NAME.service.d/ merge in
# lexical order, and ExecStart= reset in a drop-in replaces the command.
. "$(dirname "$0")/lib.sh"

unit twice <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
unit twice service <<'EOF'
[Service]
ExecStart=/bin/sleep 1001
EOF
unit 'bad name' <<'EOF'
[Service]
ExecStart=/bin/sleep 1002
EOF
unit fine <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo original; exec sleep 1000'
EOF
dropin fine 20-replace.conf service <<'EOF'
[Service]
ExecStart=
ExecStart=/bin/sh -c 'echo replaced; exec sleep 1000'
EOF
dropin fine 10-env.conf <<'EOF'
[Service]
Environment=X=1
EOF
echo "not a unit" >"$CONF/README"
echo "[Service]" >"$CONF/notes.txt"
"$SUPD" --check --conf-dir "$CONF" --socket "$SOCK" --log-dir "$LOGDIR" \
	--state-dir "$STATEDIR" --cgroup-root "$CGROOT" >"$T/check.out" 2>&1
rc=$?
sed 's/^/# /' "$T/check.out"
[ "$rc" -ne 0 ] || fail "--check passed with a duplicate and an invalid name"
grep "twice" "$T/check.out" | grep -q "error" || fail "no error for twice.conf + twice.service"
grep "bad name" "$T/check.out" | grep -q "error" || fail "no error for 'bad name.conf'"
grep -q "README\|notes.txt" "$T/check.out" && grep "README\|notes.txt" "$T/check.out" | grep -q error &&
	fail "other files reported as errors"
supd_start
wait_for 10 state_is fine running || fail "fine: $(state_of fine) $(svc_json fine .error)"
wait_for 5 file_has "$LOGDIR/fine.log" replaced || fail "drop-in ExecStart= did not replace the command"
file_has "$LOGDIR/fine.log" original && fail "the original ExecStart= ran too"
[ "$(ctl --json status | jq '.services | length')" -ge 1 ] || fail "no services"
ctl --json status | jq -r '.services[].name' | grep -qx "README\|notes" && fail "other files loaded as services"
st=$(ctl --json status twice 2>/dev/null | jq -r '.services[0].state')
[ "$st" = bad-config ] || ! ctl_ok status twice || fail "twice: state $st with both suffixes"
pass
