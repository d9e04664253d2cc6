#!/bin/bash
# A required EnvironmentFile= that does not exist fails the start with
# result resources and an error naming the file; the main command never
# runs.
. "$(dirname "$0")/lib.sh"

unit needy <<EOF
[Service]
EnvironmentFile=$T/missing.env
ExecStart=/bin/sh -c 'echo main ran; exec sleep 1000'
EOF
supd_start
wait_for 10 state_is needy failed || fail "needy: expected failed, got $(state_of needy)"
assert_eq "$(result_of needy)" resources "result"
err=$(svc_json needy .error)
echo "$err" | grep -q "$T/missing.env" || fail "error does not name the file: $err"
file_has "$LOGDIR/needy.log" "main ran" && fail "main command ran"
echo "FOO=bar" >"$T/missing.env"
ctl start needy || fail "start with the file present failed"
assert_eq "$(state_of needy)" running "state with the file present"
pass
