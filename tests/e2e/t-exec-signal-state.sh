#!/bin/bash
# A service starts with every signal at its default: none blocked, none
# of 1-31 ignored (supd ignores SIGPIPE and handles SIGCHLD, SIGTERM, SIGINT,
# SIGPWR and SIGHUP itself), and a signal sent to it the instant it starts
# reaches it, not supd: supd keeps running.
. "$(dirname "$0")/lib.sh"

unit sigs <<'EOF'
[Service]
Type=oneshot
ExecStart=/bin/grep -E ^Sig(Blk|Ign): /proc/self/status
EOF
unit target <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
Restart=always
RestartSec=0
StartLimitBurst=0
EOF
supd_start
wait_for 10 state_is sigs exited || fail "sigs: $(state_of sigs)/$(result_of sigs)"
wait_for 5 file_has "$LOGDIR/sigs.log" SigIgn || fail "no signal state logged: $(cat "$LOGDIR/sigs.log")"
grep -q 'SigBlk:[[:space:]]*0*$' "$LOGDIR/sigs.log" || fail "signals blocked in a service: $(cat "$LOGDIR/sigs.log")"
# Signals 1-31 (bits 0-30).  32 and 33 are glibc's own (thread
# cancellation, set*id): its sigaction() refuses them, so whatever supd's
# parent left there stays; glibc sets them up itself where it uses them.
ign=$(awk '/SigIgn:/ { print $NF }' "$LOGDIR/sigs.log")
[ -n "$ign" ] && [ $((16#$ign & 0x7fffffff)) = 0 ] || fail "signals ignored in a service: $(cat "$LOGDIR/sigs.log")"
# SIGTERM and SIGHUP sent to each new instance at once: the service dies
# of them (restarts grow), supd neither shuts down nor reloads.
for i in $(seq 1 20); do
	p=$(pid_of target)
	[ "$p" != null ] && kill -TERM "$p" 2>/dev/null
	p=$(pid_of target)
	[ "$p" != null ] && kill -HUP "$p" 2>/dev/null
done
kill -0 "$SUPD_PID" || fail "supd died"
wait_for 10 state_is target running || fail "target: $(state_of target)"
grep -q 'stopping every service\|reloading' "$T/supd.log" && fail "a signal for a service reached supd: $(grep 'stopping every service\|reloading' "$T/supd.log" | head -2)"
pass
