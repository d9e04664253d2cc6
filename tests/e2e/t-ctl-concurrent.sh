#!/bin/bash
# Many clients at once: 40 status readers and 4 writers restarting
# services concurrently all get answers (exit 0), and supd ends consistent.
. "$(dirname "$0")/lib.sh"

for i in 1 2 3 4; do
	unit "w$i" <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
done
supd_start
for i in 1 2 3 4; do wait_for 10 state_is "w$i" running || fail "w$i not running"; done
pids=()
for i in $(seq 1 40); do
	( for j in 1 2 3; do "$SUPCTL" -s "$SOCK" --json status >/dev/null || exit 1; done ) &
	pids+=($!)
done
for i in 1 2 3 4; do
	( for j in 1 2 3; do "$SUPCTL" -s "$SOCK" restart "w$i" || exit 1; done ) &
	pids+=($!)
done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
assert_eq "$bad" 0 "clients that failed"
for i in 1 2 3 4; do
	assert_eq "$(state_of "w$i")" running "w$i after the restarts"
	assert_eq "$(grep -c "w$i: started" "$T/supd.log")" 4 "starts of w$i"
	[ -z "$CG_UNI" ] || assert_eq "$(wc -l <"$CG_UNI/w$i/cgroup.procs")" 1 "processes in w$i's cgroup"
done
pass
