#!/bin/bash
# inotify IN_MODIFY fires on memory.events when oom_kill rises: the event
# supd waits on instead of polling.
. "$(dirname "$0")/../lib.sh"
command -v vmprobe >/dev/null || skip "vmprobe not built (no cc on the host?)"

c=$(cg_make hog)
echo 32M >"$c/memory.max" || fail "cannot set memory.max"
echo 0 >"$c/memory.swap.max" 2>/dev/null
vmprobe inotify "$c/memory.events" 10 >"$VM_TMP/probe" 2>&1 &
probe=$!
wait_for 5 grep -q ready "$VM_TMP/probe" || fail "vmprobe did not arm: $(cat "$VM_TMP/probe")"
cg_spawn "$c" /bin/sh -c ". $SUPD_TOP/tests/vm/lib.sh; memhog 64"
wait $!
wait "$probe"
rc=$?
[ $rc -eq 0 ] || fail "no IN_MODIFY on memory.events (vmprobe exit $rc: $(cat "$VM_TMP/probe"))"
[ "$(cg_key "$c" memory.events oom_kill)" -ge 1 ] || fail "oom_kill did not rise"
pass
