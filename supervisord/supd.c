/*
 * supd.c - the daemon: the table of services, the reaper, signals,
 * reload (all or nothing) and shutdown.
 *
 * supd is the only reaper of its children (it never calls uv_spawn, see
 * spawn.c), so a SIGCHLD drains waitpid(-1) and hands each pid to the
 * service that owns it; any other pid is an orphan re-parented to supd as
 * PID 1 or child subreaper, and is simply reaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "cgwatch.h"
#include "control.h"
#include "fdholder.h"
#include "log.h"
#include "service.h"
#include "state.h"
#include "strutil.h"
#include "supd.h"
#include "unit.h"

static int
supd_name_cmp(const void *key, const void *elem)
{
	return strcmp(key, service_name(*(struct service *const *)elem));
}

struct service *
supd_find_service(struct supd *d, const char *name)
{
	struct service **p = bsearch(name, d->services, d->n_services, sizeof *d->services,
				     supd_name_cmp);

	return p ? *p : NULL;
}

/* Inserted in place: sorting the whole array after each of a thousand
 * services took 3% of supd's start (perf). */
static void
supd_add_service(struct supd *d, struct service *s)
{
	const char *name = service_name(s);
	size_t lo = 0, hi = d->n_services;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(service_name(d->services[mid]), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	d->services = xreallocarray(d->services, d->n_services + 1, sizeof *d->services);
	memmove(d->services + lo + 1, d->services + lo, (d->n_services - lo) * sizeof *d->services);
	d->services[lo] = s;
	d->n_services++;
}

static void supd_finish(struct supd *d);

void
supd_service_gone(struct supd *d, struct service *s)
{
	for (size_t i = 0; i < d->n_services; i++)
		if (d->services[i] == s) {
			memmove(&d->services[i], &d->services[i + 1],
				(d->n_services - i - 1) * sizeof *d->services);
			d->n_services--;
			break;
		}
	if (d->shutting_down && d->n_services == 0)
		supd_finish(d);
}

static void
supd_reap_cb(uv_signal_t *h, int signum)
{
	(void)signum;
	supd_reap(h->data);
}

void
supd_reap(struct supd *d)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int code = WIFEXITED(status) ? CLD_EXITED
			   : WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
		int st = WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
		bool owned = false;

		/* A linear scan: a handful of pids per service, and exits are rare
		 * next to everything else a start costs. */
		for (size_t i = 0; i < d->n_services && !owned; i++)
			owned = service_process_exited(d->services[i], pid, code, st);
		if (!owned)
			log_debug("reaped orphan %d", (int)pid);
	}
	if (pid < 0 && errno != ECHILD)
		log_warn("waitpid");
	/* The last process of a cgroup is always a child of supd (it is the
	 * subreaper), so this is also where a v1-only cgroup is seen emptied. */
	for (size_t i = 0; i < d->n_services; i++)
		service_cgroup_maybe_empty(d->services[i]);
}

/* At most this many automatic restarts per loop turn: each costs a fork and
 * an exec (a millisecond or more), and the poll for the control socket comes
 * between turns. */
#define SUPD_STARTS_PER_TURN 4

static void
supd_start_idle_cb(uv_idle_t *h)
{
	struct supd *d = h->data;
	size_t n = d->n_start_queue < SUPD_STARTS_PER_TURN ? d->n_start_queue : SUPD_STARTS_PER_TURN;
	struct service *batch[SUPD_STARTS_PER_TURN];

	memcpy(batch, d->start_queue, n * sizeof *batch);
	memmove(d->start_queue, d->start_queue + n, (d->n_start_queue - n) * sizeof *d->start_queue);
	d->n_start_queue -= n;
	if (d->n_start_queue == 0)
		uv_idle_stop(&d->start_idle);
	for (size_t i = 0; i < n; i++)
		service_run_queued_start(batch[i]);
}

void
supd_queue_start(struct supd *d, struct service *s)
{
	if (d->n_start_queue == d->cap_start_queue) {
		d->cap_start_queue = d->cap_start_queue ? d->cap_start_queue * 2 : 16;
		d->start_queue = xreallocarray(d->start_queue, d->cap_start_queue,
					       sizeof *d->start_queue);
	}
	d->start_queue[d->n_start_queue++] = s;
	uv_idle_start(&d->start_idle, supd_start_idle_cb);
}

void
supd_dequeue_start(struct supd *d, struct service *s)
{
	for (size_t i = 0; i < d->n_start_queue; i++)
		if (d->start_queue[i] == s) {
			memmove(&d->start_queue[i], &d->start_queue[i + 1],
				(d->n_start_queue - i - 1) * sizeof *d->start_queue);
			d->n_start_queue--;
			i--;
		}
	if (d->n_start_queue == 0)
		uv_idle_stop(&d->start_idle);
}

static void
supd_oom_cb(struct cgroup *cg, uint64_t old_count, uint64_t new_count, void *data)
{
	struct service *s = cgroup_owner(cg);

	(void)data;
	if (s != NULL)
		service_oom(s, old_count, new_count);
}

static void
supd_maybe_empty_cb(struct cgroup *cg, void *data)
{
	struct service *s = cgroup_owner(cg);

	(void)data;
	if (s != NULL)
		service_cgroup_maybe_empty(s);
}

static void
supd_reload_log(struct supd *d)
{
	json_t *errors = NULL, *warnings = NULL;
	size_t i;
	json_t *v;

	if (supd_reload(d, &errors, &warnings) < 0) {
		log_warnx("reload refused, nothing changed:");
		json_array_foreach(errors, i, v)
			log_warnx("  %s", json_string_value(v));
	}
	json_decref(errors);
	json_decref(warnings);
}

static void
supd_signal_cb(uv_signal_t *h, int signum)
{
	struct supd *d = h->data;

	if (signum == SIGHUP) {
		log_info("SIGHUP: reloading %s", d->conf.conf_dir);
		supd_reload_log(d);
		return;
	}
	log_info("%s: stopping every service", strsignal(signum));
	supd_shutdown(d);
}

int
supd_signals_init(struct supd *d)
{
	static const struct {
		size_t off;
		int sig;
		uv_signal_cb cb;
	} sigs[] = {
		{offsetof(struct supd, sig_chld), SIGCHLD, supd_reap_cb},
		{offsetof(struct supd, sig_term), SIGTERM, supd_signal_cb},
		{offsetof(struct supd, sig_int), SIGINT, supd_signal_cb},
		{offsetof(struct supd, sig_pwr), SIGPWR, supd_signal_cb},
		{offsetof(struct supd, sig_hup), SIGHUP, supd_signal_cb},
	};

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		uv_signal_t *h = (uv_signal_t *)((char *)d + sigs[i].off);
		int r;

		uv_signal_init(d->loop, h);
		h->data = d;
		if ((r = uv_signal_start(h, sigs[i].cb, sigs[i].sig)) < 0) {
			log_errx("signal %d: %s", sigs[i].sig, uv_strerror(r));
			return -1;
		}
	}
	/* Whatever installed them (libuv, a sanitizer), a child resets these. */
	sigemptyset(&d->changed_signals);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;

		if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &sa) == 0 &&
		    sa.sa_handler != SIG_DFL)
			sigaddset(&d->changed_signals, sig);
	}
	uv_timer_init(d->loop, &d->shutdown_timer);
	d->shutdown_timer.data = d;
	uv_timer_init(d->loop, &d->state_timer);
	d->state_timer.data = d;
	uv_idle_init(d->loop, &d->start_idle);
	d->start_idle.data = d;
	uv_timer_init(d->loop, &d->reexec_timer);
	d->reexec_timer.data = d;
	return 0;
}

int
supd_cgroups_init(struct supd *d)
{
	static const struct cgwatch_callbacks cbs = {supd_oom_cb, supd_maybe_empty_cb};
	char *cause = NULL;

	if (cgroup_root_open(d->conf.cgroup_root, NULL, &d->cgroot, &cause) < 0) {
		log_warnx("cgroups unavailable (%s): services run without cgroups, "
			  "memory limits are not enforced, and a stop signals the main "
			  "process's group only", cause);
		free(cause);
		d->cgroot = NULL;
		return 0;
	}
	log_info("cgroups: %s", cgroup_root_describe(d->cgroot));
	if (!cgroup_root_has_memory(d->cgroot))
		log_warnx("no memory controller available to supd: Memory*= limits are "
			  "not enforced and OOM kills are not detected");
	d->conf.defaults.physical_memory = cgroup_root_memory_base(d->cgroot);
	d->cgwatch = cgwatch_new(d->loop, d->cgroot, &cbs, d);
	return 0;
}

/* Log configuration diagnostics; the level already says error/warning. */
void
supd_log_diags(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *g = &dl->items[i];
		void (*logf)(const char *, ...) = g->severity == DIAG_ERROR ? log_errx : log_warnx;

		if (g->file != NULL && g->line > 0)
			logf("%s:%d: %s", g->file, g->line, g->msg);
		else if (g->file != NULL)
			logf("%s: %s", g->file, g->msg);
		else
			logf("%s", g->msg);
	}
}

/* Load conf.d and create (not start) the services.  Bad units become
 * bad-config services; the others run. */
int
supd_load(struct supd *d)
{
	struct unit_set set = {0};
	struct diag_list dl = {0};
	json_t *saved;

	unit_set_load(d->conf.conf_dir, &d->conf.defaults, &set, &dl);
	supd_log_diags(&dl);
	diag_clear(&dl);
	for (size_t i = 0; i < set.n; i++)
		supd_add_service(d, service_new(d, set.units[i]));
	free(set.units);
	log_info("%zu services loaded from %s", d->n_services, d->conf.conf_dir);
	/* Take over what a previous supd (crashed, killed) left running. */
	if ((saved = state_read(d->conf.state_dir)) != NULL) {
		for (size_t i = 0; i < d->n_services; i++)
			service_state_restore(d->services[i],
					      state_saved_service(saved, service_name(d->services[i])));
		json_decref(saved);
	}
	return 0;
}

void
supd_start_all(struct supd *d)
{
	d->starting_all = true;
	for (size_t i = 0; i < d->n_services; i++) {
		struct service *s = d->services[i];
		char *cause = NULL;

		/* Not stopped: bad-config, or re-adopted from the state file. */
		if (service_state(s) != SERVICE_STOPPED || !service_unit(s)->auto_start)
			continue;
		if (service_start(s, &cause) < 0) {
			log_warnx("%s: %s", service_name(s), cause);
			free(cause);
		}
	}
	d->starting_all = false;
	spawner_batch_done(&d->spawner);
}

static json_t *
supd_diag_json(const struct diag_list *dl, enum diag_severity sev)
{
	json_t *a = json_array();

	for (size_t i = 0; i < dl->n; i++)
		if (dl->items[i].severity == sev) {
			char *m = diag_format(&dl->items[i]);
			json_array_append_new(a, json_string(m));
			free(m);
		}
	return a;
}

int
supd_reload(struct supd *d, json_t **errors, json_t **warnings)
{
	struct unit_set set = {0};
	struct diag_list dl = {0};
	struct daemon_conf conf;
	size_t added = 0, changed = 0, removed = 0;

	/* Defaults may change with supd.conf; paths and the socket need a restart. */
	daemon_conf_init(&conf, d->conf.defaults.physical_memory);
	if (d->conf_file != NULL)
		daemon_conf_load(&conf, d->conf_file, false, &dl);
	conf.defaults.physical_memory = d->conf.defaults.physical_memory;
	unit_set_load(d->conf.conf_dir, &conf.defaults, &set, &dl);
	*errors = supd_diag_json(&dl, DIAG_ERROR);
	*warnings = supd_diag_json(&dl, DIAG_WARNING);
	if (dl.nerrors > 0) {
		diag_clear(&dl);
		unit_set_free(&set);
		daemon_conf_free(&conf);
		return -1;
	}
	diag_clear(&dl);
	d->conf.defaults = conf.defaults;
	daemon_conf_free(&conf);

	/* Remove services whose files are gone. */
	for (size_t i = 0; i < d->n_services; i++) {
		struct service *s = d->services[i];
		bool found = false;

		for (size_t j = 0; j < set.n && !found; j++)
			found = strcmp(set.units[j]->name, service_name(s)) == 0;
		if (!found) {
			log_info("%s: removed from %s, stopping", service_name(s), d->conf.conf_dir);
			service_remove(s);
			removed++;
		}
	}
	for (size_t j = 0; j < set.n; j++) {
		struct unit *u = set.units[j];
		struct service *s = supd_find_service(d, u->name);

		if (s == NULL) {
			s = service_new(d, u);
			supd_add_service(d, s);
			added++;
			if (u->auto_start) {
				char *cause = NULL;
				if (service_start(s, &cause) < 0) {
					log_warnx("%s: %s", u->name, cause);
					free(cause);
				}
			}
		} else if (unit_equal(service_unit(s), u)) {
			unit_free(u);
		} else {
			service_set_pending_unit(s, u);
			changed++;
		}
	}
	free(set.units);
	log_info("reloaded: %zu added, %zu changed, %zu removed", added, changed, removed);
	return 0;
}

static void
supd_shutdown_timeout_cb(uv_timer_t *t)
{
	struct supd *d = t->data;

	log_warnx("shutdown: %zu services still have processes after their stop "
		  "timeouts; exiting anyway", d->n_services);
	uv_stop(d->loop);
}

void
supd_shutdown(struct supd *d)
{
	uint64_t longest = 0;

	if (d->shutting_down)
		return;
	d->shutting_down = true;
	for (size_t i = 0; i < d->n_services; i++) {
		const struct unit *u = service_unit(d->services[i]);
		if (u->timeout_stop_usec != UINT64_MAX && u->timeout_stop_usec > longest)
			longest = u->timeout_stop_usec;
	}
	/* Every stop ends in SIGKILL after its TimeoutStopSec; allow that plus
	 * time for the kernel to tear the processes down. */
	uv_timer_start(&d->shutdown_timer, supd_shutdown_timeout_cb, longest / 1000 + 10000, 0);
	uv_unref((uv_handle_t *)&d->shutdown_timer);
	/* service_remove may finish synchronously and shrink the table. */
	for (size_t i = d->n_services; i > 0; i--)
		if (i <= d->n_services)
			service_remove(d->services[i - 1]);
	if (d->n_services == 0)
		supd_finish(d);
}

static void
supd_cgwatch_closed(void *data)
{
	struct supd *d = data;

	d->cgwatch = NULL;
	if (d->cgroot != NULL) {
		cgroup_root_close(d->cgroot, true);
		d->cgroot = NULL;
	}
}

static void
supd_control_closed(void *data)
{
	struct supd *d = data;

	d->control = NULL;
}

#define SUPD_REEXEC_WAIT_MS 2000

/* All services are gone: close every handle so uv_run returns. */
static void
supd_finish(struct supd *d)
{
	if (d->cgwatch != NULL)
		cgwatch_close(d->cgwatch, supd_cgwatch_closed, d);
	else
		supd_cgwatch_closed(d);
	if (d->control != NULL)
		control_close(d->control, supd_control_closed, d);
	uv_close((uv_handle_t *)&d->sig_chld, NULL);
	uv_close((uv_handle_t *)&d->sig_term, NULL);
	uv_close((uv_handle_t *)&d->sig_int, NULL);
	uv_close((uv_handle_t *)&d->sig_pwr, NULL);
	uv_close((uv_handle_t *)&d->sig_hup, NULL);
	uv_close((uv_handle_t *)&d->shutdown_timer, NULL);
	uv_close((uv_handle_t *)&d->start_idle, NULL);
	uv_close((uv_handle_t *)&d->reexec_timer, NULL);
	free(d->start_queue);
	d->start_queue = NULL;
	d->n_start_queue = d->cap_start_queue = 0;
	uv_timer_stop(&d->state_timer);
	(void)state_write(d);
	if (d->fdholder != NULL) {
		fdholder_quit(d->fdholder);
		d->fdholder = NULL;
	}
	uv_close((uv_handle_t *)&d->state_timer, NULL);
	d->state_timer.data = NULL; /* no more writes */
	log_info("all services stopped");
}

/* The exec itself: the socket, the clients and (through the fd holder) the
 * output pipes stay open across it; the state file carries the rest. */
static void
supd_reexec_now(struct supd *d)
{
	int lfd = d->control != NULL ? control_listen_fd(d->control) : -1, cfd = -1;
	char buf[16], *cause = NULL;

	for (size_t i = 0; i < d->n_services; i++)
		service_flush_output(d->services[i]);
	(void)state_write(d);
	/* The next image reconnects; the holder keeps the pipes meanwhile. */
	if (d->fdholder != NULL) {
		fdholder_close(d->fdholder);
		d->fdholder = NULL;
	}
	if (lfd >= 0) {
		snprintf(buf, sizeof buf, "%d", lfd);
		if (fcntl(lfd, F_SETFD, 0) == 0)
			setenv("SUPD_LISTEN_FD", buf, 1);
		if ((cfd = control_handover_prepare(d->control)) >= 0) {
			snprintf(buf, sizeof buf, "%d", cfd);
			setenv("SUPD_CLIENTS_FD", buf, 1);
		}
	}
	execv(d->self_exe, d->argv);
	log_err("reexec: cannot execute %s; going on as before", d->self_exe);
	if (lfd >= 0)
		(void)fcntl(lfd, F_SETFD, FD_CLOEXEC);
	unsetenv("SUPD_LISTEN_FD");
	unsetenv("SUPD_CLIENTS_FD");
	if (d->control != NULL)
		control_handover_abort(d->control, cfd);
	if ((d->fdholder = fdholder_open(d->conf.state_dir, &cause)) == NULL) {
		log_warnx("reexec: cannot reconnect to the fd holder: %s", cause);
		free(cause);
	}
}

static void
supd_reexec_tick(uv_timer_t *t)
{
	struct supd *d = t->data;

	if (d->control != NULL && !control_handover_ready(d->control) &&
	    uv_now(d->loop) < d->reexec_deadline)
		return;
	uv_timer_stop(t);
	supd_reexec_now(d);
}

/* Clients first: reading stops, and the exec waits until every reply is
 * written (at most SUPD_REEXEC_WAIT_MS) so that none is cut short. */
void
supd_reexec(struct supd *d)
{
	if (d->shutting_down || uv_is_active((uv_handle_t *)&d->reexec_timer))
		return;
	log_info("re-executing %s; services keep running", d->self_exe);
	if (d->control != NULL)
		control_handover_begin(d->control);
	d->reexec_deadline = uv_now(d->loop) + SUPD_REEXEC_WAIT_MS;
	uv_timer_start(&d->reexec_timer, supd_reexec_tick, 0, 5);
}
