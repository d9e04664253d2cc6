/*
 * control.c - the control socket.  Each client sends one JSON request per
 * line (proto.h) and gets one reply per request, in order; `logs -f` then
 * streams lines until the client goes.  Peers are identified with
 * SO_PEERCRED when they connect.  The limits below are documented in
 * docs/protocol.md: they keep one misbehaving client from hurting supd or
 * the others.
 */
#include "control.h"

#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control_int.h"
#include "log.h"
#include "logfile.h"
#include "proto.h"
#include "service.h"
#include "strutil.h"
#include "supd.h"
#include "userdb.h"

#define CONTROL_BACKLOG 128
#define CONTROL_LINGER_MS 2000 /* how long a closing client may take to read its last reply */

struct conn_write {
	uv_write_t req;
	struct control_conn *cn;
	char *buf;
	size_t len;
};

static void conn_process(struct control_conn *cn);
static void control_maybe_closed(struct control *c);
static void conn_alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void conn_read_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);

/* Backpressure: a client that pipelines requests is served only while less
 * than this much of its replies waits to be written; reading its socket
 * pauses meanwhile.  (A single reply or log stream that grows past
 * PROTO_MAX_PENDING_OUTPUT still means the client does not read.) */
#define CONTROL_OUTPUT_LOW_WATER (256 * 1024)
/* ... and once all clients together have this much waiting, a client with
 * any reply unread is held off too: clients that do not read cannot pin
 * more than about this (plus one reply each) between them. */
#define CONTROL_OUTPUT_GLOBAL (16 * 1024 * 1024)
#define CONTROL_TRIM_AFTER (64 * 1024)

/* Whether a client must read its replies before more requests are served. */
static bool
conn_held_off(const struct control_conn *cn)
{
	return cn->pending_out >= CONTROL_OUTPUT_LOW_WATER ||
	       (cn->pending_out > 0 && cn->c->pending_total >= CONTROL_OUTPUT_GLOBAL);
}

static void
conn_write_cb(uv_write_t *req, int status)
{
	struct conn_write *w = (struct conn_write *)req;
	struct control_conn *cn = w->cn;

	cn->pending_out -= w->len;
	cn->c->pending_total -= w->len;
	free(w->buf);
	/* A big reply (status of a thousand services) leaves a heap of small
	 * freed blocks behind: return the pages, an idle supd stays small. */
	if (w->len >= CONTROL_TRIM_AFTER)
		malloc_trim(0);
	free(w);
	if (status < 0 && status != UV_ECANCELED) {
		log_debug("control: client pid %d: write: %s", (int)cn->pid, uv_strerror(status));
		control_conn_close(cn, false);
		return;
	}
	if (cn->throttled && !cn->closing && !conn_held_off(cn)) {
		/* The client caught up: read and serve its requests again. */
		cn->throttled = false;
		if (!cn->eof && !cn->c->handing_over)
			uv_read_start((uv_stream_t *)&cn->pipe, conn_alloc_cb, conn_read_cb);
		if (!cn->busy && !cn->processing)
			conn_process(cn);
	}
}

/* Queue one encoded message: line (malloc'd, ending in '\n') is stolen. */
static void
conn_send_line(struct control_conn *cn, char *line, size_t len)
{
	struct conn_write *w;
	uv_buf_t buf;
	int r;

	if (cn->closing) {
		free(line);
		return;
	}
	if (cn->pending_out + len > PROTO_MAX_PENDING_OUTPUT) {
		log_warnx("control: client pid %d uid %d is not reading (over %u bytes pending); "
			  "dropping it",
			  (int)cn->pid, (int)cn->uid, PROTO_MAX_PENDING_OUTPUT);
		free(line);
		control_conn_close(cn, false);
		return;
	}
	w = xcalloc(1, sizeof *w);
	w->cn = cn;
	w->buf = line;
	w->len = len;
	cn->pending_out += w->len;
	cn->c->pending_total += w->len;
	buf = uv_buf_init(w->buf, (unsigned)w->len);
	if ((r = uv_write(&w->req, (uv_stream_t *)&cn->pipe, &buf, 1, conn_write_cb)) != 0) {
		cn->pending_out -= w->len;
		cn->c->pending_total -= w->len;
		free(w->buf);
		free(w);
		log_debug("control: client pid %d: write: %s", (int)cn->pid, uv_strerror(r));
		control_conn_close(cn, false);
	}
}

/* Queue one message (steals obj). */
void
control_conn_send(struct control_conn *cn, json_t *obj)
{
	char *line;

	if (cn->closing) {
		json_decref(obj);
		return;
	}
	line = proto_encode(obj);
	json_decref(obj);
	conn_send_line(cn, line, strlen(line));
}

/* Cancel what the current request waits for (jobs, a followed log). */
static void
conn_release_work(struct control_conn *cn)
{
	for (size_t i = 0; i < cn->n_jobs; i++) {
		if (cn->jobs[i].waiter != NULL)
			service_wait_cancel(cn->jobs[i].waiter);
		free(cn->jobs[i].name);
		json_decref(cn->jobs[i].outcome);
	}
	free(cn->jobs);
	cn->jobs = NULL;
	cn->n_jobs = cn->n_waiting = 0;
	if (cn->sub != NULL) {
		logfile_unsubscribe(cn->sub);
		cn->sub = NULL;
	}
}

static void
conn_handle_closed_cb(uv_handle_t *h)
{
	struct control_conn *cn = h->data;
	struct control *c = cn->c;

	if (--cn->open_handles > 0)
		return;
	if (cn->prev != NULL)
		cn->prev->next = cn->next;
	else
		c->conns = cn->next;
	if (cn->next != NULL)
		cn->next->prev = cn->prev;
	if (cn->counted)
		c->n_conns--;
	json_decref(cn->req);
	proto_buf_free(&cn->in);
	free(cn);
	control_maybe_closed(c);
}

static void
conn_force_close(struct control_conn *cn)
{
	if (cn->handles_closing)
		return;
	cn->handles_closing = true;
	uv_close((uv_handle_t *)&cn->pipe, conn_handle_closed_cb);
	uv_close((uv_handle_t *)&cn->timer, conn_handle_closed_cb);
}

static void
conn_shutdown_cb(uv_shutdown_t *req, int status)
{
	(void)status;
	conn_force_close(req->data);
}

static void
conn_timer_cb(uv_timer_t *t)
{
	struct control_conn *cn = t->data;

	if (cn->closing) {
		/* The client did not read its last replies in time. */
		conn_force_close(cn);
		return;
	}
	log_debug("control: client pid %d idle for %d s; closing", (int)cn->pid,
		  PROTO_IDLE_TIMEOUT_MS / 1000);
	control_conn_close(cn, true);
}

/* Close a client; graceful lets queued replies reach it first. */
void
control_conn_close(struct control_conn *cn, bool graceful)
{
	if (cn->closing) {
		if (!graceful)
			conn_force_close(cn);
		return;
	}
	cn->closing = true;
	conn_release_work(cn);
	uv_read_stop((uv_stream_t *)&cn->pipe);
	uv_timer_stop(&cn->timer);
	if (graceful && cn->pending_out > 0) {
		cn->shutdown_req.data = cn;
		if (uv_shutdown(&cn->shutdown_req, (uv_stream_t *)&cn->pipe, conn_shutdown_cb) == 0) {
			uv_timer_start(&cn->timer, conn_timer_cb, CONTROL_LINGER_MS, 0);
			return;
		}
	}
	conn_force_close(cn);
}

/* The current request is answered: send reply, go on with queued input. */
void
control_conn_complete(struct control_conn *cn, json_t *reply)
{
	char *line = proto_encode(reply);

	json_decref(reply);
	control_conn_complete_text(cn, line, strlen(line));
}

void
control_conn_complete_text(struct control_conn *cn, char *line, size_t len)
{
	bool shut = cn->shutdown_after, reexec = cn->reexec_after;

	conn_send_line(cn, line, len);
	json_decref(cn->req);
	cn->req = NULL;
	cn->busy = false;
	cn->shutdown_after = false;
	cn->reexec_after = false;
	conn_release_work(cn);
	if (shut)
		supd_shutdown(cn->c->d);
	if (reexec)
		supd_reexec(cn->c->d); /* returns only if exec failed */
	if (!cn->processing)
		conn_process(cn);
}

/* Serve queued requests one at a time, in order. */
static void
conn_process(struct control_conn *cn)
{
	char *line;
	bool overflowed;

	cn->processing = true;
	/* During a hand-over, requests wait for the next image. */
	while (!cn->busy && !cn->closing && !cn->c->handing_over) {
		if (conn_held_off(cn)) {
			cn->throttled = true;
			uv_read_stop((uv_stream_t *)&cn->pipe);
			break;
		}
		line = proto_buf_next_line(&cn->in, PROTO_MAX_REQUEST, &overflowed);
		if (overflowed) {
			control_conn_send(cn, proto_reply_error(NULL, PROTO_E_TOO_LONG,
							"request longer than %d bytes",
							PROTO_MAX_REQUEST));
			control_conn_close(cn, true);
			break;
		}
		if (line == NULL)
			break;
		if (line[strspn(line, " \t")] != '\0')
			control_cmds_handle_line(cn, line);
		free(line);
	}
	cn->processing = false;
	if (cn->closing)
		return;
	if (cn->busy) {
		uv_timer_stop(&cn->timer);
		return;
	}
	if (cn->eof)
		control_conn_close(cn, true);
	else
		uv_timer_start(&cn->timer, conn_timer_cb, PROTO_IDLE_TIMEOUT_MS, 0);
}

static void
conn_alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct control_conn *cn = h->data;

	(void)suggested;
	if (cn->c->readbuf == NULL)
		cn->c->readbuf = xmalloc(CONTROL_READBUF);
	*buf = uv_buf_init(cn->c->readbuf, CONTROL_READBUF);
}

/* After EOF: whether the client closed for good, not just its sending
 * side (a Unix socket whose peer is gone polls as POLLHUP). */
static bool
conn_peer_gone(struct control_conn *cn)
{
	struct pollfd p = {.events = POLLOUT};
	uv_os_fd_t fd;

	if (uv_fileno((uv_handle_t *)&cn->pipe, &fd) != 0)
		return true;
	p.fd = fd;
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR)) != 0;
}

static void
conn_read_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct control_conn *cn = stream->data;

	if (nread == UV_EOF) {
		/*
		 * A half-closed client still gets its replies.  Requests it sent
		 * are served even if it is gone (they were sent), but nobody is
		 * left to wait for a job or to follow a log.
		 */
		cn->eof = true;
		uv_read_stop(stream);
		if (cn->sub != NULL || (cn->busy && conn_peer_gone(cn))) {
			control_conn_close(cn, false);
			return;
		}
		if (cn->in.overflow || (cn->in.len > 0 && cn->in.data[cn->in.len - 1] != '\n'))
			proto_buf_append(&cn->in, "\n", 1, PROTO_MAX_REQUEST);
		if (!cn->busy && !cn->processing)
			conn_process(cn);
		return;
	}
	if (nread < 0) {
		log_debug("control: client pid %d: read: %s", (int)cn->pid, uv_strerror((int)nread));
		control_conn_close(cn, false);
		return;
	}
	if (nread == 0 || cn->sub != NULL)
		return;
	proto_buf_append(&cn->in, buf->base, (size_t)nread, PROTO_MAX_REQUEST);
	/* Requests queued behind a slow one are bounded too. */
	if (cn->busy && cn->in.len > 4 * (size_t)PROTO_MAX_REQUEST) {
		control_conn_send(cn, proto_reply_error(NULL, PROTO_E_BUSY,
						"too many requests queued behind a running one"));
		control_conn_close(cn, true);
		return;
	}
	if (!cn->busy && !cn->processing)
		conn_process(cn);
}

/* Whether the peer is in the socket's group (primary or supplementary). */
static bool
conn_in_group(struct control_conn *cn, int fd)
{
	gid_t gid = cn->c->gid, *groups;
	socklen_t len = 64 * sizeof(gid_t);
	struct userdb_user u = { 0 };
	int ngroups, r;
	bool found = false;

	if (cn->gid == gid)
		return true;
	/* The groups of the connecting process, not of its user's entry. */
	groups = xmalloc(len);
	r = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len);
	if (r == -1 && errno == ERANGE) {
		groups = xrealloc(groups, len);
		r = getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len);
	}
	if (r == 0) {
		for (size_t i = 0; i < len / sizeof(gid_t); i++)
			if (groups[i] == gid)
				found = true;
		free(groups);
		return found;
	}
	free(groups);
	if (userdb_user_by_uid(&userdb_system, cn->uid, &u) < 0)
		return false;
	groups = userdb_groups_of(&userdb_system, u.name, u.gid, &ngroups);
	userdb_user_free(&u);
	for (int i = 0; i < ngroups; i++)
		if (groups[i] == gid)
			found = true;
	free(groups);
	return found;
}

/* Identify the peer; returns NULL or why it may not use supd. */
static char *
conn_authorize(struct control_conn *cn)
{
	struct control *c = cn->c;
	struct ucred cred;
	socklen_t len = sizeof cred;
	uv_os_fd_t fd;

	if (uv_fileno((uv_handle_t *)&cn->pipe, &fd) != 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return xasprintf("cannot identify the peer: %s", strerror(errno));
	cn->pid = cred.pid;
	cn->uid = cred.uid;
	cn->gid = cred.gid;
	if (cred.uid == 0 || cred.uid == c->owner) {
		cn->may_read = cn->may_write = true;
		return NULL;
	}
	if (c->has_group && conn_in_group(cn, fd)) {
		cn->may_read = cn->may_write = true;
		return NULL;
	}
	if (c->has_group)
		return xasprintf("uid %d is not root, not supd's user (uid %d) and not in the "
				 "socket's group (gid %d)",
				 (int)cred.uid, (int)c->owner, (int)c->gid);
	return xasprintf("uid %d is not root or supd's user (uid %d), and no SocketGroup= is "
			 "configured",
			 (int)cred.uid, (int)c->owner);
}

/* A connection not yet open, in the client list (control_conn_close works). */
struct control_conn *
control_conn_new(struct control *c)
{
	struct control_conn *cn = xcalloc(1, sizeof *cn);

	cn->c = c;
	uv_pipe_init(c->d->loop, &cn->pipe, 0);
	uv_timer_init(c->d->loop, &cn->timer);
	cn->pipe.data = cn->timer.data = cn;
	cn->open_handles = 2;
	cn->next = c->conns;
	if (c->conns != NULL)
		c->conns->prev = cn;
	c->conns = cn;
	return cn;
}

/* The pipe is open: check the peer and the connection limit, then read. */
bool
control_conn_admit(struct control_conn *cn)
{
	struct control *c = cn->c;
	char *why;
	int r;

	if ((why = conn_authorize(cn)) != NULL) {
		log_warnx("control: refused client pid %d: %s", (int)cn->pid, why);
		control_conn_send(cn, proto_reply_error(NULL, PROTO_E_PERMISSION, "%s", why));
		free(why);
		control_conn_close(cn, true);
		return false;
	}
	if (c->n_conns >= PROTO_MAX_CONNECTIONS) {
		log_warnx("control: refused client pid %d: %d connections already open",
			  (int)cn->pid, PROTO_MAX_CONNECTIONS);
		control_conn_send(cn, proto_reply_error(NULL, PROTO_E_BUSY, "too many connections (%d)",
						PROTO_MAX_CONNECTIONS));
		control_conn_close(cn, true);
		return false;
	}
	cn->counted = true;
	c->n_conns++;
	/* During a hand-over what the client sends waits in its socket. */
	if (!c->handing_over &&
	    (r = uv_read_start((uv_stream_t *)&cn->pipe, conn_alloc_cb, conn_read_cb)) != 0) {
		log_warnx("control: read: %s", uv_strerror(r));
		control_conn_close(cn, false);
		return false;
	}
	uv_timer_start(&cn->timer, conn_timer_cb, PROTO_IDLE_TIMEOUT_MS, 0);
	return true;
}

/* Read and serve a client again (after a hand-over that did not happen). */
void
control_conn_resume(struct control_conn *cn)
{
	if (cn->closing)
		return;
	if (!cn->eof && !cn->throttled)
		uv_read_start((uv_stream_t *)&cn->pipe, conn_alloc_cb, conn_read_cb);
	if (!cn->busy && !cn->processing)
		conn_process(cn);
}

static void
control_connection_cb(uv_stream_t *server, int status)
{
	struct control *c = server->data;
	struct control_conn *cn;

	if (status < 0) {
		log_warnx("control: accept: %s", uv_strerror(status));
		return;
	}
	cn = control_conn_new(c);
	if ((status = uv_accept(server, (uv_stream_t *)&cn->pipe)) != 0) {
		log_warnx("control: accept: %s", uv_strerror(status));
		control_conn_close(cn, false);
		return;
	}
	(void)control_conn_admit(cn);
}

/* Create the directories above the socket (mkdir -p of its dirname). */
static int
control_mkdirs(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int r = 0;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		r = mkdir_parents(dir, 0755);
	}
	free(dir);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

/* Remove a socket nobody answers on; refuse if a live supd owns it. */
static int
control_check_stale(const char *path, char **cause)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, r, saved;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		*cause = xasprintf("%s exists and is not a socket; not replacing it", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	r = connect(fd, (struct sockaddr *)&sun, sizeof sun);
	saved = errno;
	close(fd);
	if (r == 0 || saved == EAGAIN || saved == EINPROGRESS) {
		*cause = xasprintf("supd already running on %s", path);
		return -1;
	}
	if (saved != ECONNREFUSED) {
		*cause = xasprintf("cannot check existing socket %s: %s", path, strerror(saved));
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		*cause = xasprintf("cannot remove stale socket %s: %s", path, strerror(errno));
		return -1;
	}
	log_info("removed stale socket %s", path);
	return 0;
}

static int
control_resolve_group(const char *name, gid_t *gid, char **cause)
{
	int r;

	if ((r = userdb_group(&userdb_system, name, gid)) == 0)
		return 0;
	if (r != -ENOENT) {
		*cause = xasprintf("SocketGroup=%s: reading %s: %s", name, userdb_system.group,
				   strerror(-r));
		return -1;
	}
	/* A number names a group even without an entry: the socket's owner
	 * group is only a number to the kernel. */
	if (*name >= '0' && *name <= '9') {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(name, &end, 10);
		if (*end == '\0' && errno == 0 && v < (gid_t)-1) {
			*gid = (gid_t)v;
			return 0;
		}
	}
	*cause = xasprintf("SocketGroup=%s: no such group", name);
	return -1;
}

static void
control_free_cb(uv_handle_t *h)
{
	struct control *c = h->data;

	free(c->readbuf);
	free(c->path);
	free(c);
}

int
control_open(struct supd *d, struct control **out, char **cause)
{
	const char *path = d->conf.socket_path;
	struct control *c;
	mode_t old;
	int r;

	*out = NULL;
	if (path == NULL || *path == '\0') {
		*cause = xstrdup("no control socket path configured");
		return -1;
	}
	if (strlen(path) >= sizeof ((struct sockaddr_un *)0)->sun_path) {
		*cause = xasprintf("socket path %s is too long (at most %zu bytes)", path,
				   sizeof ((struct sockaddr_un *)0)->sun_path - 1);
		return -1;
	}
	c = xcalloc(1, sizeof *c);
	c->d = d;
	c->path = xstrdup(path);
	c->owner = geteuid();
	if (d->conf.socket_group != NULL && *d->conf.socket_group != '\0') {
		if (control_resolve_group(d->conf.socket_group, &c->gid, cause) == -1)
			goto fail_free;
		c->has_group = true;
	}
	if (d->inherited_listen_fd >= 0) {
		/* supd re-executed itself: the socket never stopped listening. */
		uv_pipe_init(d->loop, &c->server, 0);
		c->server.data = c;
		if ((r = uv_pipe_open(&c->server, d->inherited_listen_fd)) != 0 ||
		    (r = uv_listen((uv_stream_t *)&c->server, CONTROL_BACKLOG,
				   control_connection_cb)) != 0) {
			*cause = xasprintf("cannot listen on the inherited socket %s: %s", path,
					   uv_strerror(r));
			goto fail_close;
		}
		c->server_open = true;
		*out = c;
		return 0;
	}
	if (control_mkdirs(path) == -1) {
		*cause = xasprintf("cannot create the directory of %s: %s", path, strerror(errno));
		goto fail_free;
	}
	if (control_check_stale(path, cause) == -1)
		goto fail_free;
	uv_pipe_init(d->loop, &c->server, 0);
	c->server.data = c;
	/* Created 0600 so that it is never open wider than intended. */
	old = umask(0177);
	r = uv_pipe_bind(&c->server, path);
	umask(old);
	if (r != 0) {
		*cause = xasprintf("cannot bind %s: %s", path, uv_strerror(r));
		goto fail_close;
	}
	if (c->has_group) {
		if (chown(path, (uid_t)-1, c->gid) == -1 || chmod(path, 0660) == -1) {
			*cause = xasprintf("cannot give %s to group %s: %s", path,
					   d->conf.socket_group, strerror(errno));
			goto fail_unlink;
		}
	}
	if ((r = uv_listen((uv_stream_t *)&c->server, CONTROL_BACKLOG, control_connection_cb)) != 0) {
		*cause = xasprintf("cannot listen on %s: %s", path, uv_strerror(r));
		goto fail_unlink;
	}
	c->server_open = true;
	log_debug("control socket %s (mode %s)", path, c->has_group ? "0660" : "0600");
	*out = c;
	return 0;

fail_unlink:
	unlink(path);
fail_close:
	uv_close((uv_handle_t *)&c->server, control_free_cb);
	return -1;
fail_free:
	free(c->path);
	free(c);
	return -1;
}

static void
control_server_closed_cb(uv_handle_t *h)
{
	struct control *c = h->data;

	c->server_open = false;
	control_maybe_closed(c);
}

/* Finish control_close() once the listener and every client are gone. */
static void
control_maybe_closed(struct control *c)
{
	void (*cb)(void *);
	void *data;

	if (!c->closing || c->server_open || c->conns != NULL)
		return;
	cb = c->close_cb;
	data = c->close_data;
	free(c->readbuf);
	free(c->path);
	free(c);
	if (cb != NULL)
		cb(data);
}

void
control_close(struct control *c, void (*cb)(void *data), void *data)
{
	struct control_conn *cn, *next;

	if (c == NULL || c->closing) {
		if (c == NULL && cb != NULL)
			cb(data);
		return;
	}
	c->closing = true;
	c->close_cb = cb;
	c->close_data = data;
	if (unlink(c->path) == -1 && errno != ENOENT)
		log_warn("unlink %s", c->path);
	uv_close((uv_handle_t *)&c->server, control_server_closed_cb);
	for (cn = c->conns; cn != NULL; cn = next) {
		next = cn->next;
		control_conn_close(cn, true);
	}
}

/* The listening socket's descriptor, for supd_reexec to hand across exec. */
int
control_listen_fd(struct control *c)
{
	uv_os_fd_t fd;

	return c->server_open && uv_fileno((uv_handle_t *)&c->server, &fd) == 0 ? fd : -1;
}
