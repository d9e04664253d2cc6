/*
 * jsonw.h - JSON text written straight into a growing buffer, for replies
 * too big to build as jansson trees first (`status` of a thousand
 * services: building and freeing the tree cost more than everything else).
 *
 * The bytes are exactly those jansson's json_dumps(JSON_COMPACT) gives for
 * the same values (escapes, \u00XX in upper case, UTF-8 passed through,
 * integers as %lld), so a client cannot tell how a reply was made;
 * tests/unit/test-jsonw.c compares the two.  The one difference: a string
 * that is not valid UTF-8, which jansson refuses, is written with U+FFFD in
 * place of each bad byte, as proto_string() does.
 *
 * The caller writes the punctuation of objects and arrays itself
 * (jsonw_lit(w, ",\"state\":")): the keys of a reply are constants.
 */
#ifndef SUPD_JSONW_H
#define SUPD_JSONW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct jsonw {
	char *buf; /* NUL-terminated while len < cap */
	size_t len, cap;
};

/* Make room for n more bytes at once: a buffer grown by doubling touches
 * twice the memory, page by page, for a reply of hundreds of kilobytes. */
void jsonw_reserve(struct jsonw *w, size_t n);
/* Append n bytes as they are (punctuation, keys). */
void jsonw_raw(struct jsonw *w, const char *s, size_t n);
/* Append a string literal as it is. */
#define jsonw_lit(w, lit) jsonw_raw((w), "" lit, sizeof(lit) - 1)
/* A JSON string of len bytes (NUL bytes included), quoted and escaped. */
void jsonw_stringn(struct jsonw *w, const char *s, size_t len);
/* A JSON string, or null when s is NULL. */
void jsonw_string(struct jsonw *w, const char *s);
void jsonw_int(struct jsonw *w, long long v);
void jsonw_null(struct jsonw *w);
void jsonw_bool(struct jsonw *w, bool v);
/* Any jansson value (a request's "id"), compact. */
void jsonw_json(struct jsonw *w, const json_t *v);
/* A jansson object without its closing brace, so members can follow:
 * the envelope of a reply ({"v":1,"ok":true,"id":...) made by proto.c.
 * The object must have at least one member. */
void jsonw_json_open(struct jsonw *w, const json_t *obj);
/* The text written (NUL-terminated, malloc'd); w is empty again. */
char *jsonw_take(struct jsonw *w, size_t *len);
void jsonw_free(struct jsonw *w);

#endif
