/*
 * output.h - how supctl shows replies to a person: the status table, the
 * show report, colours (only on a terminal, never with NO_COLOR).
 */
#ifndef SUPCTL_OUTPUT_H
#define SUPCTL_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "status_reply.h"

/* Whether stdout gets colours: a terminal, and NO_COLOR unset or empty. */
bool output_want_colour(void);
/* The status table of n services (status_reply.h). */
void output_status_table(FILE *f, const struct status_row *rows, size_t n, bool colour);
void output_show(FILE *f, json_t *service, bool colour);
/* "5min ago" for an ISO-8601 UTC time, or "-". */
const char *output_ago(const char *iso, char *buf, size_t len);

#endif
