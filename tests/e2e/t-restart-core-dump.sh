#!/bin/bash
# A main process killed by a signal that dumps core gets result core-dump
# (status shows core-dump:SIGNAME) and Restart=on-abort restarts it.
. "$(dirname "$0")/lib.sh"

ulimit -c unlimited 2>/dev/null || skip "cannot raise RLIMIT_CORE"
case $(cat /proc/sys/kernel/core_pattern) in
core*|"") ;;
*) skip "core_pattern is $(cat /proc/sys/kernel/core_pattern), not a plain file" ;;
esac
# ASan lowers RLIMIT_CORE to 0 at start-up (disable_coredump=1 on 64-bit),
# and services inherit supd's limits: keep ours for this test.
export ASAN_OPTIONS="$ASAN_OPTIONS:disable_coredump=0"
mkdir "$T/cores"
cat >"$T/beh.sh" <<'EOF'
n=$(cat "$1" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" >"$1"
echo "run $n"
exec sleep 1000
EOF
unit dumper <<EOF
[Service]
WorkingDirectory=$T/cores
ExecStart=/bin/sh $T/beh.sh $T/count
Restart=on-abort
RestartSec=4s
EOF
supd_start
wait_for 10 state_is dumper running || fail "not running"
pid=$(pid_of dumper)
grep -q "^Max core file size *unlimited" "/proc/$pid/limits" || fail "service's core limit: $(grep core "/proc/$pid/limits")"
kill -QUIT "$pid"
wait_for 10 state_is dumper auto-restart || fail "not restarting after SIGQUIT: $(state_of dumper)/$(result_of dumper)"
assert_eq "$(result_of dumper)" core-dump "result"
assert_eq "$(svc_json dumper .exit_code)" dumped "exit code kind"
assert_eq "$(svc_json dumper .signal)" SIGQUIT "signal"
ctl status dumper | grep -q "core-dump:SIGQUIT" || fail "table: $(ctl status dumper | tail -1)"
wait_for 10 file_has "$LOGDIR/dumper.log" "run 2" || fail "not restarted"
wait_for 5 state_is dumper running || fail "second run not running"
ls "$T/cores"/core* >/dev/null 2>&1 || fail "no core file in the working directory"
pass
