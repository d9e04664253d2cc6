#!/bin/bash
# The short valgrind run of `make test`: 100 crash/restart cycles across
# 10 services with the release bin/supd under memcheck: no error, nothing
# definitely lost, in supd, its fd holder and every forked child.
SOAK_CYCLES=${SOAK_CYCLES:-100} SOAK_SERVICES=${SOAK_SERVICES:-10} SOAK_NAME=t-soak-valgrind-short SOAK_MODE=valgrind \
	exec bash "$(dirname "$0")/soak-run.sh"
