/*
 * status_reply.c - the fields of a `status` reply that supctl's table
 * shows, read from the JSON text without building a tree (status_reply.h),
 * by jsonr.h with jansson's rules: whatever it refuses, jansson would
 * refuse too, and supctl then lets jansson say why.
 */
#include "status_reply.h"

#include <stdlib.h>
#include <string.h>

#include "strutil.h"

static int
status_memory_member(struct jsonr *r, const char *key, size_t klen, void *ctx)
{
	struct status_row *row = ctx;

	if (JSONR_KEY_IS(key, klen, "current"))
		return jsonr_int(r, &row->mem_current);
	if (JSONR_KEY_IS(key, klen, "max"))
		return jsonr_int(r, &row->mem_max);
	if (JSONR_KEY_IS(key, klen, "peak"))
		return jsonr_int(r, &row->mem_peak);
	if (JSONR_KEY_IS(key, klen, "oom_kills"))
		return jsonr_int(r, &row->oom_kills);
	if (JSONR_KEY_IS(key, klen, "last_oom"))
		return jsonr_string(r, &row->last_oom);
	return jsonr_skip(r);
}

/* "memory": an object, or anything else (then its fields are unknown). */
static int
status_memory(struct jsonr *r, struct status_row *row)
{
	row->mem_current.set = row->mem_max.set = row->mem_peak.set = row->oom_kills.set = false;
	row->last_oom = NULL;
	if (jsonr_peek(r) == '{')
		return jsonr_object(r, status_memory_member, row);
	return jsonr_skip(r);
}

static int
status_service_member(struct jsonr *r, const char *key, size_t klen, void *ctx)
{
	struct status_row *row = ctx;

	switch (klen > 0 ? key[0] : '\0') {
	case 'e':
		if (JSONR_KEY_IS(key, klen, "error"))
			return jsonr_string(r, &row->error);
		if (JSONR_KEY_IS(key, klen, "exit_status"))
			return jsonr_int(r, &row->exit_status);
		break;
	case 'l':
		if (JSONR_KEY_IS(key, klen, "limits_enforced"))
			return jsonr_bool(r, &row->limits_enforced, &row->limits_enforced_set);
		break;
	case 'm':
		if (JSONR_KEY_IS(key, klen, "memory"))
			return status_memory(r, row);
		break;
	case 'n':
		if (JSONR_KEY_IS(key, klen, "name"))
			return jsonr_string(r, &row->name);
		break;
	case 'p':
		if (JSONR_KEY_IS(key, klen, "pid"))
			return jsonr_int(r, &row->pid);
		if (JSONR_KEY_IS(key, klen, "pending_restart"))
			return jsonr_bool(r, &row->pending_restart, NULL);
		break;
	case 'r':
		if (JSONR_KEY_IS(key, klen, "result"))
			return jsonr_string(r, &row->result);
		if (JSONR_KEY_IS(key, klen, "restarts"))
			return jsonr_int(r, &row->restarts);
		break;
	case 's':
		if (JSONR_KEY_IS(key, klen, "state"))
			return jsonr_string(r, &row->state);
		if (JSONR_KEY_IS(key, klen, "signal"))
			return jsonr_string(r, &row->signal);
		break;
	case 'u':
		if (JSONR_KEY_IS(key, klen, "uptime_usec"))
			return jsonr_int(r, &row->uptime_usec);
		break;
	}
	return jsonr_skip(r);
}

static int
status_service(struct jsonr *r, size_t index, void *ctx)
{
	struct status_reply *out = ctx;

	(void)index;
	if (jsonr_peek(r) != '{')
		return -1; /* not a service object: jansson's view shows it */
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 64;
		out->rows = xreallocarray(out->rows, out->cap, sizeof *out->rows);
	}
	memset(&out->rows[out->n], 0, sizeof out->rows[0]);
	if (jsonr_object(r, status_service_member, &out->rows[out->n]) == -1)
		return -1;
	out->n++;
	return 0;
}

static int
status_services(struct jsonr *r, struct status_reply *out)
{
	/* A repeated "services" member replaces the first, as in jansson. */
	out->n = 0;
	return jsonr_array(r, status_service, out);
}

static int
status_reply_member(struct jsonr *r, const char *key, size_t klen, void *ctx)
{
	struct status_reply *out = ctx;
	struct jsonr_int v;

	if (JSONR_KEY_IS(key, klen, "services"))
		return status_services(r, out);
	if (JSONR_KEY_IS(key, klen, "ok"))
		return jsonr_bool(r, &out->ok, NULL);
	if (JSONR_KEY_IS(key, klen, "v")) {
		if (jsonr_int(r, &v) == -1)
			return -1;
		out->version = v.set ? v.v : 0;
		return 0;
	}
	return jsonr_skip(r);
}

int
status_reply_parse(const char *line, size_t len, struct status_reply *out)
{
	struct jsonr r;

	memset(out, 0, sizeof *out);
	jsonr_init(&r, line, len, &out->strings);
	if (jsonr_object(&r, status_reply_member, out) == -1 || jsonr_end(&r) == -1) {
		status_reply_free(out);
		return -1;
	}
	return 0;
}

void
status_reply_free(struct status_reply *r)
{
	free(r->rows);
	jsonr_arena_free(&r->strings);
	memset(r, 0, sizeof *r);
}

static const char *
status_json_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static struct jsonr_int
status_json_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	struct jsonr_int i = {json_is_integer(v), json_integer_value(v)};

	return i;
}

void
status_row_from_json(json_t *svc, struct status_row *row)
{
	json_t *mem = json_object_get(svc, "memory");
	json_t *lim = json_object_get(svc, "limits_enforced");

	memset(row, 0, sizeof *row);
	row->name = status_json_str(svc, "name");
	row->state = status_json_str(svc, "state");
	row->result = status_json_str(svc, "result");
	row->signal = status_json_str(svc, "signal");
	row->error = status_json_str(svc, "error");
	row->pid = status_json_int(svc, "pid");
	row->uptime_usec = status_json_int(svc, "uptime_usec");
	row->restarts = status_json_int(svc, "restarts");
	row->exit_status = status_json_int(svc, "exit_status");
	row->pending_restart = json_is_true(json_object_get(svc, "pending_restart"));
	row->limits_enforced = json_is_true(lim);
	row->limits_enforced_set = json_is_boolean(lim);
	row->mem_current = status_json_int(mem, "current");
	row->mem_max = status_json_int(mem, "max");
	row->mem_peak = status_json_int(mem, "peak");
	row->oom_kills = status_json_int(mem, "oom_kills");
	row->last_oom = status_json_str(mem, "last_oom");
}
