#!/bin/bash
# OOMPolicy=stop stops the service with its KillSignal= (here SIGUSR1),
# not a fixed SIGTERM, and the result is oom-kill.
. "$(dirname "$0")/lib.sh"

mkfifo "$T/go"
cat >"$T/svc.sh" <<EOF
trap 'echo "main got SIGUSR1"; exit 0' USR1
trap 'echo "main got SIGTERM"; exit 0' TERM
sleep 1000 &
read -r _ <"$T/go"
"$HELPERS/memhog" 64 &
wait
EOF
unit hog <<EOF
[Service]
ExecStart=/bin/bash $T/svc.sh
MemoryMax=16M
MemorySwapMax=0
OOMPolicy=stop
KillSignal=SIGUSR1
Restart=no
EOF
supd_start
wait_for 10 state_is hog running || fail "hog not running"
timeout 10 sh -c "echo go >'$T/go'" || fail "the service never read its FIFO"
wait_for 15 state_is hog failed || fail "hog was not stopped: $(state_of hog)"
assert_eq "$(result_of hog)" oom-kill "result"
wait_for 5 file_has "$LOGDIR/hog.log" "main got SIGUSR1" || fail "KillSignal=SIGUSR1 did not reach the main process: $(cat "$LOGDIR/hog.log")"
grep -q "main got SIGTERM" "$LOGDIR/hog.log" && fail "SIGTERM sent instead of KillSignal"
pass
