#!/bin/bash
# The short soak of `make test`: 500 crash/restart cycles across 50
# services on the sanitizer build: no zombie, fds, cgroups and RSS back
# to their baseline, sanitizers silent (make soak runs 10,000).
SOAK_CYCLES=${SOAK_CYCLES:-500} SOAK_SERVICES=${SOAK_SERVICES:-50} SOAK_NAME=t-soak-short SOAK_MODE=asan \
	exec bash "$(dirname "$0")/soak-run.sh"
