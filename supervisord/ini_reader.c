/*
 * ini_reader.c - the line reader that feeds libinih.
 *
 * libinih r55 as Debian ships it cuts lines at 199 bytes, ends a value at
 * " ;", continues a key on an indented line, knows no trailing-backslash
 * continuation and gives its handler no line number.  Instead of a second
 * INI parser, supd hands ini_parse_stream() one cooked logical line per
 * call: comments dropped, continuations joined, leading whitespace
 * stripped, ';' replaced by a byte libinih does not know (and restored
 * before the handler sees the text), and every line that would not fit
 * libinih's buffer refused with an error instead of being truncated.
 * libinih's run-time options (ini_allow_inline_comments, ...) are left
 * alone: the reader does not need them.  The one exception is the line
 * size: Debian's build allocates its line buffer on the stack with
 * ini_max_line bytes, so the reader raises it to INI_READER_MAX_LINE for
 * the length of its own ini_parse_stream() call (and restores it), and
 * still never hands libinih more than the size libinih asks for.
 */
#include "ini_reader.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

/* Stands for ';' while a line is inside libinih; refused in input. */
#define SEMICOLON_STANDIN '\x1f'
/* libinih's line buffer while the reader runs: systemd units may have long
 * ExecStart= lines, and 16 KiB on the stack is harmless. */
#define INI_READER_MAX_LINE 16384
/* libinih r55 keeps at most this many bytes of a section name. */
#define INI_SECTION_MAX 49
#define WHITESPACE " \t\r\n"

struct reader {
	const char *name;
	FILE *f;
	int line;     /* physical lines read so far */
	int cur_line; /* first physical line of the logical line in libinih */
	ini_reader_handler handler;
	void *user;
	struct diag_list *dl;
	bool stop;
	char *phys;
	size_t phys_cap;
	char *logical;
	size_t logical_len, logical_cap;
};

static void
logical_append(struct reader *r, const char *s, size_t n)
{
	if (r->logical_len + n + 1 > r->logical_cap) {
		r->logical_cap = (r->logical_len + n + 1) * 2;
		r->logical = xrealloc(r->logical, r->logical_cap);
	}
	memcpy(r->logical + r->logical_len, s, n);
	r->logical_len += n;
	r->logical[r->logical_len] = '\0';
}

/* Read one physical line without its line ending; false at end of file. */
static bool
read_physical(struct reader *r, size_t *len)
{
	ssize_t n;

	errno = 0;
	if ((n = getline(&r->phys, &r->phys_cap, r->f)) < 0) {
		if (errno != 0 && errno != EINVAL)
			diag_add(r->dl, DIAG_ERROR, r->name, r->line + 1, "read error: %s",
				 strerror(errno));
		return false;
	}
	r->line++;
	while (n > 0 && (r->phys[n - 1] == '\n' || r->phys[n - 1] == '\r'))
		n--;
	r->phys[n] = '\0';
	if (r->line == 1 && n >= 3 && memcmp(r->phys, "\xef\xbb\xbf", 3) == 0) {
		memmove(r->phys, r->phys + 3, (size_t)n - 2);
		n -= 3;
	}
	*len = (size_t)n;
	return true;
}

/* systemd's rule: a line continues if it ends in an unescaped backslash. */
static bool
ends_in_continuation(const char *s, size_t len)
{
	bool escaped = false;

	for (size_t i = 0; i < len; i++) {
		if (escaped)
			escaped = false;
		else if (s[i] == '\\')
			escaped = true;
	}
	return escaped;
}

/*
 * Assemble the next logical line into r->logical: comment lines are
 * skipped (also between continued lines, as systemd does) and the
 * backslash of a continued line becomes a space.  False at end of file.
 */
static bool
read_logical(struct reader *r)
{
	bool pending = false;
	size_t len;

	r->logical_len = 0;
	logical_append(r, "", 0);
	while (read_physical(r, &len)) {
		const char *l = r->phys + strspn(r->phys, WHITESPACE);

		if (strlen(r->phys) != len) {
			diag_add(r->dl, DIAG_ERROR, r->name, r->line, "line contains a NUL byte");
			r->phys[0] = '\0';
			len = 0;
		}
		if (*l == '#' || *l == ';')
			continue;
		if (!pending)
			r->cur_line = r->line;
		if (ends_in_continuation(r->phys, len)) {
			r->phys[len - 1] = ' ';
			logical_append(r, r->phys, len);
			pending = true;
			continue;
		}
		logical_append(r, r->phys, len);
		return true;
	}
	return pending;
}

/* Refuse what libinih would misread; NULL if the line is fine. */
static const char *
check_line(const char *s, size_t len, size_t max)
{
	const char *eq;
	size_t k;

	if (len > max)
		return NULL; /* reported with the sizes by the caller */
	if (memchr(s, SEMICOLON_STANDIN, len) != NULL)
		return "line contains a control character (0x1f)";
	if (s[0] == '[') {
		while (len > 0 && strchr(WHITESPACE, s[len - 1]) != NULL)
			len--;
		if (s[len - 1] != ']' || memchr(s + 1, ']', len - 2) != NULL)
			return "invalid section header (expected [Section])";
		if (len - 2 == 0)
			return "empty section name";
		if (len - 2 > INI_SECTION_MAX)
			return "section name too long";
		return NULL;
	}
	if ((eq = memchr(s, '=', len)) == NULL)
		return "line is neither a [Section] header nor a Key=Value assignment";
	k = (size_t)(eq - s);
	while (k > 0 && strchr(WHITESPACE, s[k - 1]) != NULL)
		k--;
	if (k == 0)
		return "assignment without a key name";
	if (memchr(s, ':', k) != NULL || memchr(s, '[', k) != NULL)
		return "invalid key name";
	return NULL;
}

/* libinih's fgets-style reader: one cooked logical line per call. */
static char *
reader_cb(char *str, int num, void *stream)
{
	struct reader *r = stream;

	while (!r->stop && read_logical(r)) {
		char *s = r->logical + strspn(r->logical, WHITESPACE);
		size_t len = strlen(s), max = num > 2 ? (size_t)num - 2 : 0;
		const char *why;

		if (*s == '\0')
			continue;
		if ((why = check_line(s, len, max)) != NULL) {
			diag_add(r->dl, DIAG_ERROR, r->name, r->cur_line, "%s", why);
			continue;
		}
		if (len > max) {
			diag_add(r->dl, DIAG_ERROR, r->name, r->cur_line,
				 "line too long (%zu bytes; at most %zu after joining continuations):"
				 " refused rather than truncated",
				 len, max);
			continue;
		}
		if (s[0] == '[') {
			/* Tell the handler where the section starts (the name as
			 * libinih will pass it: between the brackets, untrimmed). */
			size_t end = len;
			char *sec;

			while (end > 0 && s[end - 1] != ']')
				end--;
			sec = xstrndup(s + 1, end > 1 ? end - 2 : 0);
			if (r->handler(r->user, sec, NULL, NULL, r->name, r->cur_line) != 0)
				r->stop = true;
			free(sec);
		}
		for (size_t i = 0; i < len; i++) {
			if (s[i] == ';')
				s[i] = SEMICOLON_STANDIN;
		}
		memcpy(str, s, len);
		str[len] = '\n';
		str[len + 1] = '\0';
		return str;
	}
	return NULL;
}

static char *
restore_semicolons(const char *s)
{
	char *t = xstrdup(s);

	for (char *p = t; *p != '\0'; p++) {
		if (*p == SEMICOLON_STANDIN)
			*p = ';';
	}
	return t;
}

static int
handler_cb(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;
	char *sec, *key, *val;

	if (r->stop)
		return 1;
	sec = restore_semicolons(section);
	key = restore_semicolons(name);
	val = restore_semicolons(value != NULL ? value : "");
	if (r->handler(r->user, sec, key, val, r->name, r->cur_line) != 0)
		r->stop = true;
	free(sec);
	free(key);
	free(val);
	return 1;
}

static int
parse_stream(const char *name, FILE *f, ini_reader_handler handler, void *user,
	     struct diag_list *dl)
{
	struct reader r = {
		.name = name, .f = f, .handler = handler, .user = user, .dl = dl,
	};
	int rc, saved_max_line = ini_max_line;

	if (ini_max_line < INI_READER_MAX_LINE)
		ini_max_line = INI_READER_MAX_LINE;
	rc = ini_parse_stream(reader_cb, &r, handler_cb, &r);
	ini_max_line = saved_max_line;
	if (rc > 0)
		diag_add(dl, DIAG_ERROR, name, r.cur_line, "syntax error");
	else if (rc < 0)
		diag_add(dl, DIAG_ERROR, name, 0, "libinih failed (%d)", rc);
	rc = ferror(f) ? -EIO : 0;
	free(r.phys);
	free(r.logical);
	return rc;
}

int
ini_reader_parse_file(const char *path, ini_reader_handler handler, void *user,
		      struct diag_list *dl)
{
	FILE *f;
	int rc;

	if ((f = fopen(path, "re")) == NULL)
		return -errno;
	rc = parse_stream(path, f, handler, user, dl);
	fclose(f);
	return rc;
}

int
ini_reader_parse_string(const char *name, const char *text, ini_reader_handler handler,
			void *user, struct diag_list *dl)
{
	FILE *f;
	int rc;

	if (*text == '\0')
		return 0;
	if ((f = fmemopen((void *)(uintptr_t)text, strlen(text), "r")) == NULL)
		return -errno;
	rc = parse_stream(name, f, handler, user, dl);
	fclose(f);
	return rc;
}
