/*
 * fdholder.c - supd's side of the fd holder (fdholder.h), and its start:
 * the supd-fdholder program, or where that cannot be executed a fork of
 * supd running the program's own loop (fdholder_program_serve).  The
 * protocol is
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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "strutil.h"

#define FDHOLDER_TIMEOUT_SEC 2
/* Where `make install` puts supd-fdholder (the Makefile's LIBEXECDIR). */
#ifndef SUPD_LIBEXECDIR
#define SUPD_LIBEXECDIR "/usr/local/libexec/supd"
#endif

struct fdholder {
	int fd;
	pid_t pid; /* the holder's, 0 if unknown */
	bool ours; /* started by this supd: holds only what it was given since */
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
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1 || listen(fd, 4) == -1 ||
	    chmod(path, 0600) == -1) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
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

/* Close every descriptor from lowest up: supd may have thousands, not all
 * close-on-exec, and a holder that kept a copy of supd's would keep, say, a
 * client's connection open. */
static void
fdholder_close_from(int lowest)
{
	struct rlimit rl;
	long top;

#ifdef SYS_close_range
	/* One call where the kernel has it (5.9). */
	if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0)
		return;
#endif
	top = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? (long)rl.rlim_cur
										    : 1L << 20;
	for (long fd = lowest; fd < top; fd++)
		close((int)fd); /* EBADF for most: nothing was open there */
}

/* In a child of supd that becomes the holder: outlive supd (own session,
 * no signals from its terminal or its process group) in "/".  Ignored
 * signals stay ignored across exec.  0 or an errno. */
static int
fdholder_detach(void)
{
	sigset_t none;
	struct sigaction sa_ign = {.sa_handler = SIG_IGN};

	if (setsid() == -1)
		return errno;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			(void)sigaction(sig, &sa_ign, NULL); /* EINVAL: glibc's own */
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) == -1 || chdir("/") == -1)
		return errno;
	return 0;
}

/* In the child: lfd becomes FDHOLDER_LISTEN_FD, the error pipe 4, every
 * other descriptor closed, then exec, with the socket's path as argument
 * for ps(1) to show which holder is whose, and no environment.  The errno
 * of what failed. */
static int
fdholder_child_exec(const char *prog, const char *path, int lfd, int *errfd)
{
	char *const argv[] = {(char *)FDHOLDER_PROG, (char *)path, NULL}, *const envp[] = {NULL};
	int l, w;

	/* Both above 4 first, so that neither dup onto 3 or 4 clobbers the
	 * other; dup2 clears close-on-exec on 3, which the holder keeps. */
	if ((l = fcntl(lfd, F_DUPFD_CLOEXEC, 5)) == -1 || (w = fcntl(*errfd, F_DUPFD_CLOEXEC, 5)) == -1)
		return errno;
	*errfd = w;
	if (dup2(l, FDHOLDER_LISTEN_FD) == -1 || dup3(w, 4, O_CLOEXEC) == -1)
		return errno;
	*errfd = 4;
	for (int fd = 0; fd < FDHOLDER_LISTEN_FD; fd++)
		close(fd);
	fdholder_close_from(5);
	execve(prog, argv, envp);
	return errno;
}

/* Fork and exec the holder program with lfd, listening at path: its pid,
 * or -1 with errno set.  The child reports a failed exec on a close-on-exec
 * pipe, whose EOF alone means the exec happened. */
static pid_t
fdholder_exec(const char *prog, const char *path, int lfd)
{
	int p[2], err = 0, why;
	pid_t pid;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		err = errno;
		close(p[0]);
		close(p[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		int w = p[1];

		close(p[0]);
		if ((err = fdholder_detach()) == 0)
			err = fdholder_child_exec(prog, path, lfd, &w);
		(void)!write(w, &err, sizeof err); /* a short write reads as EIO */
		_exit(127);
	}
	close(p[1]);
	do
		n = read(p[0], &err, sizeof err);
	while (n == -1 && errno == EINTR);
	why = n == -1 ? errno : n == (ssize_t)sizeof err && err != 0 ? err : EIO;
	close(p[0]);
	if (n == 0)
		return pid;
	/* Failed, or unknown (a read error): make sure no holder runs. */
	if (n == -1)
		kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
	errno = why;
	return -1;
}

/* Fork the holder as a copy of supd: the fallback when supd-fdholder
 * cannot be executed.  Its pid or -1 with errno set. */
static pid_t
fdholder_fork(int lfd)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	if (fdholder_detach() != 0 || dup2(lfd, FDHOLDER_LISTEN_FD) == -1)
		_exit(111);
	for (int fd = 0; fd < FDHOLDER_LISTEN_FD; fd++)
		close(fd);
	fdholder_close_from(FDHOLDER_LISTEN_FD + 1);
	fdholder_program_serve();
}

/* supd-fdholder next to supd's executable (a build tree, or an install
 * with both in one directory), else in SUPD_LIBEXECDIR; NULL if neither is
 * executable. */
static char *
fdholder_find_prog(void)
{
	char exe[4096], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			path = xasprintf("%s/%s", exe, FDHOLDER_PROG);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	path = xasprintf("%s/%s", SUPD_LIBEXECDIR, FDHOLDER_PROG);
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

static int
fdholder_spawn(const struct sockaddr_un *sa, char **cause)
{
	int lfd = fdholder_listen(sa->sun_path);
	char *prog;
	pid_t pid = -1;

	if (lfd < 0) {
		*cause = xasprintf("%s: %s", sa->sun_path, strerror(-lfd));
		return -1;
	}
	if ((prog = fdholder_find_prog()) == NULL)
		log_warnx("no %s next to supd nor in %s: the fd holder is a fork of supd "
			  "(more memory)", FDHOLDER_PROG, SUPD_LIBEXECDIR);
	else if ((pid = fdholder_exec(prog, sa->sun_path, lfd)) == -1)
		log_warnx("%s: %s: the fd holder is a fork of supd (more memory)", prog,
			  strerror(errno));
	else
		log_info("started output fd holder %s, pid %d", prog, (int)pid);
	free(prog);
	if (pid == -1) {
		if ((pid = fdholder_fork(lfd)) == -1) {
			*cause = xasprintf("fork: %s", strerror(errno));
			close(lfd);
			return -1;
		}
		log_info("started output fd holder, pid %d", (int)pid);
	}
	close(lfd);
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
	h->ours = spawned > 0;
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

bool
fdholder_may_hold(const struct fdholder *h)
{
	return !h->ours;
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
