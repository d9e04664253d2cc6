#!/bin/bash
# Environment= and EnvironmentFile= reach the service: quoted values with
# spaces, comments and blank lines in the file, a later file overriding,
# an optional '-' file that does not exist.
. "$(dirname "$0")/lib.sh"

cat >"$T/env1" <<'EOF'
# a comment
FROM_FILE=file value

QUOTED="double quoted"
OVERRIDE=from file
EOF
cat >"$T/show.sh" <<'EOF'
for v in PLAIN SPACED FROM_FILE QUOTED OVERRIDE; do
	eval "echo \"$v=[\${$v-unset}]\""
done
exec sleep 1000
EOF
unit envy <<EOF
[Service]
Environment=PLAIN=plain "SPACED=with spaces" OVERRIDE=from-environment
EnvironmentFile=$T/env1
EnvironmentFile=-$T/does-not-exist
ExecStart=/bin/sh $T/show.sh
EOF
supd_start
wait_for 10 state_is envy running || fail "envy: expected running, got $(state_of envy) $(svc_json envy .error)"
wait_for 5 file_has "$LOGDIR/envy.log" "OVERRIDE=" || fail "no output"
val() { grep -o "$1=\[.*\]" "$LOGDIR/envy.log"; }
assert_eq "$(val PLAIN)" "PLAIN=[plain]" "PLAIN"
assert_eq "$(val SPACED)" "SPACED=[with spaces]" "SPACED"
assert_eq "$(val FROM_FILE)" "FROM_FILE=[file value]" "FROM_FILE"
assert_eq "$(val QUOTED)" "QUOTED=[double quoted]" "QUOTED"
# systemd: EnvironmentFile= is applied after Environment=.
assert_eq "$(val OVERRIDE)" "OVERRIDE=[from file]" "OVERRIDE"
pass
