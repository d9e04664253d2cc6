#!/bin/bash
# A stop that comes right after a start is not lost: SIGTERM sent while
# the new process is still being set up (exec helper, before exec) must
# still end it at once, not after TimeoutStopSec= with SIGKILL.
. "$(dirname "$0")/lib.sh"

unit quick <<'EOF'
[Unit]
StartLimitBurst=0
[Service]
AutoStart=no
ExecStart=/bin/sleep 1000
TimeoutStopSec=5s
EOF
supd_start
for i in $(seq 1 25); do
	"$SUPCTL" -s "$SOCK" start --no-block quick >/dev/null || fail "start $i failed"
	start=$(date +%s%N)
	"$SUPCTL" -s "$SOCK" stop quick >/dev/null 2>&1
	took=$((($(date +%s%N) - start) / 1000000))
	[ "$took" -lt 3000 ] || fail "stop $i right after start took ${took}ms: SIGTERM lost ($(state_of quick)/$(result_of quick))"
	st=$(state_of quick)
	[ "$st" = stopped ] || fail "stop $i: state $st/$(result_of quick)"
	ctl reset-failed quick >/dev/null 2>&1
done
pass
