#!/bin/bash
# DefaultOOMPolicy= in supd.conf sets the policy of services without
# OOMPolicy=; a service's own OOMPolicy= still wins.
. "$(dirname "$0")/lib.sh"

cat >"$T/supd.conf" <<EOF
[supd]
DefaultOOMPolicy=continue
EOF
unit hog <<EOF
[Service]
ExecStart=/bin/bash -c 'sleep 1000 & $HELPERS/memhog -r 64 8 & wait'
MemoryMax=32M
MemorySwapMax=0
Restart=no
EOF
unit own <<EOF
[Service]
ExecStart=/bin/sleep 1000
OOMPolicy=kill
EOF
supd_start -c "$T/supd.conf"
assert_eq "$(ctl --json show hog | jq -r .service.oom_policy)" continue "oom_policy from DefaultOOMPolicy"
assert_eq "$(ctl --json show own | jq -r .service.oom_policy)" kill "the service's own OOMPolicy"
oom_seen() { [ "$(svc_json hog .memory.oom_kills)" = 1 ]; }
wait_for 10 oom_seen || fail "no OOM kill"
assert_eq "$(state_of hog)" running "state after a child's OOM kill with continue"
assert_eq "$(result_of hog)" success "result"
pass
