#!/bin/bash
# A Type=oneshot that leaves a background process behind: when its main
# process exits, what is left in the cgroup is killed (KillMode=
# control-group) before the service settles in exited.
. "$(dirname "$0")/lib.sh"

unit setup <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'sleep 1000 & echo \$\$! >$T/bg; echo done'
EOF
supd_start
wait_for 10 state_is setup exited || fail "setup: $(state_of setup)/$(result_of setup)"
assert_eq "$(result_of setup)" success "result"
bg=$(cat "$T/bg")
wait_for 5 test ! -e "/proc/$bg/stat" || fail "background process $bg left running: $(cat "/proc/$bg/stat" 2>/dev/null)"
[ -z "$CG_UNI" ] || [ ! -s "$CG_UNI/setup/cgroup.procs" ] || fail "cgroup not empty"
pass
