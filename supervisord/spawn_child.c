/*
 * spawn_child.c - the child between clone and exec (spawn_child.h).
 *
 * Raw system calls only: a glibc wrapper writes errno when a call fails,
 * and a child running beside supd in supd's memory shares supd's errno
 * (its thread-local storage is supd's).  A failure in the middle of a
 * PATH search is an ordinary event, not an exception.
 */
#include "spawn_child.h"

#include <errno.h> /* the constants: nothing here reads or writes errno */
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <sched.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rawsys.h"
#include "spawn.h"

#define SPAWN_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static size_t
child_strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

/* Append s to buf[*len..size-1), always NUL-terminated. */
static void
child_append(char *buf, size_t size, size_t *len, const char *s)
{
	while (*s != '\0' && *len + 1 < size)
		buf[(*len)++] = *s++;
	buf[*len] = '\0';
}

static void
child_append_errno(const struct spawn_child *c, char *buf, size_t size, size_t *len, int err)
{
	char num[16];
	size_t i = sizeof num;

	if (c->errtext != NULL && err > 0 && err < SPAWN_NERRTEXT && c->errtext[err] != NULL) {
		child_append(buf, size, len, c->errtext[err]);
		return;
	}
	num[--i] = '\0';
	do
		num[--i] = (char)('0' + err % 10);
	while ((err /= 10) > 0 && i > 0);
	child_append(buf, size, len, "error ");
	child_append(buf, size, len, num + i);
}

static int
child_dup2(int from, int to)
{
#ifdef SYS_dup2
	return (int)raw_sys(SYS_dup2, from, to);
#else
	return from == to ? to : (int)raw_sys(SYS_dup3, from, to, 0);
#endif
}

/* The message on the status pipe (the parent's error for the start) and,
 * with the step's name, on stderr (the service's log once it is there). */
static void __attribute__((noreturn))
child_fail(const struct spawn_child *c, int code, int err, const char *what, const char *detail)
{
	char msg[512], line[600];
	size_t n = 0, m = 0;
	const char *step = spawn_exit_status_name(code);

	msg[0] = '\0';
	child_append(msg, sizeof msg, &n, what);
	if (detail != NULL)
		child_append(msg, sizeof msg, &n, detail);
	if (err != 0) {
		child_append(msg, sizeof msg, &n, ": ");
		child_append_errno(c, msg, sizeof msg, &n, err);
	}
	(void)raw_sys(SYS_write, c->status_fd, msg, n);
	line[0] = '\0';
	child_append(line, sizeof line, &m, "supd: failed at step ");
	child_append(line, sizeof line, &m, step != NULL ? step : "?");
	child_append(line, sizeof line, &m, ": ");
	child_append(line, sizeof line, &m, msg);
	child_append(line, sizeof line, &m, "\n");
	(void)raw_sys(SYS_write, STDERR_FILENO, line, m);
	for (;;)
		(void)raw_sys(SYS_exit_group, code);
}

/* open, write s, close: 0 or -errno. */
static int
child_write_file(const char *path, const char *s)
{
	long fd = raw_sys(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CLOEXEC, 0), n;

	if (fd < 0)
		return (int)fd;
	do
		n = raw_sys(SYS_write, fd, s, child_strlen(s));
	while (n == -EINTR);
	(void)raw_sys(SYS_close, fd);
	return n < 0 ? (int)n : 0;
}

static void
child_descriptors(const struct spawn_child *c)
{
	long fd = c->null_fd, r;

	if (c->unshare_below > 0) {
		/* Before the first change: until then the table is supd's.
		 * unshare(2) copies all of it, but works before Linux 5.9. */
		r = raw_sys(SYS_close_range, c->unshare_below, ~0U, CLOSE_RANGE_UNSHARE);
		if (r < 0 && (r = raw_sys(SYS_unshare, CLONE_FILES)) < 0)
			child_fail(c, SPAWN_EXIT_FDS, (int)-r, "unsharing the descriptor table", NULL);
	}
	if (fd < 0 && (fd = raw_sys(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY, 0)) < 0)
		child_fail(c, SPAWN_EXIT_STDIN, (int)-fd, "stdin from /dev/null", NULL);
	if ((r = child_dup2((int)fd, STDIN_FILENO)) < 0)
		child_fail(c, SPAWN_EXIT_STDIN, (int)-r, "stdin from /dev/null", NULL);
	if (c->null_fd < 0 && fd > STDERR_FILENO)
		(void)raw_sys(SYS_close, fd);
	if ((r = child_dup2(c->output_fd, STDOUT_FILENO)) < 0 ||
	    (r = child_dup2(c->output_fd, STDERR_FILENO)) < 0)
		child_fail(c, SPAWN_EXIT_STDOUT, (int)-r, "stdout/stderr to the log", NULL);
}

static bool
child_signal_member(const sigset_t *set, int sig)
{
	const unsigned long *w = (const unsigned long *)set;
	const unsigned bits = 8 * sizeof *w;

	return (w[(unsigned)(sig - 1) / bits] >> ((unsigned)(sig - 1) % bits)) & 1;
}

/* Undo what supd set for itself: handlers (which would report a signal
 * sent to the child to supd's loop), ignored SIGPIPE, blocked signals. */
static void
child_signals(const struct spawn_child *c)
{
	/* The kernel's struct sigaction: handler, flags, restorer, mask. */
	struct {
		unsigned long handler, flags, restorer, mask;
	} dfl = {0, 0, 0, 0};
	unsigned long none = 0;
	long r;

	for (int sig = 1; sig <= 64; sig++) {
		/* 32 and 33 are glibc's own (thread cancellation, setxid). */
		if (sig == SIGKILL || sig == SIGSTOP || sig == 32 || sig == 33)
			continue;
		if (c->reset_signals == NULL || child_signal_member(c->reset_signals, sig))
			(void)raw_sys(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);
	}
	if ((r = raw_sys(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof none)) < 0)
		child_fail(c, SPAWN_EXIT_SIGNAL_MASK, (int)-r, "sigprocmask", NULL);
}

/* execve with a PATH search, like execvpe but over the service's PATH;
 * returns the most telling error. */
static int
child_exec(const struct spawn_child *c)
{
	const char *search = NULL, *p, *colon;
	size_t plen = child_strlen(c->path);
	char buf[4096];
	int saved = ENOENT;
	long r;

	for (const char *s = c->path; *s != '\0'; s++)
		if (*s == '/')
			return (int)-raw_sys(SYS_execve, c->path, c->argv, c->env);
	for (char *const *e = c->env; e != NULL && *e != NULL && search == NULL; e++)
		if ((*e)[0] == 'P' && (*e)[1] == 'A' && (*e)[2] == 'T' && (*e)[3] == 'H' &&
		    (*e)[4] == '=')
			search = *e + 5;
	if (search == NULL)
		search = SPAWN_DEFAULT_PATH;
	for (p = search; *p != '\0'; p = *colon != '\0' ? colon + 1 : colon) {
		size_t dlen;

		for (colon = p; *colon != '\0' && *colon != ':'; colon++)
			;
		dlen = (size_t)(colon - p);
		if (dlen == 0 || dlen + plen + 2 > sizeof buf)
			continue;
		for (size_t i = 0; i < dlen; i++)
			buf[i] = p[i];
		buf[dlen] = '/';
		for (size_t i = 0; i <= plen; i++)
			buf[dlen + 1 + i] = c->path[i];
		r = raw_sys(SYS_execve, buf, c->argv, c->env);
		/* Remember a more telling error than "not found" (EACCES). */
		if (r != -ENOENT && r != -ENOTDIR)
			saved = (int)-r;
	}
	return saved;
}

void
spawn_child_run(const struct spawn_child *c)
{
	long r;

	/* Output first, so that every later failure is in the service's log;
	 * then the cgroup, before anything the service does is charged. */
	child_descriptors(c);
	for (int i = 0; c->join[i] != NULL; i++)
		if ((r = child_write_file(c->join[i], "0")) < 0)
			child_fail(c, SPAWN_EXIT_CGROUP, (int)-r, "joining cgroup ", c->join[i]);
	child_signals(c);
	if ((r = raw_sys(SYS_setsid)) < 0)
		child_fail(c, SPAWN_EXIT_SETSID, (int)-r, "setsid", NULL);
	if (c->oom_score_adj != NULL &&
	    (r = child_write_file("/proc/self/oom_score_adj", c->oom_score_adj)) < 0)
		child_fail(c, SPAWN_EXIT_OOM_ADJUST, (int)-r, "OOMScoreAdjust=", c->oom_score_adj);
	(void)raw_sys(SYS_umask, c->umask);
	/* supd's raised descriptor limit is its own business (select() users
	 * break above 1024). */
	if (c->nofile != NULL && (r = raw_sys(SYS_prlimit64, 0, RLIMIT_NOFILE, c->nofile, NULL)) < 0)
		child_fail(c, SPAWN_EXIT_LIMITS, (int)-r, "RLIMIT_NOFILE", NULL);
	/* The system calls, not glibc's wrappers: those change every thread of
	 * a multi-threaded process. */
	if (c->set_credentials) {
		if ((r = raw_sys(SYS_setgroups, c->ngroups, c->groups)) < 0)
			child_fail(c, SPAWN_EXIT_GROUP, (int)-r, "setgroups", NULL);
		if ((r = raw_sys(SYS_setresgid, c->gid, c->gid, c->gid)) < 0)
			child_fail(c, SPAWN_EXIT_GROUP, (int)-r, "setresgid", NULL);
		if ((r = raw_sys(SYS_setresuid, c->uid, c->uid, c->uid)) < 0)
			child_fail(c, SPAWN_EXIT_USER, (int)-r, "setresuid", NULL);
	}
	if ((r = raw_sys(SYS_chdir, c->working_directory)) < 0) {
		if (!c->working_directory_optional)
			child_fail(c, SPAWN_EXIT_CHDIR, (int)-r, "WorkingDirectory=",
				   c->working_directory);
		if ((r = raw_sys(SYS_chdir, "/")) < 0)
			child_fail(c, SPAWN_EXIT_CHDIR, (int)-r, "chdir /", NULL);
	}
	child_fail(c, SPAWN_EXIT_EXEC, child_exec(c), "executing ", c->path);
}
