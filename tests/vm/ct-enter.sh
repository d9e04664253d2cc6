#!/bin/bash
# Become a container's init, the way LXC starts one: run by
# `unshare --pid --fork --mount --mount-proc` as PID 1 of a new pid
# namespace, join the container's cgroup, enter a cgroup namespace rooted
# there, mount cgroup2 afresh (so the container sees its cgroup as the
# root of the hierarchy), then exec the init with PID 1 kept.
# Usage: ct-enter.sh CGDIR CMD...    (from lib.sh's ct_start)
set -u
if [ "${1:-}" = --inside ]; then
	shift
	# The same superblock cannot be mounted twice on one mount point.
	umount /sys/fs/cgroup || exit 125
	mount -t cgroup2 cgroup2 /sys/fs/cgroup || exit 125
	mount -t tmpfs -o mode=0755 tmpfs /run || exit 125
	exec "$@"
fi
cg=$1
shift
# "0" is the writer itself: we are PID 1 only in our own namespace.
echo 0 >"$cg/cgroup.procs" || exit 125
exec unshare --cgroup /bin/bash "$0" --inside "$@"
