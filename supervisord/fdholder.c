/*
 * fdholder.c - both sides of the fd holder (fdholder.h).  The protocol is
 * one SOCK_SEQPACKET message per request and per reply, with descriptors
 * as SCM_RIGHTS: "S name" + 2 fds (no reply); "F name" -> "ok" + 2 fds or
 * "none"; "D name" -> "ok"; "R path" -> "ok" (listen there again); "Q" ->
 * the holder exits.  Requests are rare
 * (a service's first start, removal, supd's start), so supd does them
 * synchronously; the holder answers at once.
 */
#include "fdholder.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "strutil.h"

#define FDHOLDER_SOCK "fdholder.sock"
#define FDHOLDER_MSG 512
#define FDHOLDER_TIMEOUT_SEC 2

struct fdholder {
	int fd;
	pid_t pid; /* the holder's, 0 if unknown */
};

struct fdholder_entry {
	char *name;
	int fds[2];
};

static ssize_t
fdholder_send(int sock, const char *msg, const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = {(void *)msg, strlen(msg)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;

	if (nfds > 0) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof cbuf);
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n;
}

/* Receive one message; fds[] gets up to 2 descriptors (-1 when absent). */
static ssize_t
fdholder_recv(int sock, char *buf, size_t len, int fds[2])
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = {buf, len - 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof cbuf};
	struct cmsghdr *cm;
	ssize_t n;

	fds[0] = fds[1] = -1;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n < 0)
		return n;
	buf[n] = '\0';
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(fds, CMSG_DATA(cm), (k > 2 ? 2 : k) * sizeof(int));
		}
	return n;
}

static struct fdholder_entry *
fdholder_find(struct fdholder_entry *e, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].name, name) == 0)
			return &e[i];
	return NULL;
}

/* A listening socket at path (a stale file replaced), mode 0600; the fd or
 * -errno. */
static int
fdholder_listen(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, e;

	if (strlen(path) >= sizeof sa.sun_path)
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1 || listen(fd, 4) == -1) {
		e = errno;
		close(fd);
		return -e;
	}
	chmod(path, 0600);
	return fd;
}

/* The holder process: serve one client at a time until told to quit. */
static void __attribute__((noreturn))
fdholder_serve(int lfd)
{
	struct fdholder_entry *entries = NULL;
	size_t n = 0;
	int client = -1;

	for (;;) {
		struct pollfd pfd = {client >= 0 ? client : lfd, POLLIN, 0};
		char msg[FDHOLDER_MSG];
		int fds[2];
		ssize_t r;

		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			_exit(111);
		}
		if (client < 0) {
			client = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			continue;
		}
		bool kept = false;

		r = fdholder_recv(client, msg, sizeof msg, fds);
		if (r <= 0) {
			/* supd went away (crashed or exec'd): wait for the next. */
			close(client);
			client = -1;
			continue;
		}
		if (msg[0] == 'S' && msg[1] == ' ' && fds[0] >= 0 && fds[1] >= 0) {
			struct fdholder_entry *e = fdholder_find(entries, n, msg + 2);

			if (e == NULL) {
				entries = xreallocarray(entries, n + 1, sizeof *entries);
				e = &entries[n++];
				e->name = xstrdup(msg + 2);
			} else {
				close(e->fds[0]);
				close(e->fds[1]);
			}
			e->fds[0] = fds[0];
			e->fds[1] = fds[1];
			kept = true; /* no reply: a store is fire-and-forget */
		} else if (msg[0] == 'F' && msg[1] == ' ') {
			struct fdholder_entry *e = fdholder_find(entries, n, msg + 2);

			if (e != NULL)
				fdholder_send(client, "ok", e->fds, 2);
			else
				fdholder_send(client, "none", NULL, 0);
		} else if (msg[0] == 'D' && msg[1] == ' ') {
			struct fdholder_entry *e = fdholder_find(entries, n, msg + 2);

			if (e != NULL) {
				close(e->fds[0]);
				close(e->fds[1]);
				free(e->name);
				*e = entries[--n];
			}
			fdholder_send(client, "ok", NULL, 0);
		} else if (msg[0] == 'R' && msg[1] == ' ') {
			/* The state directory was removed and recreated: listen at
			 * the path again, so that the next supd finds us. */
			int nl = fdholder_listen(msg + 2);

			if (nl >= 0) {
				close(lfd);
				lfd = nl;
			}
			fdholder_send(client, nl >= 0 ? "ok" : "error", NULL, 0);
		} else if (msg[0] == 'Q') {
			_exit(0);
		} else {
			fdholder_send(client, "error", NULL, 0);
		}
		for (int i = 0; i < 2 && !kept; i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
}

static int
fdholder_connect(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) == -1) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

static int
fdholder_spawn(const struct sockaddr_un *sa, char **cause)
{
	int lfd = fdholder_listen(sa->sun_path);
	pid_t pid;

	if (lfd < 0) {
		*cause = xasprintf("%s: %s", sa->sun_path, strerror(-lfd));
		return -1;
	}
	if ((pid = fork()) == -1) {
		*cause = xasprintf("fork: %s", strerror(errno));
		close(lfd);
		return -1;
	}
	if (pid == 0) {
		/* Outlive supd: own session, no signals from its terminal, no
		 * descriptors but the listening socket. */
		sigset_t none;
		struct sigaction sa_ign = {.sa_handler = SIG_IGN};

		setsid();
		for (int sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
				sigaction(sig, &sa_ign, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (int fd = 0; fd < 1024; fd++)
			if (fd != lfd)
				close(fd);
		if (chdir("/") == -1)
			_exit(111);
		fdholder_serve(lfd);
	}
	close(lfd);
	log_info("started output fd holder, pid %d", (int)pid);
	return (int)pid;
}

/* For operators and tests that must end the holder by pid. */
static void
fdholder_write_pidfile(const char *state_dir, pid_t pid)
{
	char *pidfile = xasprintf("%s/fdholder.pid", state_dir), buf[16];

	snprintf(buf, sizeof buf, "%d\n", (int)pid);
	if (write_file_atomic(pidfile, buf) < 0)
		log_warn("%s", pidfile);
	free(pidfile);
}

struct fdholder *
fdholder_open(const char *state_dir, char **cause)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct fdholder *h;
	int fd, spawned = 0;

	if ((size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "%s/%s", state_dir, FDHOLDER_SOCK) >=
	    sizeof sa.sun_path) {
		*cause = xasprintf("%s/%s: path too long", state_dir, FDHOLDER_SOCK);
		return NULL;
	}
	if ((fd = fdholder_connect(&sa)) < 0) {
		int pid = fdholder_spawn(&sa, cause);

		spawned = pid;
		if (pid < 0)
			return NULL;
		fdholder_write_pidfile(state_dir, pid);
		if ((fd = fdholder_connect(&sa)) < 0) {
			*cause = xasprintf("connecting to %s: %s", sa.sun_path, strerror(-fd));
			return NULL;
		}
	}
	{
		/* Never hang start-up on a holder that does not answer. */
		struct timeval tv = {FDHOLDER_TIMEOUT_SEC, 0};

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	}
	h = xcalloc(1, sizeof *h);
	h->fd = fd;
	h->pid = spawned;
	if (h->pid == 0) {
		/* A previous supd's holder (SO_PEERCRED would name whoever called
		 * listen(), that supd): its pid file says. */
		char *pidfile = xasprintf("%s/fdholder.pid", state_dir), buf[16];

		if (read_small_file(pidfile, buf, sizeof buf) > 0)
			h->pid = (pid_t)atoi(buf);
		free(pidfile);
	}
	return h;
}

static int
fdholder_request(struct fdholder *h, const char *op, const char *name, const int *send_fds,
		 int fds[2])
{
	char msg[FDHOLDER_MSG], reply[32];
	int got[2];

	if ((size_t)snprintf(msg, sizeof msg, "%s %s", op, name) >= sizeof msg)
		return -ENAMETOOLONG;
	if (fdholder_send(h->fd, msg, send_fds, send_fds ? 2 : 0) < 0)
		return -errno;
	if (fdholder_recv(h->fd, reply, sizeof reply, got) <= 0)
		return -EPIPE;
	if (fds != NULL) {
		fds[0] = got[0];
		fds[1] = got[1];
	} else {
		for (int i = 0; i < 2; i++)
			if (got[i] >= 0)
				close(got[i]);
	}
	if (strcmp(reply, "none") == 0)
		return -ENOENT;
	return strcmp(reply, "ok") == 0 ? 0 : -EPROTO;
}

/* Without a reply: a cold start of a thousand services must not wait for
 * a thousand round trips.  The holder handles messages in order, so a later
 * fetch sees the store. */
int
fdholder_store(struct fdholder *h, const char *name, const int fds[2])
{
	char msg[FDHOLDER_MSG];

	if ((size_t)snprintf(msg, sizeof msg, "S %s", name) >= sizeof msg)
		return -ENAMETOOLONG;
	return fdholder_send(h->fd, msg, fds, 2) < 0 ? -errno : 0;
}

int
fdholder_fetch(struct fdholder *h, const char *name, int fds[2])
{
	int r = fdholder_request(h, "F", name, NULL, fds);

	if (r == 0 && (fds[0] < 0 || fds[1] < 0))
		return -EPROTO;
	return r;
}

void
fdholder_drop(struct fdholder *h, const char *name)
{
	(void)fdholder_request(h, "D", name, NULL, NULL);
}

void
fdholder_quit(struct fdholder *h)
{
	fdholder_send(h->fd, "Q", NULL, 0);
	fdholder_close(h);
}

void
fdholder_close(struct fdholder *h)
{
	close(h->fd);
	free(h);
}

int
fdholder_rebind(struct fdholder *h, const char *state_dir)
{
	char *path = xasprintf("%s/%s", state_dir, FDHOLDER_SOCK);
	int r = fdholder_request(h, "R", path, NULL, NULL);

	free(path);
	if (r == 0 && h->pid > 0)
		fdholder_write_pidfile(state_dir, h->pid);
	return r;
}
