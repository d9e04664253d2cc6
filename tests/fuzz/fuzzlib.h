/*
 * fuzzlib.h - helpers shared by the libFuzzer targets in tests/fuzz/: a
 * scratch directory on tmpfs for targets that must go through files, and
 * a check that stops the fuzzer when a target's invariant does not hold
 * (a wrong answer is a finding just like a crash).
 */
#ifndef SUPD_FUZZLIB_H
#define SUPD_FUZZLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points, declared for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Abort with the failed condition, so libFuzzer saves the input. */
#define FUZZ_CHECK(cond)                                                  \
	do {                                                              \
		if (!(cond))                                              \
			fuzzlib_fail(__FILE__, __LINE__, #cond);          \
	} while (0)
void fuzzlib_fail(const char *file, int line, const char *what) __attribute__((noreturn));

/* Whether a known, still open bug (a tag listed in tests/fuzz/known-bugs.txt,
 * passed by run.sh in $FUZZ_KNOWN_BUGS while fuzzing) may be let through, so
 * that it does not hide the next one; the replay of crashes-found/ runs
 * without it and fails until the bug is fixed. */
bool fuzzlib_known_bug(const char *tag);

/* A private directory (under /dev/shm when it exists), made once per
 * process and removed at exit. */
const char *fuzzlib_scratch_dir(void);
/* Remove everything below the scratch directory, keeping it. */
void fuzzlib_scratch_clear(void);
/* Write n bytes to path (created or truncated); aborts on failure. */
void fuzzlib_write_file(const char *path, const void *p, size_t n);
/* mkdir that accepts an existing directory; aborts on other failures. */
void fuzzlib_mkdir(const char *path);
/* A NUL-terminated copy of the input (malloc'd). */
char *fuzzlib_strndup(const uint8_t *data, size_t size);

#endif
