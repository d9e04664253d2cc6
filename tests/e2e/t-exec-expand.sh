#!/bin/bash
# ExecStart= expands variables as systemd does: $VAR alone splits into
# words, ${VAR} is one word (also inside a word), $$ is a literal $.
. "$(dirname "$0")/lib.sh"

cat >"$T/args.sh" <<'EOF'
echo "argc=$#"
for a; do echo "arg=[$a]"; done
exec sleep 1000
EOF
unit expand <<EOF
[Service]
Environment="WORDS=a b  c" ONE=1
ExecStart=/bin/sh $T/args.sh \$WORDS \${WORDS} pre\${ONE}post \$\$HOME "\$ONE"
EOF
supd_start
wait_for 10 state_is expand running || fail "expand: expected running, got $(state_of expand) $(svc_json expand .error)"
wait_for 5 file_has "$LOGDIR/expand.log" "argc=" || fail "no output"
got=$(grep -o 'arg.*' "$LOGDIR/expand.log" | tr '\n' ' ')
assert_eq "$got" 'argc=7 arg=[a] arg=[b] arg=[c] arg=[a b  c] arg=[pre1post] arg=[$HOME] arg=[1] ' "arguments"
pass
