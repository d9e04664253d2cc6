/*
 * test-jsonw.c - the JSON writer of `status` (jsonw.h) writes exactly what
 * jansson's compact dump writes for the same values: every escape, UTF-8,
 * NUL bytes, integers at their limits, nested request ids.  Bytes that are
 * not UTF-8 come out as proto_string() makes them (U+FFFD).
 */
#include <limits.h>
#include <stdlib.h>

#include "jsonw.h"
#include "proto.h"
#include "testlib.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY)

/* The writer's text for a string of len bytes (malloc'd). */
static char *
written_string(const char *s, size_t len)
{
	struct jsonw w = {0};

	jsonw_stringn(&w, s, len);
	return jsonw_take(&w, NULL);
}

/* jansson's text for the same bytes, made valid as proto_string() does. */
static char *
jansson_string(const char *s, size_t len)
{
	json_t *j = proto_string(s, len);
	char *text = json_dumps(j, DUMP_FLAGS);

	json_decref(j);
	return text;
}

static void
check_string(const char *s, size_t len)
{
	char *a = written_string(s, len), *b = jansson_string(s, len);

	if (strcmp(a, b) != 0) {
		char hex[3 * 64 + 1] = "";

		for (size_t i = 0; i < len && i < 64; i++)
			snprintf(hex + 3 * i, 4, "%02x ", (unsigned char)s[i]);
		test_fail(__FILE__, __LINE__, "bytes %s: jsonw \"%s\", jansson \"%s\"", hex, a, b);
	}
	free(a);
	free(b);
}

#define CHECK_LIT(lit) check_string(lit, sizeof(lit) - 1)

TEST(escapes_match_jansson)
{
	CHECK_LIT("");
	CHECK_LIT("plain text");
	CHECK_LIT("\"quoted\"");
	CHECK_LIT("back\\slash\\");
	CHECK_LIT("a/b</script>");
	CHECK_LIT("\b\f\n\r\t");
	CHECK_LIT("del \x7f stays");
	CHECK_LIT("mix \"\\\n\x01\x1f end");
}

TEST(every_control_character_matches_jansson)
{
	for (int c = 1; c < 0x20; c++) {
		char s[3] = {'x', (char)c, 'y'};

		check_string(s, sizeof s);
	}
}

TEST(nul_bytes_match_jansson)
{
	check_string("\0", 1);
	check_string("a\0b", 3);
	check_string("\0\0\0", 3);
}

TEST(utf8_passes_through_as_jansson)
{
	CHECK_LIT("caf\xc3\xa9");                 /* é */
	CHECK_LIT("\xe2\x82\xac 5");              /* € */
	CHECK_LIT("\xf0\x9f\x98\x80 grin");       /* U+1F600 */
	CHECK_LIT("\xef\xbf\xbd");                /* U+FFFD itself */
	CHECK_LIT("\xed\x9f\xbf");                /* U+D7FF, just below the surrogates */
	CHECK_LIT("\xee\x80\x80");                /* U+E000, just above */
	CHECK_LIT("\xf4\x8f\xbf\xbf");            /* U+10FFFF, the last */
	CHECK_LIT("\xc2\x80\xdf\xbf");            /* the 2-byte range's ends */
}

TEST(invalid_utf8_becomes_replacement_as_proto_string)
{
	CHECK_LIT("\xff");
	CHECK_LIT("a\x80z");                      /* lone continuation */
	CHECK_LIT("\xc0\xaf");                    /* overlong '/' */
	CHECK_LIT("\xe0\x80\xaf");                /* overlong */
	CHECK_LIT("\xed\xa0\x80");                /* a surrogate, U+D800 */
	CHECK_LIT("\xf4\x90\x80\x80");            /* above U+10FFFF */
	CHECK_LIT("\xc3");                        /* cut short at the end */
	CHECK_LIT("\xe2\x82");
	CHECK_LIT("\xf0\x9f\x98");
	CHECK_LIT("\xe2\x82 x");                  /* cut short inside */
}

/* A reproducible byte sequence (xorshift). */
static unsigned
next_random(unsigned *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

TEST(random_bytes_match_jansson)
{
	unsigned state = 2463534242u;
	char s[48];

	for (int i = 0; i < 200000; i++) {
		size_t len = next_random(&state) % sizeof s;

		for (size_t k = 0; k < len; k++) {
			unsigned r = next_random(&state);

			/* Mostly the interesting bytes: controls, quotes, UTF-8 leads. */
			switch (r % 4) {
			case 0: s[k] = (char)(r >> 8); break;
			case 1: s[k] = (char)((r >> 8) % 0x20); break;
			case 2: s[k] = "\"\\/a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"[(r >> 8) % 14]; break;
			default: s[k] = (char)(0x80 + (r >> 8) % 0x80); break;
			}
		}
		check_string(s, len);
	}
}

static void
check_int(long long v)
{
	struct jsonw w = {0};
	json_t *j = json_integer(v);
	char *a, *b = json_dumps(j, DUMP_FLAGS);

	jsonw_int(&w, v);
	a = jsonw_take(&w, NULL);
	ASSERT_STR_EQ(a, b);
	free(a);
	free(b);
	json_decref(j);
}

TEST(integers_match_jansson)
{
	long long v = 1;

	check_int(0);
	check_int(-1);
	check_int(9);
	check_int(10);
	check_int(-10);
	check_int(LLONG_MAX);
	check_int(LLONG_MIN);
	check_int(LLONG_MIN + 1);
	for (int i = 0; i < 19; i++) {
		check_int(v);
		check_int(v - 1);
		check_int(-v);
		check_int(-v + 1);
		if (i < 18)
			v *= 10; /* up to 10^18 */
	}
}

TEST(literals_and_null_string)
{
	struct jsonw w = {0};
	char *s;

	jsonw_null(&w);
	jsonw_lit(&w, ",");
	jsonw_bool(&w, true);
	jsonw_lit(&w, ",");
	jsonw_bool(&w, false);
	jsonw_lit(&w, ",");
	jsonw_string(&w, NULL);
	s = jsonw_take(&w, NULL);
	ASSERT_STR_EQ(s, "null,true,false,null");
	free(s);
}

TEST(any_json_value_and_an_open_envelope)
{
	json_t *id = json_loads("{\"a\":[1,\"x\\u00e9\\n\",null,true,-2.5],\"b\":{}}", 0, NULL);
	json_t *req = json_pack("{s:i, s:O, s:s}", "v", 1, "id", id, "cmd", "status");
	json_t *reply = proto_reply_ok(req), *whole;
	struct jsonw w = {0};
	char *a, *b;

	ASSERT(id != NULL);
	jsonw_json(&w, id);
	a = jsonw_take(&w, NULL);
	b = json_dumps(id, DUMP_FLAGS);
	ASSERT_STR_EQ(a, b);
	free(a);
	free(b);

	/* The envelope of a reply, left open for "services". */
	jsonw_json_open(&w, reply);
	jsonw_lit(&w, ",\"services\":[]}");
	a = jsonw_take(&w, NULL);
	whole = json_deep_copy(reply);
	json_object_set_new(whole, "services", json_array());
	b = json_dumps(whole, DUMP_FLAGS);
	ASSERT_STR_EQ(a, b);
	free(a);
	free(b);
	json_decref(whole);
	json_decref(reply);
	json_decref(req);
	json_decref(id);
}

TEST(a_long_text_grows_the_buffer)
{
	struct jsonw w = {0};
	size_t len;
	char *s;

	jsonw_reserve(&w, 10); /* too little: it grows past it */
	for (int i = 0; i < 100000; i++) {
		if (i == 50000)
			jsonw_reserve(&w, 300000);
		if (i > 0)
			jsonw_lit(&w, ",");
		jsonw_int(&w, i);
	}
	s = jsonw_take(&w, &len);
	ASSERT_EQ(len, strlen(s));
	ASSERT(strncmp(s, "0,1,2,3,", 8) == 0);
	ASSERT(strcmp(s + len - 6, ",99999") == 0);
	ASSERT(w.buf == NULL && w.len == 0);
	free(s);
}
