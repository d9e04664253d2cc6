/*
 * service.c - the state machine of one service, and the only place where
 * its state changes.  libuv callbacks (timers), the reaper (supd.c), the
 * OOM watcher (cgwatch.c) and control requests call in here.
 *
 *   stopped/exited/failed --start--> [ExecStartPre=...] starting --> running
 *   running --main exits--> stopping (KillMode= clean-up until the cgroup is
 *       empty) --> [ExecStopPost=...] --> auto-restart (Restart= says so,
 *       after RestartSec with RestartSteps backoff) | exited | failed
 *   running --stop--> stopping (KillSignal, SIGCONT; SIGKILL after
 *       TimeoutStopSec) --> [ExecStopPost=...] --> stopped | failed
 *   auto-restart --timer--> start, unless StartLimitBurst starts happened in
 *       StartLimitIntervalSec: failed with result start-limit-hit.
 *
 * A service is stopped only when its cgroup is empty, and a new instance
 * never starts while the old one's cgroup still holds processes (except
 * with KillMode=process, which leaves them by design, as in systemd).
 * docs/states.md describes the states and results for users.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgwatch.h"
#include "log.h"
#include "logfile.h"
#include "output.h"
#include "service_internal.h"
#include "spawn.h"
#include "state.h"
#include "strutil.h"
#include "supd.h"
#include "unit.h"

static void service_enter_stop_post(struct service *s);
static void service_timer_cb(uv_timer_t *t);
static void service_run_next_start_pre(struct service *s);

static const char *const service_state_names[] = {
	[SERVICE_STOPPED] = "stopped",	 [SERVICE_STARTING] = "starting",
	[SERVICE_RUNNING] = "running",	 [SERVICE_STOPPING] = "stopping",
	[SERVICE_AUTO_RESTART] = "auto-restart", [SERVICE_FAILED] = "failed",
	[SERVICE_EXITED] = "exited",	 [SERVICE_BAD_CONFIG] = "bad-config",
};

static const char *const service_result_names[] = {
	[SERVICE_RESULT_SUCCESS] = "success",
	[SERVICE_RESULT_EXIT_CODE] = "exit-code",
	[SERVICE_RESULT_SIGNAL] = "signal",
	[SERVICE_RESULT_CORE_DUMP] = "core-dump",
	[SERVICE_RESULT_TIMEOUT] = "timeout",
	[SERVICE_RESULT_START_LIMIT_HIT] = "start-limit-hit",
	[SERVICE_RESULT_OOM_KILL] = "oom-kill",
	[SERVICE_RESULT_RESOURCES] = "resources",
};

const char *
service_state_name(enum service_state st)
{
	return service_state_names[st];
}

/* How the main process ended, as systemd's $EXIT_CODE says it; NULL if
 * it has not ended (or its status is unknown). */
const char *
service_exit_code_name(int code)
{
	switch (code) {
	case CLD_EXITED: return "exited";
	case CLD_KILLED: return "killed";
	case CLD_DUMPED: return "dumped";
	default: return NULL;
	}
}

const char *
service_result_name(enum service_result r)
{
	return service_result_names[r];
}

uint64_t
service_now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t
service_now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

bool
service_is_active(const struct service *s)
{
	return s->state == SERVICE_STARTING || s->state == SERVICE_RUNNING ||
	       s->state == SERVICE_STOPPING || s->main_pid > 0 || s->control_pid > 0;
}

bool
service_is_settled(const struct service *s)
{
	return s->state != SERVICE_STARTING && s->state != SERVICE_STOPPING;
}

/* First failure wins, as in systemd: a later clean SIGTERM exit does not
 * hide the OOM kill that caused the stop. */
void
service_set_result(struct service *s, enum service_result r)
{
	if (s->result == SERVICE_RESULT_SUCCESS)
		s->result = r;
}

void
service_set_state(struct service *s, enum service_state st)
{
	if (s->state == st)
		return;
	log_debug("%s: %s -> %s", service_name(s), service_state_name(s->state),
		  service_state_name(st));
	s->state = st;
	s->since_usec = service_now_real();
	state_changed(s->d);
	if (service_is_settled(s)) {
		service_notify_waiters(s);
	}
}

static void
service_timer_start(struct service *s, enum service_timer purpose, uint64_t usec)
{
	s->timer_purpose = purpose;
	if (usec == USEC_INFINITY) {
		uv_timer_stop(&s->timer);
		return;
	}
	/* Round up so a 100ms RestartSec never fires early. */
	uv_timer_start(&s->timer, service_timer_cb, (usec + 999) / 1000, 0);
}

void
service_timer_stop(struct service *s)
{
	s->timer_purpose = SERVICE_TIMER_NONE;
	uv_timer_stop(&s->timer);
}

/* Whether the service's cgroup lists its processes (not so when supd runs
 * with no cgroup hierarchy at all: the cgroup object then only reports what
 * is not enforced). */
static bool
service_tracks_processes(const struct service *s)
{
	return s->cg != NULL && cgroup_root_mode(s->d->cgroot) != CGROUP_MODE_NONE;
}

static bool
service_cgroup_empty(struct service *s)
{
	if (service_tracks_processes(s))
		return !cgroup_is_populated(s->cg);
	/* Without a cgroup, the main process's process group (spawn made it a
	 * session leader) is all supd can know of. */
	if (s->main_pid <= 0)
		return true;
	return kill(-s->main_pid, 0) == -1 && errno == ESRCH;
}

/* Send sig to the processes KillMode= names: all of the cgroup, or the main
 * process only (mixed, process).  SIGCONT follows so stopped processes see it. */
void
service_kill(struct service *s, int sig, bool main_only)
{
	bool tracked = service_tracks_processes(s);
	int r;

	if (main_only || !tracked) {
		if (s->main_pid > 0 && !s->main_dead) {
			kill(s->main_pid, sig);
			if (sig != SIGKILL)
				kill(s->main_pid, SIGCONT);
		}
		if (!tracked && !main_only && s->main_pid > 0) {
			kill(-s->main_pid, sig);
			if (sig != SIGKILL)
				kill(-s->main_pid, SIGCONT);
		}
		return;
	}
	/* The main process first, as systemd does: it may not have joined its
	 * cgroup yet (a stop right after a start). */
	if (s->main_pid > 0 && !s->main_dead)
		kill(s->main_pid, sig);
	/* Back to back per process, so none exits on sig before its SIGCONT. */
	r = sig != SIGKILL ? cgroup_signal_all_cont(s->cg, sig) : cgroup_signal_all(s->cg, sig);
	if (r < 0) {
		/* The cgroup could not be read (out of descriptors?): reach what
		 * can be reached without it; the stop timeout tries again. */
		log_warnx("%s: cannot signal the processes of cgroup %s: %s; signalling the "
			  "main process's group only", service_name(s), cgroup_path(s->cg),
			  strerror(-r));
		if (s->main_pid > 0)
			kill(-s->main_pid, sig);
	}
}

/* Begin stopping: KillSignal to what KillMode= names, SIGKILL after
 * TimeoutStopSec.  Used for manual stops and OOMPolicy=stop. */
void
service_enter_stop_signal(struct service *s)
{
	const struct unit *u = s->unit;

	service_set_state(s, SERVICE_STOPPING);
	if (s->control_pid > 0)
		kill(s->control_pid, u->kill_signal);
	service_kill(s, u->kill_signal, u->kill_mode != UNIT_KILL_CONTROL_GROUP);
	service_timer_start(s, SERVICE_TIMER_STOP_TIMEOUT, u->timeout_stop_usec);
	service_maybe_stopped(s);
}

/* After the main process is gone, deal with what is left in the cgroup. */
void
service_enter_cleanup(struct service *s)
{
	const struct unit *u = s->unit;

	service_set_state(s, SERVICE_STOPPING);
	if (!service_cgroup_empty(s) && s->timer_purpose != SERVICE_TIMER_STOP_TIMEOUT) {
		switch (u->kill_mode) {
		case UNIT_KILL_CONTROL_GROUP:
			service_kill(s, u->kill_signal, false);
			service_timer_start(s, SERVICE_TIMER_STOP_TIMEOUT, u->timeout_stop_usec);
			break;
		case UNIT_KILL_MIXED:
			service_kill(s, SIGKILL, false);
			break;
		case UNIT_KILL_PROCESS:
			break; /* leftovers are left alone, by definition */
		}
	}
	service_maybe_stopped(s);
}

/* The stop is complete when the main and control processes are reaped and
 * the cgroup is empty (KillMode=process: the main process is enough). */
void
service_maybe_stopped(struct service *s)
{
	if (s->state != SERVICE_STOPPING || s->control != SERVICE_CONTROL_NONE)
		return;
	if ((s->main_pid > 0 && !s->main_dead) || s->control_pid > 0)
		return;
	if (s->unit->kill_mode != UNIT_KILL_PROCESS && !service_cgroup_empty(s))
		return;
	service_timer_stop(s);
	s->main_pid = 0;
	service_enter_stop_post(s);
}

static void
service_run_next_stop_post(struct service *s)
{
	const struct unit *u = s->unit;
	char *cause = NULL;

	while (s->control_index < u->n_exec_stop_post) {
		const struct exec_command *cmd = &u->exec_stop_post[s->control_index++];

		if (service_exec_control(s, cmd, &cause) == 0) {
			service_timer_start(s, SERVICE_TIMER_STOP_POST, u->timeout_stop_usec);
			return;
		}
		log_warnx("%s: ExecStopPost=%s: %s", service_name(s), cmd->path, cause);
		free(cause);
		cause = NULL;
	}
	s->control = SERVICE_CONTROL_NONE;
	service_timer_stop(s);
	service_enter_dead(s);
}

static void
service_enter_stop_post(struct service *s)
{
	if (s->unit->n_exec_stop_post == 0 || s->output == NULL) {
		service_enter_dead(s);
		return;
	}
	s->control = SERVICE_CONTROL_STOP_POST;
	s->control_index = 0;
	service_run_next_stop_post(s);
}

void
service_apply_pending_unit(struct service *s)
{
	if (s->pending_unit == NULL)
		return;
	unit_free(s->unit);
	s->unit = s->pending_unit;
	s->pending_unit = NULL;
	s->unit_generation++;
	if (s->log != NULL)
		logfile_set_limits(s->log, s->unit->log_max_bytes, s->unit->log_backups);
}


/* The service rests (stopped, exited, failed) and its cgroup is empty: give
 * back its descriptors (output pipe, log file, cgroup files), so that a
 * thousand configured services cost nothing while stopped.  The next start
 * makes them again. */
void
service_release_resources(struct service *s)
{
	bool empty = s->cg == NULL || !cgroup_is_populated(s->cg);

	if (s->output != NULL && empty) {
		s->closing_handles++;
		output_close(s->output, true, service_output_closed, s);
		s->output = NULL;
	}
	if (s->log != NULL)
		logfile_release_fd(s->log);
	if (s->cg != NULL) {
		/* With no process left the figures stay as they are (but for
		 * page cache the kernel reclaims): read them once for status. */
		s->rest_memory_known =
			empty && cgroup_memory_usage(s->cg, &s->rest_memory_current,
						     &s->rest_memory_peak) == 0;
		cgroup_release_fds(s->cg);
	}
}

/* Everything has stopped: restart, or rest in exited/stopped/failed. */
void
service_enter_dead(struct service *s)
{
	const struct unit *u = s->unit;
	bool manual = s->stop_requested;

	service_timer_stop(s);
	if (s->output != NULL)
		output_drain(s->output);
	if (s->removing) {
		service_finish_remove(s);
		return;
	}
	if (s->start_after_stop && !s->d->shutting_down) {
		s->start_after_stop = false;
		service_apply_pending_unit(s);
		s->n_restarts = 0;
		service_enter_start(s, false);
		return;
	}
	if (!s->d->shutting_down &&
	    restart_should(u, s->result, s->main_code, s->main_status, manual)) {
		uint64_t delay = restart_delay_usec(u->restart_usec, u->restart_steps,
						    u->restart_max_delay_usec, s->n_restarts + 1);
		char buf[32];

		log_info("%s: %s, restarting in %s (restart %u)", service_name(s),
			 service_result_name(s->result), fmt_usec(delay, buf, sizeof buf),
			 s->n_restarts + 1);
		service_set_state(s, SERVICE_AUTO_RESTART);
		service_timer_start(s, SERVICE_TIMER_RESTART, delay);
		return;
	}
	service_apply_pending_unit(s);
	service_release_resources(s);
	if (s->result != SERVICE_RESULT_SUCCESS) {
		log_warnx("%s: failed with result %s", service_name(s), service_result_name(s->result));
		service_set_state(s, SERVICE_FAILED);
	} else if (manual) {
		service_set_state(s, SERVICE_STOPPED);
	} else {
		service_set_state(s, SERVICE_EXITED);
	}
}

/* Create what a start needs once: log file, output pipe, cgroup; apply the
 * limits at every start, as the unit may have changed. */
/* Keep what `show` needs of the applied limits, compactly: a thousand
 * services would otherwise hold 3 KiB each of mostly empty paths, or
 * 1 KiB of copies of their cgroup's directory. */
static void
service_limits_keep(struct service *s, const struct cgroup_applied *a)
{
	service_limits_free(s);
	s->n_limits = a->n;
	for (int i = 0; i < a->n; i++) {
		const struct cgroup_applied_item *it = &a->items[i];
		struct service_limit *l = &s->limits[i];

		l->key = it->key;
		l->how = it->how;
		l->dir = it->dir;
		l->name = it->name;
		l->note = it->note[0] != '\0' ? xstrdup(it->note) : NULL;
	}
	s->applied_valid = true;
}

void
service_limits_free(struct service *s)
{
	for (int i = 0; i < s->n_limits; i++)
		free(s->limits[i].note);
	s->n_limits = 0;
}

int
service_prepare(struct service *s, char **cause)
{
	struct supd *d = s->d;
	const struct unit *u = s->unit;

	/* Processes are about to join the cgroup: status reads it live again. */
	s->rest_memory_known = false;
	if (s->log == NULL &&
	    (s->log = logfile_open(d->conf.log_dir, u->name, u->log_max_bytes, u->log_backups,
				   cause)) == NULL)
		return -1;
	if (s->output == NULL && (s->output = output_new(d->loop, s->log, d->fdholder, d->journal, u->name, cause)) == NULL)
		return -1;
	if (s->cg == NULL && d->cgroot != NULL) {
		if (cgroup_create(d->cgroot, u->name, &s->cg, cause) < 0)
			return -1;
		cgroup_set_owner(s->cg, s);
		if (d->cgwatch != NULL && cgwatch_add(d->cgwatch, s->cg) < 0)
			log_warnx("%s: cannot watch cgroup %s for OOM events", u->name,
				  cgroup_path(s->cg));
	}
	if (s->cg != NULL) {
		struct cgroup_limits lim = {
			.memory_min = u->memory_min,
			.memory_low = u->memory_low,
			.memory_high = u->memory_high,
			.memory_max = u->memory_max,
			.memory_swap_max = u->memory_swap_max,
			.min_set = u->memory_min_set,
			.low_set = u->memory_low_set,
			.high_set = u->memory_high_set,
			.max_set = u->memory_max_set,
			.swap_max_set = u->memory_swap_max_set,
			.oom_group = u->oom_policy == UNIT_OOM_KILL,
			.tasks_max = u->tasks_max,
			.tasks_max_set = u->tasks_max != UINT64_MAX,
		};
		struct cgroup_applied applied;
		bool first = !s->applied_valid;

		/* The limits stay in the cgroup between runs: write them again
		 * only when the unit changed (reload). */
		if (s->applied_generation == s->unit_generation + 1)
			return 0;
		if (cgroup_apply_limits(s->cg, &lim, &applied, cause) < 0)
			return -1;
		service_limits_keep(s, &applied);
		s->applied_generation = s->unit_generation + 1;
		/* Say once per service what could not be enforced as written. */
		for (int i = 0; first && i < applied.n; i++) {
			const struct cgroup_applied_item *it = &applied.items[i];

			if (it->how == CGROUP_NOT_ENFORCED || it->how == CGROUP_EMULATED)
				log_warnx("%s: %s= %s: %s", u->name, it->key,
					  it->how == CGROUP_EMULATED ? "emulated" : "not enforced",
					  it->note);
		}
	}
	return 0;
}

/* A start attempt could not even begin: resources result, Restart= decides. */
static void
service_start_failed(struct service *s, char *cause)
{
	log_errx("%s: cannot start: %s", service_name(s), cause);
	if (s->log != NULL)
		logfile_note(s->log, "supd: cannot start: %s", cause);
	free(s->error);
	s->error = cause;
	service_set_result(s, SERVICE_RESULT_RESOURCES);
	service_set_state(s, SERVICE_STOPPING);
	service_maybe_stopped(s);
}

static void
service_run_main(struct service *s)
{
	char *cause = NULL;

	s->control = SERVICE_CONTROL_NONE;
	if (service_exec_main(s, &cause) < 0) {
		service_start_failed(s, cause);
		return;
	}
	if (s->unit->type == UNIT_TYPE_SIMPLE)
		service_set_state(s, SERVICE_RUNNING);
	else
		service_set_state(s, SERVICE_STARTING);
}

static void
service_run_next_start_pre(struct service *s)
{
	const struct unit *u = s->unit;
	char *cause = NULL;

	if (s->control_index >= u->n_exec_start_pre) {
		service_run_main(s);
		return;
	}
	if (service_exec_control(s, &u->exec_start_pre[s->control_index++], &cause) < 0) {
		s->control = SERVICE_CONTROL_NONE;
		service_start_failed(s, cause);
	}
}

/* Start now.  Every start counts against the start limit, manual or not. */
void
service_enter_start(struct service *s, bool automatic)
{
	const struct unit *u = s->unit;
	char *cause = NULL;

	if (!start_limit_below(&s->start_limit, u->start_limit_interval_usec, u->start_limit_burst,
			       service_now_mono())) {
		log_warnx("%s: start request repeated too quickly (%u starts in %s), "
			  "not starting again until `supctl reset-failed %s`",
			  u->name, u->start_limit_burst,
			  fmt_usec(u->start_limit_interval_usec, (char[32]){0}, 32), u->name);
		s->result = SERVICE_RESULT_START_LIMIT_HIT;
		service_set_state(s, SERVICE_FAILED);
		return;
	}
	if (automatic)
		s->n_restarts++;
	s->result = SERVICE_RESULT_SUCCESS;
	s->stop_requested = false;
	s->final_kill_sent = false;
	s->main_code = s->main_status = 0;
	free(s->error);
	s->error = NULL;
	if (service_prepare(s, &cause) < 0) {
		service_start_failed(s, cause);
		return;
	}
	service_set_state(s, SERVICE_STARTING);
	s->control = u->n_exec_start_pre > 0 ? SERVICE_CONTROL_START_PRE : SERVICE_CONTROL_NONE;
	s->control_index = 0;
	service_run_next_start_pre(s);
}

void
service_run_queued_start(struct service *s)
{
	if (s->state != SERVICE_AUTO_RESTART || s->removing)
		return; /* stopped or started by hand meanwhile */
	service_apply_pending_unit(s);
	service_enter_start(s, true);
}

/* Type=exec: the main process has exec'd (its status pipe closed clean). */
void
service_exec_started(struct service *s, bool main)
{
	if (main && s->state == SERVICE_STARTING && s->unit->type == UNIT_TYPE_EXEC &&
	    !s->main_dead)
		service_set_state(s, SERVICE_RUNNING);
}

static void
service_main_exited(struct service *s, int code, int status)
{
	const struct unit *u = s->unit;
	enum service_result r;
	bool oom;

	s->main_dead = true;
	s->main_code = code;
	s->main_status = status;
	/* Re-read the OOM counter before classifying: the inotify/eventfd
	 * event may still be queued behind SIGCHLD. */
	if (s->cg != NULL && s->d->cgwatch != NULL)
		cgwatch_check_oom(s->d->cgwatch, s->cg);
	oom = s->oom_main;
	if (!oom && code == CLD_KILLED && status == SIGKILL && s->oom_unattributed_mono != 0 &&
	    service_now_mono() - s->oom_unattributed_mono < 2 * USEC_PER_SEC) {
		/* Killed right after an OOM kill we could not attribute then. */
		oom = true;
		s->oom_unattributed_mono = 0;
		service_oom_victim_was_main(s);
	}
	r = restart_classify_exit(u, code, status, oom);
	if (r == SERVICE_RESULT_EXIT_CODE && (u->exec_start.flags & EXEC_FLAG_IGNORE_FAILURE))
		r = SERVICE_RESULT_SUCCESS;
	if (code == CLD_EXITED)
		log_info("%s: main process %d exited, status=%d%s%s", u->name, (int)s->main_pid,
			 status, spawn_exit_status_name(status) ? "/" : "",
			 spawn_exit_status_name(status) ? spawn_exit_status_name(status) : "");
	else
		log_info("%s: main process %d killed by %s%s", u->name, (int)s->main_pid,
			 signal_name(status), r == SERVICE_RESULT_OOM_KILL ? " (OOM killer)" : "");
	if (r != SERVICE_RESULT_SUCCESS)
		service_set_result(s, r);
	if (s->state == SERVICE_STOPPING && u->kill_mode == UNIT_KILL_MIXED && !service_cgroup_empty(s))
		service_kill(s, SIGKILL, false);
	/* Oneshot that succeeded, or any exit: clean up what is left. */
	service_enter_cleanup(s);
}

/* An adopted main process exited: its status is unknown (only its parent
 * could know it), so the exit counts as an unclean exit code unless the
 * OOM killer was seen. */
void
service_adopted_main_exited(struct service *s)
{
	s->main_dead = true;
	s->main_code = s->main_status = 0;
	s->adopted = false;
	if (s->cg != NULL && s->d->cgwatch != NULL)
		cgwatch_check_oom(s->d->cgwatch, s->cg);
	/* During a stop supd itself began, the exit is the one it asked for. */
	if (s->oom_main)
		service_set_result(s, SERVICE_RESULT_OOM_KILL);
	else if (s->state != SERVICE_STOPPING)
		service_set_result(s, SERVICE_RESULT_EXIT_CODE);
	service_enter_cleanup(s);
}

static void
service_control_exited(struct service *s, int code, int status)
{
	const struct unit *u = s->unit;
	bool ok = code == CLD_EXITED && status == 0;

	s->control_pid = 0;
	if (s->control == SERVICE_CONTROL_START_PRE) {
		const struct exec_command *cmd = &u->exec_start_pre[s->control_index - 1];

		if (!ok && !(cmd->flags & EXEC_FLAG_IGNORE_FAILURE) && s->state == SERVICE_STARTING) {
			log_warnx("%s: ExecStartPre=%s failed (%s %d)", u->name, cmd->path,
				  code == CLD_EXITED ? "status" : "signal", status);
			s->main_code = code;
			s->main_status = status;
			service_set_result(s, code == CLD_EXITED ? SERVICE_RESULT_EXIT_CODE
								 : SERVICE_RESULT_SIGNAL);
			s->control = SERVICE_CONTROL_NONE;
			service_enter_cleanup(s);
			return;
		}
		if (s->state == SERVICE_STARTING) {
			service_run_next_start_pre(s);
			return;
		}
		/* Stopped while ExecStartPre= ran. */
		s->control = SERVICE_CONTROL_NONE;
		service_maybe_stopped(s);
		return;
	}
	if (s->control == SERVICE_CONTROL_STOP_POST) {
		if (!ok)
			log_warnx("%s: ExecStopPost=%s failed (%s %d)", u->name,
				  u->exec_stop_post[s->control_index - 1].path,
				  code == CLD_EXITED ? "status" : "signal", status);
		service_run_next_stop_post(s);
	}
}

/* The reaper found pid: is it ours?  Returns true if it was. */
bool
service_process_exited(struct service *s, pid_t pid, int code, int status)
{
	if (pid == s->main_pid && !s->main_dead) {
		service_main_exited(s, code, status);
		return true;
	}
	if (pid == s->control_pid) {
		service_control_exited(s, code, status);
		return true;
	}
	return false;
}

/* The cgroup may have emptied (cgroup.events, or any SIGCHLD). */
void
service_cgroup_maybe_empty(struct service *s)
{
	if (s->state == SERVICE_STOPPING)
		service_maybe_stopped(s);
}

static void
service_timer_cb(uv_timer_t *t)
{
	struct service *s = t->data;
	enum service_timer purpose = s->timer_purpose;

	s->timer_purpose = SERVICE_TIMER_NONE;
	switch (purpose) {
	case SERVICE_TIMER_NONE:
		break;
	case SERVICE_TIMER_RESTART:
		if (s->state == SERVICE_AUTO_RESTART)
			supd_queue_start(s->d, s);
		break;
	case SERVICE_TIMER_STOP_TIMEOUT:
		log_warnx("%s: still running %s after the stop signal, sending SIGKILL",
			  service_name(s), fmt_usec(s->unit->timeout_stop_usec, (char[32]){0}, 32));
		service_set_result(s, SERVICE_RESULT_TIMEOUT);
		s->final_kill_sent = true;
		if (s->control_pid > 0)
			kill(s->control_pid, SIGKILL);
		service_kill(s, SIGKILL, s->unit->kill_mode == UNIT_KILL_PROCESS);
		break;
	case SERVICE_TIMER_STOP_POST:
		if (s->control_pid > 0)
			kill(s->control_pid, SIGKILL);
		break;
	}
}
