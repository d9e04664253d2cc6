/*
 * service_ctl.c - a service's life as seen from outside the state machine:
 * creation and removal (with libuv's asynchronous handle closing),
 * accessors, control requests (start, stop, restart, reset-failed,
 * reload's pending unit) and waiters that learn when a request's job has
 * settled.
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

const char *
service_name(const struct service *s)
{
	return s->unit->name;
}

enum service_state
service_state(const struct service *s)
{
	return s->state;
}

const struct unit *
service_unit(const struct service *s)
{
	return s->unit;
}

pid_t
service_main_pid(const struct service *s)
{
	return s->main_pid;
}

struct logfile *
service_logfile(struct service *s)
{
	return s->log;
}

static void
service_notify_cb(uv_timer_t *t)
{
	struct service *s = t->data;
	struct service_waiter *w;

	if (!service_is_settled(s))
		return;
	while ((w = s->waiters) != NULL) {
		s->waiters = w->next;
		w->cb(s, s->state != SERVICE_FAILED &&
			    !(s->state == SERVICE_AUTO_RESTART && s->result != SERVICE_RESULT_SUCCESS),
		      w->data);
		free(w);
	}
}

/* Run the waiters on the next loop turn, not inside the transition. */
void
service_notify_waiters(struct service *s)
{
	if (s->waiters != NULL)
		uv_timer_start(&s->notify_timer, service_notify_cb, 0, 0);
}

struct service_waiter *
service_wait(struct service *s, service_wait_cb cb, void *data)
{
	struct service_waiter *w = xcalloc(1, sizeof *w), **p = &s->waiters;

	w->s = s;
	w->cb = cb;
	w->data = data;
	while (*p != NULL)
		p = &(*p)->next;
	*p = w;
	if (service_is_settled(s))
		uv_timer_start(&s->notify_timer, service_notify_cb, 0, 0);
	return w;
}

void
service_wait_cancel(struct service_waiter *w)
{
	struct service_waiter **p = &w->s->waiters;

	while (*p != NULL && *p != w)
		p = &(*p)->next;
	if (*p == w)
		*p = w->next;
	free(w);
}


int
service_start(struct service *s, char **cause)
{
	if (s->state == SERVICE_BAD_CONFIG) {
		*cause = xasprintf("bad-config: %s", s->unit->error ? s->unit->error : "invalid unit");
		return -1;
	}
	if (s->removing || s->d->shutting_down) {
		*cause = xstrdup("supd is stopping this service for good");
		return -1;
	}
	switch (s->state) {
	case SERVICE_STARTING:
	case SERVICE_RUNNING:
		return 0;
	case SERVICE_STOPPING:
		s->start_after_stop = true;
		return 0;
	case SERVICE_AUTO_RESTART:
		service_timer_stop(s);
		/* fallthrough */
	default:
		service_apply_pending_unit(s);
		s->n_restarts = 0;
		service_enter_start(s, false);
		if (s->state == SERVICE_FAILED && s->result == SERVICE_RESULT_START_LIMIT_HIT) {
			*cause = xasprintf("start-limit-hit: started %u times within %s; "
					   "run `supctl reset-failed %s`",
					   s->unit->start_limit_burst,
					   fmt_usec(s->unit->start_limit_interval_usec,
						    (char[32]){0}, 32),
					   service_name(s));
			return -1;
		}
		return 0;
	}
}

int
service_stop(struct service *s, char **cause)
{
	(void)cause;
	s->start_after_stop = false;
	switch (s->state) {
	case SERVICE_STARTING:
	case SERVICE_RUNNING:
		s->stop_requested = true;
		service_enter_stop_signal(s);
		return 0;
	case SERVICE_STOPPING:
		s->stop_requested = true;
		return 0;
	case SERVICE_AUTO_RESTART:
		/* As systemd: cancelling a pending restart leaves the service
		 * inactive, not failed; the last result stays visible. */
		service_timer_stop(s);
		s->stop_requested = true;
		service_apply_pending_unit(s);
		service_release_resources(s);
		service_set_state(s, SERVICE_STOPPED);
		return 0;
	default:
		return 0;
	}
}

int
service_restart(struct service *s, char **cause)
{
	if (s->state == SERVICE_RUNNING || s->state == SERVICE_STARTING ||
	    s->state == SERVICE_STOPPING) {
		if (service_stop(s, cause) < 0)
			return -1;
		s->start_after_stop = true;
		return 0;
	}
	return service_start(s, cause);
}

int
service_reset_failed(struct service *s, char **cause)
{
	(void)cause;
	start_limit_reset(&s->start_limit);
	s->n_restarts = 0;
	if (s->state == SERVICE_FAILED) {
		s->result = SERVICE_RESULT_SUCCESS;
		service_set_state(s, SERVICE_STOPPED);
	}
	return 0;
}

void
service_set_pending_unit(struct service *s, struct unit *u)
{
	unit_free(s->pending_unit);
	s->pending_unit = u;
	if (s->state == SERVICE_BAD_CONFIG) {
		service_apply_pending_unit(s);
		s->state = SERVICE_STOPPED;
		free(s->error);
		s->error = NULL;
		if (s->unit->auto_start)
			service_enter_start(s, false);
		return;
	}
	if (!service_is_active(s) && s->state != SERVICE_AUTO_RESTART)
		service_apply_pending_unit(s);
}

bool
service_has_pending_unit(const struct service *s)
{
	return s->pending_unit != NULL;
}

struct service *
service_new(struct supd *d, struct unit *u)
{
	struct service *s = xcalloc(1, sizeof *s);

	s->d = d;
	s->unit = u;
	s->state = u->bad_config ? SERVICE_BAD_CONFIG : SERVICE_STOPPED;
	s->pidfd = -1;
	s->since_usec = service_now_real();
	if (u->bad_config && u->error != NULL)
		s->error = xstrdup(u->error);
	uv_timer_init(d->loop, &s->timer);
	uv_timer_init(d->loop, &s->notify_timer);
	s->timer.data = s;
	s->notify_timer.data = s;
	return s;
}

/* One libuv handle of a removed service has closed; the last frees it. */
void
service_release(struct service *s)
{
	if (--s->closing_handles > 0 || !s->finished)
		return;
	supd_service_gone(s->d, s);
	service_limits_free(s);
	unit_free(s->unit);
	unit_free(s->pending_unit);
	free(s->error);
	free(s);
}

static void
service_handle_closed_cb(uv_handle_t *h)
{
	service_release(h->data);
}

void
service_output_closed(void *data)
{
	service_release(data);
}

/* Stopped for good: release the cgroup, the log and every handle. */
void
service_finish_remove(struct service *s)
{
	struct service_waiter *w;
	int r;

	service_exec_watch_close(s);
	service_pidfd_close(s);
	supd_dequeue_start(s->d, s);
	if (s->cg != NULL) {
		if (s->d->cgwatch != NULL)
			cgwatch_remove(s->d->cgwatch, s->cg);
		if ((r = cgroup_destroy(s->cg)) < 0)
			log_warnx("%s: cannot remove cgroup %s: %s", service_name(s),
				  cgroup_path(s->cg), strerror(-r));
		s->cg = NULL;
	}
	while ((w = s->waiters) != NULL) {
		s->waiters = w->next;
		w->cb(s, true, w->data);
		free(w);
	}
	s->state = SERVICE_STOPPED;
	s->finished = true;
	s->closing_handles += 2;
	uv_close((uv_handle_t *)&s->timer, service_handle_closed_cb);
	uv_close((uv_handle_t *)&s->notify_timer, service_handle_closed_cb);
	if (s->output != NULL) {
		s->closing_handles++;
		/* Removed from the config: the holder can let go; at shutdown
		 * the holder exits anyway. */
		output_close(s->output, !s->d->shutting_down, service_output_closed, s);
		s->output = NULL;
	}
	if (s->log != NULL) {
		logfile_close(s->log);
		s->log = NULL;
	}
}

void
service_remove(struct service *s)
{
	if (s->removing)
		return;
	s->removing = true;
	s->start_after_stop = false;
	if (s->state == SERVICE_AUTO_RESTART)
		service_timer_stop(s);
	if (service_is_active(s)) {
		s->stop_requested = true;
		if (s->state != SERVICE_STOPPING)
			service_enter_stop_signal(s);
		return; /* service_enter_dead finishes the removal */
	}
	service_finish_remove(s);
}


void
service_flush_output(struct service *s)
{
	if (s->output != NULL)
		output_flush(s->output);
}
