/*
 * control_handover.c - the control clients across `supctl reexec`.
 *
 * The listening socket survives the exec (its backlog with it), and so do
 * the clients already accepted: first supd stops reading and serving them,
 * so that what they send waits in their sockets; once every reply is
 * written (or a deadline passed), each client's descriptor is kept open
 * across the exec and listed, with what it sent that was read but not yet
 * served, in a memfd.  The next image adopts them as if just accepted and
 * serves their input.  A client cannot tell that supd was replaced.
 *
 * What cannot cross is a request still in progress (a `start` waiting for
 * its service): it gets an error reply.  `logs -f` streams end (the
 * client sees the end of the stream, as when the log is removed).
 *
 * The memfd holds, per client, a line "FD LENGTH OVERFLOW\n" and then
 * LENGTH bytes of unserved input.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control.h"
#include "control_int.h"
#include "log.h"
#include "proto.h"
#include "strutil.h"

/* Largest hand-over file accepted: every client's input at its limit. */
#define HANDOVER_MAX_BYTES ((size_t)PROTO_MAX_CONNECTIONS * 5 * PROTO_MAX_REQUEST)

void
control_handover_begin(struct control *c)
{
	c->handing_over = true;
	for (struct control_conn *cn = c->conns; cn != NULL; cn = cn->next) {
		if (cn->closing)
			continue;
		uv_read_stop((uv_stream_t *)&cn->pipe);
		if (cn->sub != NULL)
			control_conn_close(cn, true);
	}
}

bool
control_handover_ready(const struct control *c)
{
	for (const struct control_conn *cn = c->conns; cn != NULL; cn = cn->next)
		if (cn->busy || cn->pending_out > 0)
			return false;
	return true;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
control_handover_prepare(struct control *c)
{
	size_t handed = 0, bytes = 0, dropped = 0;
	int mfd;

	if ((mfd = memfd_create("supd-clients", 0)) == -1) {
		log_warn("reexec: memfd_create; clients will be disconnected");
		return -1;
	}
	for (struct control_conn *cn = c->conns; cn != NULL; cn = cn->next) {
		uv_os_fd_t fd;
		char head[64];
		int n;

		if (cn->closing)
			continue;
		if (cn->busy) {
			control_conn_send(cn, proto_reply_error(cn->req, PROTO_E_FAILED,
								"supd was re-executed before this request "
								"finished; what it started goes on"));
			dropped++;
			continue;
		}
		if (cn->pending_out > 0 || uv_fileno((uv_handle_t *)&cn->pipe, &fd) != 0) {
			log_warnx("reexec: client pid %d has %zu bytes of replies unread; disconnecting it",
				  (int)cn->pid, cn->pending_out);
			dropped++;
			continue;
		}
		n = snprintf(head, sizeof head, "%d %zu %d\n", fd, cn->in.len, cn->in.overflow ? 1 : 0);
		if (write_all(mfd, head, (size_t)n) < 0 ||
		    write_all(mfd, cn->in.data != NULL ? cn->in.data : "", cn->in.len) < 0) {
			log_warn("reexec: writing the client list");
			close(mfd);
			return -1;
		}
		if (fcntl(fd, F_SETFD, 0) == -1)
			log_warn("reexec: client pid %d will be disconnected", (int)cn->pid);
		handed++;
		bytes += cn->in.len;
	}
	if (lseek(mfd, 0, SEEK_SET) == -1) {
		close(mfd);
		return -1;
	}
	log_info("reexec: handing over %zu clients (%zu bytes of requests read, not yet served)%s",
		 handed, bytes, dropped > 0 ? "; some clients are disconnected" : "");
	return mfd;
}

void
control_handover_abort(struct control *c, int memfd)
{
	if (memfd >= 0)
		close(memfd);
	c->handing_over = false;
	for (struct control_conn *cn = c->conns; cn != NULL; cn = cn->next) {
		uv_os_fd_t fd;

		if (uv_fileno((uv_handle_t *)&cn->pipe, &fd) == 0)
			(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
		control_conn_resume(cn);
	}
}

/* The whole hand-over file; NULL on error. */
static char *
read_memfd(int fd, size_t *len)
{
	struct stat st;
	char *buf;

	if (fstat(fd, &st) == -1 || st.st_size < 0 || (size_t)st.st_size > HANDOVER_MAX_BYTES)
		return NULL;
	if ((buf = pread_alloc(fd, (size_t)st.st_size, 0)) != NULL)
		*len = (size_t)st.st_size;
	return buf;
}

static bool
fd_is_socket(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* One client of the previous image: open, check, serve its input. */
static void
adopt_one(struct control *c, int fd, const char *input, size_t len, bool overflow)
{
	struct control_conn *cn;
	int r;

	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	cn = control_conn_new(c);
	if ((r = uv_pipe_open(&cn->pipe, fd)) != 0) {
		log_warnx("reexec: client fd %d: %s", fd, uv_strerror(r));
		close(fd);
		control_conn_close(cn, false);
		return;
	}
	if (!control_conn_admit(cn))
		return;
	if (len > 0)
		proto_buf_append(&cn->in, input, len, PROTO_MAX_REQUEST);
	cn->in.overflow = cn->in.overflow || overflow;
	control_conn_resume(cn);
}

void
control_handover_adopt(struct control *c, int memfd)
{
	size_t len, off = 0, n = 0;
	char *buf = read_memfd(memfd, &len);

	close(memfd);
	if (buf == NULL) {
		log_warnx("reexec: the previous image's client list is unreadable; its clients are lost");
		return;
	}
	while (off < len) {
		char *nl = memchr(buf + off, '\n', len - off), *end;
		long fd;
		unsigned long long in_len;
		int overflow;

		if (nl == NULL || sscanf(buf + off, "%ld %llu %d", &fd, &in_len, &overflow) != 3 ||
		    fd < 0 || fd > INT32_MAX || in_len > len - (size_t)(nl + 1 - buf)) {
			log_warnx("reexec: the previous image's client list is damaged at byte %zu", off);
			break;
		}
		end = nl + 1 + in_len;
		if (fd_is_socket((int)fd)) {
			adopt_one(c, (int)fd, nl + 1, (size_t)in_len, overflow != 0);
			n++;
		} else {
			log_warnx("reexec: client fd %ld is not a socket; ignored", fd);
		}
		off = (size_t)(end - buf);
	}
	free(buf);
	log_info("reexec: took over %zu clients", n);
}
