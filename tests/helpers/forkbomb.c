/*
 * forkbomb - a bounded fork bomb, for tests of TasksMax=.
 *
 *   forkbomb [-t SECONDS] [-d MICROSECONDS]
 *
 * Every process forks again and again, and every child does the same;
 * when fork fails (the pids limit) a process waits -d µs (default 0: it
 * retries at once) and tries again.  The first process prints "limit
 * reached" the first time its fork fails.  Every process exits after -t
 * seconds (default 60), so a bomb nobody stops still ends.  The main
 * process ignores nothing: SIGTERM and SIGKILL end each process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: forkbomb [-t SECONDS] [-d MICROSECONDS]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	long secs = 60, delay = 0;
	int ch, told = 0, main_proc = 1;
	time_t end;
	pid_t pid;

	while ((ch = getopt(argc, argv, "t:d:")) != -1) {
		switch (ch) {
		case 't':
			secs = strtol(optarg, NULL, 10);
			break;
		case 'd':
			delay = strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	end = time(NULL) + secs;
	while (time(NULL) < end) {
		pid = fork();
		if (pid == 0) {
			main_proc = 0;
			continue;
		}
		if (pid > 0)
			continue;
		if (main_proc && !told) {
			printf("limit reached: %s\n", strerror(errno));
			told = 1;
		}
		if (delay > 0)
			usleep((useconds_t)delay);
	}
	return 0;
}
