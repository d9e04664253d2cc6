/*
 * jsonr.c - a JSON reader with jansson's rules that builds no tree
 * (jsonr.h).  Recursive descent; strings are decoded into the caller's
 * buffer at their own offsets, so no string needs an allocation.
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
jsonr_init(struct jsonr *r, const char *doc, size_t len, char *text)
{
	r->p = r->doc = doc;
	r->end = doc + len;
	r->text = text;
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

/* A string, decoded and NUL-terminated into r->text at the offset where
 * it starts in the document: decoding never lengthens a string, so strings
 * never overlap there.  *len (may be NULL) is its length. */
static int
jsonr_read_string(struct jsonr *r, char **out, size_t *len)
{
	char *o;
	unsigned cp;

	if (jsonr_expect(r, '"') == -1)
		return -1;
	*out = o = r->text + (r->p - r->doc);
	while (r->p < r->end) {
		unsigned char c;
		size_t k;

		/* Most strings are short plain runs (keys, names): no escapes. */
		while (r->p < r->end && jsonr_plain[(unsigned char)*r->p])
			*o++ = *r->p++;
		if (r->p >= r->end)
			break;
		c = (unsigned char)*r->p;
		if (c == '"') {
			r->p++;
			*o = '\0';
			if (len != NULL)
				*len = (size_t)(o - *out);
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c >= 0x80) {
			if ((k = utf8_seq_len((const unsigned char *)r->p, (size_t)(r->end - r->p))) == 0)
				return -1;
			memcpy(o, r->p, k);
			o += k;
			r->p += k;
			continue;
		}
		r->p++; /* a backslash */
		if (r->p >= r->end)
			return -1;
		switch (*r->p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (jsonr_unicode_escape(r, &cp) == -1)
				return -1;
			o = jsonr_put_utf8(o, cp);
			break;
		default:
			return -1;
		}
	}
	return -1;
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
	char *key;
	size_t klen;

	if (jsonr_value_start(r) == -1 || jsonr_expect(r, '{') == -1)
		return -1;
	r->depth++;
	if (jsonr_peek(r) == '}') {
		r->p++;
		r->depth--;
		return 0;
	}
	for (;;) {
		if (jsonr_read_string(r, &key, &klen) == -1 || jsonr_expect(r, ':') == -1)
			return -1;
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
	char *s;

	if (jsonr_value_start(r) == -1)
		return -1;
	switch (*r->p) {
	case '{': return jsonr_object(r, jsonr_skip_member, NULL);
	case '[': return jsonr_array(r, jsonr_skip_element, NULL);
	case '"': return jsonr_read_string(r, &s, NULL);
	case 't': return jsonr_literal(r, "true", 4);
	case 'f': return jsonr_literal(r, "false", 5);
	case 'n': return jsonr_literal(r, "null", 4);
	default: return jsonr_number(r, &n);
	}
}

int
jsonr_string(struct jsonr *r, const char **out)
{
	char *s;

	*out = NULL;
	if (jsonr_value_start(r) == -1)
		return -1;
	if (*r->p != '"')
		return jsonr_skip(r);
	if (jsonr_read_string(r, &s, NULL) == -1)
		return -1;
	*out = s;
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
