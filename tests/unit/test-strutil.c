/*
 * test-strutil.c - the formatting helpers status tables print thousands
 * of: fmt_bytes() and fmt_usec() are written with integer arithmetic, and
 * must give exactly what the printf-based versions gave (kept here as the
 * reference), rounding ties and truncation included.
 */
#include <stdio.h>
#include <stdlib.h>

#include "strutil.h"
#include "testlib.h"

/* fmt_bytes as it was: floating point and snprintf. */
static const char *
ref_fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	int u = -1;

	if (bytes == UINT64_MAX) {
		snprintf(buf, len, "infinity");
		return buf;
	}
	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
	else if (v >= 100.0 || v == (double)(uint64_t)v)
		snprintf(buf, len, "%.0f%c", v, units[u]);
	else
		snprintf(buf, len, "%.1f%c", v, units[u]);
	return buf;
}

/* fmt_usec as it was: snprintf per component. */
static const char *
ref_fmt_usec(uint64_t usec, char *buf, size_t len)
{
	static const struct {
		const char *suffix;
		uint64_t usec;
	} table[] = {
		{"d", 86400000000ULL}, {"h", 3600000000ULL}, {"min", 60000000ULL},
		{"s", 1000000ULL},     {"ms", 1000ULL},      {"us", 1ULL},
	};
	size_t off = 0;
	int parts = 0;

	if (usec == UINT64_MAX) {
		snprintf(buf, len, "infinity");
		return buf;
	}
	if (usec == 0) {
		snprintf(buf, len, "0");
		return buf;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof table / sizeof table[0] && parts < 2; i++) {
		uint64_t n = usec / table[i].usec;

		if (n == 0) {
			if (parts > 0)
				break;
			continue;
		}
		usec -= n * table[i].usec;
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "%s%llu%s",
					parts ? " " : "", (unsigned long long)n, table[i].suffix);
		parts++;
	}
	return buf;
}

/* The lengths go through a volatile: seeing a constant, gcc warns that
 * snprintf may truncate, which is what some checks are about. */
static void
check_bytes(uint64_t v, volatile size_t len)
{
	char a[64], b[64];

	memset(a, 'x', sizeof a);
	memset(b, 'x', sizeof b);
	fmt_bytes(v, a, len);
	ref_fmt_bytes(v, b, len);
	if (len > 0 && strcmp(a, b) != 0)
		test_fail(__FILE__, __LINE__, "fmt_bytes(%" PRIu64 ", %zu): \"%s\", printf gives \"%s\"",
			  v, len, a, b);
	if (memcmp(a, b, sizeof a) != 0)
		test_fail(__FILE__, __LINE__, "fmt_bytes(%" PRIu64 ", %zu) wrote past the text", v,
			  len);
}

static void
check_usec(uint64_t v, volatile size_t len)
{
	char a[64], b[64];

	memset(a, 'x', sizeof a);
	memset(b, 'x', sizeof b);
	fmt_usec(v, a, len);
	ref_fmt_usec(v, b, len);
	if (len > 0 && strcmp(a, b) != 0)
		test_fail(__FILE__, __LINE__, "fmt_usec(%" PRIu64 ", %zu): \"%s\", printf gives \"%s\"",
			  v, len, a, b);
	if (memcmp(a, b, sizeof a) != 0)
		test_fail(__FILE__, __LINE__, "fmt_usec(%" PRIu64 ", %zu) wrote past the text", v, len);
}

/* A reproducible 64-bit sequence (splitmix64). */
static uint64_t
next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

TEST(fmt_bytes_small_values_all_match_printf)
{
	for (uint64_t v = 0; v < 3 * 1024 * 1024; v++)
		check_bytes(v, 16);
}

TEST(fmt_bytes_ties_round_to_even_as_printf)
{
	/* x.5 and x.x5 exactly: 1.25K rounds to 1.2K, 1.75K to 1.8K, 2.5M
	 * would be 2.5M (one decimal), 100.5K to 100K, 101.5K to 102K. */
	for (uint64_t unit = 1024; unit <= (1ULL << 50); unit *= 1024) {
		for (uint64_t q = 1; q < 1100; q++) {
			check_bytes(q * unit + unit / 2, 16);
			check_bytes(q * unit + unit / 4, 16);
			check_bytes(q * unit + unit / 4 * 3, 16);
			check_bytes(q * unit + unit / 20, 16);
			check_bytes(q * unit - 1, 16);
			check_bytes(q * unit + 1, 16);
			check_bytes(q * unit + unit / 2 - 1, 16);
			check_bytes(q * unit + unit / 2 + 1, 16);
		}
	}
}

TEST(fmt_bytes_large_and_random_values_match_printf)
{
	uint64_t state = 42;

	for (int shift = 0; shift < 64; shift++) {
		uint64_t p = 1ULL << shift;

		check_bytes(p, 16);
		check_bytes(p - 1, 16);
		check_bytes(p + 1, 16);
	}
	check_bytes(UINT64_MAX, 16);
	check_bytes(UINT64_MAX - 1, 16);
	check_bytes((1ULL << 53) - 1, 16);
	for (int i = 0; i < 2000000; i++) {
		uint64_t v = next_random(&state);

		check_bytes(v >> (v & 63), 16);
	}
}

TEST(fmt_bytes_truncates_as_snprintf)
{
	for (size_t len = 0; len < 8; len++) {
		check_bytes(1536, len);
		check_bytes(1000, len);
		check_bytes(UINT64_MAX, len);
		check_bytes(123456789, len);
	}
}

TEST(fmt_usec_matches_printf)
{
	uint64_t state = 7;

	check_usec(0, 32);
	check_usec(UINT64_MAX, 32);
	check_usec(UINT64_MAX - 1, 64);
	for (uint64_t v = 1; v < 2000000; v += 7)
		check_usec(v, 32);
	for (int i = 0; i < 1000000; i++) {
		uint64_t v = next_random(&state);

		check_usec(v >> (v & 63), 64);
	}
	/* From 1: the old version wrote buf[0] even when len was 0. */
	for (size_t len = 1; len < 12; len++) {
		check_usec(93000000, len);
		check_usec(86400000000ULL * 3 + 7, len);
		check_usec(0, len);
		check_usec(UINT64_MAX, len);
	}
}
