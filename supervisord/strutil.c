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

/* Copy text into buf as snprintf(buf, len, "%s", text) would. */
static const char *
fmt_copy(const char *text, size_t n, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (n >= len)
		n = len - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return buf;
}

/* The decimal digits of v, ending at end; returns where they start. */
static char *
fmt_digits(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

/* num/den rounded to an integer as glibc's printf rounds an exact binary
 * fraction: to nearest, ties to even. */
static uint64_t
fmt_round(uint64_t num, uint64_t den)
{
	uint64_t q = num / den, r = num % den;

	if (r > den - r || (r == den - r && (q & 1)))
		q++;
	return q;
}

/*
 * "512M", "1.5G", "100B".  By integer arithmetic, because status tables
 * print thousands of these: the same digits as "%.0f" / "%.1f" of
 * bytes / 1024^n, which is exact in binary as long as bytes is (below 2^53;
 * larger counts take the floating-point way, as they always did).
 */
const char *
fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	char text[32], *end = text + sizeof text, *p;
	uint64_t unit = 1, tenths;
	double v = (double)bytes;
	int u = -1;

	if (bytes == UINT64_MAX)
		return fmt_copy("infinity", 8, buf, len);
	if (bytes >= (1ULL << 53)) {
		while (v >= 1024.0 && u < 5) {
			v /= 1024.0;
			u++;
		}
		if (v >= 100.0 || v == (double)(uint64_t)v)
			snprintf(buf, len, "%.0f%c", v, units[u]);
		else
			snprintf(buf, len, "%.1f%c", v, units[u]);
		return buf;
	}
	while (bytes / unit >= 1024 && u < 5) {
		unit *= 1024;
		u++;
	}
	if (u < 0) {
		*--end = 'B';
		p = fmt_digits(bytes, end);
	} else {
		*--end = units[u];
		if (bytes / unit >= 100 || bytes % unit == 0) {
			p = fmt_digits(fmt_round(bytes, unit), end);
		} else {
			tenths = fmt_round(bytes * 10, unit);
			*--end = (char)('0' + tenths % 10);
			*--end = '.';
			p = fmt_digits(tenths / 10, end);
		}
	}
	return fmt_copy(p, (size_t)(text + sizeof text - p), buf, len);
}

size_t
utf8_seq_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
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
	char text[64], digits[24], *d;
	size_t off = 0, n_digits;
	int parts = 0;

	if (usec == UINT64_MAX)
		return fmt_copy("infinity", 8, buf, len);
	if (usec == 0)
		return fmt_copy("0", 1, buf, len);
	/* Two most significant components are enough for a human.  Written
	 * by hand: a status table has one per row. */
	for (size_t i = 0; i < sizeof table / sizeof table[0] && parts < 2; i++) {
		uint64_t n = usec / table[i].usec;

		if (n == 0) {
			if (parts > 0)
				break;
			continue;
		}
		usec -= n * table[i].usec;
		if (parts > 0)
			text[off++] = ' ';
		d = fmt_digits(n, digits + sizeof digits);
		n_digits = (size_t)(digits + sizeof digits - d);
		memcpy(text + off, d, n_digits);
		off += n_digits;
		memcpy(text + off, table[i].suffix, strlen(table[i].suffix));
		off += strlen(table[i].suffix);
		parts++;
	}
	return fmt_copy(text, off, buf, len);
}

char *
pread_alloc(int fd, size_t size, off_t at)
{
	char *buf = xmalloc(size + 1);
	size_t got = 0;

	while (got < size) {
		ssize_t n = pread(fd, buf + got, size - got, at + (off_t)got);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return NULL;
		}
		got += (size_t)n;
	}
	buf[size] = '\0';
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
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n == -1 ? -errno : -EIO;
			break;
		}
		s += n;
		len -= (size_t)n;
	}
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
