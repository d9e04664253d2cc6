#!/bin/bash
# WorkingDirectory= and UMask= apply to the service; a missing working
# directory fails the start with 200/CHDIR.
. "$(dirname "$0")/lib.sh"

mkdir "$T/wd"
unit placed <<EOF
[Service]
WorkingDirectory=$T/wd
UMask=0027
ExecStart=/bin/sh -c 'echo "cwd=\$\$(pwd)"; echo "umask=\$\$(umask)"; touch made; exec sleep 1000'
EOF
unit lost <<EOF
[Service]
WorkingDirectory=$T/nowhere
ExecStart=/bin/sleep 1000
EOF
supd_start
wait_for 10 state_is placed running || fail "placed: expected running, got $(state_of placed)"
wait_for 5 file_has "$LOGDIR/placed.log" "umask=" || fail "no output"
grep -q "cwd=$T/wd\$" "$LOGDIR/placed.log" || fail "cwd: $(grep cwd= "$LOGDIR/placed.log")"
grep -q "umask=0027\$" "$LOGDIR/placed.log" || fail "umask: $(grep umask= "$LOGDIR/placed.log")"
wait_for 5 test -f "$T/wd/made" || fail "file not created in the working directory"
assert_eq "$(stat -c %a "$T/wd/made")" 640 "mode of a file created under UMask=0027"
wait_for 10 state_is lost failed || fail "lost: expected failed, got $(state_of lost)"
assert_eq "$(svc_json lost .exit_status)" 200 "lost: exit status"
assert_eq "$(svc_json lost .exit_status_name)" CHDIR "lost: exit status name"
svc_json lost .error | grep -q "$T/nowhere" || fail "lost: error does not name the directory: $(svc_json lost .error)"
pass
