#!/bin/bash
# Fetch Debian's amd64 kernel once and cache its decompressed ELF vmlinux,
# which qemu boots through the PVH entry (no in-guest decompression).
# The cache key is the image package and its version; a run without
# network reuses the newest cached kernel.
# Usage: tests/vm/fetch-kernel.sh
#   stdout: the path of vmlinux; exit 1 with the reason on stderr when no
#   kernel can be had.
set -u
cd "$(dirname "$0")" || exit 1
cache=$PWD/cache
mkdir -p "$cache" || exit 1

die() {
	echo "$*" >&2
	exit 1
}

# newest_cached - print the most recently fetched cached vmlinux, if any.
newest_cached() {
	# shellcheck disable=SC2012
	ls -t "$cache"/linux-image-*/vmlinux 2>/dev/null | head -1
}

# image_package - print "NAME VERSION" of the image package that
# linux-image-amd64 depends on, from the local apt lists.
image_package() {
	apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
		sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*\) (= \([^)]*\)).*/\1 \2/p' | grep .
}

# extract_vmlinux BZIMAGE OUT - unpack the XZ payload of a bzImage, as the
# kernel's scripts/extract-vmlinux does.
extract_vmlinux() {
	local off xzcmd=xz
	command -v xz >/dev/null 2>&1 || xzcmd="busybox xz"
	for off in $(LC_ALL=C grep -abo $'\xfd7zXZ' "$1" | cut -d: -f1); do
		tail -c +$((off + 1)) "$1" | $xzcmd -dc --single-stream >"$2" 2>/dev/null
		[ "$(head -c 4 "$2" | od -An -c | tr -d ' ')" = '177ELF' ] && return 0
	done
	return 1
}

exec 9>"$cache/.lock"
flock 9 || die "cannot lock $cache/.lock"

if ! pv=$(image_package) && [ "$(id -u)" = 0 ]; then
	apt-get update -qq >/dev/null 2>&1
	pv=$(image_package)
fi
if [ -z "$pv" ]; then
	old=$(newest_cached)
	[ -n "$old" ] || die "no kernel: apt-cache knows no linux-image-amd64 and nothing is cached"
	echo "fetch-kernel: apt lists unavailable, using cached $old" >&2
	echo "$old"
	exit 0
fi
read -r pkg ver <<<"$pv"
dir=$cache/${pkg}_${ver//:/%}
if [ -s "$dir/vmlinux" ]; then
	echo "$dir/vmlinux"
	exit 0
fi

echo "fetch-kernel: downloading $pkg $ver" >&2
tmp=$(mktemp -d "$cache/.fetch.XXXXXX") || die "mktemp failed in $cache"
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && apt-get download "$pkg=$ver") >"$tmp/apt.log" 2>&1; then
	old=$(newest_cached)
	if [ -n "$old" ]; then
		echo "fetch-kernel: download of $pkg $ver failed, using cached $old" >&2
		echo "$old"
		exit 0
	fi
	die "no kernel: apt-get download $pkg=$ver failed: $(grep -E '^(E|Err):' "$tmp/apt.log" | head -1)"
fi
deb=$(ls "$tmp"/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || die "no kernel: apt-get download left no .deb"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" ./boot ||
	die "no kernel: cannot unpack ./boot from $deb"
bz=$(ls "$tmp"/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$bz" ] || die "no kernel: $deb has no boot/vmlinuz-*"
mkdir -p "$tmp/out"
extract_vmlinux "$bz" "$tmp/out/vmlinux" || die "no kernel: no XZ-compressed ELF inside $bz"
cp "$tmp"/boot/config-* "$tmp/out/" 2>/dev/null
echo "$pkg $ver" >"$tmp/out/VERSION"
rm -rf "$dir"
mv "$tmp/out" "$dir" || die "cannot move the kernel into $dir"
# Older versions are dead weight (66 MB each).
for old in "$cache"/linux-image-*; do
	[ "$old" = "$dir" ] || rm -rf "$old"
done
echo "$dir/vmlinux"
