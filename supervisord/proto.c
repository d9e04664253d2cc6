/*
 * proto.c - the control protocol's framing and envelopes (docs/protocol.md),
 * linked into both supd and supctl.  JSON is jansson's; this file only
 * splits the byte stream into lines and checks the envelope.
 */
#include "proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

/* A line replaced by this single byte was longer than the limit; a client
 * cannot produce it because NUL bytes it sends are rewritten to 0x01. */
#define PROTO_OVERFLOW_MARK '\0'

static void
proto_buf_put(struct proto_buf *b, const char *p, size_t n)
{
	if (n == 0)
		return; /* b->data may still be NULL: no NULL + 0 */
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n)
			cap *= 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void
proto_buf_put_line_bytes(struct proto_buf *b, const char *p, size_t n)
{
	char *at, *end;

	if (n == 0)
		return;
	proto_buf_put(b, p, n);
	/* A NUL inside a request would silently shorten it for jansson. */
	end = b->data + b->len;
	for (at = end - n; (at = memchr(at, '\0', (size_t)(end - at))) != NULL; at++)
		*at = '\001';
}

static void
proto_buf_put_mark(struct proto_buf *b)
{
	static const char mark[2] = {PROTO_OVERFLOW_MARK, '\n'};

	proto_buf_put(b, mark, sizeof mark);
}

/* Offset where the unterminated last line of the buffer starts. */
static size_t
proto_buf_partial_start(const struct proto_buf *b)
{
	const char *nl;

	if (b->len == 0)
		return 0;
	nl = memrchr(b->data, '\n', b->len);
	return nl == NULL ? 0 : (size_t)(nl - b->data) + 1;
}

void
proto_buf_append(struct proto_buf *b, const char *p, size_t n, size_t max)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl != NULL ? (size_t)(nl - p) : n;

		if (b->overflow) {
			if (nl == NULL)
				return;
			b->overflow = false;
			proto_buf_put_mark(b);
		} else {
			size_t start = 0;

			/* The unfinished line is at most the whole buffer: only
			 * then look for where it starts (a long reply comes in
			 * many pieces and has no '\n' before its end). */
			if (b->len + take > max &&
			    b->len - (start = proto_buf_partial_start(b)) + take > max) {
				b->len = start;
				if (nl == NULL) {
					b->overflow = true;
					return;
				}
				proto_buf_put_mark(b);
			} else {
				proto_buf_put_line_bytes(b, p, take);
				if (nl != NULL)
					proto_buf_put(b, "\n", 1);
			}
		}
		if (nl == NULL)
			return;
		p = nl + 1;
		n -= take + 1;
	}
}

char *
proto_buf_next_line(struct proto_buf *b, size_t max, bool *overflowed)
{
	char *nl, *line = NULL;
	size_t len, used;

	(void)max;
	*overflowed = false;
	if (b->len == 0 || (nl = memchr(b->data, '\n', b->len)) == NULL)
		return NULL;
	len = (size_t)(nl - b->data);
	used = len + 1;
	if (len == 1 && b->data[0] == PROTO_OVERFLOW_MARK)
		*overflowed = true;
	else {
		/* Accept CRLF from hand-typed clients (socat, nc). */
		if (len > 0 && b->data[len - 1] == '\r')
			len--;
		if (used == b->len) {
			/* The line is all there is (a long reply, always): hand
			 * the buffer over rather than copy it. */
			line = b->data;
			line[len] = '\0';
			b->data = NULL;
			b->len = b->cap = 0;
			return line;
		}
		line = xstrndup(b->data, len);
	}
	memmove(b->data, b->data + used, b->len - used);
	b->len -= used;
	return line;
}

void
proto_buf_free(struct proto_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

json_t *
proto_request_new(const char *cmd, json_int_t id)
{
	return json_pack("{s:i, s:I, s:s}", "v", PROTO_VERSION, "id", id, "cmd", cmd);
}

json_t *
proto_request_parse(const char *line, const char **code, char **msg)
{
	json_error_t err;
	json_t *req, *v, *cmd;

	*code = NULL;
	*msg = NULL;
	req = json_loads(line, JSON_REJECT_DUPLICATES, &err);
	if (req == NULL) {
		*code = PROTO_E_BAD_REQUEST;
		*msg = xasprintf("invalid JSON at column %d: %s", err.column, err.text);
		return NULL;
	}
	if (!json_is_object(req)) {
		*code = PROTO_E_BAD_REQUEST;
		*msg = xstrdup("a request must be a JSON object");
		goto fail;
	}
	v = json_object_get(req, "v");
	if (v == NULL) {
		*code = PROTO_E_BAD_REQUEST;
		*msg = xasprintf("missing protocol version \"v\" (this supd speaks %d)",
				 PROTO_VERSION);
		goto fail;
	}
	if (!json_is_integer(v) || json_integer_value(v) != PROTO_VERSION) {
		char *vs = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		*code = PROTO_E_VERSION;
		*msg = xasprintf("protocol version %s is not supported (this supd speaks %d)",
				 vs != NULL ? vs : "?", PROTO_VERSION);
		free(vs);
		goto fail;
	}
	cmd = json_object_get(req, "cmd");
	if (!json_is_string(cmd) || json_string_length(cmd) == 0) {
		*code = PROTO_E_BAD_REQUEST;
		*msg = xstrdup(cmd == NULL ? "missing \"cmd\"" : "\"cmd\" must be a non-empty string");
		goto fail;
	}
	return req;
fail:
	json_decref(req);
	return NULL;
}

char *
proto_encode(json_t *obj)
{
	char *s, *line;
	size_t len;

	/* Strings are built with proto_string(), so encoding cannot fail on
	 * bad UTF-8; jansson failing otherwise means memory is gone. */
	s = json_dumps(obj, JSON_COMPACT | JSON_ENCODE_ANY);
	if (s == NULL)
		s = xstrdup("{\"v\":1,\"ok\":false,\"code\":\"failed\",\"error\":\"cannot encode reply\"}");
	len = strlen(s);
	line = xmalloc(len + 2);
	memcpy(line, s, len);
	line[len] = '\n';
	line[len + 1] = '\0';
	free(s);
	return line;
}

static json_t *
proto_reply_new(json_t *req, bool ok)
{
	json_t *reply = json_pack("{s:i, s:b}", "v", PROTO_VERSION, "ok", ok);
	json_t *id = json_is_object(req) ? json_object_get(req, "id") : NULL;

	if (id != NULL)
		json_object_set(reply, "id", id);
	return reply;
}

json_t *
proto_reply_ok(json_t *req)
{
	return proto_reply_new(req, true);
}

json_t *
proto_reply_error(json_t *req, const char *code, const char *fmt, ...)
{
	json_t *reply = proto_reply_new(req, false);
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	json_object_set_new(reply, "code", json_string(code));
	json_object_set_new(reply, "error", proto_string(msg != NULL ? msg : code,
							 msg != NULL ? strlen(msg) : strlen(code)));
	free(msg);
	return reply;
}

json_t *
proto_string(const char *s, size_t len)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)s;
	char *clean;
	size_t i = 0, o = 0;
	json_t *j;

	if ((j = json_stringn(s, len)) != NULL)
		return j;
	clean = xmalloc(len * 3 + 1);
	while (i < len) {
		size_t k = utf8_seq_len(p + i, len - i);

		if (k == 0) {
			memcpy(clean + o, replacement, 3);
			o += 3;
			i++;
		} else {
			memcpy(clean + o, p + i, k);
			o += k;
			i += k;
		}
	}
	j = json_stringn(clean, o);
	free(clean);
	return j != NULL ? j : json_string("");
}
