/*
 * log.c - supd's own log on stderr: "2026-11-23T10:58:24.123Z supd[42]:
 * warning: ...".  When stderr is the journal or a file of the caller's
 * choosing, one line per event keeps it greppable.
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *log_progname = "supd";
static enum log_level log_max = LOG_LEVEL_INFO;

void
log_init(const char *progname, enum log_level max_level)
{
	log_progname = progname;
	log_max = max_level;
}

void
log_set_level(enum log_level max_level)
{
	log_max = max_level;
}

static void
log_vwrite(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	static const char *names[] = {"error: ", "warning: ", "", "debug: "};
	char msg[2048], line[2200], ts[32];
	struct timeval tv;
	struct tm tm;
	int n;

	if (level > log_max)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	if (n < 0)
		return;
	if (errnum != 0 && (size_t)n < sizeof msg)
		snprintf(msg + n, sizeof msg - (size_t)n, ": %s", strerror(errnum));
	/* One write per line so concurrent writers do not interleave; not
	 * dprintf, which sets up a stream each call (fstat, lseek and a heap
	 * buffer: four system calls more per line, on every restart). */
	n = snprintf(line, sizeof line, "%s.%03ldZ %s[%d]: %s%s\n", ts, (long)(tv.tv_usec / 1000),
		     log_progname, (int)getpid(), names[level], msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line) {
		n = sizeof line;
		line[n - 1] = '\n';
	}
	while (write(STDERR_FILENO, line, (size_t)n) == -1 && errno == EINTR)
		;
}

#define LOG_FN(name, level, with_errno)                                 \
	void name(const char *fmt, ...)                                 \
	{                                                               \
		int saved = errno;                                      \
		va_list ap;                                             \
		va_start(ap, fmt);                                      \
		log_vwrite(level, with_errno ? saved : 0, fmt, ap);     \
		va_end(ap);                                             \
		errno = saved;                                          \
	}

LOG_FN(log_err, LOG_LEVEL_ERR, 1)
LOG_FN(log_errx, LOG_LEVEL_ERR, 0)
LOG_FN(log_warn, LOG_LEVEL_WARN, 1)
LOG_FN(log_warnx, LOG_LEVEL_WARN, 0)
LOG_FN(log_info, LOG_LEVEL_INFO, 0)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERR, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
