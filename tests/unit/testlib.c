/*
 * testlib.c - the unit-test runner: forks each registered test with a
 * timeout, reports PASS/FAIL per test and "N passed, N failed".
 * Usage: test-foo [NAME...]  (no names: run all).
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct test_entry *tests;
static char tmpdir[256];

void
test_register(struct test_entry *e)
{
	struct test_entry **p = &tests;

	/* Keep source order: constructors run in declaration order. */
	while (*p != NULL)
		p = &(*p)->next;
	*p = e;
}

void
test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	_exit(1);
}

const char *
test_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		snprintf(tmpdir, sizeof tmpdir, "%s/supd-unit-XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(tmpdir) == NULL)
			test_fail(__FILE__, __LINE__, "mkdtemp: %s", strerror(errno));
	}
	return tmpdir;
}

static void
mkdir_parents(char *path)
{
	for (char *p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(path, 0755);
		*p = '/';
	}
}

const char *
test_write_file(const char *relpath, const char *content)
{
	static char path[4][512];
	static int slot;
	char *p = path[slot++ % 4];
	FILE *f;

	snprintf(p, sizeof path[0], "%s/%s", test_tmpdir(), relpath);
	mkdir_parents(p);
	if ((f = fopen(p, "w")) == NULL)
		test_fail(__FILE__, __LINE__, "fopen %s: %s", p, strerror(errno));
	fputs(content, f);
	fclose(f);
	return p;
}

const char *
test_read_line(const char *path)
{
	static char line[4][256];
	static int slot;
	char *l = line[slot++ % 4];
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return "(unreadable)";
	if (fgets(l, sizeof line[0], f) == NULL)
		l[0] = '\0';
	fclose(f);
	l[strcspn(l, "\n")] = '\0';
	return l;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
run_one(struct test_entry *t, int timeout_sec)
{
	pid_t pid;
	int status;

	fflush(stdout);
	if ((pid = fork()) == -1) {
		perror("fork");
		return 0;
	}
	if (pid == 0) {
		alarm((unsigned)timeout_sec);
		t->fn();
		if (tmpdir[0] != '\0')
			nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		exit(0);
	}
	if (waitpid(pid, &status, 0) == -1) {
		perror("waitpid");
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("PASS %s\n", t->name);
		return 1;
	}
	if (WIFSIGNALED(status))
		printf("FAIL %s: killed by signal %d%s\n", t->name, WTERMSIG(status),
		       WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
	else
		printf("FAIL %s: exit %d\n", t->name, WEXITSTATUS(status));
	return 0;
}

int
main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	int timeout_sec = getenv("TEST_TIMEOUT") ? atoi(getenv("TEST_TIMEOUT")) : 30;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct test_entry *t = tests; t != NULL; t = t->next) {
		int selected = argc < 2;

		for (int i = 1; i < argc; i++)
			if (strcmp(argv[i], t->name) == 0)
				selected = 1;
		if (!selected)
			continue;
		if (run_one(t, timeout_sec))
			passed++;
		else
			failed++;
	}
	printf("%s: %d passed, %d failed\n", argv[0], passed, failed);
	return failed == 0 ? 0 : 1;
}
