/*
 * diag.h - diagnostics collected while loading configuration: every error
 * and warning names the file, the line and the key ("conf.d/web.conf:12:
 * [Service] MemoryMax=: ...").  Loading never stops at the first error, so
 * `supd --check` and `reload` report them all.
 */
#ifndef SUPD_DIAG_H
#define SUPD_DIAG_H

#include <stdbool.h>
#include <stddef.h>

enum diag_severity { DIAG_WARNING, DIAG_ERROR };

struct diag {
	enum diag_severity severity;
	char *file; /* may be NULL for errors not tied to a file */
	int line;   /* 0 when not tied to a line */
	char *msg;  /* already prefixed with "[Section] Key=: " where relevant */
};

struct diag_list {
	struct diag *items;
	size_t n;
	size_t cap;
	size_t nerrors;
};

void diag_add(struct diag_list *dl, enum diag_severity sev, const char *file, int line,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Format one diagnostic as "file:line: error: msg" into a new string. */
char *diag_format(const struct diag *d);
void diag_move(struct diag_list *dst, struct diag_list *src);
void diag_clear(struct diag_list *dl);

#endif
