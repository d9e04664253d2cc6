/*
 * spawn.c - fork a service process into its cgroup and exec it.
 *
 * supd does not use uv_spawn: libuv 1.44 runs nothing between fork and
 * exec, and the child must be in its cgroup before its first instruction
 * (memory charged to another cgroup stays there).  supd is therefore the
 * only reaper of its children (supd.c).  The loop is single-threaded, so
 * the child may call ordinary functions; it still avoids allocation, and
 * where it shares supd's memory (clone_vm.h) it writes nothing of supd's.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#include "cgroup.h"
#include "clone_vm.h"
#include "strutil.h"
#include "userdb.h"

#define SPAWN_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int
spawn_fds_top(const struct spawn_fds *f)
{
	int top = f->null;

	if (f->out > top)
		top = f->out;
	if (f->status > top)
		top = f->status;
	return top;
}

/* /dev/null at the lowest free descriptor above stdio. */
static int
spawn_fds_open_one(void)
{
	int fd, low;

	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	if (fd > STDERR_FILENO)
		return fd;
	low = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	close(fd);
	return low == -1 ? -errno : low;
}

int
spawn_fds_open(struct spawn_fds *f)
{
	f->null = f->out = f->status = -1;
	if ((f->null = spawn_fds_open_one()) < 0 || (f->out = spawn_fds_open_one()) < 0 ||
	    (f->status = spawn_fds_open_one()) < 0) {
		int err = f->null < 0 ? f->null : f->out < 0 ? f->out : f->status;

		spawn_fds_close(f);
		return err;
	}
	return 0;
}

void
spawn_fds_close(struct spawn_fds *f)
{
	int *fds[] = {&f->null, &f->out, &f->status};

	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

const char *
spawn_exit_status_name(int status)
{
	switch (status) {
	case SPAWN_EXIT_CHDIR: return "CHDIR";
	case SPAWN_EXIT_NICE: return "NICE";
	case SPAWN_EXIT_FDS: return "FDS";
	case SPAWN_EXIT_EXEC: return "EXEC";
	case SPAWN_EXIT_MEMORY: return "MEMORY";
	case SPAWN_EXIT_LIMITS: return "LIMITS";
	case SPAWN_EXIT_OOM_ADJUST: return "OOM_ADJUST";
	case SPAWN_EXIT_SIGNAL_MASK: return "SIGNAL_MASK";
	case SPAWN_EXIT_STDIN: return "STDIN";
	case SPAWN_EXIT_STDOUT: return "STDOUT";
	case SPAWN_EXIT_GROUP: return "GROUP";
	case SPAWN_EXIT_USER: return "USER";
	case SPAWN_EXIT_CGROUP: return "CGROUP";
	case SPAWN_EXIT_SETSID: return "SETSID";
	case SPAWN_EXIT_ENVIRONMENT: return "ENVIRONMENT";
	default: return NULL;
	}
}

/* Report a failed step on the log and the status pipe, then exit with the
 * step's code.  Only stack buffers: no allocation after fork. */
static void __attribute__((noreturn))
spawn_child_fail(int status_fd, int exit_code, int err, const char *what, const char *detail)
{
	char msg[512];
	int n;

	n = snprintf(msg, sizeof msg, "%s%s", what, detail ? detail : "");
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof msg && err != 0)
		n += snprintf(msg + n, sizeof msg - (size_t)n, ": %s", strerror(err));
	if ((size_t)n >= sizeof msg)
		n = sizeof msg - 1;
	(void)!write(status_fd, msg, (size_t)n);
	dprintf(STDERR_FILENO, "supd: failed at step %s: %.*s\n",
		spawn_exit_status_name(exit_code), n, msg);
	_exit(exit_code);
}

static const char *
spawn_env_get(char **env, const char *name)
{
	size_t len = strlen(name);

	for (char **e = env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

/* execve with a PATH search, like execvpe but over the service's PATH. */
static int
spawn_exec(const char *path, char **argv, char **env)
{
	const char *search, *p, *colon;
	char buf[4096];
	int saved = ENOENT;

	if (strchr(path, '/') != NULL) {
		execve(path, argv, env);
		return errno;
	}
	search = spawn_env_get(env, "PATH");
	if (search == NULL)
		search = SPAWN_DEFAULT_PATH;
	for (p = search; *p != '\0'; p = *colon ? colon + 1 : colon) {
		size_t dlen;

		colon = strchrnul(p, ':');
		dlen = (size_t)(colon - p);
		if (dlen == 0 || dlen + strlen(path) + 2 > sizeof buf)
			continue;
		memcpy(buf, p, dlen);
		buf[dlen] = '/';
		strcpy(buf + dlen + 1, path);
		execve(buf, argv, env);
		/* Remember a more telling error than "not found" (EACCES). */
		if (errno != ENOENT && errno != ENOTDIR)
			saved = errno;
	}
	return saved;
}

struct spawn_child_args {
	const struct spawn_params *p;
	int output_fd;  /* p->output_fd, or its copy in p->low_fds */
	int status_fd;  /* the child's end of the status pipe */
	/* The child shares supd's table and keeps only the descriptors below
	 * this one; 0: it has a copy of its own. */
	int unshare_below;
	bool in_cgroup; /* born in its unified cgroup (clone3) */
};

static void
spawn_child_stdio(const struct spawn_child_args *a)
{
	const struct spawn_params *p = a->p;
	int fd;

	if (a->unshare_below > 0) {
		/* Before the first change: until then the table is supd's.
		 * unshare(2) copies all of it, but works on kernels before 5.9. */
		if (syscall(SYS_close_range, (unsigned)a->unshare_below, ~0U,
			    CLOSE_RANGE_UNSHARE) == -1 &&
		    unshare(CLONE_FILES) == -1)
			spawn_child_fail(a->status_fd, SPAWN_EXIT_FDS, errno,
					 "unsharing the descriptor table", NULL);
		fd = p->low_fds->null;
	} else if ((fd = open("/dev/null", O_RDONLY)) == -1) {
		spawn_child_fail(a->status_fd, SPAWN_EXIT_STDIN, errno, "stdin from /dev/null", NULL);
	}
	if (dup2(fd, STDIN_FILENO) == -1)
		spawn_child_fail(a->status_fd, SPAWN_EXIT_STDIN, errno, "stdin from /dev/null", NULL);
	if (a->unshare_below == 0 && fd > STDERR_FILENO)
		close(fd);
	if (dup2(a->output_fd, STDOUT_FILENO) == -1 || dup2(a->output_fd, STDERR_FILENO) == -1)
		spawn_child_fail(a->status_fd, SPAWN_EXIT_STDOUT, errno, "stdout/stderr to the log",
				 NULL);
}

static void __attribute__((noreturn))
spawn_child(const struct spawn_child_args *a)
{
	const struct spawn_params *p = a->p;
	int status_fd = a->status_fd;
	char what[PATH_MAX];
	sigset_t all;
	char buf[32];
	int r;

	/* Output first, so that every later failure is in the service's log;
	 * then the cgroup, before anything the service does is charged. */
	spawn_child_stdio(a);

	if (p->cg != NULL && (r = cgroup_join_self(p->cg, a->in_cgroup, what, sizeof what)) < 0)
		spawn_child_fail(status_fd, SPAWN_EXIT_CGROUP, -r, "joining cgroup ", what);

	/* Undo what supd set for itself: handlers (which would report a signal
	 * sent to the child to supd's loop), ignored SIGPIPE, blocked signals.
	 * Only those supd changed: one system call each. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP &&
		    (p->reset_signals == NULL || sigismember(p->reset_signals, sig) == 1))
			signal(sig, SIG_DFL);
	sigemptyset(&all);
	if (sigprocmask(SIG_SETMASK, &all, NULL) == -1)
		spawn_child_fail(status_fd, SPAWN_EXIT_SIGNAL_MASK, errno, "sigprocmask", NULL);

	if (setsid() == -1)
		spawn_child_fail(status_fd, SPAWN_EXIT_SETSID, errno, "setsid", NULL);

	if (p->oom_score_adjust_set) {
		snprintf(buf, sizeof buf, "%d", p->oom_score_adjust);
		if ((r = write_small_file("/proc/self/oom_score_adj", buf)) < 0)
			spawn_child_fail(status_fd, SPAWN_EXIT_OOM_ADJUST, -r, "OOMScoreAdjust=", buf);
	}

	umask((mode_t)p->umask);
	/* supd's raised descriptor limit is its own business (select() users
	 * break above 1024). */
	if (p->nofile != NULL && setrlimit(RLIMIT_NOFILE, p->nofile) == -1)
		spawn_child_fail(status_fd, SPAWN_EXIT_LIMITS, errno, "RLIMIT_NOFILE", NULL);

	/* The system calls, not glibc's wrappers: those change every thread of
	 * a multi-threaded process, and a child sharing supd's memory would
	 * find supd's threads in glibc's list.  The child is one thread. */
	if (p->set_credentials) {
		if (syscall(SYS_setgroups, (size_t)p->ngroups, p->groups) == -1)
			spawn_child_fail(status_fd, SPAWN_EXIT_GROUP, errno, "setgroups", NULL);
		if (syscall(SYS_setresgid, p->gid, p->gid, p->gid) == -1)
			spawn_child_fail(status_fd, SPAWN_EXIT_GROUP, errno, "setresgid", NULL);
		if (syscall(SYS_setresuid, p->uid, p->uid, p->uid) == -1)
			spawn_child_fail(status_fd, SPAWN_EXIT_USER, errno, "setresuid", NULL);
	}

	if (chdir(p->working_directory ? p->working_directory : "/") == -1) {
		if (!p->working_directory_optional)
			spawn_child_fail(status_fd, SPAWN_EXIT_CHDIR, errno, "WorkingDirectory=",
					 p->working_directory);
		if (chdir("/") == -1)
			spawn_child_fail(status_fd, SPAWN_EXIT_CHDIR, errno, "chdir /", NULL);
	}

	r = spawn_exec(p->path, p->argv, p->env);
	spawn_child_fail(status_fd, SPAWN_EXIT_EXEC, r, "executing ", p->path);
}

static int
spawn_child_entry(void *arg)
{
	/* The parent's end of the status pipe is close-on-exec: no system call
	 * for it here. */
	spawn_child(arg);
}

/* A vfork-style child's stack (clone_vm.h): the deepest path, a failure
 * report through dprintf, takes a few KiB; the sanitizers' frames more. */
#define SPAWN_CHILD_STACK (64 * 1024)

/* The child is born in its unified cgroup; -1 with errno when the kernel
 * refuses, so the caller falls back to fork.  Where this build can, the
 * child shares supd's memory and supd waits until it has exec'd
 * (clone_vm.h): the cost of a start does not grow with supd's size.  It is
 * short: the v1 joins write a thread id to a tasks file, no migration of a
 * whole process (cgroup_join_self). */
static pid_t
spawn_clone_into_cgroup(struct spawn_child_args *a, int cgroup_fd)
{
	char child_stack[SPAWN_CHILD_STACK] __attribute__((aligned(16)));
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	a->in_cgroup = true;
	if (clone_vm_supported() && !a->p->batch) {
		const struct spawn_fds *low = a->p->low_fds;
		int output_fd = a->output_fd, status_fd = a->status_fd;

		/* supd is suspended until the child has unshared its table:
		 * the low descriptors are the child's meanwhile. */
		if (low != NULL && dup3(output_fd, low->out, O_CLOEXEC) != -1 &&
		    dup3(status_fd, low->status, O_CLOEXEC) != -1) {
			a->output_fd = low->out;
			a->status_fd = low->status;
			a->unshare_below = spawn_fds_top(low) + 1;
		}
		pid = clone_vm_into_cgroup(cgroup_fd, a->unshare_below > 0, spawn_child_entry, a,
					   child_stack, sizeof child_stack);
#ifdef __SANITIZE_ADDRESS__
		/* The child's frames left their redzones marked in this array;
		 * the calls that reuse this stack after us would trip on them. */
		__asan_unpoison_memory_region(child_stack, sizeof child_stack);
#endif
		if (low != NULL) {
			/* Else supd would hold the pipes' write ends: the status
			 * pipe would never reach EOF. */
			(void)dup3(low->null, low->out, O_CLOEXEC);
			(void)dup3(low->null, low->status, O_CLOEXEC);
			a->output_fd = output_fd;
			a->status_fd = status_fd;
			a->unshare_below = 0;
		}
	} else {
		pid = cgroup_fork_into(cgroup_fd);
		if (pid == 0)
			spawn_child_entry(a);
	}
	if (pid == -1)
		a->in_cgroup = false;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

/*
 * Start the child with fork(), where it cannot be born in its cgroup.  Not
 * vfork (CLONE_VM | CLONE_VFORK): that suspends supd until the child has
 * exec'd, and this child moves itself into its unified cgroup through
 * cgroup.procs, which can wait a whole RCU grace period (5-15 ms,
 * measured); supd's loop must never wait for a child.  Every signal stays blocked until the child has reset
 * the handlers, so none of supd's runs in it.
 */
static pid_t
spawn_clone(struct spawn_child_args *a)
{
	sigset_t all, old;
	pid_t pid;

	/* Until the child has reset supd's handlers, a signal sent to it (a
	 * stop right after a start) must wait: run in the child, libuv's
	 * handler would report it to supd's own loop. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0)
		spawn_child_entry(a);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

pid_t
spawn_process(const struct spawn_params *p, int *status_fd, char **cause)
{
	struct spawn_child_args a;
	int pipefd[2], cgfd;
	pid_t pid;

	/* Non-blocking at both ends: supd's is polled, and the child's one
	 * report (a few hundred bytes) always fits in an empty pipe. */
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) == -1) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	a.p = p;
	a.output_fd = p->output_fd;
	a.status_fd = pipefd[1];
	a.unshare_below = 0;
	a.in_cgroup = false;
	pid = -1;
	if (p->cg != NULL && (cgfd = cgroup_open_clone_fd(p->cg)) >= 0) {
		pid = spawn_clone_into_cgroup(&a, cgfd);
		close(cgfd);
	}
	if (pid == -1)
		pid = spawn_clone(&a);
	if (pid == -1) {
		*cause = xasprintf("fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	close(pipefd[1]);
	*status_fd = pipefd[0];
	return pid;
}

int
spawn_resolve_credentials(const char *user, const char *group, struct spawn_params *p,
			  char **name, char **home, char **shell, char **cause)
{
	struct userdb_user u = { 0 };
	int r;

	*name = *home = *shell = NULL;
	p->set_credentials = false;
	if (user == NULL && group == NULL)
		return 0;
	p->set_credentials = true;
	p->uid = getuid();
	p->gid = getgid();
	if (user != NULL) {
		if ((r = userdb_user(&userdb_system, user, &u)) < 0) {
			*cause = r == -ENOENT ? xasprintf("User=%s: no such user in %s", user,
							  userdb_system.passwd)
					      : xasprintf("User=%s: reading %s: %s", user,
							  userdb_system.passwd, strerror(-r));
			return -1;
		}
		p->uid = u.uid;
		p->gid = u.gid;
	}
	if (group != NULL && (r = userdb_group(&userdb_system, group, &p->gid)) < 0) {
		*cause = r == -ENOENT ? xasprintf("Group=%s: no such group in %s", group,
						  userdb_system.group)
				      : xasprintf("Group=%s: reading %s: %s", group,
						  userdb_system.group, strerror(-r));
		userdb_user_free(&u);
		return -1;
	}
	if (user != NULL) {
		/* User=65534 means "nobody": the name is the entry's. */
		p->groups = userdb_groups_of(&userdb_system, u.name, p->gid, &p->ngroups);
		*name = u.name;
		*home = u.home;
		*shell = u.shell;
	} else {
		p->groups = xcalloc(1, sizeof *p->groups);
		p->groups[0] = p->gid;
		p->ngroups = 1;
	}
	return 0;
}
