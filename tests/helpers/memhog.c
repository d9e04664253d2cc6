/*
 * memhog - allocate and touch memory, for OOM tests.
 *
 *   memhog [-c] [-r MIB_PER_SEC] [-m MAX_MIB] MIB
 *
 * Allocates and touches MIB MiB at once; with -r keeps growing by that many
 * MiB per second up to MAX_MIB (default: until killed); then sleeps until
 * a signal ends it.  With -c a child does the allocating while the parent
 * (the service's main process) waits for it, reports how it ended on
 * stdout and sleeps on, so a test can tell a child victim from the main one.
 * Progress lines on stdout: "allocated N MiB" after the first block and
 * every 16 MiB after it, "holding N MiB" when done.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB ((size_t)1 << 20)

static void
usage(void)
{
	fprintf(stderr, "usage: memhog [-c] [-r MIB_PER_SEC] [-m MAX_MIB] MIB\n");
	exit(2);
}

static unsigned long
number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		usage();
	return v;
}

/* Map and touch n MiB; private anonymous pages are charged to our cgroup. */
static void
grab(size_t n)
{
	char *p;

	if (n == 0)
		return;
	if ((p = mmap(NULL, n * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED) {
		fprintf(stderr, "memhog: mmap %zu MiB: %s\n", n, strerror(errno));
		exit(1);
	}
	for (size_t i = 0; i < n * MIB; i += 4096)
		p[i] = (char)(i | 1);
}

static void
hog(unsigned long first, unsigned long rate, unsigned long max)
{
	unsigned long have = first;
	struct timespec step;

	grab(first);
	printf("allocated %lu MiB\n", have);
	if (rate > 0) {
		step.tv_sec = (time_t)(1 / rate);
		step.tv_nsec = rate > 1 ? (long)(1000000000UL / rate) : 0;
		while (max == 0 || have < max) {
			nanosleep(&step, NULL);
			grab(1);
			if (++have % 16 == 0)
				printf("allocated %lu MiB\n", have);
		}
	}
	printf("holding %lu MiB\n", have);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	unsigned long rate = 0, max = 0, first;
	int c, in_child = 0, status;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "cr:m:")) != -1) {
		switch (c) {
		case 'c':
			in_child = 1;
			break;
		case 'r':
			rate = number(optarg);
			break;
		case 'm':
			max = number(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	first = number(argv[optind]);
	if (!in_child)
		hog(first, rate, max);
	if ((pid = fork()) == -1) {
		perror("memhog: fork");
		return 1;
	}
	if (pid == 0)
		hog(first, rate, max);
	printf("main %ld, hog child %ld\n", (long)getpid(), (long)pid);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			break;
	if (WIFSIGNALED(status))
		printf("hog child killed by signal %d\n", WTERMSIG(status));
	else
		printf("hog child exited %d\n", WEXITSTATUS(status));
	for (;;)
		pause();
}
