/*
 * strutil.h - allocation that never fails (it aborts on ENOMEM, as tmux's
 * xmalloc does: a supervisor that cannot allocate a few bytes cannot
 * continue meaningfully) and small string helpers.  Shared with supctl.
 */
#ifndef SUPD_STRUTIL_H
#define SUPD_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NULL-terminated array of strings (argv, environment lists). */
struct strv {
	char **v;
	size_t n;
	size_t cap;
};
void strv_push(struct strv *sv, const char *s);
void strv_push_take(struct strv *sv, char *s);
void strv_clear(struct strv *sv);
void strv_free(char **v);
char **strv_copy(char *const *v);
size_t strv_len(char *const *v);

/* Human-readable bytes ("512M", "7G", "1.5G"); buf needs 16 bytes. */
const char *fmt_bytes(uint64_t bytes, char *buf, size_t len);
/* Human-readable duration from microseconds ("3h 2min", "250ms"). */
const char *fmt_usec(uint64_t usec, char *buf, size_t len);

/* Length of the valid UTF-8 sequence (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) at p, of at most n bytes; 0 if the
 * bytes there are not one.  jansson accepts exactly these sequences. */
size_t utf8_seq_len(const unsigned char *p, size_t n);

/* Read a whole small file (cgroupfs, /proc) into buf; returns bytes read or -errno. */
long read_small_file(const char *path, char *buf, size_t len);
/* size bytes of fd from offset at, in a new NUL-terminated buffer; NULL on
 * an error or a short read. */
char *pread_alloc(int fd, size_t size, off_t at);
/* Write a string to an existing file (cgroupfs); returns 0 or -errno. */
int write_small_file(const char *path, const char *s);

/* mkdir -p; 0 or -errno. */
int mkdir_parents(const char *dir, mode_t mode);
/* Replace path's content atomically (a temporary file, then rename). */
int write_file_atomic(const char *path, const char *s);

#endif
