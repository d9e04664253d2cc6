#!/bin/bash
# ExecStart= expands variables as systemd does: $VAR alone splits into
# words, ${VAR} is one word (also inside a word), $$ is a literal $;
# quoting as systemd: "double", 'single', \" inside double quotes, an
# empty "" argument, %% for a literal %.
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
unit quoting <<EOF
[Service]
ExecStart=/bin/sh $T/args.sh "a b" 'c  d' "x\\"y" "" 100%%
EOF
supd_start
wait_for 10 state_is expand running || fail "expand: expected running, got $(state_of expand) $(svc_json expand .error)"
wait_for 5 file_has "$LOGDIR/expand.log" "argc=" || fail "no output"
got=$(grep -o 'arg.*' "$LOGDIR/expand.log" | tr '\n' ' ')
assert_eq "$got" 'argc=7 arg=[a] arg=[b] arg=[c] arg=[a b  c] arg=[pre1post] arg=[$HOME] arg=[1] ' "arguments"
wait_for 10 state_is quoting running || fail "quoting: $(state_of quoting) $(svc_json quoting .error)"
wait_for 5 file_has "$LOGDIR/quoting.log" "argc=" || fail "quoting: no output"
got=$(grep -o 'arg.*' "$LOGDIR/quoting.log" | tr '\n' ' ')
assert_eq "$got" 'argc=5 arg=[a b] arg=[c  d] arg=[x"y] arg=[] arg=[100%] ' "quoted arguments"
pass
