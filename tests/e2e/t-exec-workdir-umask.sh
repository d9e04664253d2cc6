#!/bin/bash
# WorkingDirectory= and UMask= apply to the service; a missing working
# directory fails the start with 200/CHDIR, unless prefixed with '-'
# (then the service runs in /); an invalid UMask= is a bad-config.
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
unit optional <<EOF
[Service]
WorkingDirectory=-$T/nowhere
ExecStart=/bin/sh -c 'echo "cwd=\$\$(pwd)"; exec sleep 1000'
EOF
unit badmask <<'EOF'
[Service]
UMask=0778
ExecStart=/bin/true
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
wait_for 10 state_is optional running || fail "optional: $(state_of optional) $(svc_json optional .error)"
wait_for 5 file_has "$LOGDIR/optional.log" "cwd=/\$" || fail "optional: $(cat "$LOGDIR/optional.log")"
assert_eq "$(state_of badmask)" bad-config "UMask=0778"
svc_json badmask .error | grep -q "badmask\.conf:2" || fail "badmask: $(svc_json badmask .error)"
pass
