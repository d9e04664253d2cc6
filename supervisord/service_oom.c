/*
 * service_oom.c - what a service does when the kernel's OOM killer acts in
 * its cgroup: log one line with the memory figures, keep the last few
 * events, tell whether the main process was the victim, and apply
 * OOMPolicy= (docs/states.md).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "cgwatch.h"
#include "log.h"
#include "logfile.h"
#include "output.h"
#include "service_internal.h"
#include "strutil.h"
#include "supd.h"
#include "unit.h"

/* What the OOM killer did, as a line for supd's log and the service's. */
static void
service_oom_describe(struct service *s, uint64_t delta, bool victim_main, char *buf, size_t len)
{
	struct cgroup_memory m;
	char cur[16], peak[16], anon[16], file[16], kern[16], max[16];

	if (cgroup_memory_read(s->cg, &m) < 0)
		memset(&m, 0xff, sizeof m);
	snprintf(buf, len,
		 "OOM kill (%llu, total %llu): victim %s; memory current %s, peak %s, max %s; "
		 "anon %s, file %s, kernel %s",
		 (unsigned long long)delta, (unsigned long long)s->oom_kills,
		 victim_main ? "the main process" : "not the main process (yet)",
		 m.current == UINT64_MAX ? "?" : fmt_bytes(m.current, cur, sizeof cur),
		 m.peak == UINT64_MAX ? "?" : fmt_bytes(m.peak, peak, sizeof peak),
		 fmt_bytes(s->unit->memory_max, max, sizeof max),
		 m.anon == UINT64_MAX ? "?" : fmt_bytes(m.anon, anon, sizeof anon),
		 m.file == UINT64_MAX ? "?" : fmt_bytes(m.file, file, sizeof file),
		 m.kernel == UINT64_MAX ? "?" : fmt_bytes(m.kernel, kern, sizeof kern));
	struct service_oom_event *ev =
		&s->oom_history[s->oom_history_n++ % SERVICE_OOM_HISTORY];
	ev->when_usec = s->last_oom_usec;
	ev->current = m.current;
	ev->peak = m.peak;
	ev->victim_main = victim_main;
}

/* Whether the OOM killer took the main process: it is already a zombie,
 * or SIGKILL is pending for it (the kernel bumps oom_kill when it sends
 * the signal, before the victim has released its memory and died). */
static bool
service_main_is_victim(struct service *s)
{
	static const char *const pending_keys[] = {"ShdPnd:", "SigPnd:"};
	char path[64], buf[2048], *p;
	siginfo_t si;

	if (s->main_pid <= 0 || s->main_dead)
		return s->main_dead && s->main_code == CLD_KILLED && s->main_status == SIGKILL;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)s->main_pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	    si.si_pid == s->main_pid)
		/* Already dead: the victim only if SIGKILL ended it (it may have
		 * exited on its own because its child was the victim). */
		return si.si_code == CLD_KILLED && si.si_status == SIGKILL;
	snprintf(path, sizeof path, "/proc/%d/status", (int)s->main_pid);
	if (read_small_file(path, buf, sizeof buf) <= 0)
		return false;
	/* Shared (process-wide) and thread-private pending signal masks. */
	for (size_t i = 0; i < sizeof pending_keys / sizeof pending_keys[0]; i++)
		if ((p = strstr(buf, pending_keys[i])) != NULL &&
		    (strtoull(p + strlen(pending_keys[i]), NULL, 16) & (1ULL << (SIGKILL - 1))))
			return true;
	return false;
}

/* The main process's exit was attributed to an OOM kill whose victim was
 * not known when the event came: correct the record. */
void
service_oom_victim_was_main(struct service *s)
{
	if (s->oom_history_n == 0)
		return;
	s->oom_history[(s->oom_history_n - 1) % SERVICE_OOM_HISTORY].victim_main = true;
	log_info("%s: the OOM killer's victim was the main process %d", service_name(s),
		 (int)s->main_pid);
}

/* cgwatch: the cgroup's oom_kill counter rose.  Apply OOMPolicy=. */
void
service_oom(struct service *s, uint64_t old_count, uint64_t new_count)
{
	const struct unit *u = s->unit;
	bool victim_main = service_main_is_victim(s);
	char line[512];

	s->oom_kills += new_count - old_count;
	s->last_oom_usec = service_now_real();
	service_oom_describe(s, new_count - old_count, victim_main, line, sizeof line);
	log_warnx("%s: %s; OOMPolicy=%s", u->name, line, unit_oom_policy_name(u->oom_policy));
	if (s->log != NULL)
		logfile_note(s->log, "supd: %s", line);
	if (victim_main)
		s->oom_main = true;
	else
		s->oom_unattributed_mono = service_now_mono();
	if (s->main_dead || (s->state != SERVICE_RUNNING && s->state != SERVICE_STARTING &&
			     s->state != SERVICE_STOPPING))
		return;

	switch (u->oom_policy) {
	case UNIT_OOM_CONTINUE:
		break;
	case UNIT_OOM_STOP:
		service_set_result(s, SERVICE_RESULT_OOM_KILL);
		if (s->state == SERVICE_STOPPING) {
			service_kill(s, SIGKILL, false);
			s->final_kill_sent = true;
		} else {
			service_enter_stop_signal(s);
		}
		break;
	case UNIT_OOM_KILL:
		/* v2: memory.oom.group already killed the group; v1: supd does. */
		service_set_result(s, SERVICE_RESULT_OOM_KILL);
		service_kill(s, SIGKILL, false);
		s->final_kill_sent = true;
		service_set_state(s, SERVICE_STOPPING);
		service_maybe_stopped(s);
		break;
	}
}

