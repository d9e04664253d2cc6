#!/bin/bash
# Without any memory controller (here: supd in a mount namespace with no
# cgroup filesystem, as in an unprivileged container without delegation)
# services with memory keys still run; supd says so once at start, and
# status and show mark their limits not enforced.
. "$(dirname "$0")/lib.sh"

command -v unshare >/dev/null || skip "no unshare"
unshare -m true 2>/dev/null || skip "cannot create a mount namespace"
for s in a b; do
	unit $s <<EOF
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=64M
MemoryHigh=48M
EOF
done
# unshare execs (no fork), so $! is supd's pid once sh execs it.
unshare -m sh -c 'umount -l /sys/fs/cgroup && exec "$@"' sh \
	"$SUPD" --conf-dir "$CONF" --socket "$SOCK" --log-dir "$LOGDIR" \
	--state-dir "$STATEDIR" --cgroup-root "$CGROOT" >>"$T/supd.log" 2>&1 &
SUPD_PID=$!
wait_for 10 ctl_ok status || fail "supd did not answer on $SOCK"
grep -q cgroup /proc/"$SUPD_PID"/mountinfo && fail "supd still sees a cgroup mount"
# No cgroup of ours holds the services: after lib.sh's cleanup, kill the
# main processes we saw ourselves in case supd could not.
PIDS=""
own_cleanup() {
	local rc=$?
	(exit $rc)
	(cleanup)
	rc=$?
	[ -n "$PIDS" ] && kill -KILL $PIDS 2>/dev/null
	exit $rc
}
trap own_cleanup EXIT
for s in a b; do
	wait_for 10 state_is $s running || fail "$s not running: $(state_of $s) $(svc_json $s .error)"
	PIDS="$PIDS $(pid_of $s)"
	assert_eq "$(svc_json $s .limits_enforced)" false "$s: limits_enforced"
	ctl status $s | grep -E "^$s " | grep -q "(not enforced)" || fail "$s: table row lacks (not enforced): $(ctl status $s)"
	for k in MemoryMax MemoryHigh; do
		how=$(ctl --json show $s | jq -r ".service.limits[] | select(.key == \"$k\") | .how")
		assert_eq "$how" not-enforced "$s: $k how"
	done
done
timeout 20 "$SUPCTL" -s "$SOCK" restart a || fail "restart a failed or hung (20 s)"
wait_for 10 state_is a running || fail "a not running after restart"
# Said once at start for supd, once per service and key, not per start.
n=$(grep -ciE "warning: no memory controller" "$T/supd.log")
assert_eq "$n" 1 "supd-wide warnings about the missing memory controller"
grep -q "cgroups: none" "$T/supd.log" || fail "the start-up line does not say cgroups: none"
for s in a b; do
	for k in MemoryMax MemoryHigh; do
		assert_eq "$(grep -c "warning: $s: $k= not enforced" "$T/supd.log")" 1 "warnings for $s $k"
	done
done
pass
