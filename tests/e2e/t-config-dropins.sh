#!/bin/bash
# Drop-ins: every *.conf in NAME.service.d/ applies after the main file in
# lexical order, a later assignment wins, an empty assignment resets a
# list key; `supctl show` gives each setting in effect with its file:line.
. "$(dirname "$0")/lib.sh"

unit web service <<'EOF'
[Unit]
Description=main file
[Service]
ExecStartPre=/bin/sh -c 'echo pre-from-main'
ExecStart=/bin/sh -c 'echo "A=$A B=$B C=$C"; exec sleep 1000'
Environment=A=main B=main
RestartSec=5s
EOF
dropin web 20-second.conf service <<'EOF'
[Service]
Environment=
Environment=C=second
RestartSec=2s
EOF
dropin web 10-first.conf service <<'EOF'
[Unit]
Description=first drop-in
[Service]
Environment=B=first
RestartSec=1s
ExecStartPre=
ExecStartPre=/bin/sh -c 'echo pre-from-dropin'
EOF
dropin web ignored.txt service <<'EOF'
[Service]
RestartSec=9s
EOF
supd_start
wait_for 10 state_is web running || fail "web: $(state_of web) $(svc_json web .error)"
wait_for 5 file_has "$LOGDIR/web.log" "A=" || fail "no output"
# Environment= in 20-second reset A and B (set by main and 10-first).
grep -q "A= B= C=second\$" "$LOGDIR/web.log" || fail "environment: $(grep 'A=' "$LOGDIR/web.log")"
file_has "$LOGDIR/web.log" pre-from-dropin || fail "ExecStartPre from the drop-in did not run"
file_has "$LOGDIR/web.log" pre-from-main && fail "ExecStartPre from the main file ran after a reset"
ctl --json show web >"$T/show.json" || fail "show failed"
setting() { # KEY -> "value file:line" of the effective assignment(s)
	jq -r --arg k "$1" '.service.settings[] | select(.key == $k) | "\(.value) \(.file):\(.line)"' "$T/show.json"
}
assert_eq "$(setting RestartSec)" "2s $CONF/web.service.d/20-second.conf:4" "RestartSec in effect"
assert_eq "$(setting Description)" "first drop-in $CONF/web.service.d/10-first.conf:2" "Description in effect"
assert_eq "$(setting Environment)" "C=second $CONF/web.service.d/20-second.conf:3" "Environment in effect"
assert_eq "$(setting ExecStartPre)" "/bin/sh -c 'echo pre-from-dropin' $CONF/web.service.d/10-first.conf:7" "ExecStartPre in effect"
assert_eq "$(jq -r '.service.dropins | join(" ")' "$T/show.json")" \
	"$CONF/web.service.d/10-first.conf $CONF/web.service.d/20-second.conf" "drop-ins listed"
assert_eq "$(svc_json web .description)" "first drop-in" "description in status"
pass
