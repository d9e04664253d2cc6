/*
 * test-proto.c - framing and envelope of the control protocol.
 */
#include <stdlib.h>

#include "proto.h"
#include "testlib.h"

#define MAX 64

static char *
next(struct proto_buf *b, bool *ovf)
{
	return proto_buf_next_line(b, MAX, ovf);
}

TEST(line_split_across_appends)
{
	struct proto_buf b = {0};
	bool ovf;
	char *line;

	proto_buf_append(&b, "{\"v\":1,", 7, MAX);
	ASSERT(next(&b, &ovf) == NULL);
	ASSERT(!ovf);
	proto_buf_append(&b, "\"cmd\":\"x\"}\n", 11, MAX);
	line = next(&b, &ovf);
	ASSERT_STR_EQ(line, "{\"v\":1,\"cmd\":\"x\"}");
	free(line);
	ASSERT(next(&b, &ovf) == NULL);
	proto_buf_free(&b);
}

TEST(joined_lines_come_out_one_by_one)
{
	struct proto_buf b = {0};
	bool ovf;
	char *l1, *l2, *l3;

	proto_buf_append(&b, "a\nbb\r\nccc", 9, MAX);
	l1 = next(&b, &ovf);
	l2 = next(&b, &ovf);
	ASSERT_STR_EQ(l1, "a");
	ASSERT_STR_EQ(l2, "bb");
	ASSERT(next(&b, &ovf) == NULL);
	proto_buf_append(&b, "\n", 1, MAX);
	l3 = next(&b, &ovf);
	ASSERT_STR_EQ(l3, "ccc");
	free(l1);
	free(l2);
	free(l3);
	proto_buf_free(&b);
}

TEST(line_of_exactly_max_is_accepted)
{
	struct proto_buf b = {0};
	char in[MAX + 1];
	bool ovf;
	char *line;

	memset(in, 'x', MAX);
	in[MAX] = '\n';
	proto_buf_append(&b, in, sizeof in, MAX);
	line = next(&b, &ovf);
	ASSERT(!ovf);
	ASSERT(line != NULL);
	ASSERT_EQ(strlen(line), MAX);
	free(line);
	proto_buf_free(&b);
}

TEST(overlong_line_in_one_chunk_is_reported_once_and_skipped)
{
	struct proto_buf b = {0};
	char in[MAX + 10];
	bool ovf;
	char *line;

	proto_buf_append(&b, "ok1\n", 4, MAX);
	memset(in, 'x', sizeof in);
	in[sizeof in - 1] = '\n';
	proto_buf_append(&b, in, sizeof in, MAX);
	proto_buf_append(&b, "ok2\n", 4, MAX);
	line = next(&b, &ovf);
	ASSERT_STR_EQ(line, "ok1");
	free(line);
	ASSERT(next(&b, &ovf) == NULL);
	ASSERT(ovf);
	line = next(&b, &ovf);
	ASSERT(!ovf);
	ASSERT_STR_EQ(line, "ok2");
	free(line);
	ASSERT(next(&b, &ovf) == NULL);
	ASSERT(!ovf);
	proto_buf_free(&b);
}

TEST(overlong_line_across_many_appends_keeps_memory_bounded)
{
	struct proto_buf b = {0};
	char chunk[40];
	bool ovf;
	char *line;

	memset(chunk, 'y', sizeof chunk);
	for (int i = 0; i < 1000; i++)
		proto_buf_append(&b, chunk, sizeof chunk, MAX);
	ASSERT(b.len <= MAX);
	ASSERT(next(&b, &ovf) == NULL);
	ASSERT(!ovf);
	proto_buf_append(&b, "tail\nnext\n", 10, MAX);
	ASSERT(next(&b, &ovf) == NULL);
	ASSERT(ovf);
	line = next(&b, &ovf);
	ASSERT_STR_EQ(line, "next");
	free(line);
	proto_buf_free(&b);
}

TEST(nul_byte_from_client_is_not_an_overflow)
{
	struct proto_buf b = {0};
	bool ovf;
	char *line;

	proto_buf_append(&b, "\0\n", 2, MAX);
	line = next(&b, &ovf);
	ASSERT(!ovf);
	ASSERT_STR_EQ(line, "\001");
	free(line);
	proto_buf_free(&b);
}

TEST(every_nul_byte_is_rewritten)
{
	struct proto_buf b = {0};
	bool ovf;
	char *l1, *l2;

	proto_buf_append(&b, "a\0b\0\0c", 6, MAX);
	proto_buf_append(&b, "\0d\n\0\n", 5, MAX);
	l1 = next(&b, &ovf);
	l2 = next(&b, &ovf);
	ASSERT_STR_EQ(l1, "a\001b\001\001c\001d");
	ASSERT_STR_EQ(l2, "\001");
	free(l1);
	free(l2);
	proto_buf_free(&b);
}

/* The unfinished line's length counts, not what earlier whole lines
 * still hold of the buffer. */
TEST(line_of_max_after_an_unread_line_is_accepted)
{
	struct proto_buf b = {0};
	char chunk[MAX / 4];
	bool ovf;
	char *first, *line;

	memset(chunk, 'z', sizeof chunk);
	proto_buf_append(&b, "first\n", 6, MAX);
	for (int i = 0; i < 4; i++)
		proto_buf_append(&b, chunk, sizeof chunk, MAX);
	proto_buf_append(&b, "\n", 1, MAX);
	first = next(&b, &ovf);
	ASSERT_STR_EQ(first, "first");
	line = next(&b, &ovf);
	ASSERT(!ovf);
	ASSERT(line != NULL);
	ASSERT_EQ(strlen(line), MAX);
	free(first);
	free(line);
	proto_buf_append(&b, "first\n", 6, MAX);
	for (int i = 0; i < 4; i++)
		proto_buf_append(&b, chunk, sizeof chunk, MAX);
	proto_buf_append(&b, "!\nafter\n", 9, MAX);
	first = next(&b, &ovf);
	ASSERT_STR_EQ(first, "first");
	ASSERT(next(&b, &ovf) == NULL);
	ASSERT(ovf);
	line = next(&b, &ovf);
	ASSERT_STR_EQ(line, "after");
	free(first);
	free(line);
	proto_buf_free(&b);
}

/* supctl reads a reply of hundreds of kilobytes in pieces: it comes out
 * whole, and the buffer is handed over rather than copied. */
TEST(long_line_in_many_pieces_comes_out_whole)
{
	struct proto_buf b = {0};
	size_t max = 1 << 20;
	char chunk[1000];
	bool ovf;
	char *line;

	memset(chunk, 'r', sizeof chunk);
	for (int i = 0; i < 500; i++)
		proto_buf_append(&b, chunk, sizeof chunk, max);
	ASSERT(proto_buf_next_line(&b, max, &ovf) == NULL);
	proto_buf_append(&b, "\r\n", 2, max);
	line = proto_buf_next_line(&b, max, &ovf);
	ASSERT(!ovf);
	ASSERT(line != NULL);
	ASSERT_EQ(strlen(line), 500 * sizeof chunk);
	ASSERT(b.len == 0);
	free(line);
	proto_buf_append(&b, "again\n", 6, max);
	line = proto_buf_next_line(&b, max, &ovf);
	ASSERT_STR_EQ(line, "again");
	free(line);
	proto_buf_free(&b);
}

TEST(valid_request_parses)
{
	const char *code;
	char *msg;
	json_t *req = proto_request_parse("{\"v\":1,\"id\":7,\"cmd\":\"status\"}", &code, &msg);

	ASSERT(req != NULL);
	ASSERT(code == NULL);
	ASSERT_STR_EQ(json_string_value(json_object_get(req, "cmd")), "status");
	json_decref(req);
}

TEST(invalid_json_is_bad_request)
{
	const char *code;
	char *msg;

	ASSERT(proto_request_parse("{\"v\":1,", &code, &msg) == NULL);
	ASSERT_STR_EQ(code, PROTO_E_BAD_REQUEST);
	ASSERT_CONTAINS(msg, "invalid JSON");
	free(msg);
}

TEST(non_object_is_bad_request)
{
	const char *code;
	char *msg;

	ASSERT(proto_request_parse("[1,2]", &code, &msg) == NULL);
	ASSERT_STR_EQ(code, PROTO_E_BAD_REQUEST);
	free(msg);
}

TEST(wrong_version_is_refused)
{
	const char *code;
	char *msg;

	ASSERT(proto_request_parse("{\"v\":2,\"cmd\":\"status\"}", &code, &msg) == NULL);
	ASSERT_STR_EQ(code, PROTO_E_VERSION);
	ASSERT_CONTAINS(msg, "version 2");
	free(msg);
}

TEST(missing_version_is_bad_request)
{
	const char *code;
	char *msg;

	ASSERT(proto_request_parse("{\"cmd\":\"status\"}", &code, &msg) == NULL);
	ASSERT_STR_EQ(code, PROTO_E_BAD_REQUEST);
	ASSERT_CONTAINS(msg, "\"v\"");
	free(msg);
}

TEST(missing_cmd_is_bad_request)
{
	const char *code;
	char *msg;

	ASSERT(proto_request_parse("{\"v\":1,\"id\":3}", &code, &msg) == NULL);
	ASSERT_STR_EQ(code, PROTO_E_BAD_REQUEST);
	ASSERT_CONTAINS(msg, "cmd");
	free(msg);
}

TEST(duplicate_keys_are_refused)
{
	const char *code;
	char *msg;

	ASSERT(proto_request_parse("{\"v\":1,\"cmd\":\"a\",\"cmd\":\"b\"}", &code, &msg) == NULL);
	ASSERT_STR_EQ(code, PROTO_E_BAD_REQUEST);
	free(msg);
}

TEST(reply_echoes_id_and_is_one_line)
{
	json_t *req = proto_request_new("status", 42);
	json_t *rep = proto_reply_error(req, PROTO_E_FAILED, "two\nlines %d", 5);
	char *s = proto_encode(rep);

	ASSERT_STR_EQ(s, "{\"v\":1,\"ok\":false,\"id\":42,\"code\":\"failed\","
			 "\"error\":\"two\\nlines 5\"}\n");
	free(s);
	json_decref(rep);
	json_decref(req);
}

TEST(reply_ok_without_request_has_no_id)
{
	json_t *rep = proto_reply_ok(NULL);
	char *s = proto_encode(rep);

	ASSERT_STR_EQ(s, "{\"v\":1,\"ok\":true}\n");
	free(s);
	json_decref(rep);
}

TEST(invalid_utf8_becomes_replacement_character)
{
	json_t *j = proto_string("a\xff" "b\xe2\x82", 5);

	ASSERT(j != NULL);
	ASSERT_STR_EQ(json_string_value(j), "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(j);
	j = proto_string("\xe2\x82\xac", 3);
	ASSERT_STR_EQ(json_string_value(j), "\xe2\x82\xac");
	json_decref(j);
}
