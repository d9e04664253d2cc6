/*
 * status_reply.h - supctl's reader of `status` replies: for each service,
 * the fields the table shows, read straight from the JSON text (jsonr.h).
 *
 * jansson builds a tree of some thirty values per service, of which the
 * table uses a dozen; at a thousand services that tree was most of
 * supctl's time.  This reader keeps no tree: the strings the table shows
 * are copied out, the rest only checked.  It accepts
 * what jansson accepts, read as jansson reads it (escapes, UTF-8, the last
 * of duplicate keys), and refuses the rest; a reply it refuses, or that is
 * not a successful status, goes to jansson, which reports what is wrong.
 * Members it does not know are skipped (docs/protocol.md: clients ignore
 * new fields).
 */
#ifndef SUPCTL_STATUS_REPLY_H
#define SUPCTL_STATUS_REPLY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "jsonr.h"

/* One service.  Strings are NULL when the member is absent, null or not a
 * string; booleans are the member's value, false when not a boolean. */
struct status_row {
	const char *name, *state, *result, *signal, *error;
	struct jsonr_int pid, uptime_usec, restarts, exit_status;
	bool pending_restart;
	bool limits_enforced, limits_enforced_set; /* set: a boolean was there */
	/* "memory": {...} */
	struct jsonr_int mem_current, mem_max, mem_peak, oom_kills;
	const char *last_oom;
};

struct status_reply {
	struct jsonr_arena strings; /* what the rows point to */
	long long version; /* "v", 0 if absent */
	bool ok;
	struct status_row *rows;
	size_t n, cap;
};

/* Read a reply line of len bytes (it is left as it is).
 * 0, or -1 if it is not JSON jansson would accept or its "services" is not
 * an array of objects. */
int status_reply_parse(const char *line, size_t len, struct status_reply *out);
void status_reply_free(struct status_reply *r);
/* The same row from a jansson object (`show`); strings point into svc. */
void status_row_from_json(json_t *svc, struct status_row *row);

#endif
