#!/bin/bash
# ExecStart= prefixes are honoured or refused, never misread: '-' makes a
# failing exit count as success, '@' gives argv[0] separately; '+' and '!'
# (privilege prefixes supd does not implement) are a bad-config error that
# names them, not a path "+/bin/true".
. "$(dirname "$0")/lib.sh"

unit ignored <<'EOF'
[Service]
ExecStart=-/bin/sh -c 'echo failing; exit 5'
EOF
# bash, not sh: a busybox sh would take argv[0] as the applet to run.
BASH_BIN=$(command -v bash)
unit named <<EOF
[Service]
ExecStart=@$BASH_BIN my-argv0 -c 'echo "argv0=\$\$0"; exec sleep 1000'
EOF
unit plus <<'EOF'
[Service]
ExecStart=+/bin/sleep 1000
EOF
unit bang <<'EOF'
[Service]
ExecStart=!/bin/sleep 1000
EOF
supd_start
wait_for 10 state_is ignored exited || fail "ignored: expected exited, got $(state_of ignored)/$(result_of ignored)"
assert_eq "$(result_of ignored)" success "ignored: result"
wait_for 10 state_is named running || fail "named: expected running, got $(state_of named)"
wait_for 5 file_has "$LOGDIR/named.log" "argv0=" || fail "named: no output"
grep -q "argv0=my-argv0\$" "$LOGDIR/named.log" || fail "named: $(grep argv0= "$LOGDIR/named.log")"
for s in plus bang; do
	st=$(state_of $s)
	if [ "$st" = bad-config ]; then
		svc_json $s .error | grep -q "ExecStart" || fail "$s: error does not name ExecStart: $(svc_json $s .error)"
	else
		# Honoured: the command must have run as /bin/sleep, not "+/bin/sleep".
		[ "$st" = running ] || fail "$s: neither refused nor running: $st $(svc_json $s .error)"
		grep -q "^/bin/sleep" "/proc/$(pid_of $s)/cmdline" || fail "$s: runs $(tr '\0' ' ' <"/proc/$(pid_of $s)/cmdline")"
	fi
done
pass
