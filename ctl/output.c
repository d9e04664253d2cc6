/*
 * output.c - supctl's human-readable views of status and show replies.
 * Every field may be null (unknown) and is then shown as "-".
 */
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "strutil.h"

#define OUTPUT_COLS 9

bool
output_want_colour(void)
{
	const char *nc = getenv("NO_COLOR");

	/* https://no-color.org: any non-empty NO_COLOR turns colour off. */
	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}

static const char *
output_state_colour(const char *state, bool colour)
{
	if (!colour || state == NULL)
		return NULL;
	if (strcmp(state, "running") == 0)
		return "\033[32m";
	if (strcmp(state, "failed") == 0 || strcmp(state, "bad-config") == 0)
		return "\033[31m";
	if (strcmp(state, "auto-restart") == 0 || strcmp(state, "starting") == 0 ||
	    strcmp(state, "stopping") == 0)
		return "\033[33m";
	return NULL;
}

static const char *
output_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "-";
}

static char *
output_bytes(json_t *v)
{
	char buf[32];

	if (!json_is_integer(v))
		return xstrdup("-");
	return xstrdup(fmt_bytes((uint64_t)json_integer_value(v), buf, sizeof buf));
}

const char *
output_ago(const char *iso, char *buf, size_t len)
{
	struct tm tm;
	char *end, span[32];
	time_t t, now = time(NULL);

	memset(&tm, 0, sizeof tm);
	if (iso == NULL || (end = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	t = timegm(&tm);
	if (t > now)
		t = now;
	snprintf(buf, len, "%s ago", fmt_usec((uint64_t)(now - t) * 1000000, span, sizeof span));
	if (now == t)
		snprintf(buf, len, "just now");
	return buf;
}

/* The RESULT cell: "exit-code:1", "signal:SIGKILL", or the result. */
static char *
output_result(json_t *svc)
{
	const char *r = output_str(svc, "result");
	json_t *st = json_object_get(svc, "exit_status");

	/* A service that never ran has no result worth showing. */
	if (strcmp(output_str(svc, "state"), "bad-config") == 0)
		return xstrdup("-");
	if (strcmp(r, "exit-code") == 0 && json_is_integer(st))
		return xasprintf("%s:%lld", r, (long long)json_integer_value(st));
	if ((strcmp(r, "signal") == 0 || strcmp(r, "core-dump") == 0) &&
	    json_is_string(json_object_get(svc, "signal")))
		return xasprintf("%s:%s", r, output_str(svc, "signal"));
	return xstrdup(r);
}

static char *
output_memory(json_t *svc)
{
	json_t *mem = json_object_get(svc, "memory");
	char *cur, *max, *s;

	if (json_is_false(json_object_get(svc, "limits_enforced"))) {
		cur = output_bytes(json_object_get(mem, "current"));
		s = xasprintf("%s (not enforced)", cur);
		free(cur);
		return s;
	}
	cur = output_bytes(json_object_get(mem, "current"));
	max = output_bytes(json_object_get(mem, "max"));
	if (strcmp(max, "-") == 0)
		s = xstrdup(cur);
	else
		s = xasprintf("%s / %s", cur, max);
	free(cur);
	free(max);
	return s;
}

static char *
output_oom(json_t *svc)
{
	json_t *mem = json_object_get(svc, "memory");
	json_t *kills = json_object_get(mem, "oom_kills");
	char ago[48];

	if (!json_is_integer(kills))
		return xstrdup("-");
	if (json_integer_value(kills) == 0)
		return xstrdup("0");
	return xasprintf("%lld (%s)", (long long)json_integer_value(kills),
			 output_ago(json_string_value(json_object_get(mem, "last_oom")), ago,
				    sizeof ago));
}

/* Whole seconds once past the first one: "3min 12s", "250ms". */
static char *
output_uptime(uint64_t usec)
{
	char buf[64];

	if (usec >= 1000000)
		usec -= usec % 1000000;
	else if (usec >= 1000)
		usec -= usec % 1000;
	else
		return xstrdup("0s");
	return xstrdup(fmt_usec(usec, buf, sizeof buf));
}

static void
output_row(json_t *svc, char **cells)
{
	json_t *pid = json_object_get(svc, "pid"), *up = json_object_get(svc, "uptime_usec");
	json_t *restarts = json_object_get(svc, "restarts");
	const char *state = output_str(svc, "state");

	cells[0] = xstrdup(output_str(svc, "name"));
	if (json_is_true(json_object_get(svc, "pending_restart")))
		cells[1] = xasprintf("%s*", state);
	else
		cells[1] = xstrdup(state);
	cells[2] = json_is_integer(pid) ? xasprintf("%lld", (long long)json_integer_value(pid))
					: xstrdup("-");
	cells[3] = json_is_integer(up) ? output_uptime((uint64_t)json_integer_value(up))
				       : xstrdup("-");
	cells[4] = json_is_integer(restarts)
			   ? xasprintf("%lld", (long long)json_integer_value(restarts))
			   : xstrdup("-");
	cells[5] = output_result(svc);
	cells[6] = output_memory(svc);
	cells[7] = output_bytes(json_object_get(json_object_get(svc, "memory"), "peak"));
	cells[8] = output_oom(svc);
}

void
output_status_table(FILE *f, json_t *services, bool colour)
{
	static const char *head[OUTPUT_COLS] = {"NAME",   "STATE",  "PID",  "UPTIME", "RESTARTS",
						"RESULT", "MEMORY", "PEAK", "OOM"};
	size_t n = json_array_size(services), w[OUTPUT_COLS];
	char *(*rows)[OUTPUT_COLS] = xcalloc(n + 1, sizeof *rows);
	bool pending = false;

	for (int c = 0; c < OUTPUT_COLS; c++)
		w[c] = strlen(head[c]);
	for (size_t i = 0; i < n; i++) {
		json_t *svc = json_array_get(services, i);

		output_row(svc, rows[i]);
		pending |= json_is_true(json_object_get(svc, "pending_restart"));
		for (int c = 0; c < OUTPUT_COLS; c++)
			if (strlen(rows[i][c]) > w[c])
				w[c] = strlen(rows[i][c]);
	}
	for (int c = 0; c + 1 < OUTPUT_COLS; c++)
		fprintf(f, "%-*s  ", (int)w[c], head[c]);
	fprintf(f, "%s\n", head[OUTPUT_COLS - 1]);
	for (size_t i = 0; i < n; i++) {
		const char *esc =
			output_state_colour(output_str(json_array_get(services, i), "state"), colour);

		for (int c = 0; c < OUTPUT_COLS; c++) {
			/* Pad outside the escape codes so columns stay aligned. */
			if (c == 1 && esc != NULL)
				fprintf(f, "%s%s\033[0m%*s  ", esc, rows[i][c],
					(int)(w[c] - strlen(rows[i][c])), "");
			else if (c + 1 < OUTPUT_COLS)
				fprintf(f, "%-*s  ", (int)w[c], rows[i][c]);
			else
				fprintf(f, "%s\n", rows[i][c]);
			free(rows[i][c]);
		}
	}
	if (pending)
		fprintf(f, "* changed on disk: the new configuration applies at the next start\n");
	/* Why a service cannot run is too long for a column. */
	for (size_t i = 0; i < n; i++) {
		json_t *svc = json_array_get(services, i);

		if (json_is_string(json_object_get(svc, "error")))
			fprintf(f, "%s: %s\n", output_str(svc, "name"), output_str(svc, "error"));
	}
	free(rows);
}

static void
output_field(FILE *f, const char *label, const char *value)
{
	fprintf(f, "  %-10s %s\n", label, value);
}

void
output_show(FILE *f, json_t *svc, bool colour)
{
	json_t *v, *mem = json_object_get(svc, "memory");
	const char *esc = output_state_colour(output_str(svc, "state"), colour);
	char *cells[OUTPUT_COLS], *s, ago[48];
	size_t i, kw = 0;

	output_row(svc, cells);
	fprintf(f, "%s", cells[0]);
	if (json_is_string(json_object_get(svc, "description")))
		fprintf(f, " - %s", output_str(svc, "description"));
	fprintf(f, "\n");
	s = xasprintf("%s%s%s since %s", esc ? esc : "", output_str(svc, "state"),
		      esc ? "\033[0m" : "", output_str(svc, "since"));
	output_field(f, "State:", s);
	free(s);
	if (json_is_string(json_object_get(svc, "error")))
		output_field(f, "Error:", output_str(svc, "error"));
	s = xasprintf("%s, uptime %s, restarts %s", cells[2], cells[3], cells[4]);
	output_field(f, "PID:", s);
	free(s);
	output_field(f, "Result:", cells[5]);
	s = xasprintf("%s, peak %s, OOM kills %s", cells[6], cells[7], cells[8]);
	output_field(f, "Memory:", s);
	free(s);
	if (json_is_string(json_object_get(mem, "last_oom"))) {
		s = xasprintf("%s (%s)", output_str(mem, "last_oom"),
			      output_ago(output_str(mem, "last_oom"), ago, sizeof ago));
		output_field(f, "Last OOM:", s);
		free(s);
	}
	if (json_is_string(json_object_get(svc, "oom_policy")))
		output_field(f, "OOMPolicy:", output_str(svc, "oom_policy"));
	if (json_is_true(json_object_get(svc, "pending_restart")))
		output_field(f, "Pending:", "changed on disk; applies at the next start");
	output_field(f, "Unit:", output_str(svc, "path"));
	json_array_foreach(json_object_get(svc, "dropins"), i, v)
		output_field(f, i == 0 ? "Drop-ins:" : "", json_string_value(v));
	output_field(f, "Cgroup:", output_str(svc, "cgroup"));
	output_field(f, "Log:", output_str(svc, "log"));
	for (int c = 0; c < OUTPUT_COLS; c++)
		free(cells[c]);

	fprintf(f, "\nSettings (in effect, with where each was set):\n");
	json_array_foreach(json_object_get(svc, "settings"), i, v) {
		size_t len = strlen(output_str(v, "section")) + strlen(output_str(v, "key")) +
			     strlen(output_str(v, "value")) + 4;

		if (len > kw && len < 60)
			kw = len;
	}
	json_array_foreach(json_object_get(svc, "settings"), i, v) {
		s = xasprintf("[%s] %s=%s", output_str(v, "section"), output_str(v, "key"),
			      output_str(v, "value"));
		fprintf(f, "  %-*s  %s:%lld\n", (int)kw, s, output_str(v, "file"),
			(long long)json_integer_value(json_object_get(v, "line")));
		free(s);
	}

	v = json_object_get(svc, "limits");
	if (json_array_size(v) > 0) {
		json_t *l;

		fprintf(f, "\nLimits (read back from the cgroup filesystem now):\n");
		json_array_foreach(v, i, l) {
			fprintf(f, "  %-14s %-13s %s", output_str(l, "key"), output_str(l, "how"),
				output_str(l, "value"));
			if (json_is_string(json_object_get(l, "file")))
				fprintf(f, "  (%s)", output_str(l, "file"));
			if (json_is_string(json_object_get(l, "note")))
				fprintf(f, "  %s", output_str(l, "note"));
			fprintf(f, "\n");
		}
	}
}
