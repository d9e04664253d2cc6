/*
 * service_status.c - the JSON views of a service for the control
 * protocol: `status` (runtime state, memory) and `show` (effective
 * settings with the file:line they came from, and the cgroup limits read
 * back from cgroupfs).  docs/protocol.md documents every field.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "cgroup.h"
#include "logfile.h"
#include "service_internal.h"
#include "spawn.h"
#include "strutil.h"
#include "supd.h"
#include "unit.h"

static json_t *
service_json_u64(uint64_t v)
{
	return v == UINT64_MAX ? json_null() : json_integer((json_int_t)v);
}

static json_t *
service_json_time(uint64_t realtime_usec)
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

/* False when supd has no memory controller at all, so that status does
 * not show a limit nobody enforces; partial mappings (v1 has no
 * memory.low) are detailed by `show`. */
static bool
service_limits_enforced(const struct service *s)
{
	return s->d->cgroot != NULL && cgroup_root_has_memory(s->d->cgroot);
}

static json_t *
service_memory_json(struct service *s)
{
	const struct unit *u = s->unit;
	struct cgroup_memory m;
	json_t *o = json_object();

	memset(&m, 0xff, sizeof m);
	if (s->cg != NULL) {
		(void)cgroup_memory_usage(s->cg, &m.current, &m.peak);
		/* Descriptors are kept for running services only. */
		if (!service_is_active(s))
			cgroup_release_fds(s->cg);
	}
	json_object_set_new(o, "current", service_json_u64(m.current));
	json_object_set_new(o, "peak", service_json_u64(m.peak));
	json_object_set_new(o, "high", service_json_u64(u->memory_high));
	json_object_set_new(o, "max", service_json_u64(u->memory_max));
	json_object_set_new(o, "swap_max", service_json_u64(u->memory_swap_max));
	json_object_set_new(o, "oom_kills", json_integer((json_int_t)s->oom_kills));
	json_object_set_new(o, "last_oom", service_json_time(s->last_oom_usec));
	return o;
}

static json_t *
service_oom_history_json(const struct service *s)
{
	json_t *a = json_array();
	unsigned n = s->oom_history_n < SERVICE_OOM_HISTORY ? s->oom_history_n : SERVICE_OOM_HISTORY;

	for (unsigned i = 0; i < n; i++) {
		const struct service_oom_event *ev =
			&s->oom_history[(s->oom_history_n - n + i) % SERVICE_OOM_HISTORY];
		json_t *o = json_object();

		json_object_set_new(o, "time", service_json_time(ev->when_usec));
		json_object_set_new(o, "current", service_json_u64(ev->current));
		json_object_set_new(o, "peak", service_json_u64(ev->peak));
		json_object_set_new(o, "victim", json_string(ev->victim_main ? "main" : "other"));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
service_status_json(struct service *s)
{
	const struct unit *u = s->unit;
	json_t *o = json_object();
	const char *code = service_exit_code_name(s->main_code);

	json_object_set_new(o, "name", json_string(u->name));
	json_object_set_new(o, "description", u->description ? json_string(u->description) : json_null());
	json_object_set_new(o, "state", json_string(service_state_name(s->state)));
	json_object_set_new(o, "pid", s->main_pid > 0 && !s->main_dead ? json_integer(s->main_pid)
								       : json_null());
	json_object_set_new(o, "restarts", json_integer(s->n_restarts));
	json_object_set_new(o, "result", json_string(service_result_name(s->result)));
	json_object_set_new(o, "exit_code", code ? json_string(code) : json_null());
	if (s->main_code == CLD_EXITED) {
		const char *name = spawn_exit_status_name(s->main_status);

		json_object_set_new(o, "exit_status", json_integer(s->main_status));
		json_object_set_new(o, "exit_status_name", name ? json_string(name) : json_null());
		json_object_set_new(o, "signal", json_null());
	} else {
		json_object_set_new(o, "exit_status", json_null());
		json_object_set_new(o, "exit_status_name", json_null());
		json_object_set_new(o, "signal", code ? json_string(signal_name(s->main_status))
						      : json_null());
	}
	json_object_set_new(o, "since", service_json_time(s->since_usec));
	json_object_set_new(o, "since_usec", json_integer((json_int_t)s->since_usec));
	json_object_set_new(o, "uptime_usec",
			    s->state == SERVICE_RUNNING && s->main_pid > 0
				    ? json_integer((json_int_t)(service_now_mono() - s->main_start_mono))
				    : json_null());
	json_object_set_new(o, "error", s->error ? json_string(s->error) : json_null());
	json_object_set_new(o, "pending_restart", json_boolean(s->pending_unit != NULL));
	json_object_set_new(o, "limits_enforced", json_boolean(service_limits_enforced(s)));
	json_object_set_new(o, "memory", service_memory_json(s));
	json_object_set_new(o, "oom_events", service_oom_history_json(s));
	return o;
}

static const char *
service_enforce_name(enum cgroup_enforce how)
{
	switch (how) {
	case CGROUP_ENFORCED: return "enforced";
	case CGROUP_EMULATED: return "emulated";
	case CGROUP_NOT_ENFORCED: return "not-enforced";
	case CGROUP_NOT_SET: return "not-set";
	}
	return "?";
}

json_t *
service_show_json(struct service *s)
{
	const struct unit *u = s->unit;
	json_t *o = service_status_json(s);
	json_t *settings = json_array(), *overridden = json_array(), *limits = json_array();
	json_t *dropins = json_array();

	json_object_set_new(o, "path", json_string(u->path));
	/* Only in show: a thousand long paths would double status's size. */
	json_object_set_new(o, "cgroup", s->cg ? json_string(cgroup_path(s->cg)) : json_null());
	for (char **p = u->dropins; p != NULL && *p != NULL; p++)
		json_array_append_new(dropins, json_string(*p));
	json_object_set_new(o, "dropins", dropins);
	for (size_t i = 0; i < u->n_settings; i++) {
		const struct unit_setting *st = &u->settings[i];
		json_t *e = json_object();

		json_object_set_new(e, "section", json_string(st->section));
		json_object_set_new(e, "key", json_string(st->key));
		json_object_set_new(e, "value", json_string(st->value));
		json_object_set_new(e, "file", json_string(st->file));
		json_object_set_new(e, "line", json_integer(st->line));
		json_array_append_new(unit_setting_in_effect(u, i) ? settings : overridden, e);
	}
	json_object_set_new(o, "settings", settings);
	/* Assignments a later one (a drop-in, usually) replaced or reset. */
	json_object_set_new(o, "overridden", overridden);
	for (int i = 0; s->applied_valid && i < s->n_limits; i++) {
		const struct service_limit *it = &s->limits[i];
		json_t *e = json_object();
		char now[64] = "";

		json_object_set_new(e, "key", json_string(it->key));
		json_object_set_new(e, "how", json_string(service_enforce_name(it->how)));
		json_object_set_new(e, "file", it->file ? json_string(it->file) : json_null());
		/* Read back now, so the user sees what the kernel holds. */
		if (it->file != NULL && read_small_file(it->file, now, sizeof now) >= 0) {
			now[strcspn(now, "\n")] = '\0';
			json_object_set_new(e, "value", json_string(now));
		} else {
			json_object_set_new(e, "value", json_null());
		}
		json_object_set_new(e, "note", it->note ? json_string(it->note) : json_null());
		json_array_append_new(limits, e);
	}
	json_object_set_new(o, "limits", limits);
	json_object_set_new(o, "oom_policy", json_string(unit_oom_policy_name(u->oom_policy)));
	json_object_set_new(o, "log", s->log ? json_string(logfile_path(s->log)) : json_null());
	return o;
}
