#!/bin/bash
# vm-timeout: 90
# supd as PID 1 of a container stops everything and powers off on SIGPWR,
# what LXC sends its init on halt (see supd-pid1.sh).
CT_SIGNAL=PWR exec bash "$(dirname "$0")/supd-pid1.sh"
