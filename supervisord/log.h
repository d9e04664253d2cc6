/*
 * log.h - supd's own log: one line per event on stderr (or a file), with a
 * level and a timestamp.  The *x variants do not append strerror(errno).
 * fatal()/fatalx() are for start-up only; once the loop runs, errors are
 * reported and survived.
 */
#ifndef SUPD_LOG_H
#define SUPD_LOG_H

#include <stdarg.h>

enum log_level { LOG_LEVEL_ERR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_init(const char *progname, enum log_level max_level);
void log_set_level(enum log_level max_level);
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_errx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
