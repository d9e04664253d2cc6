#!/bin/bash
# A cgroup write that fails: the service's memory limit file is read-only
# (a read-only bind mount over it).  The start fails with result
# resources and the file and errno in status and in supd's log; supd
# keeps running; once the file is writable again the service starts with
# its limit in place.
. "$(dirname "$0")/lib.sh"

unit lim <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=64M
AutoStart=no
EOF2
unit good <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2
supd_start
wait_for 10 state_is good running || fail "good not running"
if [ -n "$CG_MEM" ] && [ -d "$CG_MEM" ]; then
	dir=$CG_MEM/lim file=memory.limit_in_bytes
elif [ -n "$CG_UNI" ] && [ -f "$CG_UNI/cgroup.subtree_control" ] && grep -qw memory "$CG_UNI/cgroup.subtree_control"; then
	dir=$CG_UNI/lim file=memory.max
else
	skip "no memory controller"
fi
# The cgroup is made before supd would, so the mount can cover the file.
mkdir -p "$dir" || fail "mkdir $dir"
: >"$T/ro"
mount --bind "$T/ro" "$dir/$file" && mount -o remount,ro,bind "$dir/$file" || skip "cannot bind-mount over $dir/$file"
rel_pre_cleanup() {
	stop_supd
	umount "$dir/$file" 2>/dev/null
}
rel_fault
out=$(ctl start lim 2>&1)
rc=$?
log "start: rc $rc: $out"
[ $rc -ne 0 ] || fail "start succeeded with the limit file read-only"
wait_for 5 state_is lim failed || fail "lim: $(state_of lim)"
assert_eq "$(result_of lim)" resources "result"
err=$(svc_json lim .error)
log "error: $err"
grep -q "$file" <<<"$err" || fail "status error does not name $file: $err"
grep -qi 'read-only' <<<"$err" || fail "status error does not say why: $err"
grep -q "lim.*$file.*[Rr]ead-only" "$T/supd.log" || fail "supd's log lacks the failed write"
[ -z "$CG_UNI" ] || [ ! -s "$CG_UNI/lim/cgroup.procs" ] || fail "a process of lim runs anyway"
assert_alive "a failed cgroup write"
umount "$dir/$file" || fail "umount"
ctl reset-failed lim >/dev/null
ctl start lim >/dev/null || fail "start after the file is writable: $(svc_json lim .error)"
assert_eq "$(state_of lim)" running "lim"
assert_eq "$(cat "$dir/$file")" $((64 << 20)) "$file"
assert_eq "$(state_of good)" running "good"
pass
