/*
 * fuzzlib.c - scratch files and invariant failures for the fuzz targets.
 * Errors here are the harness's, not the target's: they abort loudly so a
 * broken harness is never mistaken for a clean run.
 */
#include "fuzzlib.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[256];

void
fuzzlib_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
	abort();
}

bool
fuzzlib_known_bug(const char *tag)
{
	const char *list = getenv("FUZZ_KNOWN_BUGS"), *p;
	size_t n = strlen(tag);

	for (p = list; p != NULL && (p = strstr(p, tag)) != NULL; p += n) {
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	}
	return false;
}

static int
remove_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level == 0)
		return 0;
	if (remove(path) == -1 && errno != ENOENT) {
		fprintf(stderr, "fuzzlib: remove %s: %s\n", path, strerror(errno));
		abort();
	}
	return 0;
}

static void
scratch_remove(void)
{
	if (scratch[0] == '\0')
		return;
	fuzzlib_scratch_clear();
	rmdir(scratch);
}

const char *
fuzzlib_scratch_dir(void)
{
	struct stat st;

	if (scratch[0] != '\0')
		return scratch;
	/* The pid in the name lets run.sh remove what a crashed run left. */
	snprintf(scratch, sizeof scratch, "%s/supd-fuzz.%ld.XXXXXX",
		 stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp",
		 (long)getpid());
	if (mkdtemp(scratch) == NULL) {
		fprintf(stderr, "fuzzlib: mkdtemp %s: %s\n", scratch, strerror(errno));
		abort();
	}
	atexit(scratch_remove);
	return scratch;
}

void
fuzzlib_scratch_clear(void)
{
	if (nftw(fuzzlib_scratch_dir(), remove_cb, 16, FTW_DEPTH | FTW_PHYS) == -1) {
		fprintf(stderr, "fuzzlib: nftw %s: %s\n", scratch, strerror(errno));
		abort();
	}
}

void
fuzzlib_write_file(const char *path, const void *p, size_t n)
{
	const char *b = p;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1) {
		fprintf(stderr, "fuzzlib: open %s: %s\n", path, strerror(errno));
		abort();
	}
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "fuzzlib: write %s: %s\n", path, strerror(errno));
			abort();
		}
		b += w;
		n -= (size_t)w;
	}
	if (close(fd) == -1) {
		fprintf(stderr, "fuzzlib: close %s: %s\n", path, strerror(errno));
		abort();
	}
}

void
fuzzlib_mkdir(const char *path)
{
	if (mkdir(path, 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "fuzzlib: mkdir %s: %s\n", path, strerror(errno));
		abort();
	}
}

char *
fuzzlib_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
