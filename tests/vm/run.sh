#!/bin/bash
# The pure cgroup v2 suite: boot Debian's kernel under qemu (TCG) with a
# self-contained initramfs, run every case of tests/vm/cases/ and every
# e2e script listed in tests/vm/e2e-list in one boot, then supd as the
# guest's real PID 1 (docs/testing-vm.md), and print one line
# per case: "PASS name", "FAIL name: why", "SKIP name: why".  Lines that
# start with "#" are information.  Exits non-zero only when a case fails,
# the guest crashes or hangs, or no verdict arrives; when qemu or the
# kernel cannot be had it prints "SKIP vm: why (N cases skipped)".
# Usage: tests/vm/run.sh [GLOB]     run only the cases matching GLOB
# shellcheck disable=SC2053  # GLOB is a pattern on purpose
# Environment: SUPD_VM_SKIP=1 skips the suite; SUPD_VM_TIMEOUT (seconds,
# default 900) bounds the whole boot; SUPD_VM_CASE_TIMEOUT (default 60) is
# a case's limit unless it sets "# vm-timeout: N"; SUPD_VM_KEEP=1 keeps
# the work directory; SUPD_VM_VERBOSE=1 prints every case's output;
# SUPD_VM_APPEND and SUPD_VM_QEMU_ARGS add kernel and qemu arguments.
set -u
cd "$(dirname "$0")/../.." || exit 1
vm=tests/vm
only=${1:-}
t0=$(date +%s.%N)

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# count_cases - how many cases one boot would run.
count_cases() {
	local n=0 f
	for f in "$vm"/cases/*.sh; do
		[ -f "$f" ] || continue
		[ -n "$only" ] && [[ $(basename "$f" .sh) != $only ]] && continue
		n=$((n + 1))
	done
	# The last phase, supd as the guest's real PID 1.
	[ -z "$only" ] || [[ supd-vm-pid1 == $only ]] && n=$((n + 1))
	if [ -f "$vm/e2e-list" ]; then
		while read -r f _; do
			case $f in '' | '#'*) continue ;; esac
			[ -n "$only" ] && [[ e2e/${f%.sh} != $only ]] && continue
			n=$((n + 1))
		done <"$vm/e2e-list"
	fi
	echo $n
}
ncases=$(count_cases)

skip_all() {
	echo "SKIP vm: $1 ($ncases cases skipped)"
	exit 0
}

[ "${SUPD_VM_SKIP:-0}" = 1 ] && skip_all "SUPD_VM_SKIP=1"
[ "$ncases" -gt 0 ] || skip_all "no case matches '$only'"
[ "$(uname -m)" = x86_64 ] || skip_all "the guest kernel is amd64, this host is $(uname -m)"

# Install what is missing, as tests/deps.sh does for the other suites.
missing=""
command -v qemu-system-x86_64 >/dev/null || missing="$missing qemu-system-x86"
command -v busybox >/dev/null || missing="$missing busybox-static"
command -v cpio >/dev/null || missing="$missing cpio"
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || skip_all "missing packages:$missing (install them, or run as root)"
	echo "# vm: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	if ! apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1; then
		apt-get update -qq >/dev/null 2>&1
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 ||
			skip_all "cannot install$missing with apt-get"
	fi
fi

kerr=$(mktemp) || exit 1
kernel=$("$vm/fetch-kernel.sh" 2>"$kerr")
if [ -z "$kernel" ] || [ ! -s "$kernel" ]; then
	why=$(tail -1 "$kerr")
	rm -f "$kerr"
	skip_all "${why:-no kernel}"
fi
sed 's/^/# vm: /' "$kerr"
rm -f "$kerr"

work=$(mktemp -d /tmp/supd-vm.XXXXXX) || exit 1
[ "${SUPD_VM_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
t1=$(date +%s.%N)
if ! "$vm/mkinitramfs.sh" "$work/initramfs.cpio" 2>"$work/mkinitramfs.log"; then
	echo "FAIL vm: cannot build the initramfs: $(tail -1 "$work/mkinitramfs.log")"
	exit 1
fi
sed 's/^mkinitramfs: /# vm: /' "$work/mkinitramfs.log"
echo "# vm: kernel $(cat "$(dirname "$kernel")/VERSION" 2>/dev/null), initramfs $(($(stat -c %s "$work/initramfs.cpio") / 1048576)) MiB built in $(elapsed "$t1") s"

append="console=ttyS0 quiet panic=-1 mitigations=off ${SUPD_VM_APPEND:-} supdvm.timeout=${SUPD_VM_CASE_TIMEOUT:-60}"
[ -n "$only" ] && append="$append supdvm.only=$only"
[ "${SUPD_VM_VERBOSE:-0}" = 1 ] && append="$append supdvm.verbose=1"
serial=$work/serial.log
t2=$(date +%s.%N)
timeout -k 5 "${SUPD_VM_TIMEOUT:-900}" qemu-system-x86_64 \
	-M pc -accel tcg ${SUPD_VM_QEMU_ARGS:-} -m 512 -smp 1 -no-user-config -nodefaults -display none \
	-no-reboot -monitor none -serial "file:$serial" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$kernel" -initrd "$work/initramfs.cpio" -append "$append" \
	</dev/null >"$work/qemu.log" 2>&1
qrc=$?
boot_secs=$(elapsed "$t2")

# The guest's report lines, without their tag and the serial's \r.
tr -d '\r' <"$serial" 2>/dev/null | sed -n 's/^.*@@SUPDVM@@ //p' >"$work/report"
grep -E '^(PASS|FAIL|SKIP) ' "$work/report"
booted=$(awk '$1 == "BOOT" { print $2; exit }' "$work/report")
done_line=$(grep '^DONE ' "$work/report" | tail -1)

bad="" pid1_failed=0
if grep -q '^PID1 START' "$work/report"; then
	# supd was exec'd as PID 1: a clean end is its reboot(RB_POWER_OFF),
	# after the driver's report and the victim's orderly stop.
	if [ $qrc = 0 ] && ! grep -q 'Kernel panic' "$serial" &&
		grep -q '^PID1 SHUTDOWN' "$work/report" && grep -q '^STOPPED victim' "$work/report" &&
		tr -d '\r' <"$serial" | grep -q 'reboot: Power down'; then
		echo "PASS supd-vm-pid1/poweroff"
	else
		why="no SIGTERM from the driver"
		grep -q '^PID1 SHUTDOWN' "$work/report" && why="the victim service was not stopped"
		grep -q '^STOPPED victim' "$work/report" && why="no clean power-off"
		case $qrc in
		124 | 137) why="$why: hung (timed out after ${SUPD_VM_TIMEOUT:-900} s)" ;;
		0) grep -q 'Kernel panic' "$serial" && why="$why: $(tr -d '\r' <"$serial" | grep -m1 'Kernel panic')" ;;
		*) why="$why: qemu exited $qrc" ;;
		esac
		echo "FAIL supd-vm-pid1/poweroff: $why"
		pid1_failed=1
	fi
	grep -q '^DONE ' "$work/report" || bad="no DONE line before supd became PID 1"
else
	case $qrc in
	1) [ -n "$done_line" ] || bad="the guest reported success without a DONE line" ;;
	3) grep -q '^FAIL ' "$work/report" || bad="the guest reported failure without a FAIL line" ;;
	0) bad="the guest powered off or panicked without a verdict" ;;
	124 | 137) bad="timed out after ${SUPD_VM_TIMEOUT:-900} s" ;;
	*) bad="qemu exited $qrc: $(tail -1 "$work/qemu.log")" ;;
	esac
	if grep -q 'Kernel panic' "$serial" 2>/dev/null; then
		bad="kernel panic: $(tr -d '\r' <"$serial" | grep -m1 'Kernel panic')"
	fi
fi
if [ -n "$bad" ]; then
	# The case that was running when the guest died or hung.
	last=$(awk '$1 == "RUN" { r = $2 } $1 == "TIME" && $2 == r { r = "" } END { print r }' "$work/report")
	[ -n "$last" ] && bad="$bad (during case $last)"
	echo "FAIL vm: $bad"
fi
awk '$1 == "TIME" { printf "%s%s %.1fs", sep, $2, $4 - $3; sep = ", " } END { if (sep) print "" }' "$work/report" |
	sed 's/^/# vm: case times: /'
echo "# vm: boot to /init ${booted:-?} s (guest clock), qemu ran $boot_secs s, total $(elapsed "$t0") s"
if [ "${SUPD_VM_VERBOSE:-0}" = 1 ]; then
	echo "# vm: serial log ($serial):"
	tr -d '\r' <"$serial" | sed 's/^/#   /'
fi
if [ -n "$bad" ] || [ $pid1_failed = 1 ] || grep -q '^FAIL ' "$work/report"; then
	echo "# vm: serial log tail ($serial):"
	tr -d '\r' <"$serial" 2>/dev/null | tail -60 | sed 's/^/#   /'
	[ -s "$work/qemu.log" ] && sed 's/^/#   qemu: /' "$work/qemu.log" | tail -10
	exit 1
fi
exit 0
