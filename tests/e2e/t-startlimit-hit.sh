#!/bin/bash
# A service that keeps crashing hits StartLimitBurst= within
# StartLimitIntervalSec=: it ends failed with result start-limit-hit, no
# more automatic restarts, `supctl start` is refused with a message, and
# `supctl reset-failed` makes it startable again.
. "$(dirname "$0")/lib.sh"

unit crashy <<EOF
[Unit]
StartLimitIntervalSec=60s
StartLimitBurst=3
[Service]
ExecStart=/bin/sh -c 'echo started; test -f $T/ok || exit 1; exec sleep 1000'
Restart=always
RestartSec=100ms
EOF
supd_start
wait_for 10 bash -c "[ \"\$(SUPD_SOCKET=$SOCK $SUPCTL --json status crashy | jq -r '.services[0].result')\" = start-limit-hit ]" ||
	fail "start limit never hit: $(state_of crashy)/$(result_of crashy)"
assert_eq "$(state_of crashy)" failed "state on start-limit-hit"
assert_eq "$(grep -c started "$LOGDIR/crashy.log")" 3 "starts before the limit"
out=$(ctl start crashy 2>&1)
rc=$?
assert_eq "$rc" 1 "exit code of a refused start"
echo "$out" | grep -q "start-limit-hit" || fail "refusal does not say start-limit-hit: $out"
echo "$out" | grep -q "reset-failed" || fail "refusal does not mention reset-failed: $out"
assert_eq "$(state_of crashy)" failed "state after a refused start"
assert_eq "$(result_of crashy)" start-limit-hit "result after a refused start"
assert_eq "$(grep -c started "$LOGDIR/crashy.log")" 3 "starts after a refused start"
touch "$T/ok"
ctl reset-failed crashy || fail "reset-failed failed"
state=$(state_of crashy)
[ "$state" = stopped ] || [ "$state" = failed ] && [ "$(result_of crashy)" != start-limit-hit ] ||
	fail "after reset-failed: $state/$(result_of crashy)"
ctl start crashy || fail "start after reset-failed failed"
assert_eq "$(state_of crashy)" running "state after reset-failed and start"
assert_eq "$(grep -c started "$LOGDIR/crashy.log")" 4 "starts after reset-failed"
pass
