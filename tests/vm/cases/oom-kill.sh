#!/bin/bash
# A process that outgrows memory.max is OOM-killed and memory.events'
# oom_kill counter rises.
. "$(dirname "$0")/../lib.sh"

c=$(cg_make hog)
echo 32M >"$c/memory.max" || fail "cannot set memory.max"
echo 0 >"$c/memory.swap.max" 2>/dev/null
before=$(cg_key "$c" memory.events oom_kill)
assert_eq "$before" 0 "oom_kill before"
cg_spawn "$c" /bin/sh -c ". $SUPD_TOP/tests/vm/lib.sh; memhog 64"
pid=$!
wait "$pid"
rc=$?
assert_eq "$rc" $((128 + 9)) "exit status of the hog (SIGKILL)"
after=$(cg_key "$c" memory.events oom_kill)
[ "$after" -ge 1 ] || fail "oom_kill did not rise: $after"
pass
