#!/bin/bash
# The container harness the supd-as-PID-1 cases stand on: an init started
# by ct_start is PID 1 of its own pid namespace, sees its cgroup as the
# root of the hierarchy with only itself inside, can move itself into a
# leaf and enable +memory for its children (as supd does in LXC), and its
# reboot(RB_POWER_OFF) ends the container with SIGINT.
. "$(dirname "$0")/../lib.sh"

cat >"$VM_TMP/fake-init" <<'INIT'
#!/bin/bash
out=$1
{
	echo "pid $$"
	echo "cgroup $(cat /proc/self/cgroup)"
	mapfile -t procs </sys/fs/cgroup/cgroup.procs
	echo "procs ${procs[*]}"
	mkdir /sys/fs/cgroup/init /sys/fs/cgroup/services &&
		echo 0 >/sys/fs/cgroup/init/cgroup.procs &&
		echo +memory >/sys/fs/cgroup/cgroup.subtree_control && echo "leaf ok"
	mkdir /sys/fs/cgroup/services/svc && echo +memory >/sys/fs/cgroup/services/cgroup.subtree_control &&
		echo 48M >/sys/fs/cgroup/services/svc/memory.max && echo "limit ok"
} >"$out" 2>&1
trap 'echo "got TERM" >>"$out"; poweroff -f' TERM
echo ready >>"$out"
while :; do sleep 1 & wait $!; done
INIT
ct_start /bin/bash "$VM_TMP/fake-init" "$VM_TMP/out"
wait_for 10 grep -qs ready "$VM_TMP/out" || fail "fake init did not get ready: $(cat "$VM_TMP/out")"
grep -q '^pid 1$' "$VM_TMP/out" || fail "init is not PID 1: $(cat "$VM_TMP/out")"
grep -q '^cgroup 0::/$' "$VM_TMP/out" || fail "init does not see its cgroup as /: $(cat "$VM_TMP/out")"
grep -q '^procs 1$' "$VM_TMP/out" || fail "the container's root cgroup holds more than its init: $(cat "$VM_TMP/out")"
grep -q '^leaf ok$' "$VM_TMP/out" || fail "init could not move into a leaf and enable +memory: $(cat "$VM_TMP/out")"
grep -q '^limit ok$' "$VM_TMP/out" || fail "init could not limit a service cgroup: $(cat "$VM_TMP/out")"
assert_eq "$(cat "$CT_CG/services/svc/memory.max")" $((48 << 20)) "memory.max seen from the host"
kill -TERM "$CT_PID"
ct_wait 10 || fail "container did not end 10 s after SIGTERM"
assert_eq "$CT_STATUS" "signal INT" "how the container ended"
pass
