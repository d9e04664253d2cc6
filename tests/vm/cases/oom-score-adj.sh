#!/bin/bash
# As root in the guest (CAP_SYS_RESOURCE) a negative oom_score_adj is
# accepted, and children inherit it across fork and exec.
. "$(dirname "$0")/../lib.sh"

sh -c 'echo -500 >/proc/self/oom_score_adj && exec sh -c "cat /proc/self/oom_score_adj"' >"$VM_TMP/out" 2>&1 ||
	fail "cannot set oom_score_adj -500: $(cat "$VM_TMP/out")"
assert_eq "$(cat "$VM_TMP/out")" -500 "oom_score_adj of the child"
pass
