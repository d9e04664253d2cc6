/*
 * jsonr.c - a JSON reader with jansson's rules that builds no tree
 * (jsonr.h).  Recursive descent; a string is only checked unless the
 * caller wants its value, which is then copied out to an arena.
 */
#include "jsonr.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "strutil.h"

/* jansson's JSON_PARSER_MAX_DEPTH: every value counts, scalars too. */
#define JSONR_MAX_DEPTH 2048

/* Bytes that stand for themselves inside a JSON string: anything but
 * controls, '"', '\\' and the start of a UTF-8 sequence (checked apart). */
static const bool jsonr_plain[256] = {
	[0x20 ... 0x21] = true, /* '"' is 0x22 */
	[0x23 ... 0x5b] = true, /* '\\' is 0x5c */
	[0x5d ... 0x7f] = true,
};

void
jsonr_init(struct jsonr *r, const char *doc, size_t len, struct jsonr_arena *strings)
{
	r->p = doc;
	r->end = doc + len;
	r->strings = strings;
	r->depth = 0;
}

static void
jsonr_ws(struct jsonr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

char
jsonr_peek(struct jsonr *r)
{
	jsonr_ws(r);
	return r->p < r->end ? *r->p : '\0';
}

/* Consume c (after whitespace), or fail. */
static int
jsonr_expect(struct jsonr *r, char c)
{
	if (jsonr_peek(r) != c)
		return -1;
	r->p++;
	return 0;
}

/* Before any value: something is there, and not too deep. */
static int
jsonr_value_start(struct jsonr *r)
{
	return jsonr_peek(r) != '\0' && r->depth < JSONR_MAX_DEPTH ? 0 : -1;
}

static int
jsonr_hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static char *
jsonr_put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* A \uXXXX escape (a surrogate pair takes two), r->p after the 'u'. */
static int
jsonr_unicode_escape(struct jsonr *r, unsigned *cp)
{
	unsigned lo;

	if (r->end - r->p < 4 || jsonr_hex4(r->p, cp) == -1)
		return -1;
	r->p += 4;
	if (*cp >= 0xdc00 && *cp <= 0xdfff)
		return -1; /* a low surrogate first */
	if (*cp >= 0xd800 && *cp <= 0xdbff) {
		if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
		    jsonr_hex4(r->p + 2, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
			return -1;
		r->p += 6;
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	return *cp == 0 ? -1 : 0;
}

/*
 * A string, checked and stepped over without writing anything (most of a
 * reply's strings are skipped): *raw and *rawlen are its bytes between
 * the quotes, *plain whether they are its value as they are (no escape).
 */
static int
jsonr_scan_string(struct jsonr *r, const char **raw, size_t *rawlen, bool *plain)
{
	unsigned cp;

	if (jsonr_expect(r, '"') == -1)
		return -1;
	*raw = r->p;
	*plain = true;
	for (;;) {
		unsigned char c;
		size_t k;

		while (r->p < r->end && jsonr_plain[(unsigned char)*r->p])
			r->p++;
		if (r->p >= r->end)
			return -1;
		c = (unsigned char)*r->p;
		if (c == '"') {
			*rawlen = (size_t)(r->p - *raw);
			r->p++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c >= 0x80) {
			/* UTF-8 stands for itself, once checked. */
			if ((k = utf8_seq_len((const unsigned char *)r->p, (size_t)(r->end - r->p))) == 0)
				return -1;
			r->p += k;
			continue;
		}
		*plain = false; /* a backslash */
		if (++r->p >= r->end)
			return -1;
		switch (*r->p++) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			break;
		case 'u':
			if (jsonr_unicode_escape(r, &cp) == -1)
				return -1;
			break;
		default:
			return -1;
		}
	}
}

/* The value of a string jsonr_scan_string() checked, NUL-terminated in out
 * (room for rawlen + 1: decoding never lengthens).  Returns its length. */
static size_t
jsonr_decode(const char *raw, size_t rawlen, char *out)
{
	const char *p = raw, *end = raw + rawlen;
	char *o = out;
	unsigned cp, lo;

	while (p < end) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		p++;
		switch (*p++) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			jsonr_hex4(p, &cp);
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				jsonr_hex4(p + 2, &lo);
				p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			o = jsonr_put_utf8(o, cp);
			break;
		default: *o++ = p[-1]; break; /* '"', '\\', '/' */
		}
	}
	*o = '\0';
	return (size_t)(o - out);
}

/* n bytes from the arena: blocks of 16 KiB or more that never move, so
 * what the caller keeps stays where it is. */
static char *
jsonr_arena_alloc(struct jsonr_arena *a, size_t n)
{
	struct jsonr_block *b = a->head;

	if (b == NULL || b->size - b->used < n) {
		size_t size = n > 16384 ? n : 16384;

		b = xmalloc(sizeof *b + size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

void
jsonr_arena_free(struct jsonr_arena *a)
{
	struct jsonr_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

/* A string's value, NUL-terminated, in the arena. */
static char *
jsonr_keep(struct jsonr *r, const char *raw, size_t rawlen, bool plain, size_t *len)
{
	char *s = jsonr_arena_alloc(r->strings, rawlen + 1);

	if (plain) {
		memcpy(s, raw, rawlen);
		s[rawlen] = '\0';
		*len = rawlen;
	} else {
		*len = jsonr_decode(raw, rawlen, s);
	}
	return s;
}

static bool
jsonr_digit(const struct jsonr *r)
{
	return r->p < r->end && *r->p >= '0' && *r->p <= '9';
}

/* A number; *out is set when it is an integer (jansson's json_integer). */
static int
jsonr_number(struct jsonr *r, struct jsonr_int *out)
{
	const char *start = r->p;
	bool real = false, negative = false;
	unsigned long long u = 0, limit = LLONG_MAX;
	char *e;
	double d;

	out->set = false;
	if (r->p < r->end && *r->p == '-') {
		negative = true;
		limit = (unsigned long long)LLONG_MAX + 1;
		r->p++;
	}
	if (!jsonr_digit(r))
		return -1;
	if (*r->p == '0') {
		r->p++;
		if (jsonr_digit(r))
			return -1; /* no leading zeros */
	} else {
		/* As strtoll would, but an overflow is only noted: a real
		 * number may follow ("1e400" is a real, not a big integer). */
		for (; jsonr_digit(r); r->p++) {
			unsigned d10 = (unsigned)(*r->p - '0');

			if (u > (limit - d10) / 10)
				u = limit + 1; /* too big, and stays so */
			else
				u = u * 10 + d10;
		}
	}
	if (r->p < r->end && *r->p == '.') {
		real = true;
		r->p++;
		if (!jsonr_digit(r))
			return -1;
		while (jsonr_digit(r))
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		real = true;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!jsonr_digit(r))
			return -1;
		while (jsonr_digit(r))
			r->p++;
	}
	if (real) {
		/* jansson refuses a real that overflows, not one that underflows. */
		errno = 0;
		d = strtod(start, &e);
		return errno == ERANGE && d != 0 ? -1 : 0;
	}
	if (u > limit)
		return -1; /* jansson: "too big integer" */
	out->v = negative ? (long long)(0ULL - u) : (long long)u;
	out->set = true;
	return 0;
}

static int
jsonr_literal(struct jsonr *r, const char *word, size_t len)
{
	if ((size_t)(r->end - r->p) < len || memcmp(r->p, word, len) != 0)
		return -1;
	r->p += len;
	return 0;
}

int
jsonr_object(struct jsonr *r, jsonr_member_fn fn, void *ctx)
{
	const char *key;
	size_t klen;
	bool plain;

	if (jsonr_value_start(r) == -1 || jsonr_expect(r, '{') == -1)
		return -1;
	r->depth++;
	if (jsonr_peek(r) == '}') {
		r->p++;
		r->depth--;
		return 0;
	}
	for (;;) {
		if (jsonr_scan_string(r, &key, &klen, &plain) == -1 || jsonr_expect(r, ':') == -1)
			return -1;
		/* Keys are compared where they are; one with an escape is
		 * decoded first (rare: supd writes none). */
		if (!plain)
			key = jsonr_keep(r, key, klen, false, &klen);
		jsonr_ws(r);
		if (fn(r, key, klen, ctx) == -1)
			return -1;
		if (jsonr_peek(r) == ',') {
			r->p++;
			continue;
		}
		if (jsonr_expect(r, '}') == -1)
			return -1;
		r->depth--;
		return 0;
	}
}

int
jsonr_array(struct jsonr *r, jsonr_element_fn fn, void *ctx)
{
	if (jsonr_value_start(r) == -1 || jsonr_expect(r, '[') == -1)
		return -1;
	r->depth++;
	if (jsonr_peek(r) == ']') {
		r->p++;
		r->depth--;
		return 0;
	}
	for (size_t i = 0;; i++) {
		jsonr_ws(r);
		if (fn(r, i, ctx) == -1)
			return -1;
		if (jsonr_peek(r) == ',') {
			r->p++;
			continue;
		}
		if (jsonr_expect(r, ']') == -1)
			return -1;
		r->depth--;
		return 0;
	}
}

static int
jsonr_skip_member(struct jsonr *r, const char *key, size_t klen, void *ctx)
{
	(void)key;
	(void)klen;
	(void)ctx;
	return jsonr_skip(r);
}

static int
jsonr_skip_element(struct jsonr *r, size_t index, void *ctx)
{
	(void)index;
	(void)ctx;
	return jsonr_skip(r);
}

int
jsonr_skip(struct jsonr *r)
{
	struct jsonr_int n;
	const char *raw;
	size_t rawlen;
	bool plain;

	if (jsonr_value_start(r) == -1)
		return -1;
	switch (*r->p) {
	case '{': return jsonr_object(r, jsonr_skip_member, NULL);
	case '[': return jsonr_array(r, jsonr_skip_element, NULL);
	case '"': return jsonr_scan_string(r, &raw, &rawlen, &plain);
	case 't': return jsonr_literal(r, "true", 4);
	case 'f': return jsonr_literal(r, "false", 5);
	case 'n': return jsonr_literal(r, "null", 4);
	default: return jsonr_number(r, &n);
	}
}

int
jsonr_string(struct jsonr *r, const char **out)
{
	const char *raw;
	size_t rawlen, len;
	bool plain;

	*out = NULL;
	if (jsonr_value_start(r) == -1)
		return -1;
	if (*r->p != '"')
		return jsonr_skip(r);
	if (jsonr_scan_string(r, &raw, &rawlen, &plain) == -1)
		return -1;
	*out = jsonr_keep(r, raw, rawlen, plain, &len);
	return 0;
}

int
jsonr_int(struct jsonr *r, struct jsonr_int *out)
{
	out->set = false;
	if (jsonr_value_start(r) == -1)
		return -1;
	if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
		return jsonr_number(r, out);
	return jsonr_skip(r);
}

int
jsonr_bool(struct jsonr *r, bool *out, bool *set)
{
	*out = false;
	if (set != NULL)
		*set = false;
	if (jsonr_value_start(r) == -1)
		return -1;
	if (jsonr_literal(r, "true", 4) == 0)
		*out = true;
	else if (jsonr_literal(r, "false", 5) != 0)
		return jsonr_skip(r);
	if (set != NULL)
		*set = true;
	return 0;
}

int
jsonr_end(struct jsonr *r)
{
	jsonr_ws(r);
	return r->p == r->end ? 0 : -1;
}
