#!/bin/bash
# `supctl stop` while an ExecStartPre= command runs kills it (its whole
# cgroup) and the main command never starts.
. "$(dirname "$0")/lib.sh"

unit slowpre <<EOF
[Service]
ExecStartPre=/bin/sh -c 'echo pre running; sleep 1000 & echo \$\$! >$T/pre-child; wait'
ExecStart=/bin/sh -c 'echo main ran; exec sleep 1000'
TimeoutStopSec=5s
EOF
supd_start
wait_for 10 state_is slowpre starting || fail "not starting: $(state_of slowpre)"
wait_for 10 test -s "$T/pre-child" || fail "ExecStartPre did not run"
child=$(cat "$T/pre-child")
ctl stop slowpre
st=$(state_of slowpre)
[ "$st" = stopped ] || [ "$st" = failed ] || fail "state after stop: $st"
wait_for 5 test ! -e "/proc/$child/stat" || fail "ExecStartPre's child $child survived"
[ -z "$CG_UNI" ] || [ ! -s "$CG_UNI/slowpre/cgroup.procs" ] || fail "cgroup not empty"
# Proving main does not start afterwards: 1s.
sleep 1
file_has "$LOGDIR/slowpre.log" "main ran" && fail "main ran after a stop during ExecStartPre"
assert_eq "$(state_of slowpre)" "$st" "state 1s after the stop"
pass
