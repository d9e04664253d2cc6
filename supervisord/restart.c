/*
 * restart.c - exit classification, the Restart= decision, the backoff
 * formula and the start-limit window, each as systemd defines them
 * (src/core/service.c service_sigchld_event, service_shall_restart,
 * service_restart_usec_next; src/basic/ratelimit.c).
 */
#include "restart.h"

#include <math.h> /* frexpl, ldexpl: in libc itself */
#include <signal.h>
#include <sys/wait.h>

/* Signals after which a long-running service counts as having exited
 * cleanly (systemd's EXIT_CLEAN_DAEMON). */
static bool
restart_clean_signal(int sig)
{
	return sig == SIGHUP || sig == SIGINT || sig == SIGTERM || sig == SIGPIPE;
}

enum service_result
restart_classify_exit(const struct unit *u, int code, int status, bool oom)
{
	if (code == CLD_EXITED) {
		if (status == 0 || exit_status_set_has_status(&u->success_exit_status, status))
			return SERVICE_RESULT_SUCCESS;
		return SERVICE_RESULT_EXIT_CODE;
	}
	if (oom && code == CLD_KILLED && status == SIGKILL)
		return SERVICE_RESULT_OOM_KILL;
	if ((u->type != UNIT_TYPE_ONESHOT && restart_clean_signal(status)) ||
	    exit_status_set_has_signal(&u->success_exit_status, status))
		return SERVICE_RESULT_SUCCESS;
	return code == CLD_DUMPED ? SERVICE_RESULT_CORE_DUMP : SERVICE_RESULT_SIGNAL;
}

static bool
restart_set_matches(const struct exit_status_set *set, int code, int status)
{
	if (code == CLD_EXITED)
		return exit_status_set_has_status(set, status);
	if (code == CLD_KILLED || code == CLD_DUMPED)
		return exit_status_set_has_signal(set, status);
	return false;
}

bool
restart_should(const struct unit *u, enum service_result result, int code, int status,
	       bool manual_stop)
{
	if (manual_stop || result == SERVICE_RESULT_START_LIMIT_HIT)
		return false;
	if (restart_set_matches(&u->restart_prevent_exit_status, code, status))
		return false;
	if (restart_set_matches(&u->restart_force_exit_status, code, status))
		return true;

	switch (u->restart) {
	case UNIT_RESTART_NO:
		return false;
	case UNIT_RESTART_ALWAYS:
		return true;
	case UNIT_RESTART_ON_SUCCESS:
		return result == SERVICE_RESULT_SUCCESS;
	case UNIT_RESTART_ON_FAILURE:
		return result != SERVICE_RESULT_SUCCESS;
	case UNIT_RESTART_ON_ABNORMAL:
		return result != SERVICE_RESULT_SUCCESS && result != SERVICE_RESULT_EXIT_CODE;
	case UNIT_RESTART_ON_ABORT:
		return result == SERVICE_RESULT_SIGNAL || result == SERVICE_RESULT_CORE_DUMP;
	}
	return false;
}

/*
 * x^y for x >= 1 and 0 <= y <= 1, as exp(y ln x), without libm: linking
 * libm for this one call costs supd about 300 KiB of resident pages (its
 * headers and symbol tables, mapped by the dynamic loader).  ln by the
 * atanh series on the mantissa, exp by Taylor's after taking out powers of
 * two; both converge far below a microsecond of delay in 40 terms.
 */
static long double
restart_pow(long double x, long double y)
{
	static const long double ln2 = 0.693147180559945309417232121458176568L;
	long double m, z, z2, term, sum, t, r;
	int k, e;

	m = frexpl(x, &k); /* x = m 2^k, m in [0.5, 1) */
	z = (m - 1) / (m + 1);
	z2 = z * z;
	sum = 0;
	term = z;
	for (int i = 1; i < 80; i += 2) {
		sum += term / i;
		term *= z2;
	}
	t = y * (k * ln2 + 2 * sum); /* y ln x, >= 0 */
	e = (int)(t / ln2);
	r = t - e * ln2; /* [0, ln 2) */
	sum = 1;
	term = 1;
	for (int i = 1; i < 40; i++) {
		term *= r / i;
		sum += term;
	}
	return ldexpl(sum, e);
}

uint64_t
restart_delay_usec(uint64_t restart_usec, unsigned steps, uint64_t max_delay_usec, unsigned n)
{
	long double factor;

	if (n <= 1 || steps == 0 || restart_usec == 0 || max_delay_usec == USEC_INFINITY ||
	    restart_usec >= max_delay_usec)
		return restart_usec;
	if (n > steps)
		return max_delay_usec;
	/* Geometric growth: step i of steps multiplies by (max/sec)^(1/steps). */
	factor = restart_pow((long double)max_delay_usec / (long double)restart_usec,
			     (long double)(n - 1) / (long double)steps);
	return (uint64_t)((long double)restart_usec * factor);
}

bool
start_limit_below(struct start_limit *sl, uint64_t interval_usec, unsigned burst,
		  uint64_t now_usec)
{
	if (interval_usec == 0 || burst == 0)
		return true;
	if (sl->begin_usec == 0 ||
	    (now_usec > sl->begin_usec && now_usec - sl->begin_usec > interval_usec)) {
		sl->begin_usec = now_usec;
		sl->num = 1;
		return true;
	}
	if (sl->num < UINT32_MAX)
		sl->num++;
	return sl->num <= burst;
}

void
start_limit_reset(struct start_limit *sl)
{
	sl->begin_usec = 0;
	sl->num = 0;
}
