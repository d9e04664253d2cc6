#!/bin/bash
# EnvironmentFile= syntax as systemd reads it: "export " ignored, single
# quotes literal, double quotes with \" \$ \\ escapes, a trailing backslash
# continuing the line, spaces around the name and value trimmed, ';' and
# '#' comments, empty values, invalid names skipped.
. "$(dirname "$0")/lib.sh"

cat >"$T/env" <<'EOF'
export EXPORTED=yes
SINGLE='single $NOT expanded'
DOUBLE="a \"quoted\" \$dollar and \\ backslash"
CONT=first\
second
 SPACED_KEY = spaced value  
; semicolon comment
# hash comment
EMPTY=
1BAD=no
LAST=last
EOF
cat >"$T/show.sh" <<'EOF'
for v in EXPORTED SINGLE DOUBLE CONT SPACED_KEY EMPTY LAST; do
	eval "echo \"$v=[\${$v-unset}]\""
done
echo "bad=$(env | grep -c BAD)"
exec sleep 1000
EOF
unit envy <<EOF
[Service]
EnvironmentFile=$T/env
ExecStart=/bin/sh $T/show.sh
EOF
supd_start
wait_for 10 state_is envy running || fail "envy: $(state_of envy) $(svc_json envy .error)"
wait_for 5 file_has "$LOGDIR/envy.log" "bad=" || fail "no output"
val() { grep -o "$1=\[.*\]" "$LOGDIR/envy.log"; }
assert_eq "$(val EXPORTED)" "EXPORTED=[yes]" "export prefix"
assert_eq "$(val SINGLE)" 'SINGLE=[single $NOT expanded]' "single quotes"
assert_eq "$(val DOUBLE)" 'DOUBLE=[a "quoted" $dollar and \ backslash]' "double quotes"
assert_eq "$(val CONT)" "CONT=[firstsecond]" "continuation"
assert_eq "$(val SPACED_KEY)" "SPACED_KEY=[spaced value]" "trimmed"
assert_eq "$(val EMPTY)" "EMPTY=[]" "empty value"
assert_eq "$(val LAST)" "LAST=[last]" "line after the invalid one"
grep -q "bad=0" "$LOGDIR/envy.log" || fail "an invalid name reached the environment"
pass
