#!/bin/sh
# Install the peers the benchmark compares supd with, when missing: Debian's
# runit, s6, daemontools, supervisor (as root), and pm2 from npm into a
# private prefix (never a global install, never ~/.pm2).
set -eu
prefix=${BENCH_PM2_PREFIX:-/tmp/supd-bench-pm2}
missing=""
for p in runit s6 daemontools supervisor; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "bench: missing packages:$missing (run as root, or install them)" >&2
		exit 1
	fi
	echo "bench: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# No service is started: the bench runs every peer itself.
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ ! -x "$prefix/node_modules/.bin/pm2" ]; then
	echo "bench: installing pm2 into $prefix" >&2
	mkdir -p "$prefix"
	npm install --prefix "$prefix" --no-audit --no-fund --silent pm2 >/dev/null
fi
