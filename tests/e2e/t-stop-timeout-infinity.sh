#!/bin/bash
# TimeoutStopSec=infinity (and 0): supd never escalates to SIGKILL; the
# stop completes when the process finally exits.
. "$(dirname "$0")/lib.sh"

for v in infinity 0; do
	unit "patient-$v" <<EOF
[Service]
ExecStart=/bin/sh -c 'trap "" TERM; echo ready; while [ ! -f $T/go-$v ]; do sleep 0.05; done; echo leaving'
TimeoutStopSec=$v
EOF
done
supd_start
for v in infinity 0; do
	wait_for 10 file_has "$LOGDIR/patient-$v.log" ready || fail "patient-$v not ready"
	ctl stop --no-block "patient-$v" || fail "stop --no-block failed"
done
# Proving no SIGKILL comes: 2s after the stop both still run.
sleep 2
for v in infinity 0; do
	assert_eq "$(state_of "patient-$v")" stopping "patient-$v 2s after the stop"
	touch "$T/go-$v"
	wait_for 10 state_is "patient-$v" stopped || fail "patient-$v: $(state_of "patient-$v")/$(result_of "patient-$v")"
	file_has "$LOGDIR/patient-$v.log" leaving || fail "patient-$v did not leave by itself"
	assert_eq "$(result_of "patient-$v")" success "patient-$v: result"
done
pass
