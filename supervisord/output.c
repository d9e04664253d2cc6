/*
 * output.c - read a service's output pipe and hand complete lines to its
 * logfile.  A line longer than OUTPUT_MAX_LINE is split, so one service
 * cannot make supd buffer without bound.
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fdholder.h"
#include "log.h"
#include "logfile.h"
#include "outjournal.h"
#include "strutil.h"

#define OUTPUT_MAX_LINE 16384
#define OUTPUT_READ_SIZE 65536
/* Room for a service's output while supd is away (restarting, crashed). */
#define OUTPUT_PIPE_SIZE (256 * 1024)
/* At most this much of one service's output per loop turn: libuv reads on
 * while the pipe has data, and a flood must not keep the loop from the
 * control socket, timers and exits.  The rest waits in the pipe. */
#define OUTPUT_BUDGET_PER_TURN (256 * 1024)

struct output {
	uv_poll_t poll;
	int read_fd;
	int write_fd;
	struct logfile *lf;
	struct fdholder *holder;
	struct outjournal *journal; /* NULL: plain reads, lost if supd dies */
	char *name;
	size_t turn_bytes;  /* read in the current loop turn */
	uv_check_t resume;  /* ends a turn's count; reads again after a pause */
	bool paused;
	int closing;        /* handles still closing */
	char *partial;      /* an unfinished line, allocated only while there is one */
	size_t partial_len;
	bool partial_saved; /* the journal may keep a partial line for us */
	bool journal_failed; /* warned: the last chunk went without the journal */
	size_t pos;         /* in the chunk being logged (partial first): next byte */
	size_t line_start;  /* ... and where the line being written began */
	void (*close_cb)(void *data);
	void *close_data;
};

/* Scratch space for plain reads (no journal): the loop is single-threaded
 * and each read is consumed at once, so one buffer serves every service. */
static char output_scratch[OUTPUT_READ_SIZE];

static void
output_flush_partial(struct output *o)
{
	logfile_write_line(o->lf, o->partial, o->partial_len);
	o->partial_len = 0;
	/* Idle services hold no line buffer: a thousand of them add up. */
	free(o->partial);
	o->partial = NULL;
}

static void
output_append_partial(struct output *o, const char *p, size_t n)
{
	while (n > 0) {
		size_t room = OUTPUT_MAX_LINE - o->partial_len;
		size_t c = n < room ? n : room;

		if (o->partial == NULL)
			o->partial = xmalloc(OUTPUT_MAX_LINE);

		memcpy(o->partial + o->partial_len, p, c);
		o->partial_len += c;
		o->pos += c;
		p += c;
		n -= c;
		if (o->partial_len == OUTPUT_MAX_LINE) {
			o->line_start = o->pos - o->partial_len;
			output_flush_partial(o);
		}
	}
}

/* Log the complete lines of p; keep an unfinished last one.  o->pos
 * follows, for the journal's record of a rotation in the middle. */
static void
output_consume(struct output *o, const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;

		if (o->partial_len == 0 && nl != NULL && take <= OUTPUT_MAX_LINE) {
			/* The common case: a whole line in the buffer, no copy. */
			o->line_start = o->pos;
			logfile_write_line(o->lf, p, take);
			o->pos += take;
		} else {
			output_append_partial(o, p, take);
			if (nl != NULL) {
				o->line_start = o->pos - o->partial_len;
				output_flush_partial(o);
			}
		}
		o->pos += nl != NULL;
		take += nl != NULL;
		p += take;
		n -= take;
	}
}

/* logfile: the log is rotated in the middle of a chunk. */
static void
output_rotating(void *data, uint64_t ino, uint64_t size)
{
	struct output *o = data;

	outjournal_progress(o->journal, ino, size, o->line_start);
}

/* A journal record of what o holds and, unless fd is -1, of up to max
 * bytes taken from the pipe into buf (outjournal_take). */
static ssize_t
output_record(struct output *o, int fd, char *buf, size_t max)
{
	uint64_t ino = 0, size = 0;

	/* Not knowing the position only means a recovery cannot cut. */
	if (!logfile_position(o->lf, &ino, &size))
		ino = size = 0;
	return outjournal_take(o->journal, fd, o->name, ino, size, o->partial, o->partial_len, buf,
			       max);
}

/* One chunk from the pipe, logged: through the journal (outjournal.h), or
 * by a plain read without one or when it fails (a full state directory
 * must not stop the service's output).  Returns the bytes taken, 0 when
 * the pipe is empty, -1 on an error. */
static ssize_t
output_take_chunk(struct output *o)
{
	bool had_partial = o->partial_len > 0 || o->partial_saved;
	bool journaled = o->journal != NULL;
	ssize_t n = -1;

	if (journaled) {
		int avail = 0;

		/* An empty pipe (every exit drains one) costs one system call,
		 * not a journal record written and cut away again. */
		if (ioctl(o->read_fd, FIONREAD, &avail) == 0 && avail == 0)
			return 0;
	}
	logfile_batch(o->lf, true);
	if (journaled) {
		o->pos = o->partial_len;
		if ((n = output_record(o, o->read_fd, output_scratch, sizeof output_scratch)) < 0) {
			if (!o->journal_failed)
				log_warn("%s: output journal; logging without it", o->name);
			o->journal_failed = true;
			journaled = false;
		} else
			o->journal_failed = false;
	}
	if (!journaled) {
		do
			n = read(o->read_fd, output_scratch, sizeof output_scratch);
		while (n == -1 && errno == EINTR);
		if (n == -1 && errno == EAGAIN)
			n = 0;
	}
	if (n > 0) {
		output_consume(o, output_scratch, (size_t)n);
		if (journaled) {
			outjournal_commit(o->journal, o->name, o->partial, o->partial_len, had_partial);
			o->partial_saved = o->partial_len > 0;
		}
	}
	logfile_batch(o->lf, false);
	return n;
}

/* Write out a pending partial line as a line of its own, journaled. */
void
output_flush(struct output *o)
{
	if (o->partial_len == 0)
		return;
	logfile_batch(o->lf, true);
	if (o->journal != NULL)
		(void)output_record(o, -1, NULL, 0);
	output_flush_partial(o);
	if (o->journal != NULL) {
		outjournal_commit(o->journal, o->name, NULL, 0, true);
		o->partial_saved = false;
	}
	logfile_batch(o->lf, false);
}

static void output_poll_cb(uv_poll_t *h, int status, int events);

/* After the poll phase of the turn that paused: read again next turn. */
static void
output_resume_cb(uv_check_t *h)
{
	struct output *o = h->data;

	uv_check_stop(h);
	o->turn_bytes = 0;
	if (o->paused) {
		o->paused = false;
		uv_poll_start(&o->poll, UV_READABLE, output_poll_cb);
	}
}

static void
output_poll_cb(uv_poll_t *h, int status, int events)
{
	struct output *o = h->data;
	ssize_t n = 0;

	(void)events;
	if (status < 0) {
		log_warnx("%s: watching the output pipe: %s", o->name, uv_strerror(status));
		uv_poll_stop(h);
		return;
	}
	while (o->turn_bytes < OUTPUT_BUDGET_PER_TURN && (n = output_take_chunk(o)) > 0)
		o->turn_bytes += (size_t)n;
	if (n < 0) {
		/* EOF cannot happen while supd holds the write end. */
		log_warn("%s: reading the output pipe", o->name);
		uv_poll_stop(h);
		return;
	}
	/* The check handle ends the turn's count (and resumes if paused). */
	uv_check_start(&o->resume, output_resume_cb);
	if (o->turn_bytes >= OUTPUT_BUDGET_PER_TURN) {
		uv_poll_stop(h);
		o->paused = true;
	}
}

/* Output a previous supd took from the pipe but did not finish logging,
 * and its unfinished line; fresh says the pipe is new (the old one and
 * its writers are gone), so that line is complete as it stands. */
static void
output_take_over(struct output *o, bool fresh)
{
	struct outjournal_left left;

	outjournal_claim(o->journal, o->name, &left);
	if (left.has_cut)
		logfile_cut(o->lf, left.log_ino, left.log_size, left.or_rotated);
	if (left.partial_len > 0) {
		size_t n = left.partial_len < OUTPUT_MAX_LINE ? left.partial_len : OUTPUT_MAX_LINE;

		o->partial = xmalloc(OUTPUT_MAX_LINE);
		memcpy(o->partial, left.partial, n);
		o->partial_len = n;
		o->partial_saved = true;
	}
	if (left.data_len > 0) {
		logfile_batch(o->lf, true);
		output_consume(o, left.data, left.data_len);
		logfile_batch(o->lf, false);
	}
	if (left.has_cut || left.partial_len > 0) {
		if (fresh)
			output_flush_partial(o);
		outjournal_commit(o->journal, o->name, o->partial, o->partial_len, o->partial_saved);
		o->partial_saved = o->partial_len > 0;
	}
	free(left.partial);
	free(left.data);
}

struct output *
output_new(uv_loop_t *loop, struct logfile *lf, struct fdholder *holder,
	   struct outjournal *journal, const char *name, char **cause)
{
	struct output *o = xcalloc(1, sizeof *o);
	bool fresh = false;
	int fds[2], r;

	if (holder == NULL || !fdholder_may_hold(holder) || fdholder_fetch(holder, name, fds) < 0) {
		if (pipe2(fds, O_CLOEXEC) == -1) {
			*cause = xasprintf("creating the output pipe: %s", strerror(errno));
			free(o);
			return NULL;
		}
		fresh = true;
		/* Best effort: the default 64 KiB also works, just blocks sooner. */
		(void)fcntl(fds[1], F_SETPIPE_SZ, OUTPUT_PIPE_SIZE);
		if (holder != NULL && (r = fdholder_store(holder, name, fds)) < 0)
			log_warnx("%s: the fd holder did not take the output pipe (%s); the "
				  "service's output would break if supd died",
				  name, strerror(-r));
	}
	o->read_fd = fds[0];
	o->write_fd = fds[1];
	o->lf = lf;
	o->holder = holder;
	o->journal = journal;
	o->name = xstrdup(name);
	r = fcntl(o->read_fd, F_SETFL, O_NONBLOCK) == -1 ? -errno : 0;
	if (r < 0 || (r = uv_poll_init(loop, &o->poll, o->read_fd)) < 0) {
		/* libuv's codes are negated errno values on Linux. */
		*cause = xasprintf("watching the output pipe: %s", strerror(-r));
		close(fds[0]);
		close(fds[1]);
		free(o->name);
		free(o);
		return NULL;
	}
	o->poll.data = o;
	uv_check_init(loop, &o->resume);
	o->resume.data = o;
	if (journal != NULL) {
		logfile_set_rotate_hook(lf, output_rotating, o);
		output_take_over(o, fresh);
	}
	if ((r = uv_poll_start(&o->poll, UV_READABLE, output_poll_cb)) < 0)
		log_warnx("%s: watching the output pipe: %s", name, uv_strerror(r));
	return o;
}

int
output_write_fd(const struct output *o)
{
	return o->write_fd;
}

static void
output_closed_cb(uv_handle_t *h)
{
	struct output *o = h->data;

	if (--o->closing > 0)
		return; /* the other handle is still closing */
	close(o->read_fd);
	if (o->close_cb != NULL)
		o->close_cb(o->close_data);
	free(o->partial);
	free(o->name);
	free(o);
}

void
output_close(struct output *o, bool forget, void (*cb)(void *data), void *data)
{
	output_flush(o);
	logfile_set_rotate_hook(o->lf, NULL, NULL);
	if (forget && o->holder != NULL)
		fdholder_drop(o->holder, o->name);
	if (forget && o->journal != NULL)
		outjournal_forget(o->journal, o->name);
	close(o->write_fd);
	o->close_cb = cb;
	o->close_data = data;
	o->closing = 2;
	uv_close((uv_handle_t *)&o->resume, output_closed_cb);
	uv_close((uv_handle_t *)&o->poll, output_closed_cb);
}

void
output_drain(struct output *o)
{
	size_t taken = 0;
	ssize_t n;

	/* Every writer of the run is gone, so what they wrote is all in the
	 * pipe; EOF never comes (supd and the fd holder keep write ends).
	 * Bounded: KillMode=process leaves writers that may go on. */
	while (taken < OUTPUT_BUDGET_PER_TURN && (n = output_take_chunk(o)) > 0)
		taken += (size_t)n;
	output_flush(o);
}
