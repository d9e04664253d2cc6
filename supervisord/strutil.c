/*
 * strutil.c - allocation that aborts on ENOMEM, string vectors, and small
 * formatting and file helpers shared by supd and supctl.
 */
#include "strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void __attribute__((noreturn))
out_of_memory(size_t n)
{
	fprintf(stderr, "out of memory allocating %zu bytes\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		out_of_memory(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size);

	if (p == NULL)
		out_of_memory(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL)
		out_of_memory(n);
	return q;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	void *q = reallocarray(p, nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size);

	if (q == NULL)
		out_of_memory(nmemb * size);
	return q;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		out_of_memory(strlen(s) + 1);
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		out_of_memory(n + 1);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		out_of_memory(strlen(fmt));
	return s;
}

void
strv_push_take(struct strv *sv, char *s)
{
	if (sv->n + 2 > sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof *sv->v);
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void
strv_push(struct strv *sv, const char *s)
{
	strv_push_take(sv, xstrdup(s));
}

void
strv_clear(struct strv *sv)
{
	strv_free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void
strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

size_t
strv_len(char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

char **
strv_copy(char *const *v)
{
	size_t n = strv_len(v);
	char **c = xcalloc(n + 1, sizeof *c);

	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

const char *
fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	int u = -1;

	if (bytes == UINT64_MAX) {
		snprintf(buf, len, "infinity");
		return buf;
	}
	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
	else if (v >= 100.0 || v == (double)(uint64_t)v)
		snprintf(buf, len, "%.0f%c", v, units[u]);
	else
		snprintf(buf, len, "%.1f%c", v, units[u]);
	return buf;
}

const char *
fmt_usec(uint64_t usec, char *buf, size_t len)
{
	static const struct {
		const char *suffix;
		uint64_t usec;
	} table[] = {
		{"d", 86400000000ULL}, {"h", 3600000000ULL}, {"min", 60000000ULL},
		{"s", 1000000ULL},     {"ms", 1000ULL},      {"us", 1ULL},
	};
	size_t off = 0;
	int parts = 0;

	if (usec == UINT64_MAX) {
		snprintf(buf, len, "infinity");
		return buf;
	}
	if (usec == 0) {
		snprintf(buf, len, "0");
		return buf;
	}
	buf[0] = '\0';
	/* Two most significant components are enough for a human. */
	for (size_t i = 0; i < sizeof table / sizeof table[0] && parts < 2; i++) {
		uint64_t n = usec / table[i].usec;

		if (n == 0) {
			if (parts > 0)
				break;
			continue;
		}
		usec -= n * table[i].usec;
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "%s%llu%s",
					parts ? " " : "", (unsigned long long)n, table[i].suffix);
		parts++;
	}
	return buf;
}

long
read_small_file(const char *path, char *buf, size_t len)
{
	int fd;
	ssize_t n;
	size_t off = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	while (off + 1 < len) {
		n = read(fd, buf + off, len - 1 - off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	return (long)off;
}

int
write_small_file(const char *path, const char *s)
{
	int fd, r = 0;
	size_t len = strlen(s);
	ssize_t n;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -errno;
	do
		n = write(fd, s, len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	close(fd);
	return r;
}

int
write_file_atomic(const char *path, const char *s)
{
	char *tmp = xasprintf("%s.tmp", path);
	size_t len = strlen(s);
	int fd, r = 0;

	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1) {
		r = -errno;
		free(tmp);
		return r;
	}
	if (write(fd, s, len) != (ssize_t)len)
		r = errno ? -errno : -EIO;
	if (close(fd) == -1 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) == -1)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	free(tmp);
	return r;
}

int
mkdir_parents(const char *dir, mode_t mode)
{
	char *copy = xstrdup(dir);
	int r = 0;

	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(copy, mode) == -1 && errno != EEXIST) {
			r = -errno;
			break;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	return r;
}
