/*
 * test-fuzz-regressions.c - each input that made a fuzz target fail
 * (tests/fuzz/crashes-found/), as a unit test of the sanitizer build, so
 * `make test` keeps the fix without clang or libFuzzer.  The name of each
 * test says which crashes-found file it stands for.
 */
#include <signal.h>
#include <stdbool.h>

#include "proto.h"
#include "testlib.h"
#include "unit.h"
#include "values.h"

/* fuzz-proto-1: an empty first line used to do memcpy(NULL + 0, p, 0). */
TEST(fuzz_proto_1_empty_first_line)
{
	struct proto_buf b = {0};
	bool overflowed;
	char *line;

	proto_buf_append(&b, "\n", 1, PROTO_MAX_REQUEST);
	line = proto_buf_next_line(&b, PROTO_MAX_REQUEST, &overflowed);
	ASSERT_STR_EQ(line, "");
	ASSERT(!overflowed);
	free(line);
	ASSERT(proto_buf_next_line(&b, PROTO_MAX_REQUEST, &overflowed) == NULL);
	proto_buf_free(&b);
}

/* fuzz-unit-1: "\x5" (one hex digit) at the end of the instance made %I
 * read past the end of the name. */
TEST(fuzz_unit_1_instance_escape_one_digit)
{
	struct unit_defaults defs;
	struct diag_list dl = {0};
	struct unit *u;
	const char *path;
	char *dir;

	path = test_write_file("conf/a@\\x5.conf", "[Service]\nExecStart=/bin/echo %I\n");
	dir = strdup(path);
	*strrchr(dir, '/') = '\0';
	unit_defaults_init(&defs, 1ULL << 30);
	u = unit_load(dir, "a@\\x5.conf", &defs, &dl);
	ASSERT(u->bad_config); /* a backslash is not allowed in a name */
	if (u->exec_start.argv != NULL && u->exec_start.argv[0] != NULL &&
	    u->exec_start.argv[1] != NULL)
		ASSERT(strlen(u->exec_start.argv[1]) <= strlen("\\x5"));
	unit_free(u);
	diag_clear(&dl);
	free(dir);
}

/* fuzz-values-1: signal_name(SIGRTMIN) was "SIG34", which parse_signal()
 * refused, so a signal shown by status could not be written back. */
TEST(fuzz_values_1_signal_name_parses_back)
{
	for (int sig = 1; sig < NSIG; sig++) {
		const char *why = NULL;
		int again = 0;

		if (parse_signal(signal_name(sig), &again, &why) < 0)
			test_fail(__FILE__, __LINE__, "signal %d: signal_name() gives \"%s\": %s", sig,
				  signal_name(sig), why);
		ASSERT_EQ(again, sig);
	}
}

/* fuzz-values-2: strtoull() skips \v and \f before a '-', which parse_size()
 * did not see, so "1K \v-2000B" was a size of 16 EiB minus 976 bytes. */
TEST(fuzz_values_2_size_negative_after_vt)
{
	const char *why = NULL;
	uint64_t v = 0;

	ASSERT_EQ(parse_size("\v-2", &v, &why), -1);
	ASSERT_EQ(parse_size("1K \v-2000B", &v, &why), -1);
	ASSERT_EQ(parse_size("\f-1", &v, &why), -1);
	ASSERT_EQ(parse_memory_limit("1K \v-2000B", 1ULL << 30, false, &v, &why), -1);
}

/* fuzz-values-3: a time span whose product with its unit is just below
 * USEC_INFINITY was "out of range", so status's "213503982d 7h" for a
 * TimeoutStopSec= near the limit did not parse back. */
TEST(fuzz_values_3_timespan_near_limit)
{
	const char *why = NULL;
	uint64_t v = 0;

	ASSERT_EQ(parse_timespan("213503982d", &v, &why), 0);
	ASSERT_U64_EQ(v, 213503982ULL * 86400ULL * USEC_PER_SEC);
	ASSERT_EQ(parse_timespan("18446744073709s", &v, &why), 0);
	ASSERT_U64_EQ(v, 18446744073709ULL * USEC_PER_SEC);
	ASSERT_EQ(parse_timespan("18446744073710s", &v, &why), -1);
}
