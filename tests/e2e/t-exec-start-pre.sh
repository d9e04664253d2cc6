#!/bin/bash
# ExecStartPre= commands run in order before ExecStart=; a failing one
# stops the start (failed/exit-code, main never runs); with the '-' prefix
# its failure is ignored.
. "$(dirname "$0")/lib.sh"

unit strict <<'EOF'
[Service]
ExecStartPre=/bin/sh -c 'echo pre one'
ExecStartPre=/bin/sh -c 'echo pre two fails; exit 4'
ExecStartPre=/bin/sh -c 'echo pre three'
ExecStart=/bin/sh -c 'echo main runs; exec sleep 1000'
EOF
unit lenient <<'EOF'
[Service]
ExecStartPre=-/bin/sh -c 'echo pre one fails; exit 4'
ExecStartPre=/bin/sh -c 'echo pre two'
ExecStart=/bin/sh -c 'echo main runs; exec sleep 1000'
EOF
supd_start
wait_for 10 state_is strict failed || fail "strict: expected failed, got $(state_of strict)"
assert_eq "$(result_of strict)" exit-code "strict: result"
assert_eq "$(svc_json strict .exit_status)" 4 "strict: exit status"
file_has "$LOGDIR/strict.log" "pre two fails" || fail "strict: second ExecStartPre did not run"
file_has "$LOGDIR/strict.log" "pre three" && fail "strict: ExecStartPre after the failing one ran"
file_has "$LOGDIR/strict.log" "main runs" && fail "strict: main ran after a failed ExecStartPre"
wait_for 10 state_is lenient running || fail "lenient: expected running, got $(state_of lenient)"
wait_for 5 file_has "$LOGDIR/lenient.log" "main runs" || fail "lenient: main did not run"
order=$(grep -o 'pre one fails\|pre two\|main runs' "$LOGDIR/lenient.log" | tr '\n' ,)
assert_eq "$order" "pre one fails,pre two,main runs," "lenient: order"
pass
