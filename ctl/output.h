/*
 * output.h - how supctl shows replies to a person: the status table, the
 * show report, colours (only on a terminal, never with NO_COLOR).
 */
#ifndef SUPCTL_OUTPUT_H
#define SUPCTL_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Decide once whether stdout gets colours. */
void output_init(void);
void output_status_table(FILE *f, json_t *services);
void output_show(FILE *f, json_t *service);
/* "5min ago" for an ISO-8601 UTC time, or "-". */
const char *output_ago(const char *iso, char *buf, size_t len);

#endif
