/*
 * testlib.h - unit tests in the manner of libuv's test/: one behaviour per
 * TEST(), each run in its own forked process with a timeout, loud
 * assertions that print both sides.  Each test binary prints one line per
 * test ("PASS name" / "FAIL name: why") and a summary, and exits non-zero
 * if any failed.  tests/run.sh adds the counts up.
 */
#ifndef SUPD_TESTLIB_H
#define SUPD_TESTLIB_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_entry {
	const char *name;
	void (*fn)(void);
	struct test_entry *next;
};
void test_register(struct test_entry *e);

#define TEST(name)                                                                  \
	static void test_##name(void);                                              \
	static struct test_entry test_entry_##name = {#name, test_##name, NULL};   \
	__attribute__((constructor)) static void test_register_##name(void)         \
	{                                                                           \
		test_register(&test_entry_##name);                                  \
	}                                                                           \
	static void test_##name(void)

void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
/* A fresh temporary directory, removed after the test. */
const char *test_tmpdir(void);
/* Write a file below test_tmpdir() (creating parent dirs); returns its path. */
const char *test_write_file(const char *relpath, const char *content);
/* A file's first line, without its newline ("(unreadable)" if it cannot be
 * opened); a ring of four results, as above. */
const char *test_read_line(const char *path);

#define ASSERT(c)                                                                   \
	do {                                                                        \
		if (!(c))                                                           \
			test_fail(__FILE__, __LINE__, "assertion failed: %s", #c); \
	} while (0)
#define ASSERT_EQ(a, b)                                                             \
	do {                                                                        \
		long long a_ = (long long)(a), b_ = (long long)(b);                 \
		if (a_ != b_)                                                       \
			test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, \
				  a_, b_);                                          \
	} while (0)
#define ASSERT_U64_EQ(a, b)                                                         \
	do {                                                                        \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                    \
		if (a_ != b_)                                                       \
			test_fail(__FILE__, __LINE__, "%s == %s: %" PRIu64 " != %" PRIu64, \
				  #a, #b, a_, b_);                                  \
	} while (0)
#define ASSERT_STR_EQ(a, b)                                                         \
	do {                                                                        \
		const char *a_ = (a), *b_ = (b);                                    \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                \
			test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, \
				  #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");     \
	} while (0)
#define ASSERT_CONTAINS(hay, needle)                                                \
	do {                                                                        \
		const char *h_ = (hay), *n_ = (needle);                             \
		if (h_ == NULL || strstr(h_, n_) == NULL)                           \
			test_fail(__FILE__, __LINE__, "%s contains \"%s\": got \"%s\"", \
				  #hay, n_, h_ ? h_ : "(null)");                   \
	} while (0)

#endif
