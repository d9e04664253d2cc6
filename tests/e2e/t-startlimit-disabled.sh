#!/bin/bash
# StartLimitIntervalSec=0 (or StartLimitBurst=0) disables the start limit:
# a crashing service keeps being restarted past the burst.
. "$(dirname "$0")/lib.sh"

unit nolimit <<'EOF'
[Unit]
StartLimitIntervalSec=0
StartLimitBurst=1
[Service]
ExecStart=/bin/sh -c 'echo started; exit 1'
Restart=always
RestartSec=50ms
EOF
unit noburst <<'EOF'
[Unit]
StartLimitIntervalSec=60s
StartLimitBurst=0
[Service]
ExecStart=/bin/sh -c 'echo started; exit 1'
Restart=always
RestartSec=50ms
EOF
supd_start
for s in nolimit noburst; do
	wait_for 15 bash -c "[ \$(grep -c started '$LOGDIR/$s.log' 2>/dev/null || echo 0) -ge 8 ]" ||
		fail "$s: only $(grep -c started "$LOGDIR/$s.log") starts: $(state_of "$s")/$(result_of "$s")"
	[ "$(result_of "$s")" != start-limit-hit ] || fail "$s: start-limit-hit"
done
pass
