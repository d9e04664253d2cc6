#!/bin/bash
# `supctl restart` (or start) on a service waiting in auto-restart starts
# it now instead of waiting out RestartSec=.
. "$(dirname "$0")/lib.sh"

unit slowback <<EOF
[Service]
ExecStart=/bin/sh -c 'echo started; test -f $T/ok || exit 1; exec sleep 1000'
Restart=always
RestartSec=30s
EOF
supd_start
wait_for 10 state_is slowback auto-restart || fail "not in auto-restart: $(state_of slowback)"
touch "$T/ok"
start=$(date +%s%N)
ctl restart slowback || fail "restart failed"
took=$((($(date +%s%N) - start) / 1000000))
assert_eq "$(state_of slowback)" running "state after restart"
[ "$took" -lt 5000 ] || fail "restart waited ${took}ms (RestartSec=30s)"
assert_eq "$(grep -c started "$LOGDIR/slowback.log")" 2 "starts"
pass
