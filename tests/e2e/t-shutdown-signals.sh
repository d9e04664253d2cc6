#!/bin/bash
# SIGINT and SIGPWR (what LXC sends on halt) shut supd down like SIGTERM:
# services stopped, exit 0, no cgroup left.
. "$(dirname "$0")/lib.sh"

unit web <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
for sig in INT PWR; do
	STATEDIR=$T/state.$sig
	mkdir -p "$STATEDIR"
	supd_start
	wait_for 10 state_is web running || fail "$sig: web not running"
	wpid=$(pid_of web)
	kill "-$sig" "$SUPD_PID"
	wait_for 15 bash -c "! kill -0 $SUPD_PID 2>/dev/null" || fail "supd did not exit on SIG$sig"
	wait "$SUPD_PID"
	assert_eq "$?" 0 "supd's exit status on SIG$sig"
	wait_for 5 test ! -e "/proc/$wpid/stat" || fail "$sig: web's process $wpid survived"
	for d in "$CG_UNI" "$CG_MEM" "$CG_PIDS"; do
		[ -n "$d" ] || continue
		[ -d "$d" ] && fail "$sig: cgroups left behind: $(find "$d" -type d | tr '\n' ' ')"
	done
done
pass
