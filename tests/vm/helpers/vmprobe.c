/*
 * vmprobe - kernel facts the VM cases check and busybox cannot reach.
 *
 *   vmprobe inotify FILE SECONDS     wait for IN_MODIFY on FILE
 *   vmprobe psi FILE TRIGGER SECONDS arm a PSI trigger ("some 50000
 *                                    1000000") on FILE, wait for it
 *   vmprobe clone3 CGDIR             clone3(CLONE_INTO_CGROUP) a child
 *                                    into CGDIR; print its /proc/self/cgroup
 *
 * A waiting probe prints "ready" once armed, so a case can start the
 * event only then.  Exit 0: the event came (or the child ran); 1: timeout;
 * 2: error, with the reason on stderr.
 */
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/sched.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
fail(const char *what, const char *arg)
{
	fprintf(stderr, "vmprobe: %s %s: %s\n", what, arg, strerror(errno));
	return 2;
}

static void
ready(void)
{
	printf("ready\n");
	fflush(stdout);
}

/* Wait for one poll event on fd; the sign of the answer tells timeout. */
static int
wait_event(int fd, short events, const char *seconds)
{
	struct pollfd	pfd = { .fd = fd, .events = events };
	int		n;

	do
		n = poll(&pfd, 1, atoi(seconds) * 1000);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return fail("poll", "");
	if (n == 0)
		return 1;
	if (pfd.revents & (POLLERR | POLLNVAL)) {
		fprintf(stderr, "vmprobe: poll: revents 0x%x\n", pfd.revents);
		return 2;
	}
	return 0;
}

static int
probe_inotify(char **argv)
{
	char	buf[4096] __attribute__((aligned(8)));
	int	fd, rc;

	if ((fd = inotify_init1(IN_CLOEXEC)) == -1)
		return fail("inotify_init1", "");
	if (inotify_add_watch(fd, argv[0], IN_MODIFY) == -1)
		return fail("inotify_add_watch", argv[0]);
	ready();
	if ((rc = wait_event(fd, POLLIN, argv[1])) != 0)
		return rc;
	if (read(fd, buf, sizeof buf) <= 0)
		return fail("read inotify", argv[0]);
	printf("IN_MODIFY\n");
	return 0;
}

static int
probe_psi(char **argv)
{
	int	fd, rc;

	if ((fd = open(argv[0], O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
		return fail("open", argv[0]);
	/* The kernel wants the trigger with its terminating NUL. */
	if (write(fd, argv[1], strlen(argv[1]) + 1) == -1)
		return fail("write trigger to", argv[0]);
	ready();
	if ((rc = wait_event(fd, POLLPRI, argv[2])) != 0)
		return rc;
	printf("triggered\n");
	return 0;
}

static int
probe_clone3(char **argv)
{
	struct clone_args	args;
	char			line[512];
	FILE			*f;
	pid_t			pid;
	int			fd, status;

	if ((fd = open(argv[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return fail("open", argv[0]);
	memset(&args, 0, sizeof args);
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (uint64_t)fd;
	/* glibc 2.36 has no clone3() wrapper. */
	pid = syscall(SYS_clone3, &args, sizeof args);
	if (pid == -1)
		return fail("clone3 into", argv[0]);
	if (pid == 0) {
		if ((f = fopen("/proc/self/cgroup", "r")) == NULL ||
		    fgets(line, sizeof line, f) == NULL)
			_exit(2);
		fputs(line, stdout);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) == -1)
		return fail("waitpid", "");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "inotify") == 0)
		return probe_inotify(argv + 2);
	if (argc == 5 && strcmp(argv[1], "psi") == 0)
		return probe_psi(argv + 2);
	if (argc == 3 && strcmp(argv[1], "clone3") == 0)
		return probe_clone3(argv + 2);
	fprintf(stderr, "usage: vmprobe inotify FILE SECONDS | "
	    "psi FILE TRIGGER SECONDS | clone3 CGDIR\n");
	return 2;
}
