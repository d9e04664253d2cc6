#!/bin/bash
# `supd --check` prints every error of every unit with file:line and exits
# non-zero; unknown sections and keys are warnings that do not fail it.
. "$(dirname "$0")/lib.sh"

unit good <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
unit bad1 <<'EOF'
[Unit]
Description=one error
[Service]
RestartSec=5 parsecs
ExecStart=/bin/sleep 1000
EOF
unit bad2 service <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
Restart=sometimes
TimeoutStopSec=10s
Type=weird
EOF
unit pasted <<'EOF'
[Unit]
Description=pasted from systemd
After=network.target
[Service]
ExecStart=/bin/sleep 1000
FrobnicateLevel=3
[Install]
WantedBy=multi-user.target
EOF
"$SUPD" --check --conf-dir "$CONF" --socket "$SOCK" --log-dir "$LOGDIR" \
	--state-dir "$STATEDIR" --cgroup-root "$CGROOT" >"$T/check.out" 2>&1
rc=$?
sed 's/^/# /' "$T/check.out"
[ "$rc" -ne 0 ] || fail "--check exited 0 with errors"
has() { grep -E -- "$1" "$T/check.out" | grep -qiE -- "$2" || fail "--check output lacks $1 ... $2"; }
has "bad1\.conf:4" "RestartSec"
has "bad2\.service:3" "Restart"
has "bad2\.service:5" "Type"
has "pasted\.conf:3" "After"
has "pasted\.conf:6" "FrobnicateLevel"
grep -E "pasted\.conf" "$T/check.out" | grep -qi error && fail "pasted.conf: warnings reported as errors"
grep -E "good\.conf" "$T/check.out" && fail "good.conf reported"
[ -e "$SOCK" ] && fail "--check created the socket"
[ -n "$CG_UNI" ] && [ -d "$CG_UNI" ] && fail "--check created $CG_UNI"
# Without the bad units the same check passes, warnings and all.
rm "$CONF/bad1.conf" "$CONF/bad2.service"
"$SUPD" --check --conf-dir "$CONF" --socket "$SOCK" --log-dir "$LOGDIR" \
	--state-dir "$STATEDIR" --cgroup-root "$CGROOT" >"$T/check2.out" 2>&1
rc=$?
sed 's/^/# /' "$T/check2.out"
assert_eq "$rc" 0 "--check exit code with warnings only"
grep -q "pasted\.conf:6" "$T/check2.out" || fail "warning for FrobnicateLevel not printed"
# An unknown section is named at its header line, as systemd does.
has "pasted\.conf:7" "Install"
pass
