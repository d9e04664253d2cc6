#!/bin/bash
# Type=exec with a binary that does not exist: the start fails with
# exit-code 203/EXEC, the error (naming the path) is in status and in the
# service's log, and `supctl start` reports the failure.
. "$(dirname "$0")/lib.sh"

unit ghost <<'EOF'
[Service]
Type=exec
ExecStart=/nonexistent/ghostd --serve
EOF
unit ghost-simple <<'EOF'
[Service]
ExecStart=/nonexistent/ghostd
EOF
unit noexec <<EOF
[Service]
Type=exec
ExecStart=$T/not-executable
EOF
printf 'echo hi\n' >"$T/not-executable"
chmod 644 "$T/not-executable"
supd_start
wait_for 10 state_is ghost failed || fail "ghost: expected failed, got $(state_of ghost)"
assert_eq "$(result_of ghost)" exit-code "result"
assert_eq "$(svc_json ghost .exit_status)" 203 "exit status"
assert_eq "$(svc_json ghost .exit_status_name)" EXEC "exit status name"
err=$(svc_json ghost .error)
echo "$err" | grep -q "/nonexistent/ghostd" || fail "status error does not name the binary: $err"
wait_for 5 file_has "$LOGDIR/ghost.log" "/nonexistent/ghostd" || fail "service log does not name the binary"
grep -qi "no such file" "$LOGDIR/ghost.log" || fail "service log does not say why: $(cat "$LOGDIR/ghost.log")"
ctl status | grep '^ghost' | grep -q "203" || fail "status table does not show 203: $(ctl status | grep '^ghost')"
out=$(ctl start ghost 2>&1) && fail "supctl start of a missing binary succeeded"
log "start: $out"
echo "$out" | grep -q "ghost" || fail "start failure does not name the service: $out"
assert_eq "$(svc_json ghost .exit_status)" 203 "exit status after a manual start"
# Type=simple ends the same way, only after having been "running".
wait_for 10 state_is ghost-simple failed || fail "ghost-simple: expected failed, got $(state_of ghost-simple)"
assert_eq "$(svc_json ghost-simple .exit_status)" 203 "ghost-simple: exit status"
wait_for 10 state_is noexec failed || fail "noexec: expected failed, got $(state_of noexec)"
assert_eq "$(svc_json noexec .exit_status)" 203 "noexec: exit status"
svc_json noexec .error | grep -qi "permission denied" || fail "noexec: error does not say why: $(svc_json noexec .error)"
pass
