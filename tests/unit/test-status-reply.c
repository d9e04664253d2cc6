/*
 * test-status-reply.c - supctl's reader of status replies (ctl/
 * status_reply.c on ctl/jsonr.c) against jansson, which it replaced for
 * the table: it must accept exactly the replies jansson accepts (and
 * refuse the rest, which then go to jansson for the error), and read every
 * field as jansson's tree gives it.  Hand-picked edge cases first, then
 * random mutations of real replies.
 */
#include <stdlib.h>

#include "../../ctl/output.h"
#include "../../ctl/status_reply.h"
#include "testlib.h"

/* What the jansson path does with a line: NULL if supctl would not print
 * a table from it (not JSON, not an object, "services" not an array of
 * objects). */
static json_t *
jansson_view(const char *line)
{
	json_t *o = json_loads(line, 0, NULL), *svcs, *v;
	size_t i;

	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	if ((svcs = json_object_get(o, "services")) == NULL)
		return o;
	if (!json_is_array(svcs))
		goto no;
	json_array_foreach(svcs, i, v)
		if (!json_is_object(v))
			goto no;
	return o;
no:
	json_decref(o);
	return NULL;
}

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
same_int(struct jsonr_int a, struct jsonr_int b)
{
	return a.set == b.set && (!a.set || a.v == b.v);
}

static const char *
row_diff(const struct status_row *a, const struct status_row *b)
{
	if (!same_str(a->name, b->name)) return "name";
	if (!same_str(a->state, b->state)) return "state";
	if (!same_str(a->result, b->result)) return "result";
	if (!same_str(a->signal, b->signal)) return "signal";
	if (!same_str(a->error, b->error)) return "error";
	if (!same_str(a->last_oom, b->last_oom)) return "last_oom";
	if (!same_int(a->pid, b->pid)) return "pid";
	if (!same_int(a->uptime_usec, b->uptime_usec)) return "uptime_usec";
	if (!same_int(a->restarts, b->restarts)) return "restarts";
	if (!same_int(a->exit_status, b->exit_status)) return "exit_status";
	if (!same_int(a->mem_current, b->mem_current)) return "memory.current";
	if (!same_int(a->mem_max, b->mem_max)) return "memory.max";
	if (!same_int(a->mem_peak, b->mem_peak)) return "memory.peak";
	if (!same_int(a->oom_kills, b->oom_kills)) return "memory.oom_kills";
	if (a->pending_restart != b->pending_restart) return "pending_restart";
	if (a->limits_enforced != b->limits_enforced) return "limits_enforced";
	if (a->limits_enforced_set != b->limits_enforced_set) return "limits_enforced (set)";
	return NULL;
}

/* The reader and jansson agree on line: both refuse it, or both read the
 * same fields.  Returns whether it was accepted. */
static bool
check_line(const char *line, int at)
{
	json_t *j = jansson_view(line), *svcs;
	struct status_reply r;
	int rc = status_reply_parse(line, strlen(line), &r);

	if ((rc == 0) != (j != NULL))
		test_fail(__FILE__, at, "reader %s, jansson %s: %s", rc == 0 ? "accepts" : "refuses",
			  j != NULL ? "accepts" : "refuses", line);
	if (j == NULL)
		return false;
	svcs = json_object_get(j, "services");
	if (r.ok != json_is_true(json_object_get(j, "ok")))
		test_fail(__FILE__, at, "ok differs: %s", line);
	if (r.version != json_integer_value(json_object_get(j, "v")))
		test_fail(__FILE__, at, "v differs: %s", line);
	if (r.n != json_array_size(svcs))
		test_fail(__FILE__, at, "%zu services, jansson %zu: %s", r.n, json_array_size(svcs),
			  line);
	for (size_t i = 0; i < r.n; i++) {
		struct status_row jr;
		const char *what;

		status_row_from_json(json_array_get(svcs, i), &jr);
		if ((what = row_diff(&r.rows[i], &jr)) != NULL)
			test_fail(__FILE__, at, "service %zu: %s differs: %s", i, what, line);
	}
	status_reply_free(&r);
	json_decref(j);
	return true;
}

#define ACCEPTED(line) ASSERT(check_line(line, __LINE__))
#define REFUSED(line) ASSERT(!check_line(line, __LINE__))

/* A reply as supd writes it, two services. */
static const char real_reply[] =
	"{\"v\":1,\"ok\":true,\"id\":1,\"services\":[{\"name\":\"web\",\"description\":\"Web "
	"front end\",\"state\":\"running\",\"pid\":4242,\"restarts\":1,\"result\":\"success\","
	"\"exit_code\":null,\"exit_status\":null,\"exit_status_name\":null,\"signal\":null,"
	"\"since\":\"2026-11-23T11:05:50Z\",\"since_usec\":1795431950000000,\"uptime_usec\":"
	"93000000,\"error\":null,\"pending_restart\":false,\"limits_enforced\":true,\"memory\":"
	"{\"current\":536870912,\"peak\":612368384,\"high\":null,\"max\":7516192768,\"swap_max\":"
	"null,\"oom_kills\":2,\"last_oom\":\"2026-11-23T11:00:00Z\"},\"oom_events\":[{\"time\":"
	"\"2026-11-23T11:00:00Z\",\"current\":1,\"peak\":2,\"victim\":\"main\"}]},{\"name\":\"db\","
	"\"description\":null,\"state\":\"failed\",\"pid\":null,\"restarts\":0,\"result\":"
	"\"exit-code\",\"exit_code\":\"exited\",\"exit_status\":203,\"exit_status_name\":\"EXEC\","
	"\"signal\":null,\"since\":null,\"since_usec\":0,\"uptime_usec\":null,\"error\":\"cannot "
	"exec \\\"/x\\\": No such file\",\"pending_restart\":true,\"limits_enforced\":false,"
	"\"memory\":{\"current\":null,\"peak\":null,\"high\":null,\"max\":null,\"swap_max\":null,"
	"\"oom_kills\":0,\"last_oom\":null},\"oom_events\":[]}]}";

TEST(a_real_reply)
{
	ACCEPTED(real_reply);
	ACCEPTED("{\"v\":1,\"ok\":true,\"services\":[]}");
	ACCEPTED(" \t\r\n{ \"v\" : 1 , \"ok\" : true , \"services\" : [ { } , { \"name\" : \"x\" } ] } \n");
	/* Errors have no "services": the reader reads them, supctl hands
	 * them to jansson because ok is false. */
	ACCEPTED("{\"v\":1,\"ok\":false,\"code\":\"no-such-service\",\"error\":\"no such service: x\"}");
}

TEST(strings_decode_as_jansson)
{
	ACCEPTED("{\"services\":[{\"name\":\"q\\\"b\\\\s\\/f\\b\\f\\n\\r\\t\"}]}");
	ACCEPTED("{\"services\":[{\"name\":\"\\u00e9\\u20AC\\u0041\\u007f\\u0001\"}]}");
	ACCEPTED("{\"services\":[{\"name\":\"\\ud83d\\ude00 surrogates\"}]}");
	ACCEPTED("{\"services\":[{\"name\":\"caf\xc3\xa9 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"}]}");
	ACCEPTED("{\"services\":[{\"name\":\"\"}]}");
	ACCEPTED("{\"services\":[{\"na\\u006de\":\"escaped key\"}]}");
	REFUSED("{\"services\":[{\"name\":\"\\u0000\"}]}");     /* NUL: no JSON_ALLOW_NUL */
	REFUSED("{\"services\":[{\"name\":\"\\ud83d\"}]}");     /* lone high surrogate */
	REFUSED("{\"services\":[{\"name\":\"\\ude00\"}]}");     /* lone low surrogate */
	REFUSED("{\"services\":[{\"name\":\"\\ud83d\\u0041\"}]}");
	REFUSED("{\"services\":[{\"name\":\"\\u12\"}]}");
	REFUSED("{\"services\":[{\"name\":\"\\u12g4\"}]}");
	REFUSED("{\"services\":[{\"name\":\"\\x41\"}]}");
	REFUSED("{\"services\":[{\"name\":\"tab\there\"}]}");   /* raw control */
	REFUSED("{\"services\":[{\"name\":\"\x01\"}]}");
	REFUSED("{\"services\":[{\"name\":\"\xff\"}]}");        /* not UTF-8 */
	REFUSED("{\"services\":[{\"name\":\"\xc0\xaf\"}]}");    /* overlong */
	REFUSED("{\"services\":[{\"name\":\"\xed\xa0\x80\"}]}");/* encoded surrogate */
	REFUSED("{\"services\":[{\"name\":\"unterminated}]}");
	REFUSED("{\"services\":[{\"name\":\"ends in a backslash\\");
}

TEST(numbers_read_as_jansson)
{
	ACCEPTED("{\"services\":[{\"pid\":0,\"restarts\":-0,\"uptime_usec\":9223372036854775807}]}");
	ACCEPTED("{\"services\":[{\"pid\":-9223372036854775808}]}");
	ACCEPTED("{\"services\":[{\"pid\":1.5,\"restarts\":1e3,\"uptime_usec\":2E-3}]}");
	ACCEPTED("{\"services\":[{\"pid\":1e-400,\"restarts\":-0.0}]}"); /* underflow is fine */
	ACCEPTED("{\"services\":[{\"memory\":{\"current\":12,\"max\":1.0,\"peak\":-1}}]}");
	REFUSED("{\"services\":[{\"pid\":9223372036854775808}]}");       /* too big */
	REFUSED("{\"services\":[{\"pid\":-9223372036854775809}]}");
	REFUSED("{\"services\":[{\"pid\":99999999999999999999999}]}");
	REFUSED("{\"services\":[{\"pid\":1e400}]}");                     /* overflows */
	REFUSED("{\"services\":[{\"pid\":01}]}");
	REFUSED("{\"services\":[{\"pid\":+1}]}");
	REFUSED("{\"services\":[{\"pid\":1.}]}");
	REFUSED("{\"services\":[{\"pid\":.5}]}");
	REFUSED("{\"services\":[{\"pid\":1e}]}");
	REFUSED("{\"services\":[{\"pid\":-}]}");
	REFUSED("{\"services\":[{\"pid\":0x10}]}");
}

TEST(types_other_than_expected_read_as_absent)
{
	ACCEPTED("{\"v\":\"1\",\"ok\":1,\"services\":[{\"name\":5,\"state\":null,\"pid\":\"7\","
		 "\"pending_restart\":\"yes\",\"limits_enforced\":null,\"memory\":[1,2],"
		 "\"error\":{\"a\":[]}}]}");
	ACCEPTED("{\"services\":[{\"memory\":null}]}");
	ACCEPTED("{\"services\":[{\"limits_enforced\":false,\"pending_restart\":true}]}");
	ACCEPTED("{\"ok\":true,\"ok\":false,\"v\":1,\"v\":2}"); /* the last one wins */
	ACCEPTED("{\"services\":[{\"name\":\"a\",\"name\":\"b\",\"memory\":{\"current\":1},"
		 "\"memory\":{\"peak\":2}}]}");
	ACCEPTED("{\"services\":[{\"name\":\"a\"}],\"services\":[{\"name\":\"b\"},{}]}");
	ACCEPTED("{\"new_field\":{\"deep\":[[[{\"x\":[true,false,null,\"s\",-1.5e7]}]]]},"
		 "\"services\":[{\"future\":[{}],\"name\":\"n\"}]}");
}

TEST(shapes_it_leaves_to_jansson)
{
	REFUSED("");
	REFUSED("   ");
	REFUSED("[]");
	REFUSED("\"just a string\"");
	REFUSED("null");
	REFUSED("{\"services\":null}");
	REFUSED("{\"services\":{}}");
	REFUSED("{\"services\":[1]}");
	REFUSED("{\"services\":[{},null]}");
	REFUSED("{\"v\":1} trailing");
	REFUSED("{\"v\":1}{}");
	REFUSED("{\"v\":1,}");
	REFUSED("{\"services\":[{},]}");
	REFUSED("{,}");
	REFUSED("{\"v\" 1}");
	REFUSED("{v:1}");
	REFUSED("{\"v\":tru}");
	REFUSED("{\"v\":truex}");
	REFUSED("{\"v\":nul}");
	REFUSED("{\"v\":1");
	REFUSED("{\"a\":[1,2}");
	REFUSED("{\"a\":[1 2]}");
	REFUSED("{'v':1}");
}

/* k brackets (with a scalar inside, or not) as the member "x" of the
 * reply, or of a service in it. */
static char *
nested(int k, bool scalar, bool in_service)
{
	size_t len = 32 + 2 * (size_t)k + 2;
	char *s = malloc(len), *p = s;

	p += sprintf(p, in_service ? "{\"services\":[{\"x\":" : "{\"x\":");
	memset(p, '[', (size_t)k);
	p += k;
	if (scalar)
		*p++ = '7';
	memset(p, ']', (size_t)k);
	p += k;
	strcpy(p, in_service ? "}]}" : "}");
	return s;
}

TEST(nesting_limit_as_jansson)
{
	int accepted = 0;

	for (int k = 2040; k <= 2052; k++) {
		for (int variant = 0; variant < 4; variant++) {
			char *s = nested(k, variant & 1, variant & 2);

			accepted += check_line(s, __LINE__);
			free(s);
		}
	}
	ASSERT(accepted > 0 && accepted < 13 * 4);
}

/* A reproducible sequence (xorshift). */
static unsigned
next_random(unsigned *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

TEST(random_mutations_of_real_replies)
{
	static const char alphabet[] = "{}[]:,\"\\/ \t0123456789-+.eEuabfnrtx\x01\xc3\xa9\xff\xed";
	unsigned state = 88172645u;
	size_t cap = sizeof real_reply + 64;
	char *s = malloc(cap);
	int accepted = 0;

	for (int i = 0; i < 20000; i++) {
		size_t len = sizeof real_reply - 1;
		int edits = 1 + (int)(next_random(&state) % 3);

		memcpy(s, real_reply, len + 1);
		for (int e = 0; e < edits; e++) {
			unsigned r = next_random(&state);
			size_t at = (r >> 4) % len;
			char c = alphabet[(r >> 20) % (sizeof alphabet - 1)];

			switch (r % 3) {
			case 0: s[at] = c; break;
			case 1:
				memmove(s + at, s + at + 1, len - at);
				len--;
				break;
			default:
				if (len + 2 >= cap)
					break;
				memmove(s + at + 1, s + at, len - at + 1);
				s[at] = c;
				len++;
				break;
			}
		}
		accepted += check_line(s, __LINE__);
	}
	free(s);
	/* Both kinds were seen, so both ways were compared. */
	ASSERT(accepted > 100 && accepted < 19900);
}

TEST(the_table_is_the_same_either_way)
{
	struct status_reply r;
	json_t *j = json_loads(real_reply, 0, NULL), *svcs = json_object_get(j, "services");
	struct status_row rows[2];
	char *a = NULL, *b = NULL;
	size_t alen, blen;
	FILE *f;

	ASSERT(status_reply_parse(real_reply, sizeof real_reply - 1, &r) == 0);
	for (size_t i = 0; i < 2; i++)
		status_row_from_json(json_array_get(svcs, i), &rows[i]);
	f = open_memstream(&a, &alen);
	output_status_table(f, r.rows, r.n, true);
	fclose(f);
	f = open_memstream(&b, &blen);
	output_status_table(f, rows, 2, true);
	fclose(f);
	ASSERT_STR_EQ(a, b);
	ASSERT_CONTAINS(a, "\ndb    \033[31mfailed*\033[0m  -     -  ");
	ASSERT_CONTAINS(a, "exit-code:203");
	ASSERT_CONTAINS(a, "512M / 7G");
	ASSERT_CONTAINS(a, "db: cannot exec \"/x\": No such file\n");
	free(a);
	free(b);
	status_reply_free(&r);
	json_decref(j);
}
