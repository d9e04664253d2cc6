/*
 * diag.c - configuration diagnostics: a growable list of file:line
 * errors and warnings.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

void
diag_add(struct diag_list *dl, enum diag_severity sev, const char *file, int line,
	 const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (dl->n == dl->cap) {
		dl->cap = dl->cap ? dl->cap * 2 : 8;
		dl->items = xreallocarray(dl->items, dl->cap, sizeof *dl->items);
	}
	d = &dl->items[dl->n++];
	d->severity = sev;
	d->file = file ? xstrdup(file) : NULL;
	d->line = line;
	va_start(ap, fmt);
	if (vasprintf(&d->msg, fmt, ap) < 0)
		d->msg = xstrdup(fmt);
	va_end(ap);
	if (sev == DIAG_ERROR)
		dl->nerrors++;
}

char *
diag_format(const struct diag *d)
{
	const char *sev = d->severity == DIAG_ERROR ? "error" : "warning";

	if (d->file != NULL && d->line > 0)
		return xasprintf("%s:%d: %s: %s", d->file, d->line, sev, d->msg);
	if (d->file != NULL)
		return xasprintf("%s: %s: %s", d->file, sev, d->msg);
	return xasprintf("%s: %s", sev, d->msg);
}

void
diag_move(struct diag_list *dst, struct diag_list *src)
{
	for (size_t i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 8;
			dst->items = xreallocarray(dst->items, dst->cap, sizeof *dst->items);
		}
		dst->items[dst->n++] = src->items[i];
		if (src->items[i].severity == DIAG_ERROR)
			dst->nerrors++;
	}
	free(src->items);
	memset(src, 0, sizeof *src);
}

void
diag_clear(struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++) {
		free(dl->items[i].file);
		free(dl->items[i].msg);
	}
	free(dl->items);
	memset(dl, 0, sizeof *dl);
}
