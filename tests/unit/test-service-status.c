/*
 * test-service-status.c - the status object of a service, written as text
 * (service_status_write), is byte for byte what the jansson tree it
 * replaced gave: that builder is kept below as the reference, and both
 * run on the same services in every state, with names, descriptions and
 * errors full of quotes, control characters and UTF-8.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "jsonw.h"
#include "proto.h"
#include "service_internal.h"
#include "spawn.h"
#include "supd.h"
#include "testlib.h"
#include "unit.h"
#include "values.h"

static struct supd d;
static struct unit u, pending;
static struct service s;

static void
setup(void)
{
	memset(&d, 0, sizeof d);
	memset(&u, 0, sizeof u);
	memset(&s, 0, sizeof s);
	u.name = (char *)"web";
	u.memory_high = u.memory_max = u.memory_swap_max = UINT64_MAX;
	s.d = &d;
	s.unit = &u;
	s.state = SERVICE_STOPPED;
	s.pidfd = -1;
}

/* ---- the reference: status as a jansson tree, as supd built it before */

static json_t *
ref_u64(uint64_t v)
{
	return v == UINT64_MAX ? json_null() : json_integer((json_int_t)v);
}

static json_t *
ref_time(uint64_t realtime_usec)
{
	char buf[40];
	struct tm tm;
	time_t t;

	if (realtime_usec == 0)
		return json_null();
	t = (time_t)(realtime_usec / USEC_PER_SEC);
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static json_t *
ref_status(struct service *sv)
{
	const struct unit *un = sv->unit;
	json_t *o = json_object(), *mem = json_object(), *hist = json_array();
	const char *code = service_exit_code_name(sv->main_code);
	unsigned n = sv->oom_history_n < SERVICE_OOM_HISTORY ? sv->oom_history_n : SERVICE_OOM_HISTORY;

	/* No cgroup in these tests: usage and peak are unknown. */
	json_object_set_new(mem, "current", json_null());
	json_object_set_new(mem, "peak", json_null());
	json_object_set_new(mem, "high", ref_u64(un->memory_high));
	json_object_set_new(mem, "max", ref_u64(un->memory_max));
	json_object_set_new(mem, "swap_max", ref_u64(un->memory_swap_max));
	json_object_set_new(mem, "oom_kills", json_integer((json_int_t)sv->oom_kills));
	json_object_set_new(mem, "last_oom", ref_time(sv->last_oom_usec));
	for (unsigned i = 0; i < n; i++) {
		const struct service_oom_event *ev =
			&sv->oom_history[(sv->oom_history_n - n + i) % SERVICE_OOM_HISTORY];
		json_t *e = json_object();

		json_object_set_new(e, "time", ref_time(ev->when_usec));
		json_object_set_new(e, "current", ref_u64(ev->current));
		json_object_set_new(e, "peak", ref_u64(ev->peak));
		json_object_set_new(e, "victim", json_string(ev->victim_main ? "main" : "other"));
		json_array_append_new(hist, e);
	}

	json_object_set_new(o, "name", json_string(un->name));
	json_object_set_new(o, "description",
			    un->description ? json_string(un->description) : json_null());
	json_object_set_new(o, "state", json_string(service_state_name(sv->state)));
	json_object_set_new(o, "pid", sv->main_pid > 0 && !sv->main_dead
					      ? json_integer(sv->main_pid)
					      : json_null());
	json_object_set_new(o, "restarts", json_integer(sv->n_restarts));
	json_object_set_new(o, "result", json_string(service_result_name(sv->result)));
	json_object_set_new(o, "exit_code", code ? json_string(code) : json_null());
	if (sv->main_code == CLD_EXITED) {
		const char *name = spawn_exit_status_name(sv->main_status);

		json_object_set_new(o, "exit_status", json_integer(sv->main_status));
		json_object_set_new(o, "exit_status_name", name ? json_string(name) : json_null());
		json_object_set_new(o, "signal", json_null());
	} else {
		json_object_set_new(o, "exit_status", json_null());
		json_object_set_new(o, "exit_status_name", json_null());
		json_object_set_new(o, "signal", code ? json_string(signal_name(sv->main_status))
						      : json_null());
	}
	json_object_set_new(o, "since", ref_time(sv->since_usec));
	json_object_set_new(o, "since_usec", json_integer((json_int_t)sv->since_usec));
	json_object_set_new(o, "uptime_usec",
			    sv->state == SERVICE_RUNNING && sv->main_pid > 0
				    ? json_integer((json_int_t)(service_now_mono() -
								sv->main_start_mono))
				    : json_null());
	json_object_set_new(o, "error", sv->error ? json_string(sv->error) : json_null());
	json_object_set_new(o, "pending_restart", json_boolean(sv->pending_unit != NULL));
	json_object_set_new(o, "limits_enforced", json_false()); /* no cgroup root */
	json_object_set_new(o, "memory", mem);
	json_object_set_new(o, "oom_events", hist);
	return o;
}

/* ---- comparing */

/* The running time differs between two calls: zero its digits. */
static void
zero_uptime(char *text)
{
	char *p = strstr(text, "\"uptime_usec\":"), *digits, *end;

	if (p == NULL)
		return;
	digits = p + strlen("\"uptime_usec\":");
	for (end = digits; *end >= '0' && *end <= '9'; end++)
		;
	if (end > digits) {
		*digits = '0';
		memmove(digits + 1, end, strlen(end) + 1);
	}
}

static char *
written(struct service *sv)
{
	struct jsonw w = {0};

	service_status_write(sv, &w);
	return jsonw_take(&w, NULL);
}

static void
check_same(int line)
{
	json_t *ref = ref_status(&s), *tree;
	char *a = written(&s), *b = json_dumps(ref, JSON_COMPACT);

	zero_uptime(a);
	zero_uptime(b);
	if (strcmp(a, b) != 0)
		test_fail(__FILE__, line, "written:\n%s\njansson:\n%s", a, b);
	/* The tree `show` and job replies use is the same object. */
	tree = service_status_json(&s);
	json_object_del(tree, "uptime_usec");
	json_object_del(ref, "uptime_usec");
	if (!json_equal(tree, ref))
		test_fail(__FILE__, line, "service_status_json differs from %s", b);
	free(a);
	free(b);
	json_decref(ref);
	json_decref(tree);
}

#define CHECK_SAME() check_same(__LINE__)

TEST(never_started)
{
	setup();
	CHECK_SAME();
	u.description = (char *)"the web front end";
	CHECK_SAME();
}

TEST(tricky_strings)
{
	static const char *const texts[] = {
		"\"quoted\" and \\back\\slashed\\",
		"tab\there, newline\nthere, cr\r, bell\a, \x01\x1f\x7f",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd",
		"</script> // slashes",
		"",
	};

	setup();
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		u.name = (char *)texts[i];
		u.description = (char *)texts[(i + 1) % 5];
		s.error = (char *)texts[(i + 2) % 5];
		s.state = SERVICE_BAD_CONFIG;
		CHECK_SAME();
	}
}

TEST(every_state_and_result)
{
	setup();
	for (int st = SERVICE_STOPPED; st <= SERVICE_BAD_CONFIG; st++) {
		for (int r = SERVICE_RESULT_SUCCESS; r <= SERVICE_RESULT_RESOURCES; r++) {
			s.state = (enum service_state)st;
			s.result = (enum service_result)r;
			s.n_restarts = (unsigned)(st * 7 + r);
			CHECK_SAME();
		}
	}
}

TEST(how_the_main_process_ended)
{
	static const int statuses[] = {0, 1, 3, 127, 200, 203, 217, 255};
	static const int signals[] = {SIGKILL, SIGTERM, SIGSEGV, SIGABRT, 40, 64, 99, 0};

	setup();
	s.state = SERVICE_FAILED;
	s.result = SERVICE_RESULT_EXIT_CODE;
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		s.main_code = CLD_EXITED;
		s.main_status = statuses[i];
		CHECK_SAME();
	}
	for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
		s.main_code = i % 2 ? CLD_DUMPED : CLD_KILLED;
		s.main_status = signals[i];
		CHECK_SAME();
	}
	s.main_code = 0; /* unknown: adopted, or never ran */
	CHECK_SAME();
}

TEST(running_pid_uptime_and_pending_restart)
{
	setup();
	s.state = SERVICE_RUNNING;
	s.main_pid = 4242;
	s.main_start_mono = service_now_mono() - 93 * USEC_PER_SEC;
	s.since_usec = 1795431950000000ULL;
	CHECK_SAME();
	s.pending_unit = &pending;
	CHECK_SAME();
	s.main_dead = true; /* exited, being processed: no pid */
	CHECK_SAME();
	s.state = SERVICE_STOPPING;
	s.main_dead = false;
	CHECK_SAME();
}

TEST(times_at_the_edges)
{
	static const uint64_t times[] = {
		1,                               /* 1970-01-01T00:00:00Z */
		USEC_PER_SEC * 951782400ULL,     /* 2000-02-29 */
		1795431950123456ULL,             /* microseconds dropped */
		USEC_PER_SEC * 253402300799ULL,  /* 9999-12-31T23:59:59Z */
		USEC_PER_SEC * 253402300800ULL,  /* year 10000: strftime's way */
	};

	setup();
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		s.since_usec = times[i];
		s.last_oom_usec = times[(i + 1) % 5];
		CHECK_SAME();
	}
}

TEST(memory_limits_and_oom_history)
{
	setup();
	u.memory_high = 48ULL << 20;
	u.memory_max = 7516192768ULL;
	u.memory_swap_max = 0;
	CHECK_SAME();
	u.memory_max = 1ULL << 63; /* beyond json_int_t: cast as before */
	CHECK_SAME();
	for (unsigned i = 0; i < 8; i++) {
		struct service_oom_event *ev = &s.oom_history[s.oom_history_n % SERVICE_OOM_HISTORY];

		ev->when_usec = 1795431950000000ULL + i * USEC_PER_SEC;
		ev->current = i == 3 ? UINT64_MAX : (uint64_t)i << 20;
		ev->peak = (uint64_t)(i + 1) << 20;
		ev->victim_main = i % 2;
		s.oom_history_n++;
		s.oom_kills++;
		s.last_oom_usec = ev->when_usec;
		CHECK_SAME(); /* 1 to 5 events, then the last 5 of more */
	}
}

TEST(invalid_utf8_is_replaced_not_dropped)
{
	char *text;
	json_t *o;

	/* jansson refused such a string, and the member went missing from
	 * the reply; now it is there, with U+FFFD for the bad byte. */
	setup();
	u.description = (char *)"bad \xff byte";
	text = written(&s);
	o = json_loads(text, 0, NULL);
	ASSERT(o != NULL);
	ASSERT_STR_EQ(json_string_value(json_object_get(o, "description")), "bad \xef\xbf\xbd byte");
	json_decref(o);
	free(text);
}
