#!/bin/bash
# Build the self-contained initramfs of the VM suite: busybox, bash, jq and
# a few util-linux tools with their shared libraries, the release supd,
# supd-fdholder and supctl, the test helpers, the VM cases and the e2e scripts.  The project
# sits at /opt/supd in the guest, laid out as in the source tree, so the
# e2e harness finds everything at the paths it expects.
# Usage: tests/vm/mkinitramfs.sh OUT.cpio
#   stderr: one line per optional part left out, and why.
set -u
cd "$(dirname "$0")/../.." || exit 1
out=${1:?usage: mkinitramfs.sh OUT.cpio}
gtop=/opt/supd

die() {
	echo "mkinitramfs: $*" >&2
	exit 1
}
note() { echo "mkinitramfs: $*" >&2; }

stage=$(mktemp -d /tmp/supd-vm-initramfs.XXXXXX) || die "mktemp failed"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,root} ||
	die "cannot create the staging tree"

# add_lib_deps FILE - copy the shared libraries FILE needs (and the loader)
# to the same paths in the staging tree.
add_lib_deps() {
	local lib
	for lib in $(ldd "$1" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }'); do
		[ -e "$stage$lib" ] && continue
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib" || die "cannot copy $lib (needed by $1)"
	done
}

# add_bin SRC DEST - copy an executable and its libraries.
add_bin() {
	mkdir -p "$stage$(dirname "$2")"
	cp -L "$1" "$stage$2" || die "cannot copy $1"
	add_lib_deps "$1"
}

bb=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
add_bin "$bb" /bin/busybox
for applet in $("$bb" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$stage/bin/$applet"
done
ln -sf ../../bin/busybox "$stage/usr/bin/env"

# bash and jq run the project's scripts; unshare and nsenter from
# util-linux build "containers" (busybox's lack some namespace options);
# the GNU date (%N), timeout and stat replace busybox's
# where the e2e scripts use options busybox lacks.
for tool in bash jq unshare nsenter date timeout stat; do
	path=$(command -v "$tool") || {
		[ "$tool" = bash ] && die "bash not found"
		note "$tool not found on the host, left out"
		continue
	}
	rm -f "$stage/bin/$tool"
	add_bin "$path" "/bin/$tool"
done

echo "root:x:0:0:root:/root:/bin/bash" >"$stage/etc/passwd"
echo "root:x:0:" >"$stage/etc/group"
echo "nobody:x:65534:65534:nobody:/nonexistent:/bin/false" >>"$stage/etc/passwd"
echo "nogroup:x:65534:" >>"$stage/etc/group"

cp tests/vm/init "$stage/init" || die "cannot copy tests/vm/init"
chmod 0755 "$stage/init"

# The project tree: scripts as in the source, release binaries under bin/.
g=$stage$gtop
mkdir -p "$g/bin" "$g/tests/vm/cases" "$g/tests/e2e" "$g/tests/helpers" "$g/build/asan/tests/helpers"
cp tests/vm/lib.sh tests/vm/ct-enter.sh "$g/tests/vm/" || die "cannot copy tests/vm/lib.sh"
cp tests/vm/cases/*.sh "$g/tests/vm/cases/" 2>/dev/null
[ -f tests/vm/e2e-list ] && cp tests/vm/e2e-list "$g/tests/vm/"
cp -R tests/vm/pid1 "$g/tests/vm/" || die "cannot copy tests/vm/pid1"
cp tests/e2e/*.sh "$g/tests/e2e/" 2>/dev/null
for b in supd supctl supd-fdholder; do
	if [ -x "bin/$b" ]; then
		add_bin "bin/$b" "$gtop/bin/$b"
	else
		note "bin/$b not built, left out"
	fi
done

# Test helpers, built without sanitizers to keep the guest small; the
# sanitizer build is the fallback.  They go where the e2e harness looks.
for src in tests/helpers/*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	bin=""
	if make --no-print-directory -s "build/tests/helpers/$name" >/dev/null 2>&1; then
		bin=build/tests/helpers/$name
	elif [ -x "build/asan/tests/helpers/$name" ]; then
		bin=build/asan/tests/helpers/$name
	else
		note "helper $name does not build, left out"
		continue
	fi
	add_bin "$bin" "$gtop/build/asan/tests/helpers/$name"
	ln -s "../../build/asan/tests/helpers/$name" "$g/tests/helpers/$name"
done
# The VM suite's own probes (tests/vm/helpers/*.c), plain cc.
mkdir -p "$g/tests/vm/bin"
for src in tests/vm/helpers/*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	if ! ${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -o "$g/tests/vm/bin/$name" "$src" 2>"$stage/cc.log"; then
		note "tests/vm/helpers/$name.c does not build, left out: $(head -1 "$stage/cc.log")"
		continue
	fi
	add_lib_deps "$g/tests/vm/bin/$name"
done
rm -f "$stage/cc.log"

# Other helper scripts and data files, as they are in the tree.
for f in tests/helpers/*; do
	[ -f "$f" ] && [[ $f != *.c ]] && [[ $f != *.h ]] && cp "$f" "$g/tests/helpers/"
done

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out.tmp" ||
	die "cpio failed"
mv "$out.tmp" "$out" || die "cannot write $out"
