#!/bin/bash
# A service OOM-killed at every start, with Restart=always, a short
# RestartSec and StartLimitBurst=3, ends failed with start-limit-hit after
# its third start, and its OOM count (3) shows why.
. "$(dirname "$0")/lib.sh"

unit hog <<EOF
[Unit]
StartLimitIntervalSec=300
StartLimitBurst=3
[Service]
ExecStart=$HELPERS/memhog 64
MemoryMax=32M
MemorySwapMax=0
OOMPolicy=continue
Restart=always
RestartSec=200ms
EOF
supd_start
wait_for 15 state_is hog failed || fail "hog did not end failed: $(state_of hog)"
assert_eq "$(result_of hog)" start-limit-hit "result"
assert_eq "$(svc_json hog .memory.oom_kills)" 3 "oom_kills"
assert_eq "$(svc_json hog '.oom_events | length')" 3 "number of oom_events"
n=$(grep -c "hog: started " "$T/supd.log")
assert_eq "$n" 3 "starts in supd.log"
[ "$(svc_json hog .memory.last_oom)" != null ] || fail "last_oom not set"
row=$(ctl status hog | grep -E '^hog ')
[[ $row == *start-limit-hit* ]] || fail "status row lacks the result: $row"
[[ $row =~ [[:space:]]3\ \( ]] || fail "status row lacks the OOM count 3 with its age: $row"
pass
