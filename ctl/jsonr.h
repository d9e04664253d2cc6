/*
 * jsonr.h - a JSON reader that builds no tree, for replies too big to
 * parse into jansson trees only to read a few fields (`status` of a
 * thousand services).  The caller walks the document: jsonr_object() hands
 * it each member, and it takes the values it wants (jsonr_string, _int,
 * _bool) and skips the rest (jsonr_skip).
 *
 * The rules are jansson's, as supctl calls it (json_loads with no flags):
 * RFC 8259, strings checked as UTF-8, no \u0000, integers that fit in a
 * long long, reals that do not overflow, at most 2048 nested values,
 * nothing after the document.  So whatever this reader refuses, jansson
 * refuses too, and the caller can hand the text to jansson to say why.
 * A duplicate key is handed over twice: taking the last, as jansson does,
 * is the caller's to do.
 */
#ifndef SUPCTL_JSONR_H
#define SUPCTL_JSONR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Where the strings the caller takes are kept: blocks that never move,
 * freed together. */
struct jsonr_block {
	struct jsonr_block *next;
	size_t used, size;
	char data[];
};
struct jsonr_arena {
	struct jsonr_block *head;
};
void jsonr_arena_free(struct jsonr_arena *a);

struct jsonr {
	const char *p, *end;
	struct jsonr_arena *strings;
	int depth;
};

/* An integer value: set only when the value is a JSON integer. */
struct jsonr_int {
	bool set;
	long long v;
};

/* Called for each member of an object (its key of klen bytes, not
 * NUL-terminated), with the reader at the value, which it must read or
 * skip.  0, or -1 to stop. */
typedef int (*jsonr_member_fn)(struct jsonr *r, const char *key, size_t klen, void *ctx);
/* Called for each element of an array, the reader at it. */
typedef int (*jsonr_element_fn)(struct jsonr *r, size_t index, void *ctx);

/* Whether a key of klen bytes is the string literal lit. */
#define JSONR_KEY_IS(key, klen, lit) \
	((klen) == sizeof(lit) - 1 && memcmp((key), lit, sizeof(lit) - 1) == 0)

/* Read doc (len bytes).  The strings the caller takes (jsonr_string) go
 * to *strings, which it frees with jsonr_arena_free() when done with them. */
void jsonr_init(struct jsonr *r, const char *doc, size_t len, struct jsonr_arena *strings);
/* The next character that is not whitespace, or 0 at the end. */
char jsonr_peek(struct jsonr *r);
/* An object, each member handed to fn. */
int jsonr_object(struct jsonr *r, jsonr_member_fn fn, void *ctx);
/* An array, each element handed to fn. */
int jsonr_array(struct jsonr *r, jsonr_element_fn fn, void *ctx);
/* Any value, checked and skipped. */
int jsonr_skip(struct jsonr *r);
/* Values the caller wants as a type: any other value is checked and
 * skipped, and reads as NULL / not set (as jansson's json_string_value()
 * or json_is_integer() would say).  *set (may be NULL) tells whether the
 * value was a boolean. */
int jsonr_string(struct jsonr *r, const char **out);
int jsonr_int(struct jsonr *r, struct jsonr_int *out);
int jsonr_bool(struct jsonr *r, bool *out, bool *set);
/* The end of the document: only whitespace may follow. */
int jsonr_end(struct jsonr *r);

#endif
