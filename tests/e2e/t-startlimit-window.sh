#!/bin/bash
# The start limit is a fixed window from the first start: with
# StartLimitBurst=2 and StartLimitIntervalSec=2s, a third start inside the
# window is refused, a start after the window has passed is allowed again
# without reset-failed.  The legacy [Service] names are accepted too.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF'
[Service]
StartLimitInterval=2s
StartLimitBurst=2
AutoStart=no
ExecStart=/bin/sleep 1000
EOF
supd_start
t0=$(date +%s%N)
ctl start web || fail "start 1"
ctl stop web || fail "stop 1"
ctl start web || fail "start 2"
ctl stop web || fail "stop 2"
out=$(ctl start web 2>&1) && fail "third start inside the window succeeded"
assert_eq "$(result_of web)" start-limit-hit "result of the third start"
elapsed=$((($(date +%s%N) - t0) / 1000000))
[ "$elapsed" -lt 2000 ] || skip "machine too slow: three starts took ${elapsed}ms"
# After the 2s window (from the first start) the limit no longer applies.
wait_for 5 ctl_ok start web || fail "start after the window refused: $(ctl start web 2>&1)"
elapsed=$((($(date +%s%N) - t0) / 1000000))
[ "$elapsed" -ge 1950 ] || fail "start allowed after ${elapsed}ms, inside the 2s window"
assert_eq "$(state_of web)" running "state after the window"
pass
