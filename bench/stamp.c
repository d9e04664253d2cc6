/*
 * stamp - the benchmark's service.  The first thing main() does is read
 * CLOCK_MONOTONIC; the stamp line "NS PID ID\n" is then appended to a file
 * shared by all services of a run (O_APPEND keeps short lines whole).
 *
 * Usage: stamp FILE ID MODE [ARGS]
 *   stamp FILE ID sleep          stamp, then sleep forever
 *   stamp FILE ID exit CODE      stamp, then exit at once (crash storm)
 *   stamp FILE ID grow PROGDIR BASE_MIB RATE_MIB_S LIMIT_MIB CAP_MIB [CGPROCS]
 *       join the cgroup whose cgroup.procs file is CGPROCS (if given:
 *       runit's memcg floor; before the stamp, as a supervisor joins its
 *       child before exec, so both rows pay for a cgroup migration), stamp,
 *       touch BASE_MIB, then RATE_MIB_S more every second up to
 *       CAP_MIB; PROGDIR/ID.PID holds "T_LAST TOUCHED T_CROSS", rewritten
 *       after every page, where T_CROSS is when touched memory plus the
 *       starting RSS first reached LIMIT_MIB (0 until then).
 * With at most one argument (runit, s6, daemontools run it as ./run; s6
 * passes the service's name) the words come from ./stamp.conf, one line,
 * separated by spaces.
 * Built static so that little runs before main().
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024L)
#define MAXWORDS 16

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
conf_words(char *buf, size_t size, char **words)
{
	int fd, n = 0;
	ssize_t len;
	char *p, *save = NULL;

	if ((fd = open("stamp.conf", O_RDONLY)) == -1)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (p = strtok_r(buf, " \t\n", &save); p != NULL && n < MAXWORDS - 1;
	    p = strtok_r(NULL, " \t\n", &save))
		words[n++] = p;
	words[n] = NULL;
	return n;
}

static long
rss_bytes(void)
{
	long size, rss;
	FILE *f;

	if ((f = fopen("/proc/self/statm", "r")) == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &size, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * sysconf(_SC_PAGESIZE);
}

static void
join_cgroup(const char *procs)
{
	char pid[32];
	int fd, len;

	len = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
	if ((fd = open(procs, O_WRONLY)) == -1 || write(fd, pid, len) != len) {
		perror(procs);
		exit(3);
	}
	close(fd);
}

static void
grow(char **a, int n, const char *id)
{
	long base, rate, limit, cap, touched = 0, start_rss, page;
	int64_t t0, t, t_cross = 0;
	char path[4096], rec[96];
	char *mem;
	int fd, len;

	if (n < 5) {
		fprintf(stderr, "stamp: grow needs PROGDIR BASE RATE LIMIT CAP [CGPROCS]\n");
		exit(2);
	}
	base = atol(a[1]) * MIB;
	rate = atol(a[2]) * MIB;
	limit = atol(a[3]) * MIB;
	cap = atol(a[4]) * MIB;
	page = sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof path, "%s/%s.%d", a[0], id, (int)getpid());
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1) {
		perror(path);
		exit(3);
	}
	mem = mmap(NULL, cap, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		exit(3);
	}
	start_rss = rss_bytes();
	t0 = now_ns();
	for (;;) {
		t = now_ns();
		long want = base + (long)((double)rate * (t - t0) / 1e9);
		if (want > cap)
			want = cap;
		while (touched < want) {
			mem[touched] = 1;
			touched += page;
			if (t_cross == 0 && touched + start_rss >= limit)
				t_cross = now_ns();
			len = snprintf(rec, sizeof rec, "%" PRId64 " %ld %" PRId64 "\n",
			    now_ns(), touched, t_cross);
			if (pwrite(fd, rec, len, 0) != len)
				exit(3);
		}
		if (touched >= cap)
			pause();
		usleep(1000);
	}
}

int
main(int argc, char **argv)
{
	int64_t t = now_ns();
	char line[64], conf[4096], *words[MAXWORDS], **a = argv + 1;
	int fd, len, n = argc - 1;

	if (argc <= 2 && (n = conf_words(conf, sizeof conf, words)) > 0)
		a = words;
	if (n < 3) {
		fprintf(stderr, "usage: stamp FILE ID sleep|exit|grow [ARGS]\n");
		return 2;
	}
	if (n >= 9 && strcmp(a[2], "grow") == 0) {
		join_cgroup(a[8]);
		t = now_ns();
	}
	len = snprintf(line, sizeof line, "%" PRId64 " %d %s\n", t, (int)getpid(), a[1]);
	if ((fd = open(a[0], O_WRONLY | O_APPEND | O_CREAT, 0644)) == -1 ||
	    write(fd, line, len) != len) {
		perror(a[0]);
		return 3;
	}
	close(fd);
	if (strcmp(a[2], "exit") == 0)
		return n > 3 ? atoi(a[3]) : 1;
	if (strcmp(a[2], "grow") == 0)
		grow(a + 3, n - 3, a[1]);
	for (;;)
		pause();
}
