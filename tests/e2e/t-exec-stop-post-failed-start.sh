#!/bin/bash
# ExecStopPost= runs also when the start failed (a failing ExecStartPre=,
# a binary that cannot be executed), with the failure in its environment,
# as systemd does.
. "$(dirname "$0")/lib.sh"

cat >"$T/post.sh" <<'EOF'
echo "$1 R=$SERVICE_RESULT C=$EXIT_CODE S=$EXIT_STATUS" >>"$2"
EOF
unit prefail <<EOF
[Service]
ExecStartPre=/bin/sh -c 'exit 6'
ExecStart=/bin/sleep 1000
ExecStopPost=/bin/sh $T/post.sh prefail $T/post.out
EOF
unit noexec <<EOF
[Service]
Type=exec
ExecStart=/nonexistent/binary
ExecStopPost=/bin/sh $T/post.sh noexec $T/post.out
EOF
supd_start
wait_for 10 state_is prefail failed || fail "prefail: $(state_of prefail)"
wait_for 10 state_is noexec failed || fail "noexec: $(state_of noexec)"
wait_for 5 file_has "$T/post.out" "^prefail " || fail "ExecStopPost did not run after a failed ExecStartPre"
wait_for 5 file_has "$T/post.out" "^noexec " || fail "ExecStopPost did not run after a failed exec"
assert_eq "$(grep '^prefail ' "$T/post.out")" "prefail R=exit-code C=exited S=6" "prefail's ExecStopPost environment"
assert_eq "$(grep '^noexec ' "$T/post.out")" "noexec R=exit-code C=exited S=203" "noexec's ExecStopPost environment"
pass
