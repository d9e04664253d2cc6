#!/bin/bash
# Source coverage of what the fuzz corpora reach: builds each target with
# clang's -fprofile-instr-generate (no sanitizers) into build/fuzz/cov/,
# runs it once over its seed and working corpus, and prints llvm-cov's
# line and function coverage of the modules under test.
# Usage: tests/fuzz/coverage.sh [TARGET ...]
set -u
cd "$(dirname "$0")/../.."
B=build/fuzz/cov
PKGS="libuv jansson inih"
CFLAGS="-std=gnu11 -g -O0 -D_GNU_SOURCE -Isupervisord -Itests/fuzz $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lm"
PROF="-fprofile-instr-generate -fcoverage-mapping"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz-unit fuzz-values fuzz-exec fuzz-proto fuzz-daemonconf)
LLVM_PROFDATA=$(command -v llvm-profdata || command -v llvm-profdata-14)
LLVM_COV=$(command -v llvm-cov || command -v llvm-cov-14)

# The modules each target is about (the rest it links is incidental).
modules() {
	case $1 in
	fuzz-unit) echo unit.c unit_keys.c ini_reader.c ;;
	fuzz-values) echo values.c values_words.c ;;
	fuzz-exec) echo values_words.c ;;
	fuzz-proto) echo proto.c ;;
	fuzz-daemonconf) echo daemonconf.c ini_reader.c ;;
	esac
}

mkdir -p "$B/obj" "$B/bin" "$B/prof"
objs=()
for src in supervisord/*.c; do
	[ "$src" = supervisord/main.c ] && continue
	obj=$B/obj/$(basename "$src" .c).o
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ]; then
		clang $CFLAGS $PROF -c -o "$obj" "$src" 2>/dev/null || { rm -f "$obj"; continue; }
	fi
	objs+=("$obj")
done
rm -f "$B/libsupd.a"
ar rcs "$B/libsupd.a" "${objs[@]}"

for t in "${targets[@]}"; do
	clang $CFLAGS $PROF -fsanitize=fuzzer -o "$B/bin/$t" "tests/fuzz/$t.c" tests/fuzz/fuzzlib.c \
		"$B/libsupd.a" $LIBS || continue
	rm -f "$B/prof/$t".*
	mkdir -p "build/fuzz/corpus/$t"
	LLVM_PROFILE_FILE="$B/prof/$t.profraw" "$B/bin/$t" -runs=0 \
		"build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$B/$t.log" 2>&1
	"$LLVM_PROFDATA" merge -sparse -o "$B/prof/$t.profdata" "$B/prof/$t.profraw"
	files=()
	for m in $(modules "$t"); do files+=("supervisord/$m"); done
	echo "== $t"
	"$LLVM_COV" report "$B/bin/$t" -instr-profile="$B/prof/$t.profdata" "${files[@]}" |
		awk '/^[A-Za-z_/.]+\.c |^TOTAL/ { sub(/.*\//, "", $1); printf "  %-20s regions %7s  functions %7s  lines %7s\n", $1, $4, $7, $10 }'
done
