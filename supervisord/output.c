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
#include <unistd.h>

#include "fdholder.h"
#include "log.h"
#include "logfile.h"
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
	uv_pipe_t pipe;
	int write_fd;
	struct logfile *lf;
	struct fdholder *holder;
	char *name;
	size_t turn_bytes;  /* read in the current loop turn */
	uv_check_t resume;  /* ends a turn's count; reads again after a pause */
	bool paused;
	int closing;        /* handles still closing */
	char *partial;      /* an unfinished line, allocated only while there is one */
	size_t partial_len;
	void (*close_cb)(void *data);
	void *close_data;
};

/* Scratch space for reads: the loop is single-threaded and each read is
 * consumed before the next alloc, so one buffer serves every service and
 * idle services cost no read buffer. */
static char output_scratch[OUTPUT_READ_SIZE];

static void
output_alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	(void)suggested;
	buf->base = output_scratch;
	buf->len = sizeof output_scratch;
}

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
		p += c;
		n -= c;
		if (o->partial_len == OUTPUT_MAX_LINE)
			output_flush_partial(o);
	}
}

static void
output_consume(struct output *o, const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;

		if (o->partial_len == 0 && nl != NULL && take <= OUTPUT_MAX_LINE) {
			/* The common case: a whole line in the buffer, no copy. */
			logfile_write_line(o->lf, p, take);
		} else {
			output_append_partial(o, p, take);
			if (nl != NULL)
				output_flush_partial(o);
		}
		take += nl != NULL;
		p += take;
		n -= take;
	}
}

static void output_read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

/* After the poll phase of the turn that paused: read again next turn. */
static void
output_resume_cb(uv_check_t *h)
{
	struct output *o = h->data;

	uv_check_stop(h);
	o->turn_bytes = 0;
	if (o->paused) {
		o->paused = false;
		uv_read_start((uv_stream_t *)&o->pipe, output_alloc_cb, output_read_cb);
	}
}

static void
output_read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct output *o = s->data;

	if (nread > 0) {
		logfile_batch(o->lf, true);
		output_consume(o, buf->base, (size_t)nread);
		logfile_batch(o->lf, false);
		o->turn_bytes += (size_t)nread;
		/* The check handle ends the turn's count (and resumes if paused). */
		uv_check_start(&o->resume, output_resume_cb);
		if (o->turn_bytes >= OUTPUT_BUDGET_PER_TURN) {
			uv_read_stop(s);
			o->paused = true;
		}
		return;
	}
	if (nread < 0 && nread != UV_EOF)
		log_warnx("reading service output: %s", uv_strerror((int)nread));
	/* EOF cannot happen while supd holds the write end; stop on errors. */
	if (nread < 0)
		uv_read_stop(s);
}

struct output *
output_new(uv_loop_t *loop, struct logfile *lf, struct fdholder *holder, const char *name,
	   char **cause)
{
	struct output *o = xcalloc(1, sizeof *o);
	int fds[2], r;

	if (holder == NULL || fdholder_fetch(holder, name, fds) < 0) {
		if (pipe2(fds, O_CLOEXEC) == -1) {
			*cause = xasprintf("creating the output pipe: %s", strerror(errno));
			free(o);
			return NULL;
		}
		/* Best effort: the default 64 KiB also works, just blocks sooner. */
		(void)fcntl(fds[1], F_SETPIPE_SZ, OUTPUT_PIPE_SIZE);
		if (holder != NULL && (r = fdholder_store(holder, name, fds)) < 0)
			log_warnx("%s: the fd holder did not take the output pipe (%s); the "
				  "service's output would break if supd died",
				  name, strerror(-r));
	}
	o->write_fd = fds[1];
	o->lf = lf;
	o->holder = holder;
	o->name = xstrdup(name);
	if ((r = uv_pipe_init(loop, &o->pipe, 0)) < 0 || (r = uv_pipe_open(&o->pipe, fds[0])) < 0) {
		*cause = xasprintf("watching the output pipe: %s", uv_strerror(r));
		close(fds[0]);
		close(fds[1]);
		free(o->name);
		free(o);
		return NULL;
	}
	o->pipe.data = o;
	uv_check_init(loop, &o->resume);
	o->resume.data = o;
	if ((r = uv_read_start((uv_stream_t *)&o->pipe, output_alloc_cb, output_read_cb)) < 0)
		log_warnx("reading service output: %s", uv_strerror(r));
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
	if (o->close_cb != NULL)
		o->close_cb(o->close_data);
	free(o->partial);
	free(o->name);
	free(o);
}

void
output_close(struct output *o, bool forget, void (*cb)(void *data), void *data)
{
	if (o->partial_len > 0)
		output_flush_partial(o);
	if (forget && o->holder != NULL)
		fdholder_drop(o->holder, o->name);
	close(o->write_fd);
	o->close_cb = cb;
	o->close_data = data;
	o->closing = 2;
	uv_close((uv_handle_t *)&o->resume, output_closed_cb);
	uv_close((uv_handle_t *)&o->pipe, output_closed_cb);
}

void
output_flush(struct output *o)
{
	if (o->partial_len > 0)
		output_flush_partial(o);
}

void
output_drain(struct output *o)
{
	size_t budget = OUTPUT_BUDGET_PER_TURN;
	uv_os_fd_t fd;
	ssize_t n;

	/* Every writer of the run is gone, so what they wrote is all in the
	 * pipe; EOF never comes (supd and the fd holder keep write ends). */
	if (uv_fileno((uv_handle_t *)&o->pipe, &fd) == 0) {
		logfile_batch(o->lf, true);
		/* Bounded: KillMode=process leaves writers that may go on. */
		while (budget > 0 && (n = read(fd, output_scratch, sizeof output_scratch)) > 0) {
			output_consume(o, output_scratch, (size_t)n);
			budget = (size_t)n >= budget ? 0 : budget - (size_t)n;
		}
		logfile_batch(o->lf, false);
	}
	output_flush(o);
}
