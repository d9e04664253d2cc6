/*
 * restart.c - exit classification, the Restart= decision, the backoff
 * formula and the start-limit window, each as systemd defines them
 * (src/core/service.c service_sigchld_event, service_shall_restart,
 * service_restart_usec_next; src/basic/ratelimit.c).
 */
#include "restart.h"

#include <math.h>
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
	factor = powl((long double)max_delay_usec / (long double)restart_usec,
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
