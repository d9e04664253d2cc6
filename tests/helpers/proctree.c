/*
 * proctree - a process tree for end-to-end tests of stopping and KillMode.
 *
 * usage: proctree -f FILE [-c NCHILD] [-g NGRAND] [-i ROLES] [-e MS] [-x CODE]
 *
 * The main process forks NCHILD children ("child1"...), each of which forks
 * NGRAND grandchildren ("grand1.1"...).  Every process appends
 * "start ROLE PID" to FILE when it runs, and "SIG ROLE PID" for every HUP,
 * INT, TERM, CONT, USR1 or USR2 it receives, so a test can tell which
 * process got which signal.  On SIGTERM a process exits 0, unless its role
 * starts with one of the comma-separated prefixes in ROLES ("main",
 * "child", "child2", "grand"...), in which case it keeps running.  With -e
 * the main process exits with CODE (-x, default 0) after MS milliseconds
 * and leaves its children behind.  When the whole tree runs, main appends
 * "ready N" (N processes in all).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct tree {
	const char	*file;
	const char	*ignore;
	int		 fd;
	int		 nchild;
	int		 ngrand;
	long		 exit_ms;
	int		 exit_code;
	char		 role[32];
	int		 ignores_term;
};

/* The signal handler needs the tree; a handler has no argument. */
static struct tree *handler_tree;

static void
usage(void)
{
	fprintf(stderr, "usage: proctree -f FILE [-c NCHILD] [-g NGRAND] "
	    "[-i ROLES] [-e MS] [-x CODE]\n");
	exit(2);
}

/* Append one line with a single write so lines of processes never mix. */
static void
record(struct tree *t, const char *what)
{
	char	 line[96];
	int	 n;

	n = snprintf(line, sizeof line, "%s %s %ld\n", what, t->role,
	    (long)getpid());
	if (n > 0 && write(t->fd, line, (size_t)n) < 0)
		_exit(111);
}

static const char *
signame(int sig)
{
	switch (sig) {
	case SIGHUP:
		return "HUP";
	case SIGINT:
		return "INT";
	case SIGTERM:
		return "TERM";
	case SIGCONT:
		return "CONT";
	case SIGUSR1:
		return "USR1";
	case SIGUSR2:
		return "USR2";
	}
	return "OTHER";
}

static void
on_signal(int sig)
{
	struct tree	*t = handler_tree;
	int		 saved = errno;

	record(t, signame(sig));
	if (sig == SIGTERM && !t->ignores_term)
		_exit(0);
	errno = saved;
}

/* Whether role matches one of the comma-separated prefixes in list. */
static int
role_ignores(const char *list, const char *role)
{
	const char	*p = list, *comma;
	size_t		 len;

	if (list == NULL)
		return 0;
	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len > 0 && strncmp(role, p, len) == 0)
			return 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

static void
become(struct tree *t, const char *role)
{
	struct sigaction	 sa;
	int			 sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGCONT,
				     SIGUSR1, SIGUSR2 };
	size_t			 i;

	snprintf(t->role, sizeof t->role, "%s", role);
	t->ignores_term = role_ignores(t->ignore, role);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		if (sigaction(sigs[i], &sa, NULL) < 0) {
			perror("sigaction");
			_exit(1);
		}
	}
	record(t, "start");
}

static void
idle_forever(void)
{
	for (;;)
		pause();
}

/* Fork a process that becomes role and never returns; -1 on error. */
static pid_t
spawn(struct tree *t, const char *role, int grand_of)
{
	char	 name[32];
	pid_t	 pid;
	int	 j;

	pid = fork();
	if (pid != 0)
		return pid;
	become(t, role);
	for (j = 1; grand_of > 0 && j <= t->ngrand; j++) {
		snprintf(name, sizeof name, "grand%d.%d", grand_of, j);
		if (spawn(t, name, 0) < 0) {
			perror("fork");
			_exit(1);
		}
	}
	idle_forever();
	return 0;
}

/* Count "start" lines in the record file: every process that runs. */
static int
count_started(const char *file)
{
	FILE	*f;
	char	 line[128];
	int	 n = 0;

	if ((f = fopen(file, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "start ", 6) == 0)
			n++;
	fclose(f);
	return n;
}

int
main(int argc, char **argv)
{
	struct tree	 t;
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	char		 name[32], line[32];
	int		 opt, i, total, waited;

	memset(&t, 0, sizeof t);
	t.exit_ms = -1;
	while ((opt = getopt(argc, argv, "f:c:g:i:e:x:")) != -1) {
		switch (opt) {
		case 'f':
			t.file = optarg;
			break;
		case 'c':
			t.nchild = atoi(optarg);
			break;
		case 'g':
			t.ngrand = atoi(optarg);
			break;
		case 'i':
			t.ignore = optarg;
			break;
		case 'e':
			t.exit_ms = atol(optarg);
			break;
		case 'x':
			t.exit_code = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (t.file == NULL || optind != argc)
		usage();
	t.fd = open(t.file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (t.fd < 0) {
		perror(t.file);
		return 1;
	}
	handler_tree = &t;
	become(&t, "main");
	for (i = 1; i <= t.nchild; i++) {
		snprintf(name, sizeof name, "child%d", i);
		if (spawn(&t, name, i) < 0) {
			perror("fork");
			return 1;
		}
	}
	total = 1 + t.nchild + t.nchild * t.ngrand;
	for (waited = 0; count_started(t.file) < total && waited < 1000; waited++)
		nanosleep(&ts, NULL);
	snprintf(line, sizeof line, "ready %d", total);
	if (dprintf(t.fd, "%s\n", line) < 0)
		return 1;
	printf("proctree: %s\n", line);
	fflush(stdout);
	if (t.exit_ms < 0)
		idle_forever();
	ts.tv_sec = t.exit_ms / 1000;
	ts.tv_nsec = (t.exit_ms % 1000) * 1000 * 1000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	record(&t, "exit");
	return t.exit_code;
}
