/*
 * jsonw.c - JSON text written straight into a buffer, byte for byte as
 * jansson's compact dump would write it (jsonw.h).
 */
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "strutil.h"

#define JSONW_DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY)

/* Room for n more bytes and a terminating NUL. */
static char *
jsonw_room(struct jsonw *w, size_t n)
{
	if (w->cap - w->len < n + 1) {
		size_t cap = w->cap ? w->cap : 4096;

		while (cap - w->len < n + 1)
			cap *= 2;
		w->buf = xrealloc(w->buf, cap);
		w->cap = cap;
	}
	return w->buf + w->len;
}

void
jsonw_reserve(struct jsonw *w, size_t n)
{
	if (w->cap - w->len < n + 1) {
		w->buf = xrealloc(w->buf, w->len + n + 1);
		w->cap = w->len + n + 1;
	}
}

void
jsonw_raw(struct jsonw *w, const char *s, size_t n)
{
	memcpy(jsonw_room(w, n), s, n);
	w->len += n;
}

void
jsonw_stringn(struct jsonw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	/* At worst a byte becomes \u00XX; quotes around. */
	char *start = jsonw_room(w, len * 6 + 2), *o = start;
	size_t i = 0;

	*o++ = '"';
	while (i < len) {
		unsigned char c = p[i];
		size_t k;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			*o++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80) {
			/* Valid UTF-8 goes out as it is (jansson does not escape
			 * it without JSON_ENSURE_ASCII); a bad byte cannot. */
			if ((k = utf8_seq_len(p + i, len - i)) == 0) {
				memcpy(o, "\xef\xbf\xbd", 3);
				o += 3;
				i++;
			} else {
				memcpy(o, p + i, k);
				o += k;
				i += k;
			}
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			/* jansson: "\\u%04X", upper-case hex. */
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
		}
		i++;
	}
	*o++ = '"';
	w->len += (size_t)(o - start);
}

void
jsonw_string(struct jsonw *w, const char *s)
{
	if (s == NULL)
		jsonw_null(w);
	else
		jsonw_stringn(w, s, strlen(s));
}

void
jsonw_int(struct jsonw *w, long long v)
{
	char digits[24], *d = digits + sizeof digits;
	/* Through unsigned, so that LLONG_MIN negates without overflow. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--d = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--d = '-';
	jsonw_raw(w, d, (size_t)(digits + sizeof digits - d));
}

void
jsonw_null(struct jsonw *w)
{
	jsonw_lit(w, "null");
}

void
jsonw_bool(struct jsonw *w, bool v)
{
	if (v)
		jsonw_lit(w, "true");
	else
		jsonw_lit(w, "false");
}

void
jsonw_json(struct jsonw *w, const json_t *v)
{
	size_t n = json_dumpb(v, NULL, 0, JSONW_DUMP_FLAGS);

	if (n == 0) {
		/* Only a value jansson cannot encode: none comes from a parsed
		 * request. */
		jsonw_null(w);
		return;
	}
	json_dumpb(v, jsonw_room(w, n), n, JSONW_DUMP_FLAGS);
	w->len += n;
}

void
jsonw_json_open(struct jsonw *w, const json_t *obj)
{
	jsonw_json(w, obj);
	if (w->len > 0 && w->buf[w->len - 1] == '}')
		w->len--;
}

char *
jsonw_take(struct jsonw *w, size_t *len)
{
	char *s;

	jsonw_room(w, 0);
	w->buf[w->len] = '\0';
	s = w->buf;
	if (len != NULL)
		*len = w->len;
	memset(w, 0, sizeof *w);
	return s;
}

void
jsonw_free(struct jsonw *w)
{
	free(w->buf);
	memset(w, 0, sizeof *w);
}
