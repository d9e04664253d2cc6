#!/bin/bash
# OOMPolicy=stop stops the service with its KillSignal= (here SIGUSR1),
# not a fixed SIGTERM, and the result is oom-kill.  The traps only exit
# (with different codes): anything they allocated while the victim's memory
# is still charged could make the kernel OOM-kill the main process too.
. "$(dirname "$0")/lib.sh"

mkfifo "$T/go"
cat >"$T/svc.sh" <<EOF
trap 'exit 10' USR1
trap 'exit 15' TERM
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
assert_eq "$(svc_json hog ' | .exit_code + " " + (.exit_status | tostring)')" "exited 10" \
	"how the main process ended (10: its SIGUSR1 trap; 15: SIGTERM)"
pass
