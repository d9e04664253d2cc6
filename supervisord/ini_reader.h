/*
 * ini_reader.h - feeds libinih (Debian 12's r55, via ini_parse_stream())
 * with logical lines: counts physical lines so handlers can name file:line,
 * joins systemd's trailing-backslash continuations, keeps ';' and '#'
 * inside values (libinih would cut at " ;"), stops indented lines from
 * being taken as configparser continuations, and rejects a logical line
 * longer than libinih can hold instead of letting it be truncated.
 */
#ifndef SUPD_INI_READER_H
#define SUPD_INI_READER_H

#include "diag.h"

/* Called once per "Key=Value" with the section, and the file:line where the
 * logical line started; and once per "[Section]" header with key and value
 * NULL, so that a handler can speak of a section at its header's line.
 * Return 0 to continue. */
typedef int (*ini_reader_handler)(void *user, const char *section, const char *key,
				  const char *value, const char *file, int line);

/* Parse one file.  Returns 0, or -errno if it cannot be opened; syntax
 * errors (bad section header, line without '=', over-long line) are added
 * to dl as errors with file:line. */
int ini_reader_parse_file(const char *path, ini_reader_handler handler, void *user,
			  struct diag_list *dl);
/* Same for an in-memory buffer (tests, fuzzing); name is used in messages. */
int ini_reader_parse_string(const char *name, const char *text, ini_reader_handler handler,
			    void *user, struct diag_list *dl);

#endif
