#!/bin/bash
# A limit the kernel refuses: a process left in the service's cgroup
# (KillMode=process) holds 48 MiB when the service starts again with
# MemoryMax=16M.  On cgroup v1 the write fails (EBUSY: usage above the
# new limit cannot be reclaimed without swap): the start fails with
# result resources, the file and the reason in status and supd's log,
# and supd keeps running.  (On v2 the kernel accepts the write and
# OOM-kills instead: then the leftover must be gone and the service run.)
. "$(dirname "$0")/lib.sh"

[ -x "$HELPERS/memhog" ] || skip "memhog not built"
unit leaky <<EOF2
[Service]
ExecStart=/bin/sh -c '$HELPERS/memhog 48 & exec sleep 1000'
KillMode=process
Restart=no
EOF2
supd_start
wait_for 10 state_is leaky running || fail "leaky not running"
if [ -n "$CG_MEM" ] && [ -f "$CG_MEM/leaky/memory.usage_in_bytes" ]; then
	usage() { cat "$CG_MEM/leaky/memory.usage_in_bytes"; }
	v1=1
elif [ -n "$CG_UNI" ] && [ -f "$CG_UNI/leaky/memory.current" ]; then
	usage() { cat "$CG_UNI/leaky/memory.current"; }
	v1=0
else
	skip "no memory controller"
fi
allocated() { [ "$(usage)" -ge $((40 << 20)) ]; }
wait_for 10 allocated || fail "memhog did not allocate: $(usage)"
hog=$(grep -v "^$(pid_of leaky)\$" "$CG_UNI/leaky/cgroup.procs" 2>/dev/null | head -1)
ctl stop leaky >/dev/null || fail "stop"
# KillMode=process: the hog stays, with its memory.
[ -z "$hog" ] || pid_alive "$hog" || fail "the leftover hog $hog is gone"
cat >>"$CONF/leaky.conf" <<'EOF2'
MemoryMax=16M
EOF2
ctl reload >/dev/null || fail "reload"
rel_fault
out=$(ctl start leaky 2>&1)
rc=$?
log "start: rc $rc: $out"
if [ $v1 = 1 ]; then
	[ $rc -ne 0 ] || fail "start succeeded though the limit could not be set: $(ctl --json show leaky | jq -c '.service.limits')"
	wait_for 5 state_is leaky failed || fail "leaky: $(state_of leaky)"
	assert_eq "$(result_of leaky)" resources "result"
	err=$(svc_json leaky .error)
	grep -q 'memory.limit_in_bytes' <<<"$err" || fail "status error does not name the file: $err"
	grep -qi 'busy' <<<"$err" || fail "status error does not say why: $err"
	grep -qi 'leaky.*busy' "$T/supd.log" || fail "supd's log lacks the refused write"
else
	[ $rc -eq 0 ] || fail "start failed on v2: $out"
	[ -z "$hog" ] || wait_for 5 bash -c "! [ -d /proc/$hog ] || grep -q '^State:.*Z' /proc/$hog/status" || fail "the hog survived memory.max"
fi
assert_alive "a refused cgroup write"
pass
