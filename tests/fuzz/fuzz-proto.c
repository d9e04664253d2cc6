/*
 * fuzz-proto.c - the control protocol's request side: the byte stream is
 * fed to proto_buf_append() in chunks of fuzzer-chosen sizes, lines are
 * taken with proto_buf_next_line() (sometimes late, so the buffer holds
 * several), and each line goes through proto_request_parse() and back out
 * as a reply.  The lines must be exactly what a one-pass model of the
 * framing gives: the bytes between newlines, NUL as 0x01, one trailing CR
 * dropped, and a line longer than max reported once as an overflow.
 *
 * Input: byte 0 picks max (bit 7 set: PROTO_MAX_REQUEST; else 1..128),
 * byte 1 seeds the chunk sizes, the rest is the stream.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "proto.h"

/* One line as the model expects it; line NULL for an overflow. */
struct event {
	char *line;
};

struct events {
	struct event *v;
	size_t n, cap;
};

static void
events_push(struct events *e, char *line)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->v = realloc(e->v, e->cap * sizeof *e->v);
		FUZZ_CHECK(e->v != NULL);
	}
	e->v[e->n++].line = line;
}

static void
events_free(struct events *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].line);
	free(e->v);
}

/* The framing in one pass over the whole stream. */
static void
model(const uint8_t *p, size_t n, size_t max, struct events *out)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = i - start;
		char *line;

		if (p[i] != '\n')
			continue;
		if (len > max) {
			events_push(out, NULL);
		} else {
			line = fuzzlib_strndup(p + start, len);
			for (size_t k = 0; k < len; k++) {
				if (line[k] == '\0')
					line[k] = '\001';
			}
			if (len > 0 && line[len - 1] == '\r')
				line[len - 1] = '\0';
			events_push(out, line);
		}
		start = i + 1;
	}
}

static uint32_t
rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A reply must be one line of valid JSON whatever the request held. */
static void
check_reply(json_t *reply)
{
	json_error_t err;
	json_t *back;
	char *enc;
	size_t len;

	FUZZ_CHECK(reply != NULL);
	enc = proto_encode(reply);
	len = strlen(enc);
	FUZZ_CHECK(len > 1 && enc[len - 1] == '\n' && memchr(enc, '\n', len - 1) == NULL);
	/* Not proto_encode()'s fallback for a reply jansson cannot dump. */
	FUZZ_CHECK(strcmp(enc, "{\"v\":1,\"ok\":false,\"code\":\"failed\",\"error\":\"cannot "
			   "encode reply\"}\n") != 0);
	back = json_loads(enc, 0, &err);
	FUZZ_CHECK(back != NULL && json_is_object(back));
	json_decref(back);
	free(enc);
	json_decref(reply);
}

static void
check_line(const char *line)
{
	const char *code;
	char *msg;
	json_t *req, *s;

	req = proto_request_parse(line, &code, &msg);
	if (req != NULL) {
		FUZZ_CHECK(code == NULL && msg == NULL);
		FUZZ_CHECK(json_is_object(req));
		FUZZ_CHECK(json_integer_value(json_object_get(req, "v")) == PROTO_VERSION);
		FUZZ_CHECK(json_string_length(json_object_get(req, "cmd")) > 0);
		check_reply(proto_reply_ok(req));
		check_reply(proto_reply_error(req, PROTO_E_UNKNOWN_COMMAND, "unknown command %s",
					      json_string_value(json_object_get(req, "cmd"))));
		json_decref(req);
	} else {
		FUZZ_CHECK(code != NULL && msg != NULL);
		check_reply(proto_reply_error(NULL, code, "%s", msg));
		free(msg);
	}
	/* Service output is arbitrary bytes; it must always become a string. */
	s = proto_string(line, strlen(line));
	FUZZ_CHECK(json_is_string(s));
	json_decref(s);
}

static void
drain(struct proto_buf *b, size_t max, const struct events *want, size_t *got)
{
	bool overflowed;
	char *line;

	for (;;) {
		line = proto_buf_next_line(b, max, &overflowed);
		if (line == NULL && !overflowed)
			return;
		FUZZ_CHECK(*got < want->n);
		if (line == NULL) {
			FUZZ_CHECK(want->v[*got].line == NULL);
		} else {
			FUZZ_CHECK(!overflowed);
			FUZZ_CHECK(want->v[*got].line != NULL);
			FUZZ_CHECK(strcmp(line, want->v[*got].line) == 0);
			check_line(line);
			free(line);
		}
		(*got)++;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_buf b = {0};
	struct events want = {0};
	const uint8_t *p;
	size_t n, max, off = 0, got = 0;
	uint32_t seed;

	if (size < 2)
		return 0;
	max = data[0] & 0x80 ? PROTO_MAX_REQUEST : (size_t)(data[0] & 0x7f) + 1;
	seed = 0x9e3779b9u ^ data[1] ^ ((uint32_t)size << 8);
	p = data + 2;
	n = size - 2;
	model(p, n, max, &want);

	while (off < n) {
		uint32_t r = rng_next(&seed);
		size_t chunk = (r & 3) == 0 ? 1 : (r >> 4) % 300 + 1;

		if (chunk > n - off)
			chunk = n - off;
		proto_buf_append(&b, (const char *)p + off, chunk, max);
		off += chunk;
		/* A slow reader: lines pile up before they are taken. */
		if ((r & 0x30) != 0x30) {
			drain(&b, max, &want, &got);
			/* Drained, the buffer holds at most one partial line of
			 * max bytes: a client cannot make supd hold more. */
			FUZZ_CHECK(b.len <= max);
		}
	}
	drain(&b, max, &want, &got);
	FUZZ_CHECK(got == want.n);
	proto_buf_free(&b);
	events_free(&want);
	return 0;
}
