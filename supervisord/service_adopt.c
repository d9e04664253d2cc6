/*
 * service_adopt.c - a service's part of the state file: what it saves,
 * and how a starting supd takes over a service that outlived the previous
 * supd.  An adopted main process is not supd's child, so its exit is seen
 * through a pidfd (poll says readable when it exits) and its exit status
 * is unknown; the cgroup still says when every process is gone.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgwatch.h"
#include "jsonw.h"
#include "log.h"
#include "service_internal.h"
#include "state.h"
#include "strutil.h"
#include "supd.h"
#include "unit.h"

void
service_state_save(struct service *s, struct jsonw *w)
{
	bool alive = s->main_pid > 0 && !s->main_dead;

	if (alive && s->main_start_ticks == 0)
		s->main_start_ticks = state_pid_start_time(s->main_pid);
	jsonw_lit(w, "{\"state\":");
	jsonw_string(w, service_state_name(s->state));
	jsonw_lit(w, ",\"main_pid\":");
	jsonw_int(w, alive ? s->main_pid : 0);
	jsonw_lit(w, ",\"main_start_ticks\":");
	jsonw_int(w, alive ? (long long)s->main_start_ticks : 0);
	jsonw_lit(w, ",\"main_start_mono\":");
	jsonw_int(w, (long long)s->main_start_mono);
	jsonw_lit(w, ",\"restarts\":");
	jsonw_int(w, s->n_restarts);
	jsonw_lit(w, ",\"start_limit_begin\":");
	jsonw_int(w, (long long)s->start_limit.begin_usec);
	jsonw_lit(w, ",\"start_limit_num\":");
	jsonw_int(w, s->start_limit.num);
	jsonw_lit(w, ",\"result\":");
	jsonw_int(w, s->result);
	jsonw_lit(w, ",\"oom_kills\":");
	jsonw_int(w, (long long)s->oom_kills);
	jsonw_lit(w, ",\"last_oom\":");
	jsonw_int(w, (long long)s->last_oom_usec);
	jsonw_lit(w, ",\"since\":");
	jsonw_int(w, (long long)s->since_usec);
	jsonw_lit(w, "}");
}

static void
service_pidfd_closed_cb(uv_handle_t *h)
{
	struct service *s = h->data;

	free(h);
	service_release(s);
}

void
service_pidfd_close(struct service *s)
{
	if (s->pidfd_poll == NULL)
		return;
	uv_poll_stop(s->pidfd_poll);
	close(s->pidfd);
	s->pidfd = -1;
	s->closing_handles++;
	uv_close((uv_handle_t *)s->pidfd_poll, service_pidfd_closed_cb);
	s->pidfd_poll = NULL;
}

static void
service_pidfd_cb(uv_poll_t *p, int status, int events)
{
	struct service *s = p->data;

	(void)status;
	(void)events;
	service_pidfd_close(s);
	if (s->main_pid > 0 && !s->main_dead) {
		log_info("%s: adopted main process %d exited (status unknown: it was not "
			 "this supd's child)", service_name(s), (int)s->main_pid);
		service_adopted_main_exited(s);
	}
}

/* Watch pid's exit through a pidfd.  Returns 0 or -errno. */
static int
service_watch_pidfd(struct service *s, pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	int r;

	if (fd < 0)
		return -errno;
	s->pidfd = fd;
	s->pidfd_poll = xcalloc(1, sizeof *s->pidfd_poll);
	s->pidfd_poll->data = s;
	if ((r = uv_poll_init(s->d->loop, s->pidfd_poll, fd)) < 0 ||
	    (r = uv_poll_start(s->pidfd_poll, UV_READABLE, service_pidfd_cb)) < 0) {
		free(s->pidfd_poll);
		s->pidfd_poll = NULL;
		close(fd);
		s->pidfd = -1;
		return r;
	}
	return 0;
}

/*
 * Take over from the state a previous supd saved.  Returns true if the
 * service is running (adopted) or being cleaned up, so that it must not
 * be started again now.
 */
bool
service_state_restore(struct service *s, json_t *o)
{
	pid_t pid, ppid = 0;
	uint64_t ticks;
	char *cause = NULL;
	bool populated;

	if (o == NULL || s->state == SERVICE_BAD_CONFIG)
		return false;
	s->n_restarts = (unsigned)json_integer_value(json_object_get(o, "restarts"));
	s->start_limit.begin_usec = (uint64_t)json_integer_value(json_object_get(o, "start_limit_begin"));
	s->start_limit.num = (unsigned)json_integer_value(json_object_get(o, "start_limit_num"));
	s->oom_kills = (uint64_t)json_integer_value(json_object_get(o, "oom_kills"));
	s->last_oom_usec = (uint64_t)json_integer_value(json_object_get(o, "last_oom"));
	pid = (pid_t)json_integer_value(json_object_get(o, "main_pid"));
	ticks = (uint64_t)json_integer_value(json_object_get(o, "main_start_ticks"));

	if (service_prepare(s, &cause) < 0) {
		log_warnx("%s: cannot take over: %s", service_name(s), cause);
		free(cause);
		return false;
	}
	populated = s->cg != NULL && cgroup_is_populated(s->cg);
	if (pid > 0 && ticks != 0 && state_pid_stat(pid, &ppid) == ticks &&
	    (ppid == getpid() || service_watch_pidfd(s, pid) == 0)) {
		/* After `supctl reexec` the process is still supd's child: its
		 * exit comes with SIGCHLD and a known status. */
		s->main_pid = pid;
		s->main_dead = false;
		s->main_start_ticks = ticks;
		s->main_start_mono = (uint64_t)json_integer_value(json_object_get(o, "main_start_mono"));
		s->adopted = ppid != getpid();
		s->since_usec = (uint64_t)json_integer_value(json_object_get(o, "since"));
		service_set_state(s, SERVICE_RUNNING);
		log_info("%s: re-adopted main process %d", service_name(s), (int)pid);
		return true;
	}
	if (!populated && pid <= 0)
		return false; /* nothing was running: start as usual */
	/* It died while no supd watched, or only strays are left: clean up,
	 * then Restart= decides as for an exit of unknown status. */
	log_info("%s: main process %d is gone%s; handling it as an exit of unknown status",
		 service_name(s), (int)pid, populated ? ", killing what is left of it" : "");
	s->main_pid = 0;
	s->main_dead = true;
	s->main_code = s->main_status = 0;
	s->result = SERVICE_RESULT_SUCCESS;
	service_set_result(s, SERVICE_RESULT_EXIT_CODE);
	service_enter_cleanup(s);
	return true;
}
