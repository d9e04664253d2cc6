#!/bin/sh
# Install the Debian packages supd needs, when missing and when we are root.
# Usage: tests/deps.sh [build|test]   (default: test, a superset of build)
set -eu
what=${1:-test}
pkgs="build-essential pkg-config libuv1-dev libinih-dev libjansson-dev"
if [ "$what" = test ]; then
	pkgs="$pkgs util-linux procps jq"
	[ -n "${SUPD_TEST_EXTRA_PKGS:-}" ] && pkgs="$pkgs $SUPD_TEST_EXTRA_PKGS"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
