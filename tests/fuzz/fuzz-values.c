/*
 * fuzz-values.c - the value parsers of values.h on one NUL-terminated
 * string; the first byte selects the parser, the rest is the value.  Each
 * parser's documented contract is checked on success, so a wrong accept
 * is a finding as much as a crash.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "values.h"

#define PHYS_MEM (8ULL << 30)

enum selector {
	SEL_TIMESPAN,
	SEL_SIZE,
	SEL_MEMORY,
	SEL_MEMORY_ZERO_OK,
	SEL_EXIT_STATUS,
	SEL_SIGNAL,
	SEL_ENVIRONMENT,
	SEL_BOOL,
	SEL_UMASK,
	SEL_UINT,
	SEL_INT,
	SEL_ENV_FILE,
	SEL_COUNT
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzzlib_scratch_dir();
	return 0;
}

static bool
env_name_ok(const char *kv)
{
	const char *eq = strchr(kv, '=');

	if (eq == NULL || eq == kv || (kv[0] >= '0' && kv[0] <= '9'))
		return false;
	for (const char *c = kv; c < eq; c++) {
		if (!(*c == '_' || (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= 'A' && *c <= 'Z')))
			return false;
	}
	return true;
}

/* Each name appears once: a later assignment replaces an earlier one. */
static void
check_env(const struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++) {
		size_t ni = (size_t)(strchr(sv->v[i], '=') - sv->v[i]);

		for (size_t j = i + 1; j < sv->n; j++)
			FUZZ_CHECK(strncmp(sv->v[i], sv->v[j], ni + 1) != 0);
	}
	FUZZ_CHECK(sv->n == 0 || sv->v[sv->n] == NULL);
}

static void
fuzz_env_file(const uint8_t *data, size_t size)
{
	char path[512];
	struct strv sv = {0};
	int r;

	snprintf(path, sizeof path, "%s/env", fuzzlib_scratch_dir());
	fuzzlib_write_file(path, data, size);
	r = values_read_env_file(path, &sv);
	/* A NUL byte makes the file unreadable as text: refused whole. */
	FUZZ_CHECK(r == 0 || (r == -EBADMSG && memchr(data, '\0', size) != NULL));
	FUZZ_CHECK(r == 0 || sv.n == 0);
	for (size_t i = 0; i < sv.n; i++)
		FUZZ_CHECK(env_name_ok(sv.v[i]));
	check_env(&sv);
	strv_clear(&sv);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	char buf[64], *s;
	uint64_t u64;
	int64_t i64;
	unsigned mask;
	bool b;
	int sig, r;

	if (size == 0)
		return 0;
	if (data[0] % SEL_COUNT == SEL_ENV_FILE) {
		fuzz_env_file(data + 1, size - 1);
		return 0;
	}
	s = fuzzlib_strndup(data + 1, size - 1);
	switch (data[0] % SEL_COUNT) {
	case SEL_TIMESPAN:
		if ((r = parse_timespan(s, &u64, &why)) == 0) {
			uint64_t back;

			FUZZ_CHECK(fmt_usec(u64, buf, sizeof buf) == buf && strlen(buf) > 0);
			/* What status prints parses again, rounded down at most. */
			FUZZ_CHECK(parse_timespan(buf, &back, &why) == 0);
			FUZZ_CHECK(back <= u64);
		}
		break;
	case SEL_SIZE:
		if ((r = parse_size(s, &u64, &why)) == 0) {
			uint64_t back;

			/* systemd's parse_size() refuses negative numbers. */
			if (strchr(s, '-') != NULL && fuzzlib_known_bug("size-negative-after-vt"))
				break;
			FUZZ_CHECK(strchr(s, '-') == NULL);
			FUZZ_CHECK(fmt_bytes(u64, buf, sizeof buf) == buf && strlen(buf) > 0);
			/* What status prints parses again, within its rounding
			 * (which may round up past the top: "16.0E"). */
			if (u64 < 15ULL << 60) {
				FUZZ_CHECK(parse_size(buf, &back, &why) == 0);
				FUZZ_CHECK(back / 64 <= u64 / 60 && u64 / 64 <= back / 60);
			}
		}
		break;
	case SEL_MEMORY:
	case SEL_MEMORY_ZERO_OK: {
		bool zero_ok = data[0] % SEL_COUNT == SEL_MEMORY_ZERO_OK;

		if ((r = parse_memory_limit(s, PHYS_MEM, zero_ok, &u64, &why)) == 0) {
			FUZZ_CHECK(zero_ok || u64 > 0);
			FUZZ_CHECK(u64 != BYTES_INFINITY || strcmp(s, "infinity") == 0);
			if (strchr(s, '%') != NULL)
				FUZZ_CHECK(u64 <= PHYS_MEM);
		}
		break;
	}
	case SEL_EXIT_STATUS: {
		struct exit_status_set set = {{0}, 0};

		if ((r = parse_exit_status_set(s, &set, &why)) == 0) {
			FUZZ_CHECK(!exit_status_set_has_signal(&set, 0));
			FUZZ_CHECK((set.signals & 1) == 0);
			if (s[strspn(s, " \t\n\r")] != '\0')
				FUZZ_CHECK(!exit_status_set_empty(&set));
		}
		break;
	}
	case SEL_SIGNAL:
		if ((r = parse_signal(s, &sig, &why)) == 0) {
			int again;

			FUZZ_CHECK(sig >= 1 && sig < NSIG);
			/* signal_name() gives back a name parse_signal() accepts
			 * (status and show print it; a user copies it). */
			if (parse_signal(signal_name(sig), &again, &why) < 0 &&
			    fuzzlib_known_bug("signal-name-roundtrip"))
				break;
			FUZZ_CHECK(parse_signal(signal_name(sig), &again, &why) == 0);
			FUZZ_CHECK(again == sig);
		}
		break;
	case SEL_ENVIRONMENT: {
		struct strv sv = {0};

		if ((r = parse_environment(s, &sv, &why)) == 0) {
			for (size_t i = 0; i < sv.n; i++)
				FUZZ_CHECK(env_name_ok(sv.v[i]));
			check_env(&sv);
		} else {
			FUZZ_CHECK(sv.n == 0);
		}
		strv_clear(&sv);
		break;
	}
	case SEL_BOOL:
		r = parse_bool(s, &b, &why);
		FUZZ_CHECK(r == -1 || strlen(s) <= 5);
		break;
	case SEL_UMASK:
		if ((r = parse_umask(s, &mask, &why)) == 0)
			FUZZ_CHECK(mask <= 07777);
		break;
	case SEL_UINT:
		if ((r = parse_uint(s, 1, 1000, &u64, &why)) == 0)
			FUZZ_CHECK(u64 >= 1 && u64 <= 1000);
		break;
	case SEL_INT:
		if ((r = parse_int(s, -1000, 1000, &i64, &why)) == 0)
			FUZZ_CHECK(i64 >= -1000 && i64 <= 1000);
		break;
	default:
		r = 0;
		break;
	}
	/* Every failure says why, in a string that outlives the call. */
	FUZZ_CHECK(r == 0 || (r == -1 && why != NULL && why[0] != '\0'));
	free(s);
	return 0;
}
