/*
 * service_status.c - the JSON views of a service for the control
 * protocol: `status` (runtime state, memory) and `show` (effective
 * settings with the file:line they came from, and the cgroup limits read
 * back from cgroupfs).  docs/protocol.md documents every field.
 * `status` is written as JSON text (jsonw.h), `show` builds on it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "cgroup.h"
#include "jsonw.h"
#include "logfile.h"
#include "service_internal.h"
#include "spawn.h"
#include "strutil.h"
#include "supd.h"
#include "unit.h"

/* A byte count, or null where unknown or unlimited (UINT64_MAX). */
static void
service_write_u64(struct jsonw *w, uint64_t v)
{
	if (v == UINT64_MAX)
		jsonw_null(w);
	else
		jsonw_int(w, (long long)v);
}

/* Two decimal digits of v at p. */
static void
service_put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* A CLOCK_REALTIME instant as "2026-11-23T11:05:50Z", null for 0.  By
 * hand, not strftime(): a status of a thousand services has a thousand. */
static void
service_write_time(struct jsonw *w, uint64_t realtime_usec)
{
	char buf[40] = "\"YYYY-MM-DDTHH:MM:SSZ\"";
	struct tm tm;
	time_t t;
	int year;

	if (realtime_usec == 0) {
		jsonw_null(w);
		return;
	}
	t = (time_t)(realtime_usec / USEC_PER_SEC);
	gmtime_r(&t, &tm);
	year = tm.tm_year + 1900;
	if (year < 0 || year > 9999) {
		strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
		jsonw_string(w, buf);
		return;
	}
	service_put2(buf + 1, year / 100);
	service_put2(buf + 3, year % 100);
	service_put2(buf + 6, tm.tm_mon + 1);
	service_put2(buf + 9, tm.tm_mday);
	service_put2(buf + 12, tm.tm_hour);
	service_put2(buf + 15, tm.tm_min);
	service_put2(buf + 18, tm.tm_sec);
	jsonw_raw(w, buf, 22);
}

/* False when supd has no memory controller at all, so that status does
 * not show a limit nobody enforces; partial mappings (v1 has no
 * memory.low) are detailed by `show`. */
static bool
service_limits_enforced(const struct service *s)
{
	return s->d->cgroot != NULL && cgroup_root_has_memory(s->d->cgroot);
}

/* Memory usage and peak now, UINT64_MAX where unknown.  A service at rest
 * shows the figures read when it came to rest (service_release_resources):
 * its cgroup holds no process, and a thousand stopped services must not
 * cost two opens and reads each. */
static void
service_memory_usage(struct service *s, uint64_t *current, uint64_t *peak)
{
	bool active = service_is_active(s);

	*current = *peak = UINT64_MAX;
	if (s->cg == NULL)
		return;
	if (!active && s->rest_memory_known) {
		*current = s->rest_memory_current;
		*peak = s->rest_memory_peak;
		return;
	}
	(void)cgroup_memory_usage(s->cg, current, peak);
	/* Descriptors are kept for running services only. */
	if (!active)
		cgroup_release_fds(s->cg);
}

static void
service_write_memory(struct service *s, struct jsonw *w)
{
	const struct unit *u = s->unit;
	uint64_t current, peak;

	service_memory_usage(s, &current, &peak);
	jsonw_lit(w, "{\"current\":");
	service_write_u64(w, current);
	jsonw_lit(w, ",\"peak\":");
	service_write_u64(w, peak);
	jsonw_lit(w, ",\"high\":");
	service_write_u64(w, u->memory_high);
	jsonw_lit(w, ",\"max\":");
	service_write_u64(w, u->memory_max);
	jsonw_lit(w, ",\"swap_max\":");
	service_write_u64(w, u->memory_swap_max);
	jsonw_lit(w, ",\"oom_kills\":");
	jsonw_int(w, (long long)s->oom_kills);
	jsonw_lit(w, ",\"last_oom\":");
	service_write_time(w, s->last_oom_usec);
	jsonw_lit(w, "}");
}

static void
service_write_oom_history(const struct service *s, struct jsonw *w)
{
	unsigned n = s->oom_history_n < SERVICE_OOM_HISTORY ? s->oom_history_n : SERVICE_OOM_HISTORY;

	jsonw_lit(w, "[");
	for (unsigned i = 0; i < n; i++) {
		const struct service_oom_event *ev =
			&s->oom_history[(s->oom_history_n - n + i) % SERVICE_OOM_HISTORY];

		if (i > 0)
			jsonw_lit(w, ",");
		jsonw_lit(w, "{\"time\":");
		service_write_time(w, ev->when_usec);
		jsonw_lit(w, ",\"current\":");
		service_write_u64(w, ev->current);
		jsonw_lit(w, ",\"peak\":");
		service_write_u64(w, ev->peak);
		if (ev->victim_main)
			jsonw_lit(w, ",\"victim\":\"main\"}");
		else
			jsonw_lit(w, ",\"victim\":\"other\"}");
	}
	jsonw_lit(w, "]");
}

/*
 * The status object, written directly as JSON text: building it as a
 * jansson tree (some thirty allocations per service) was most of the cost
 * of `status` at a thousand services.  The members and their order are
 * those of docs/protocol.md; service_status_json() reads this text back,
 * so `show` and job replies carry exactly the same fields.
 */
void
service_status_write(struct service *s, struct jsonw *w)
{
	const struct unit *u = s->unit;
	const char *code = service_exit_code_name(s->main_code);

	jsonw_lit(w, "{\"name\":");
	jsonw_string(w, u->name);
	jsonw_lit(w, ",\"description\":");
	jsonw_string(w, u->description);
	jsonw_lit(w, ",\"state\":");
	jsonw_string(w, service_state_name(s->state));
	jsonw_lit(w, ",\"pid\":");
	if (s->main_pid > 0 && !s->main_dead)
		jsonw_int(w, s->main_pid);
	else
		jsonw_null(w);
	jsonw_lit(w, ",\"restarts\":");
	jsonw_int(w, s->n_restarts);
	jsonw_lit(w, ",\"result\":");
	jsonw_string(w, service_result_name(s->result));
	jsonw_lit(w, ",\"exit_code\":");
	jsonw_string(w, code);
	if (s->main_code == CLD_EXITED) {
		jsonw_lit(w, ",\"exit_status\":");
		jsonw_int(w, s->main_status);
		jsonw_lit(w, ",\"exit_status_name\":");
		jsonw_string(w, spawn_exit_status_name(s->main_status));
		jsonw_lit(w, ",\"signal\":null");
	} else {
		jsonw_lit(w, ",\"exit_status\":null,\"exit_status_name\":null,\"signal\":");
		jsonw_string(w, code ? signal_name(s->main_status) : NULL);
	}
	jsonw_lit(w, ",\"since\":");
	service_write_time(w, s->since_usec);
	jsonw_lit(w, ",\"since_usec\":");
	jsonw_int(w, (long long)s->since_usec);
	jsonw_lit(w, ",\"uptime_usec\":");
	if (s->state == SERVICE_RUNNING && s->main_pid > 0)
		jsonw_int(w, (long long)(service_now_mono() - s->main_start_mono));
	else
		jsonw_null(w);
	jsonw_lit(w, ",\"error\":");
	jsonw_string(w, s->error);
	jsonw_lit(w, ",\"pending_restart\":");
	jsonw_bool(w, s->pending_unit != NULL);
	jsonw_lit(w, ",\"limits_enforced\":");
	jsonw_bool(w, service_limits_enforced(s));
	jsonw_lit(w, ",\"memory\":");
	service_write_memory(s, w);
	jsonw_lit(w, ",\"oom_events\":");
	service_write_oom_history(s, w);
	jsonw_lit(w, "}");
}

json_t *
service_status_json(struct service *s)
{
	struct jsonw w = {0};
	json_t *o;

	service_status_write(s, &w);
	o = json_loadb(w.buf, w.len, JSON_ALLOW_NUL, NULL);
	jsonw_free(&w);
	/* The text is valid JSON by construction; only memory can fail. */
	return o != NULL ? o : json_object();
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
		char now[64] = "", *file = NULL;

		/* The directory is the cgroup's: gone with it. */
		if (it->dir != NULL && s->cg != NULL)
			file = xasprintf("%s/%s", it->dir, it->name);
		json_object_set_new(e, "key", json_string(it->key));
		json_object_set_new(e, "how", json_string(service_enforce_name(it->how)));
		json_object_set_new(e, "file", file ? json_string(file) : json_null());
		/* Read back now, so the user sees what the kernel holds. */
		if (file != NULL && read_small_file(file, now, sizeof now) >= 0) {
			now[strcspn(now, "\n")] = '\0';
			json_object_set_new(e, "value", json_string(now));
		} else {
			json_object_set_new(e, "value", json_null());
		}
		json_object_set_new(e, "note", it->note ? json_string(it->note) : json_null());
		json_array_append_new(limits, e);
		free(file);
	}
	json_object_set_new(o, "limits", limits);
	json_object_set_new(o, "oom_policy", json_string(unit_oom_policy_name(u->oom_policy)));
	json_object_set_new(o, "log", s->log ? json_string(logfile_path(s->log)) : json_null());
	return o;
}
