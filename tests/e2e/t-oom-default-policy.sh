#!/bin/bash
# Without OOMPolicy= the policy is stop, as in systemd: show says so, and a
# child's OOM kill stops the whole service with result oom-kill.
. "$(dirname "$0")/lib.sh"

unit hog <<EOF
[Service]
ExecStart=/bin/bash -c 'sleep 1000 & $HELPERS/memhog -r 64 8 & wait'
MemoryMax=32M
MemorySwapMax=0
Restart=no
EOF
supd_start
assert_eq "$(ctl --json show hog | jq -r .service.oom_policy)" stop "default oom_policy"
wait_for 15 state_is hog failed || fail "hog was not stopped: $(state_of hog)"
assert_eq "$(result_of hog)" oom-kill "result"
assert_eq "$(svc_json hog .memory.oom_kills)" 1 "oom_kills"
pass
