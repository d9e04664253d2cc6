#!/bin/bash
# Build the libFuzzer targets (clang, ASan+UBSan) into build/fuzz/, replay
# every regression input, run each target for a bounded time on its corpus,
# and print one suite line per target and a table.  See tests/fuzz/README.md.
#
# Usage: tests/fuzz/run.sh [--ci] [SECONDS] [TARGET ...]
#   SECONDS   per target (default $FUZZ_SECONDS, else 60)
#   --ci      5 s per target (unless SECONDS or $FUZZ_SECONDS is given),
#             from the committed seeds alone (also when SECONDS <= 5)
# Exits non-zero if a target crashed or a regression input still fails.
set -u
cd "$(dirname "$0")/../.."
top=$PWD

seconds=${FUZZ_SECONDS:-60}
ci=0 explicit=0
targets=()
while [ $# -gt 0 ]; do
	case $1 in
	--ci) ci=1 ;;
	-h|--help) sed -n '2,11p' "$0"; exit 0 ;;
	[0-9]*) seconds=$1; explicit=1 ;;
	fuzz-*) targets+=("$1") ;;
	*) echo "usage: $0 [--ci] [SECONDS] [TARGET ...]" >&2; exit 2 ;;
	esac
	shift
done
[ $ci -eq 1 ] && [ $explicit -eq 0 ] && [ -z "${FUZZ_SECONDS:-}" ] && seconds=5
# libFuzzer reads -max_total_time=0 as "no limit".
[ "$seconds" -ge 1 ] 2>/dev/null || seconds=1
[ "$seconds" -le 5 ] && ci=1
[ ${#targets[@]} -eq 0 ] && targets=(fuzz-unit fuzz-values fuzz-exec fuzz-proto fuzz-daemonconf)

# Longest input per target: unit files need room for continuations and
# over-long lines (Debian's libinih holds 16382 bytes a line); a value or
# a command line is short.
max_len() {
	case $1 in
	fuzz-unit) echo 40000 ;;
	fuzz-values) echo 512 ;;
	fuzz-exec) echo 2048 ;;
	fuzz-proto) echo 16384 ;;
	fuzz-daemonconf) echo 4096 ;;
	*) echo 4096 ;;
	esac
}

B=build/fuzz
CC=${FUZZ_CC:-clang}
SAN="-fsanitize=address,undefined -fsanitize-recover=undefined -fno-omit-frame-pointer"
PKGS="libuv jansson inih"
WARN="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
-Wwrite-strings -Wpointer-arith -Wformat=2"
CFLAGS_COMMON="-std=gnu11 -g -O1 -D_GNU_SOURCE -Isupervisord $(pkg-config --cflags $PKGS 2>/dev/null)"
LIBS="$(pkg-config --libs $PKGS 2>/dev/null || echo -luv -ljansson -linih) -lm"

# clang and its fuzzer runtime, from Debian, when missing.
ensure_clang() {
	local rt
	rt=$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null | head -1)
	if command -v "$CC" >/dev/null && [ -n "$rt" ]; then
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP fuzz/build: clang with libFuzzer missing and not root (apt-get install clang libclang-rt-14-dev)"
		exit 0
	fi
	echo "fuzz: installing clang and libclang-rt-14-dev" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang libclang-rt-14-dev >&2 ||
		{ apt-get update -q >&2 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang libclang-rt-14-dev >&2; } ||
		{ echo "FAIL fuzz/build: cannot install clang"; return 1; }
}

# Objects of every daemon module but main.c, rebuilt when the source or any
# header is newer.  A module that does not compile (someone's work in
# progress) is left out: the link says so if a target needs it.
build() {
	local src obj newest_h mods=() t
	mkdir -p "$B/obj" "$B/bin"
	newest_h=$(ls -t supervisord/*.h | head -1)
	for src in supervisord/*.c; do
		[ "$src" = supervisord/main.c ] && continue
		obj=$B/obj/$(basename "$src" .c).o
		if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ]; then
			if ! $CC $CFLAGS_COMMON $WARN $SAN -fsanitize=fuzzer-no-link \
				-c -o "$obj" "$src" 2>"$B/obj/$(basename "$src" .c).log"; then
				rm -f "$obj"
				echo "fuzz: $src does not compile with clang, left out" >&2
				continue
			fi
		fi
		mods+=("$obj")
	done
	rm -f "$B/libsupd.a"
	ar rcs "$B/libsupd.a" "${mods[@]}" || return 1
	for t in "${targets[@]}"; do
		if ! $CC $CFLAGS_COMMON $WARN -Werror -Itests/fuzz $SAN -fsanitize=fuzzer \
			-o "$B/bin/$t" "tests/fuzz/$t.c" tests/fuzz/fuzzlib.c "$B/libsupd.a" $LIBS \
			2>"$B/$t.build.log"; then
			echo "FAIL fuzz/$t: does not build"
			sed 's/^/    /' "$B/$t.build.log" | head -20
			return 1
		fi
	done
}

# The sanitizer's verdict in one line: the SUMMARY or the failed invariant.
why_failed() {
	grep -am1 -E 'invariant failed|^SUMMARY:' "$1" | sed 's/^SUMMARY: //' | cut -c1-160
}

ASAN_BASE="detect_leaks=1:allocator_may_return_null=0:symbolize=1"
UBSAN_BASE="print_stacktrace=1:halt_on_error=1"

# Inputs that once crashed a target (tests/fuzz/crashes-found/TARGET-N):
# each must now run clean.  Known open bugs fail here until they are fixed.
replay() {
	local f t log rc
	for f in tests/fuzz/crashes-found/*; do
		[ -f "$f" ] || continue
		t=$(basename "$f")
		t=${t%-*}
		[[ " ${targets[*]} " == *" $t "* ]] || continue
		log=$B/logs/replay-$(basename "$f").log
		ASAN_OPTIONS=$ASAN_BASE UBSAN_OPTIONS=$UBSAN_BASE \
			timeout 60 "$B/bin/$t" -runs=1 "$f" >"$log" 2>&1
		rc=$?
		if [ $rc -eq 0 ]; then
			echo "PASS fuzz/replay/$(basename "$f")"
			replay_pass=$((replay_pass + 1))
		else
			echo "FAIL fuzz/replay/$(basename "$f"): $(why_failed "$log") (exit $rc, $log)"
			replay_fail=$((replay_fail + 1))
		fi
	done
}

# A target that crashes does not run its atexit() cleanup: remove the
# scratch dirs (fuzzlib.c, supd-fuzz.PID.*) of fuzzers no longer running.
clean_scratch() {
	local d pid
	for d in /dev/shm/supd-fuzz.[0-9]*.* /tmp/supd-fuzz.[0-9]*.*; do
		[ -d "$d" ] || continue
		pid=${d#*/supd-fuzz.}
		pid=${pid%%.*}
		kill -0 "$pid" 2>/dev/null || rm -rf "$d"
	done
}

declare -A r_runs r_secs r_corpus r_crashes r_cov
run_target() {
	local t=$1 work=$B/corpus/$1 seeds=tests/fuzz/corpus/$1 art=$B/artifacts/$1
	local log=$B/logs/$1.log dict=() rc start end runs cov crashes corpus
	# CI starts from the committed seeds alone, so its time does not grow
	# with what earlier long runs collected.
	local seed=()
	if [ $ci -eq 1 ]; then
		work=$B/ci-corpus/$1
		rm -rf "$work"
		# The same mutations in every CI run: a run fails on a bug, not on
		# the luck of the draw (long runs in `make fuzz` explore freely).
		seed=(-seed=1)
	fi
	mkdir -p "$work" "$art"
	[ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
	local before
	before=$(ls "$art" | wc -l)
	start=$(date +%s)
	# Known open bugs (tests/fuzz/known-bugs.{txt,supp}) are let through while
	# fuzzing, so one unfixed bug does not hide the next; the replay above
	# still fails on them.
	FUZZ_KNOWN_BUGS=$(sed 's/#.*//' tests/fuzz/known-bugs.txt | xargs) \
	ASAN_OPTIONS=$ASAN_BASE \
	UBSAN_OPTIONS=$UBSAN_BASE:suppressions=$top/tests/fuzz/known-bugs.supp \
		timeout -k 10 $((seconds + 120)) "$B/bin/$t" \
		-max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" "${seed[@]}" \
		-artifact_prefix="$art/" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	clean_scratch
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -z "$runs" ] && runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
	[ -z "$runs" ] && runs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
	cov=$(grep -aoE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
	crashes=$(( $(ls "$art" | wc -l) - before ))
	[ $rc -ne 0 ] && [ $crashes -eq 0 ] && crashes=1
	# libFuzzer's own corpus (inputs that add coverage), not every file
	# the working directory has accumulated.
	corpus=$(grep -aoE 'corp: [0-9]+' "$log" | tail -1 | sed 's/corp: //')
	[ -z "$corpus" ] && corpus=$(( $(ls "$work" | wc -l) + $(ls "$seeds" | wc -l) ))
	r_runs[$t]=${runs:-0}
	r_secs[$t]=$((end - start))
	r_corpus[$t]=$corpus
	r_crashes[$t]=$crashes
	r_cov[$t]=${cov:-cov: ?}
	if [ $rc -eq 0 ] && [ "$crashes" -eq 0 ]; then
		echo "PASS fuzz/$t: ${runs:-0} runs in $((end - start)) s, corpus $corpus, 0 crashes (${cov:-no coverage line})"
	else
		echo "FAIL fuzz/$t: ${runs:-0} runs in $((end - start)) s, corpus $corpus, $crashes crashes: $(why_failed "$log") (exit $rc; input in $art/, log $log)"
		grep -am1 -B2 -A14 -E '^==[0-9]+==ERROR|runtime error|invariant failed' "$log" |
			sed 's/^/    /'
	fi
}

ensure_clang || exit 1
build || exit 1
mkdir -p "$B/logs"

replay_pass=0 replay_fail=0
replay

failed=0
for t in "${targets[@]}"; do
	run_target "$t"
	[ "${r_crashes[$t]}" -ne 0 ] && failed=$((failed + 1))
done

printf '\n%-16s %8s %10s %8s %8s  %s\n' target seconds runs corpus crashes coverage
for t in "${targets[@]}"; do
	printf '%-16s %8s %10s %8s %8s  %s\n' "$t" "${r_secs[$t]}" "${r_runs[$t]}" \
		"${r_corpus[$t]}" "${r_crashes[$t]}" "${r_cov[$t]}"
done
printf 'replayed regression inputs: %d pass, %d fail\n' "$replay_pass" "$replay_fail"
[ $failed -eq 0 ] && [ $replay_fail -eq 0 ]
