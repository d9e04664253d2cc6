/* test-restart.c - Restart= table, exit classification, backoff, start limit. */
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "restart.h"
#include "testlib.h"

static struct unit
unit_with(enum unit_restart r)
{
	struct unit u;

	memset(&u, 0, sizeof u);
	u.type = UNIT_TYPE_SIMPLE;
	u.restart = r;
	return u;
}

/* systemd.service(5), "Table 2. Exit causes and the effect of the Restart=
 * settles": rows are causes, columns no/always/on-success/on-failure/
 * on-abnormal/on-abort. */
TEST(restart_table_matches_systemd)
{
	static const struct {
		const char *cause;
		enum service_result result;
		int code, status;
		bool expect[6]; /* no, always, on-success, on-failure, on-abnormal, on-abort */
	} rows[] = {
		{"clean exit", SERVICE_RESULT_SUCCESS, CLD_EXITED, 0, {0, 1, 1, 0, 0, 0}},
		{"clean signal", SERVICE_RESULT_SUCCESS, CLD_KILLED, SIGTERM, {0, 1, 1, 0, 0, 0}},
		{"unclean exit", SERVICE_RESULT_EXIT_CODE, CLD_EXITED, 3, {0, 1, 0, 1, 0, 0}},
		{"unclean signal", SERVICE_RESULT_SIGNAL, CLD_KILLED, SIGSEGV, {0, 1, 0, 1, 1, 1}},
		{"core dump", SERVICE_RESULT_CORE_DUMP, CLD_DUMPED, SIGABRT, {0, 1, 0, 1, 1, 1}},
		{"timeout", SERVICE_RESULT_TIMEOUT, 0, 0, {0, 1, 0, 1, 1, 0}},
		{"oom", SERVICE_RESULT_OOM_KILL, CLD_KILLED, SIGKILL, {0, 1, 0, 1, 1, 0}},
	};
	static const enum unit_restart cols[] = {
		UNIT_RESTART_NO,	 UNIT_RESTART_ALWAYS,	   UNIT_RESTART_ON_SUCCESS,
		UNIT_RESTART_ON_FAILURE, UNIT_RESTART_ON_ABNORMAL, UNIT_RESTART_ON_ABORT,
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		for (size_t j = 0; j < 6; j++) {
			struct unit u = unit_with(cols[j]);
			bool got = restart_should(&u, rows[i].result, rows[i].code, rows[i].status,
						  false);
			if (got != rows[i].expect[j])
				test_fail(__FILE__, __LINE__, "%s with Restart=%s: got %d", rows[i].cause,
					  unit_restart_name(cols[j]), got);
		}
}

TEST(manual_stop_never_restarts)
{
	struct unit u = unit_with(UNIT_RESTART_ALWAYS);

	ASSERT(!restart_should(&u, SERVICE_RESULT_SIGNAL, CLD_KILLED, SIGTERM, true));
}

TEST(start_limit_hit_never_restarts)
{
	struct unit u = unit_with(UNIT_RESTART_ALWAYS);

	ASSERT(!restart_should(&u, SERVICE_RESULT_START_LIMIT_HIT, 0, 0, false));
}

TEST(prevent_exit_status_wins_over_force)
{
	struct unit u = unit_with(UNIT_RESTART_ALWAYS);
	const char *why;

	ASSERT_EQ(parse_exit_status_set("42 SIGUSR1", &u.restart_prevent_exit_status, &why), 0);
	ASSERT_EQ(parse_exit_status_set("42", &u.restart_force_exit_status, &why), 0);
	ASSERT(!restart_should(&u, SERVICE_RESULT_EXIT_CODE, CLD_EXITED, 42, false));
	ASSERT(!restart_should(&u, SERVICE_RESULT_SIGNAL, CLD_KILLED, SIGUSR1, false));
	ASSERT(restart_should(&u, SERVICE_RESULT_EXIT_CODE, CLD_EXITED, 41, false));
}

TEST(force_exit_status_restarts_with_restart_no)
{
	struct unit u = unit_with(UNIT_RESTART_NO);
	const char *why;

	ASSERT_EQ(parse_exit_status_set("7", &u.restart_force_exit_status, &why), 0);
	ASSERT(restart_should(&u, SERVICE_RESULT_EXIT_CODE, CLD_EXITED, 7, false));
	ASSERT(!restart_should(&u, SERVICE_RESULT_EXIT_CODE, CLD_EXITED, 8, false));
}

TEST(classify_exits)
{
	struct unit u = unit_with(UNIT_RESTART_NO);
	const char *why;

	ASSERT_EQ(restart_classify_exit(&u, CLD_EXITED, 0, false), SERVICE_RESULT_SUCCESS);
	ASSERT_EQ(restart_classify_exit(&u, CLD_EXITED, 1, false), SERVICE_RESULT_EXIT_CODE);
	ASSERT_EQ(restart_classify_exit(&u, CLD_KILLED, SIGTERM, false), SERVICE_RESULT_SUCCESS);
	ASSERT_EQ(restart_classify_exit(&u, CLD_KILLED, SIGKILL, false), SERVICE_RESULT_SIGNAL);
	ASSERT_EQ(restart_classify_exit(&u, CLD_KILLED, SIGKILL, true), SERVICE_RESULT_OOM_KILL);
	ASSERT_EQ(restart_classify_exit(&u, CLD_DUMPED, SIGSEGV, false), SERVICE_RESULT_CORE_DUMP);
	ASSERT_EQ(parse_exit_status_set("3 SIGUSR2", &u.success_exit_status, &why), 0);
	ASSERT_EQ(restart_classify_exit(&u, CLD_EXITED, 3, false), SERVICE_RESULT_SUCCESS);
	ASSERT_EQ(restart_classify_exit(&u, CLD_KILLED, SIGUSR2, false), SERVICE_RESULT_SUCCESS);
	u.type = UNIT_TYPE_ONESHOT; /* oneshot: SIGTERM is not clean */
	ASSERT_EQ(restart_classify_exit(&u, CLD_KILLED, SIGTERM, false), SERVICE_RESULT_SIGNAL);
}

/* systemd.service(5): RestartSec=1s, RestartMaxDelaySec=60s, RestartSteps=5
 * gives 1, 2.27, 5.14, 11.67, 26.46, 60, 60 ... seconds. */
TEST(backoff_follows_restart_steps)
{
	static const uint64_t expect_ms[] = {1000, 2268, 5144, 11665, 26457, 60000, 60000};

	for (unsigned n = 1; n <= 7; n++) {
		uint64_t ms = restart_delay_usec(1000000, 5, 60000000, n) / 1000;
		if (ms + 2 < expect_ms[n - 1] || ms > expect_ms[n - 1] + 2)
			test_fail(__FILE__, __LINE__, "restart %u: %llu ms, expected %llu", n,
				  (unsigned long long)ms, (unsigned long long)expect_ms[n - 1]);
	}
}

/* supd computes the power without libm: it must agree with powl to the
 * microsecond over the whole range of delays. */
TEST(backoff_agrees_with_powl)
{
	static const uint64_t cases[][3] = {
		{1000000, 5, 60000000},          {100000, 10, 3600000000ULL}, {1, 100, 1000000000000ULL},
		{500000, 3, 1000000},            {7, 2000, 86400000000ULL},   {250000, 1, 250001},
		{1000, 37, 999999999},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t sec = cases[i][0], max = cases[i][2];
		unsigned steps = (unsigned)cases[i][1];

		for (unsigned n = 2; n <= steps; n++) {
			long double want = (long double)sec *
					   powl((long double)max / (long double)sec,
						(long double)(n - 1) / (long double)steps);
			long double got = (long double)restart_delay_usec(sec, steps, max, n);

			if (got - want > 1 || want - got > 1)
				test_fail(__FILE__, __LINE__, "%llu..%llu in %u steps, restart %u: %.0Lf, powl %.1Lf",
					  (unsigned long long)sec, (unsigned long long)max, steps, n, got, want);
		}
	}
}

TEST(backoff_disabled_cases)
{
	ASSERT_U64_EQ(restart_delay_usec(2000000, 0, 60000000, 5), 2000000);
	ASSERT_U64_EQ(restart_delay_usec(2000000, 5, USEC_INFINITY, 5), 2000000);
	ASSERT_U64_EQ(restart_delay_usec(0, 5, 60000000, 5), 0);
	ASSERT_U64_EQ(restart_delay_usec(90000000, 5, 60000000, 5), 90000000);
}

TEST(start_limit_fixed_window)
{
	struct start_limit sl = {0, 0};
	uint64_t s = USEC_PER_SEC;

	/* burst 3 in 300 s: three starts pass, the fourth inside the window fails. */
	ASSERT(start_limit_below(&sl, 300 * s, 3, 1000 * s));
	ASSERT(start_limit_below(&sl, 300 * s, 3, 1010 * s));
	ASSERT(start_limit_below(&sl, 300 * s, 3, 1200 * s));
	ASSERT(!start_limit_below(&sl, 300 * s, 3, 1299 * s));
	/* The window is fixed from the first start, not sliding. */
	ASSERT(start_limit_below(&sl, 300 * s, 3, 1301 * s));
	ASSERT_EQ(sl.num, 1);
}

TEST(start_limit_disabled_and_reset)
{
	struct start_limit sl = {0, 0};

	for (int i = 0; i < 100; i++)
		ASSERT(start_limit_below(&sl, 0, 3, (uint64_t)(i + 1)));
	for (int i = 0; i < 100; i++)
		ASSERT(start_limit_below(&sl, 10, 0, (uint64_t)(i + 1)));
	ASSERT(start_limit_below(&sl, 10 * USEC_PER_SEC, 1, 5));
	ASSERT(!start_limit_below(&sl, 10 * USEC_PER_SEC, 1, 6));
	start_limit_reset(&sl);
	ASSERT(start_limit_below(&sl, 10 * USEC_PER_SEC, 1, 7));
}
