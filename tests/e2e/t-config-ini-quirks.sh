#!/bin/bash
# Unit files are read as systemd reads them, not as bare libinih does:
# ' ;' inside a value is kept, a trailing backslash continues the line,
# and a line longer than libinih's 199 bytes is either read whole or
# refused with an error naming file:line, never silently cut.
. "$(dirname "$0")/lib.sh"

unit semi <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo first ; echo second ; exec sleep 1000'
EOF
unit cont <<'EOF'
[Service]
ExecStart=/bin/sh -c \
    'echo joined-line; \
     exec sleep 1000'
EOF
long=$(printf 'x%.0s' $(seq 1 300))
unit long <<EOF
[Service]
ExecStart=/bin/sh -c 'echo "len=\$\${#0}"; exec sleep 1000' $long
EOF
supd_start
wait_for 10 state_is semi running || fail "semi: $(state_of semi) $(svc_json semi .error)"
wait_for 5 file_has "$LOGDIR/semi.log" second || fail "semi: the part after ' ;' was cut: $(cat "$LOGDIR/semi.log")"
file_has "$LOGDIR/semi.log" first || fail "semi: no first"
wait_for 10 state_is cont running || fail "cont: $(state_of cont) $(svc_json cont .error)"
wait_for 5 file_has "$LOGDIR/cont.log" joined-line || fail "cont: continuation not joined"
st=$(state_of long)
if [ "$st" = bad-config ]; then
	svc_json long .error | grep -q "long\.conf:2" || fail "long: error without file:line: $(svc_json long .error)"
else
	wait_for 10 state_is long running || fail "long: $(state_of long)"
	wait_for 5 file_has "$LOGDIR/long.log" "len=" || fail "long: no output"
	grep -q "len=300\$" "$LOGDIR/long.log" || fail "long line cut: $(grep len= "$LOGDIR/long.log")"
fi
pass
