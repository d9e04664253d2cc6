#!/bin/bash
# supd as PID 1 of a PID namespace (unshare --pid --fork --mount-proc)
# reaps every orphan: a service double-forks children that outlive it and
# then exit, and no zombie is left in the namespace; the exit status of a
# supervised process is not stolen by the orphan reaping.
. "$(dirname "$0")/lib.sh"

command -v unshare >/dev/null || skip "no unshare"
command -v nsenter >/dev/null || skip "no nsenter"
unshare --pid --fork --mount-proc true 2>/dev/null || skip "cannot create a PID namespace"
# children_of PID: pids whose parent is PID (busybox guests have no pgrep).
children_of() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '{ pid = $1; sub(/^.*\) /, ""); if ($2 == p) print pid }'
}

# orphaner: 20 double-forked children that exit after 0.2-0.6s, then exits.
unit orphaner <<'EOF'
[Service]
ExecStart=/bin/sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do (sleep 0.$$((i % 5 + 2)) &); done; echo spawned; exit 0'
EOF
# A supervised process whose exit status must reach supd while orphans are
# being reaped.
unit seven <<'EOF'
[Service]
ExecStart=/bin/sh -c 'for i in 1 2 3 4 5; do (sleep 0.3 &); done; sleep 0.8; exit 7'
EOF
unit steady <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
unshare --pid --fork --mount-proc "$SUPD" --conf-dir "$CONF" --socket "$SOCK" \
	--log-dir "$LOGDIR" --state-dir "$STATEDIR" --cgroup-root "$CGROOT" >>"$T/supd.log" 2>&1 &
upid=$!
wait_for 10 ctl_ok status || fail "supd in a PID namespace did not answer"
SUPD_PID=$(children_of "$upid" | head -1)
[ -n "$SUPD_PID" ] || fail "no supd under unshare $upid"
assert_eq "$(awk '/^NSpid:/ { print $NF }' "/proc/$SUPD_PID/status")" 1 "supd's pid in its namespace"
grep -q "(PID 1)" "$T/supd.log" || fail "supd does not know it is PID 1"
wait_for 10 state_is orphaner exited || fail "orphaner: expected exited, got $(state_of orphaner)"
assert_eq "$(result_of orphaner)" success "orphaner: result"
wait_for 10 state_is seven failed || fail "seven: expected failed, got $(state_of seven)"
assert_eq "$(result_of seven)" exit-code "seven: result"
assert_eq "$(svc_json seven .exit_status)" 7 "seven: exit status"
# Every orphan has exited by now (0.6s at most); none may stay a zombie.
zombies() { # print the namespace's zombies, as seen inside it
	nsenter -t "$SUPD_PID" -p -m sh -c \
		'for f in /proc/[0-9]*/stat; do s=$(cat "$f" 2>/dev/null) || continue; set -- ${s##*) }; [ "$1" = Z ] && echo "${s%% *}"; done'
}
no_zombies() { [ -z "$(zombies)" ]; }
wait_for 10 no_zombies || fail "zombies left in the namespace: $(zombies | tr '\n' ' ')"
n=$(nsenter -t "$SUPD_PID" -p -m sh -c 'ls -d /proc/[0-9]* | wc -l')
log "processes in the namespace: $n"
# supd, its helper(s), steady's sleep and the nsenter'd shell and ls.
[ "$n" -le 6 ] || fail "$n processes in the namespace: $(nsenter -t "$SUPD_PID" -p -m ps -eo pid,stat,args 2>/dev/null)"
assert_eq "$(state_of steady)" running "steady"
ctl shutdown || fail "shutdown failed"
wait_for 15 bash -c "! kill -0 $upid 2>/dev/null" || fail "supd (PID 1) did not exit on shutdown"
wait "$upid"
assert_eq "$?" 0 "exit status of supd as PID 1"
pass
