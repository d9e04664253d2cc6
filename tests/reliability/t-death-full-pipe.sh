#!/bin/bash
# supd is SIGKILLed under a service that writes as fast as it can: the
# service fills its pipe and blocks (it is not killed by SIGPIPE), the next
# supd drains it, and the log holds every number in order, none missing.
. "$(dirname "$0")/lib.sh"

unit flood <<'EOF2'
[Service]
ExecStart=/usr/bin/seq 1 1000000000
LogMaxBytes=infinity
EOF2
supd_start
wait_for 10 state_is flood running || fail "flood not running"
pid=$(pid_of flood)
wait_for 10 file_has "$LOGDIR/flood.log" ' 10000$' || fail "flood not logged"
kill -KILL "$SUPD_PID"
wait "$SUPD_PID" 2>/dev/null
rel_fault
sleep 1 # proves the writer survives a second without supd (bounded, <= 2 s)
pid_alive "$pid" || { rel_lost_services 1; fail "flood (pid $pid) died with supd"; }
st=$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f1)
log "flood while no supd runs: state $st, wchan $(cat "/proc/$pid/wchan" 2>/dev/null)"
supd_start
wait_for 5 bash -c "[ \"\$(\"$SUPCTL\" -s \"$SOCK\" --json status flood | jq -r .services[0].pid)\" = $pid ]" ||
	{ rel_lost_services 1; fail "flood not re-adopted: $(state_of flood) $(pid_of flood)"; }
last() { tail -c 200 "$LOGDIR/flood.log" | tail -1 | awk '{ print $2 }'; }
n0=$(last)
wait_for 10 cmp_ok last -gt $((n0 + 100000)) || fail "flood's output not drained after re-adoption ($n0 -> $(last))"
ctl stop flood >/dev/null || fail "stop flood"
# Every number once, in order (the last line may be cut by the stop).
read -r bad max <<<"$(head -n -1 "$LOGDIR/flood.log" | awk '{ n = $2 } NR > 1 && n != p + 1 { bad++; if (bad < 4) print p " then " n >"/dev/stderr" } { p = n } END { print bad + 0, p }')"
rel_note "full-speed writer across a SIGKILL of supd: $max lines in order, $bad gaps or repeats"
[ "${max:-0}" -gt 100000 ] || fail "only ${max:-0} lines logged"
rel_lost_data "$bad"
assert_eq "$bad" 0 "gaps or repeats in flood's numbers"
assert_alive "a full pipe across a crash"
pass
