/*
 * logfile.c - a service's output log: LOGDIR/NAME.log with one
 * "2026-11-23T11:05:50.123Z text" line per line of output, rotated by size
 * to NAME.log.1 ... NAME.log.N.  Writes are synchronous write(2)s on an
 * O_APPEND descriptor (regular files never block the loop for long); a
 * write that fails drops the line and counts it, and the count is written
 * before the next line that makes it to disk.
 */
#include "logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "proto.h"
#include "strutil.h"

struct logfile_sub {
	struct logfile *lf;
	void (*cb)(const char *line, size_t len, void *data);
	void *data;
	bool dead; /* unsubscribed while lines were being delivered */
	struct logfile_sub *next;
};

struct logfile {
	char *dir;
	char *name;
	char *path;
	int fd; /* -1: (re)open on the next write */
	uint64_t max_bytes; /* 0: never rotate */
	unsigned backups;

	uint64_t dropped;      /* lines lost since open */
	uint64_t drop_pending; /* lines lost and not yet reported in the file */
	int drop_errno;
	bool need_newline; /* a failed write left half a line in the file */
	uint64_t size;     /* bytes in the file, as far as supd wrote them */
	uint64_t ino;      /* the file's inode when size was learnt */
	void (*rotate_hook)(void *data, uint64_t ino, uint64_t size);
	void *rotate_data;
	bool in_batch;     /* between logfile_batch(true) and (false) */
	bool opened_once;  /* a later missing directory was removed under us */
	bool checked;      /* the file was fstat'ed in this batch */
	bool warned;       /* supd's own log already has a warning about this */

	struct logfile_sub *subs;
	int delivering;
};

#define LOGFILE_TS_LEN 25 /* "2026-11-23T11:05:50.123Z " */
#define LOGFILE_TAIL_CHUNK 8192

static int
logfile_reopen(struct logfile *lf)
{
	if (lf->fd != -1) {
		close(lf->fd);
		lf->fd = -1;
	}
	lf->fd = open(lf->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (lf->fd == -1 && errno == ENOENT) {
		if (lf->opened_once)
			log_warnx("log %s: directory %s was removed; recreating it", lf->name,
				  lf->dir);
		int r = mkdir_parents(lf->dir, 0755);

		if (r < 0) {
			errno = -r;
			return -1;
		}
		lf->fd = open(lf->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	}
	if (lf->fd != -1)
		lf->opened_once = true;
	return lf->fd == -1 ? -1 : 0;
}

struct logfile *
logfile_open(const char *dir, const char *name, uint64_t max_bytes, unsigned backups,
	     char **cause)
{
	struct logfile *lf = xcalloc(1, sizeof *lf);

	lf->dir = xstrdup(dir);
	lf->name = xstrdup(name);
	lf->path = xasprintf("%s/%s.log", dir, name);
	lf->fd = -1;
	lf->max_bytes = max_bytes;
	lf->backups = backups;
	if (logfile_reopen(lf) == -1) {
		*cause = xasprintf("cannot open log file %s: %s", lf->path, strerror(errno));
		logfile_close(lf);
		return NULL;
	}
	return lf;
}

void
logfile_close(struct logfile *lf)
{
	struct logfile_sub *sub, *next;

	if (lf == NULL)
		return;
	/* Followers learn that no more lines will come before the log goes. */
	lf->delivering++;
	for (sub = lf->subs; sub != NULL; sub = sub->next)
		if (!sub->dead)
			sub->cb(NULL, 0, sub->data);
	for (sub = lf->subs; sub != NULL; sub = next) {
		next = sub->next;
		free(sub);
	}
	if (lf->fd != -1)
		close(lf->fd);
	free(lf->dir);
	free(lf->name);
	free(lf->path);
	free(lf);
}

void
logfile_set_limits(struct logfile *lf, uint64_t max_bytes, unsigned backups)
{
	lf->max_bytes = max_bytes;
	lf->backups = backups;
}

const char *
logfile_path(const struct logfile *lf)
{
	return lf->path;
}

uint64_t
logfile_dropped(const struct logfile *lf)
{
	return lf->dropped;
}

static void
logfile_timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char sec[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(sec, sizeof sec, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%.19s.%03dZ ", sec, (int)((ts.tv_nsec / 1000000) % 1000));
}

/* Shift NAME.log.i to NAME.log.i+1 and start an empty NAME.log. */
static int
logfile_rotate(struct logfile *lf)
{
	char *from, *to;

	if (lf->backups == 0) {
		if (ftruncate(lf->fd, 0) == -1)
			return -1;
		return 0;
	}
	for (unsigned i = lf->backups; i >= 1; i--) {
		from = i == 1 ? xstrdup(lf->path) : xasprintf("%s.%u", lf->path, i - 1);
		to = xasprintf("%s.%u", lf->path, i);
		if (rename(from, to) == -1 && errno != ENOENT)
			log_warn("log %s: rename %s to %s", lf->name, from, to);
		free(from);
		free(to);
	}
	return logfile_reopen(lf);
}

/* Open the file if needed and learn its size: once per line, or once per
 * batch (a chunk of a service's output: a flood would otherwise cost an
 * fstat(2) per line).  0 or an errno value. */
static int
logfile_check(struct logfile *lf)
{
	struct stat st;

	if (lf->fd == -1) {
		if (logfile_reopen(lf) == -1)
			return errno;
		lf->checked = false;
	}
	if (lf->in_batch && lf->checked)
		return 0;
	if (fstat(lf->fd, &st) == -1)
		return errno;
	/* Writing on into an unlinked inode would lose everything unseen. */
	if (st.st_nlink == 0) {
		log_warnx("log %s: %s was removed; recreating it", lf->name, lf->path);
		if (logfile_reopen(lf) == -1 || fstat(lf->fd, &st) == -1)
			return errno;
	}
	/* Someone may have truncated it (logrotate's copytruncate). */
	lf->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	lf->ino = (uint64_t)st.st_ino;
	lf->checked = true;
	return 0;
}

/* Write one timestamped line; returns 0 or an errno value. */
static int
logfile_write_entry(struct logfile *lf, const char *ts, const char *text, size_t len)
{
	size_t total, done = 0;
	char *buf, *p;
	ssize_t w;
	int r = 0;

	if ((r = logfile_check(lf)) != 0)
		return r;
	total = (lf->need_newline ? 1 : 0) + LOGFILE_TS_LEN + len + 1;
	if (lf->max_bytes > 0 && lf->size > 0 && lf->size + total > lf->max_bytes) {
		if (lf->rotate_hook != NULL)
			lf->rotate_hook(lf->rotate_data, lf->ino, lf->backups > 0 ? lf->size : 0);
		if (logfile_rotate(lf) == -1)
			return errno;
		/* The new file's size and inode (a later rotation in this batch
		 * is recorded with them). */
		lf->checked = false;
		if ((r = logfile_check(lf)) != 0)
			return r;
	}
	/* One buffer, so one write(2) appends the whole line atomically. */
	p = buf = xmalloc(total);
	if (lf->need_newline)
		*p++ = '\n';
	memcpy(p, ts, LOGFILE_TS_LEN);
	memcpy(p + LOGFILE_TS_LEN, text, len);
	p[LOGFILE_TS_LEN + len] = '\n';
	while (done < total) {
		w = write(lf->fd, buf + done, total - done);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			r = w == 0 ? EIO : errno;
			break;
		}
		done += (size_t)w;
	}
	free(buf);
	lf->size += done;
	if (r != 0) {
		if (done > 0)
			lf->need_newline = true;
		return r;
	}
	lf->need_newline = false;
	return 0;
}

static void
logfile_drop(struct logfile *lf, int err)
{
	lf->dropped++;
	lf->drop_pending++;
	lf->drop_errno = err;
	/* Reopen on the next write: the disk may be back, or the file gone. */
	if (lf->fd != -1) {
		close(lf->fd);
		lf->fd = -1;
	}
	if (!lf->warned) {
		log_warnx("log %s: cannot write %s: %s; dropping lines", lf->name, lf->path,
			  strerror(err));
		lf->warned = true;
	}
}

static void
logfile_deliver(struct logfile *lf, const char *ts, const char *text, size_t len)
{
	struct logfile_sub *sub, **pp;
	char *line;

	if (lf->subs == NULL)
		return;
	line = xmalloc(LOGFILE_TS_LEN + len + 1);
	memcpy(line, ts, LOGFILE_TS_LEN);
	memcpy(line + LOGFILE_TS_LEN, text, len);
	line[LOGFILE_TS_LEN + len] = '\0';
	lf->delivering++;
	for (sub = lf->subs; sub != NULL; sub = sub->next)
		if (!sub->dead)
			sub->cb(line, LOGFILE_TS_LEN + len, sub->data);
	lf->delivering--;
	free(line);
	if (lf->delivering > 0)
		return;
	for (pp = &lf->subs; *pp != NULL;) {
		sub = *pp;
		if (sub->dead) {
			*pp = sub->next;
			free(sub);
		} else
			pp = &sub->next;
	}
}

static void
logfile_emit(struct logfile *lf, const char *text, size_t len)
{
	char ts[LOGFILE_TS_LEN + 8];
	char *note;
	int r;

	logfile_timestamp(ts, sizeof ts);
	if (lf->drop_pending > 0) {
		note = xasprintf("supd: %llu lines dropped (%s)",
				 (unsigned long long)lf->drop_pending, strerror(lf->drop_errno));
		r = logfile_write_entry(lf, ts, note, strlen(note));
		if (r == 0) {
			log_warnx("log %s: writing again; %llu lines were dropped", lf->name,
				  (unsigned long long)lf->drop_pending);
			lf->drop_pending = 0;
			lf->warned = false;
			logfile_deliver(lf, ts, note, strlen(note));
		}
		free(note);
		if (r != 0) {
			logfile_drop(lf, r);
			return;
		}
	}
	if ((r = logfile_write_entry(lf, ts, text, len)) != 0) {
		logfile_drop(lf, r);
		return;
	}
	logfile_deliver(lf, ts, text, len);
}

void
logfile_write_line(struct logfile *lf, const char *line, size_t len)
{
	logfile_emit(lf, line, len);
}

void
logfile_note(struct logfile *lf, const char *fmt, ...)
{
	va_list ap;
	char *msg, *full, *p, *nl;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1) {
		va_end(ap);
		return;
	}
	va_end(ap);
	/* A multi-line note (memory.stat excerpts) stays one entry per line. */
	for (p = msg;; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		full = strncmp(p, "supd: ", 6) == 0 ? xstrdup(p) : xasprintf("supd: %s", p);
		logfile_emit(lf, full, strlen(full));
		free(full);
		if (nl == NULL || nl[1] == '\0')
			break;
	}
	free(msg);
}

struct logfile_sub *
logfile_subscribe(struct logfile *lf, void (*cb)(const char *line, size_t len, void *data),
		  void *data)
{
	struct logfile_sub *sub = xcalloc(1, sizeof *sub);

	sub->lf = lf;
	sub->cb = cb;
	sub->data = data;
	sub->next = lf->subs;
	lf->subs = sub;
	return sub;
}

void
logfile_unsubscribe(struct logfile_sub *sub)
{
	struct logfile *lf = sub->lf;
	struct logfile_sub **pp;

	if (lf->delivering > 0) {
		sub->dead = true;
		return;
	}
	for (pp = &lf->subs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == sub) {
			*pp = sub->next;
			break;
		}
	}
	free(sub);
}

/*
 * The last n lines of path, at most max_bytes of them, appended to out in
 * file order.  *whole says whether the file's first line was reached.
 * Returns the number of lines, 0 for a missing file, or -1.
 */
static int
logfile_tail_file(const char *path, unsigned n, size_t max_bytes, struct strv *out, bool *whole)
{
	char chunk[LOGFILE_TAIL_CHUNK], *buf, *p, *nl;
	off_t end, pos, start = 0;
	unsigned found = 0;
	bool cut = false;
	struct stat st;
	ssize_t r;
	int fd, count = 0;
	size_t len, got = 0;

	*whole = true;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) == -1 || st.st_size == 0 || n == 0) {
		*whole = n > 0;
		close(fd);
		return 0;
	}
	end = st.st_size;
	if (pread(fd, chunk, 1, end - 1) == 1 && chunk[0] == '\n')
		end--;
	/* Walk back from the end counting newlines; only the tail is read. */
	for (pos = end; pos > 0 && found < n;) {
		size_t want = (size_t)(pos < (off_t)sizeof chunk ? pos : (off_t)sizeof chunk);

		r = pread(fd, chunk, want, pos - (off_t)want);
		if (r != (ssize_t)want) {
			close(fd);
			return -1;
		}
		for (size_t i = want; i-- > 0;) {
			if (chunk[i] == '\n' && ++found == n) {
				start = pos - (off_t)want + (off_t)i + 1;
				*whole = false;
				break;
			}
		}
		pos -= (off_t)want;
		if (found < n && end - pos > (off_t)max_bytes)
			break;
	}
	if (end - start > (off_t)max_bytes) {
		start = end - (off_t)max_bytes;
		*whole = false;
		cut = true;
	}
	len = (size_t)(end - start);
	buf = xmalloc(len + 1);
	while (got < len) {
		r = pread(fd, buf + got, len - got, start + (off_t)got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	p = buf;
	/* Cut by bytes: the first line is partial, drop it. */
	if (cut && (nl = memchr(buf, '\n', got)) != NULL)
		p = nl + 1;
	while (p <= buf + got) {
		nl = memchr(p, '\n', (size_t)(buf + got - p));
		strv_push_take(out, xstrndup(p, nl != NULL ? (size_t)(nl - p) : (size_t)(buf + got - p)));
		count++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(buf);
	return count;
}

static json_t *
logfile_tail_common(const char *path, unsigned n)
{
	struct strv cur = {0}, old = {0};
	size_t bytes = 0;
	char *prev;
	bool whole;
	int got;
	json_t *arr = json_array();

	if (n > PROTO_MAX_LOG_LINES)
		n = PROTO_MAX_LOG_LINES;
	got = logfile_tail_file(path, n, PROTO_MAX_LOG_BYTES, &cur, &whole);
	if (got < 0)
		got = 0;
	for (size_t i = 0; i < cur.n; i++)
		bytes += strlen(cur.v[i]) + 1;
	/* After a rotation the current file may be nearly empty. */
	if (whole && (unsigned)got < n && bytes < PROTO_MAX_LOG_BYTES) {
		prev = xasprintf("%s.1", path);
		(void)logfile_tail_file(prev, n - (unsigned)got, PROTO_MAX_LOG_BYTES - bytes, &old,
					&whole);
		free(prev);
	}
	for (size_t i = 0; i < old.n; i++)
		json_array_append_new(arr, proto_string(old.v[i], strlen(old.v[i])));
	for (size_t i = 0; i < cur.n; i++)
		json_array_append_new(arr, proto_string(cur.v[i], strlen(cur.v[i])));
	strv_clear(&cur);
	strv_clear(&old);
	return arr;
}

json_t *
logfile_tail(struct logfile *lf, unsigned n)
{
	return logfile_tail_common(lf->path, n);
}

json_t *
logfile_tail_path(const char *dir, const char *name, unsigned n)
{
	char *path = xasprintf("%s/%s.log", dir, name);
	json_t *arr = logfile_tail_common(path, n);

	free(path);
	return arr;
}

void
logfile_batch(struct logfile *lf, bool begin)
{
	lf->in_batch = begin;
	lf->checked = false;
}

void
logfile_set_rotate_hook(struct logfile *lf, void (*fn)(void *data, uint64_t ino, uint64_t size),
			void *data)
{
	lf->rotate_hook = fn;
	lf->rotate_data = data;
}

bool
logfile_position(struct logfile *lf, uint64_t *ino, uint64_t *size)
{
	if (logfile_check(lf) != 0)
		return false;
	*ino = lf->ino;
	*size = lf->size;
	return true;
}

void
logfile_cut(struct logfile *lf, uint64_t ino, uint64_t size, bool or_rotated)
{
	struct stat st;

	lf->checked = false;
	if (logfile_check(lf) != 0 || fstat(lf->fd, &st) == -1)
		return;
	/* A file begun by the rotation that was under way holds nothing else. */
	if ((uint64_t)st.st_ino != ino) {
		if (!or_rotated)
			return;
		size = 0;
	}
	if ((uint64_t)st.st_size <= size)
		return;
	if (ftruncate(lf->fd, (off_t)size) == -1) {
		log_warn("log %s: cutting back to %llu bytes", lf->name, (unsigned long long)size);
		return;
	}
	log_info("log %s: %llu bytes written by a supd that died before recording them "
		 "are written again", lf->name, (unsigned long long)((uint64_t)st.st_size - size));
	lf->size = size;
}

void
logfile_release_fd(struct logfile *lf)
{
	if (lf->fd != -1) {
		close(lf->fd);
		lf->fd = -1;
	}
}
