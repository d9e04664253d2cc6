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

/*
 * Text built piece by piece: the cells of the status table, then the table
 * itself, written with one fwrite.  A thousand rows of nine cells through
 * asprintf and fprintf cost more than reading the reply.
 */
struct output_text {
	char *s;
	size_t len, cap;
};

static void
text_put(struct output_text *t, const char *s, size_t n)
{
	if (t->cap - t->len < n) {
		size_t cap = t->cap ? t->cap : 4096;

		while (cap - t->len < n)
			cap *= 2;
		t->s = xrealloc(t->s, cap);
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
}

static void
text_puts(struct output_text *t, const char *s)
{
	text_put(t, s, strlen(s));
}

static void
text_int(struct output_text *t, long long v)
{
	char digits[24], *d = digits + sizeof digits;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--d = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--d = '-';
	text_put(t, d, (size_t)(digits + sizeof digits - d));
}

static void
text_spaces(struct output_text *t, size_t n)
{
	static const char spaces[] = "                                ";

	for (; n > sizeof spaces - 1; n -= sizeof spaces - 1)
		text_put(t, spaces, sizeof spaces - 1);
	text_put(t, spaces, n);
}

static const char *
output_or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

static void
text_bytes(struct output_text *t, struct jsonr_int v)
{
	char buf[32];

	text_puts(t, v.set ? fmt_bytes((uint64_t)v.v, buf, sizeof buf) : "-");
}

/* The RESULT cell: "exit-code:1", "signal:SIGKILL", or the result. */
static void
output_result(struct output_text *t, const struct status_row *r)
{
	const char *result = output_or_dash(r->result);

	/* A service that never ran has no result worth showing. */
	if (r->state != NULL && strcmp(r->state, "bad-config") == 0) {
		text_puts(t, "-");
		return;
	}
	text_puts(t, result);
	if (strcmp(result, "exit-code") == 0 && r->exit_status.set) {
		text_puts(t, ":");
		text_int(t, r->exit_status.v);
	} else if ((strcmp(result, "signal") == 0 || strcmp(result, "core-dump") == 0) &&
		   r->signal != NULL) {
		text_puts(t, ":");
		text_puts(t, r->signal);
	}
}

/* "cur / max", "cur" without a limit, "cur (not enforced)" without a
 * memory controller. */
static void
output_memory(struct output_text *t, const struct status_row *r)
{
	text_bytes(t, r->mem_current);
	if (r->limits_enforced_set && !r->limits_enforced)
		text_puts(t, " (not enforced)");
	else if (r->mem_max.set) {
		text_puts(t, " / ");
		text_bytes(t, r->mem_max);
	}
}

static void
output_oom(struct output_text *t, const struct status_row *r)
{
	char ago[48];

	if (!r->oom_kills.set) {
		text_puts(t, "-");
		return;
	}
	text_int(t, r->oom_kills.v);
	if (r->oom_kills.v != 0) {
		text_puts(t, " (");
		text_puts(t, output_ago(r->last_oom, ago, sizeof ago));
		text_puts(t, ")");
	}
}

/* Whole seconds once past the first one: "3min 12s", "250ms". */
static void
output_uptime(struct output_text *t, uint64_t usec)
{
	char buf[64];

	if (usec >= 1000000)
		usec -= usec % 1000000;
	else if (usec >= 1000)
		usec -= usec % 1000;
	else {
		text_puts(t, "0s");
		return;
	}
	text_puts(t, fmt_usec(usec, buf, sizeof buf));
}

/* Where each cell of a row is in an output_text (NUL-terminated there). */
struct output_cells {
	size_t off[OUTPUT_COLS], len[OUTPUT_COLS];
};

/* An integer cell, "-" when unknown. */
static void
text_int_or_dash(struct output_text *t, struct jsonr_int v)
{
	if (v.set)
		text_int(t, v.v);
	else
		text_puts(t, "-");
}

static void
output_row(const struct status_row *r, struct output_text *t, struct output_cells *cells)
{
	for (int c = 0; c < OUTPUT_COLS; c++) {
		cells->off[c] = t->len;
		switch (c) {
		case 0: text_puts(t, output_or_dash(r->name)); break;
		case 1:
			text_puts(t, output_or_dash(r->state));
			if (r->pending_restart)
				text_puts(t, "*");
			break;
		case 2: text_int_or_dash(t, r->pid); break;
		case 3:
			if (r->uptime_usec.set)
				output_uptime(t, (uint64_t)r->uptime_usec.v);
			else
				text_puts(t, "-");
			break;
		case 4: text_int_or_dash(t, r->restarts); break;
		case 5: output_result(t, r); break;
		case 6: output_memory(t, r); break;
		case 7: text_bytes(t, r->mem_peak); break;
		case 8: output_oom(t, r); break;
		}
		cells->len[c] = t->len - cells->off[c];
		text_put(t, "", 1);
	}
}

/* A cell and the padding that fills its column, then the gutter. */
static void
output_cell(struct output_text *out, const char *s, size_t len, size_t width, const char *esc)
{
	/* Pad outside the escape codes so columns stay aligned. */
	if (esc != NULL)
		text_puts(out, esc);
	text_put(out, s, len);
	if (esc != NULL)
		text_puts(out, "\033[0m");
	text_spaces(out, width - len + 2);
}

void
output_status_table(FILE *f, const struct status_row *rows, size_t n, bool colour)
{
	static const char *head[OUTPUT_COLS] = {"NAME",   "STATE",  "PID",  "UPTIME", "RESTARTS",
						"RESULT", "MEMORY", "PEAK", "OOM"};
	struct output_cells *cells = xcalloc(n + 1, sizeof *cells);
	struct output_text text = {0}, out = {0};
	size_t w[OUTPUT_COLS];
	bool pending = false;

	for (int c = 0; c < OUTPUT_COLS; c++)
		w[c] = strlen(head[c]);
	for (size_t i = 0; i < n; i++) {
		output_row(&rows[i], &text, &cells[i]);
		pending |= rows[i].pending_restart;
		for (int c = 0; c < OUTPUT_COLS; c++)
			if (cells[i].len[c] > w[c])
				w[c] = cells[i].len[c];
	}
	for (int c = 0; c + 1 < OUTPUT_COLS; c++)
		output_cell(&out, head[c], strlen(head[c]), w[c], NULL);
	text_puts(&out, head[OUTPUT_COLS - 1]);
	text_puts(&out, "\n");
	for (size_t i = 0; i < n; i++) {
		const char *esc = output_state_colour(output_or_dash(rows[i].state), colour);

		for (int c = 0; c + 1 < OUTPUT_COLS; c++)
			output_cell(&out, text.s + cells[i].off[c], cells[i].len[c], w[c],
				    c == 1 ? esc : NULL);
		text_put(&out, text.s + cells[i].off[OUTPUT_COLS - 1], cells[i].len[OUTPUT_COLS - 1]);
		text_puts(&out, "\n");
	}
	if (pending)
		text_puts(&out, "* changed on disk: the new configuration applies at the next start\n");
	/* Why a service cannot run is too long for a column. */
	for (size_t i = 0; i < n; i++) {
		if (rows[i].error == NULL)
			continue;
		text_puts(&out, output_or_dash(rows[i].name));
		text_puts(&out, ": ");
		text_puts(&out, rows[i].error);
		text_puts(&out, "\n");
	}
	fwrite(out.s, 1, out.len, f);
	free(out.s);
	free(text.s);
	free(cells);
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
	struct output_text text = {0};
	struct output_cells where;
	struct status_row row;
	const char *cells[OUTPUT_COLS];
	char *s, ago[48];
	size_t i, kw = 0;

	status_row_from_json(svc, &row);
	output_row(&row, &text, &where);
	for (int c = 0; c < OUTPUT_COLS; c++)
		cells[c] = text.s + where.off[c];
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
	free(text.s);

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
