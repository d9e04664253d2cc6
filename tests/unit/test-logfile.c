/*
 * test-logfile.c - per-service log files: timestamps, rotation, tail,
 * dropped-line accounting, followers.
 */
#include <errno.h>
#include <ftw.h>
#include <regex.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logfile.h"
#include "proto.h"
#include "strutil.h"
#include "testlib.h"

static char *
slurp(const char *path)
{
	char buf[65536];
	long n = read_small_file(path, buf, sizeof buf);

	if (n < 0)
		return NULL;
	return xstrdup(buf);
}

static struct logfile *
open_log(const char *sub, uint64_t max, unsigned backups)
{
	char *dir = xasprintf("%s/%s", test_tmpdir(), sub), *cause = NULL;
	struct logfile *lf = logfile_open(dir, "web", max, backups, &cause);

	if (lf == NULL)
		test_fail(__FILE__, __LINE__, "logfile_open: %s", cause);
	free(dir);
	return lf;
}

static void
put(struct logfile *lf, const char *s)
{
	logfile_write_line(lf, s, strlen(s));
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

TEST(creates_directory_and_prefixes_iso8601_utc_milliseconds)
{
	struct logfile *lf = open_log("a/b/c", 0, 0);
	char *text;
	regex_t re;

	put(lf, "hello world");
	text = slurp(logfile_path(lf));
	ASSERT(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z "
			    "hello world\n$",
		       REG_EXTENDED) == 0);
	ASSERT(regexec(&re, text, 0, NULL, 0) == 0);
	regfree(&re);
	ASSERT_CONTAINS(logfile_path(lf), "/a/b/c/web.log");
	free(text);
	logfile_close(lf);
}

TEST(empty_line_is_kept)
{
	struct logfile *lf = open_log("log", 0, 0);
	char *text;

	logfile_write_line(lf, "", 0);
	text = slurp(logfile_path(lf));
	ASSERT_EQ(strlen(text), 26);
	ASSERT_EQ(text[24], ' ');
	ASSERT_EQ(text[25], '\n');
	free(text);
	logfile_close(lf);
}

TEST(note_is_prefixed_once_and_split_into_lines)
{
	struct logfile *lf = open_log("log", 0, 0);
	char *text;

	logfile_note(lf, "OOM kill of %d\nanon 5", 42);
	logfile_note(lf, "supd: already prefixed");
	text = slurp(logfile_path(lf));
	ASSERT_CONTAINS(text, "Z supd: OOM kill of 42\n");
	ASSERT_CONTAINS(text, "Z supd: anon 5\n");
	ASSERT_CONTAINS(text, "Z supd: already prefixed\n");
	ASSERT(strstr(text, "supd: supd:") == NULL);
	free(text);
	logfile_close(lf);
}

TEST(rotates_by_size_keeping_n_backups)
{
	struct logfile *lf = open_log("log", 100, 2);
	char *p, *cur, *b1, *b2, *b3;
	struct stat st;

	/* Each entry is 25 + 10 + 1 = 36 bytes: two fit in 100. */
	for (int i = 0; i < 7; i++) {
		char line[16];

		snprintf(line, sizeof line, "line-%05d", i);
		put(lf, line);
		ASSERT(stat(logfile_path(lf), &st) == 0);
		ASSERT(st.st_size <= 100);
	}
	cur = slurp(logfile_path(lf));
	p = xasprintf("%s.1", logfile_path(lf));
	b1 = slurp(p);
	free(p);
	p = xasprintf("%s.2", logfile_path(lf));
	b2 = slurp(p);
	free(p);
	p = xasprintf("%s.3", logfile_path(lf));
	b3 = slurp(p);
	free(p);
	ASSERT_CONTAINS(cur, "line-00006");
	ASSERT_EQ(count_lines(cur), 1);
	ASSERT_CONTAINS(b1, "line-00004");
	ASSERT_CONTAINS(b1, "line-00005");
	ASSERT_CONTAINS(b2, "line-00002");
	ASSERT_CONTAINS(b2, "line-00003");
	ASSERT(b3 == NULL);
	free(cur);
	free(b1);
	free(b2);
	logfile_close(lf);
}

TEST(zero_backups_truncates_in_place)
{
	struct logfile *lf = open_log("log", 100, 0);
	char *cur, *p;

	for (int i = 0; i < 5; i++)
		put(lf, "0123456789");
	cur = slurp(logfile_path(lf));
	ASSERT_EQ(count_lines(cur), 1);
	p = xasprintf("%s.1", logfile_path(lf));
	ASSERT(access(p, F_OK) == -1);
	free(p);
	free(cur);
	logfile_close(lf);
}

TEST(tail_returns_last_n_lines_in_order)
{
	struct logfile *lf = open_log("log", 0, 0);
	json_t *t;

	for (int i = 0; i < 3000; i++) {
		char line[32];

		snprintf(line, sizeof line, "n=%d", i);
		put(lf, line);
	}
	t = logfile_tail(lf, 3);
	ASSERT_EQ(json_array_size(t), 3);
	ASSERT_CONTAINS(json_string_value(json_array_get(t, 0)), "Z n=2997");
	ASSERT_CONTAINS(json_string_value(json_array_get(t, 2)), "Z n=2999");
	json_decref(t);
	t = logfile_tail(lf, 5000);
	ASSERT_EQ(json_array_size(t), 3000);
	ASSERT_CONTAINS(json_string_value(json_array_get(t, 0)), "Z n=0");
	json_decref(t);
	t = logfile_tail(lf, 0);
	ASSERT_EQ(json_array_size(t), 0);
	json_decref(t);
	logfile_close(lf);
}

TEST(tail_continues_into_previous_file_after_rotation)
{
	struct logfile *lf = open_log("log", 100, 3);
	json_t *t;

	for (int i = 0; i < 5; i++) {
		char line[16];

		snprintf(line, sizeof line, "line-%05d", i);
		put(lf, line);
	}
	/* web.log holds line 4; web.log.1 holds lines 2 and 3. */
	t = logfile_tail(lf, 3);
	ASSERT_EQ(json_array_size(t), 3);
	ASSERT_CONTAINS(json_string_value(json_array_get(t, 0)), "line-00002");
	ASSERT_CONTAINS(json_string_value(json_array_get(t, 1)), "line-00003");
	ASSERT_CONTAINS(json_string_value(json_array_get(t, 2)), "line-00004");
	json_decref(t);
	logfile_close(lf);
}

TEST(tail_of_missing_log_by_path_is_empty)
{
	json_t *t = logfile_tail_path(test_tmpdir(), "nothing", 10);

	ASSERT(json_is_array(t));
	ASSERT_EQ(json_array_size(t), 0);
	json_decref(t);
}

TEST(tail_includes_unterminated_last_line_and_sanitizes_utf8)
{
	char *dir = xasprintf("%s/x", test_tmpdir());
	json_t *t;

	test_write_file("x/svc.log", "one\ntwo\xff\nthree");
	t = logfile_tail_path(dir, "svc", 2);
	free(dir);
	ASSERT_EQ(json_array_size(t), 2);
	ASSERT_STR_EQ(json_string_value(json_array_get(t, 0)), "two\xef\xbf\xbd");
	ASSERT_STR_EQ(json_string_value(json_array_get(t, 1)), "three");
	json_decref(t);
}

TEST(failed_writes_are_counted_and_reported_when_writing_works_again)
{
	char *dir = xasprintf("%s/full", test_tmpdir()), *path, *text, *cause = NULL;
	struct logfile *lf;

	ASSERT(mkdir(dir, 0755) == 0);
	path = xasprintf("%s/web.log", dir);
	/* /dev/full fails every write with ENOSPC, like a full disk. */
	ASSERT(symlink("/dev/full", path) == 0);
	lf = logfile_open(dir, "web", 0, 0, &cause);
	ASSERT(lf != NULL);
	put(lf, "lost 1");
	put(lf, "lost 2");
	put(lf, "lost 3");
	ASSERT_U64_EQ(logfile_dropped(lf), 3);
	ASSERT(unlink(path) == 0);
	put(lf, "kept");
	ASSERT_U64_EQ(logfile_dropped(lf), 3);
	text = slurp(path);
	ASSERT_CONTAINS(text, "Z supd: 3 lines dropped (No space left on device)\n");
	ASSERT_CONTAINS(text, "Z kept\n");
	ASSERT(strstr(text, "lost") == NULL);
	ASSERT(strstr(text, "dropped") < strstr(text, "kept"));
	free(text);
	free(path);
	free(dir);
	logfile_close(lf);
}

static int
rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

TEST(removed_directory_is_recreated_on_next_write)
{
	struct logfile *lf = open_log("gone", 0, 0);
	char *dir = xasprintf("%s/gone", test_tmpdir()), *text;

	put(lf, "before");
	ASSERT(nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS) == 0);
	ASSERT(access(dir, F_OK) == -1);
	put(lf, "after");
	text = slurp(logfile_path(lf));
	ASSERT(text != NULL);
	ASSERT_CONTAINS(text, "Z after\n");
	ASSERT(strstr(text, "before") == NULL);
	ASSERT_U64_EQ(logfile_dropped(lf), 0);
	free(text);
	free(dir);
	logfile_close(lf);
}

struct seen {
	int lines;
	int closed;
	char last[128];
	struct logfile_sub *self;
	bool unsubscribe_self;
};

static void
seen_cb(const char *line, size_t len, void *data)
{
	struct seen *s = data;

	if (line == NULL) {
		s->closed++;
		return;
	}
	s->lines++;
	snprintf(s->last, sizeof s->last, "%.*s", (int)len, line);
	if (s->unsubscribe_self) {
		logfile_unsubscribe(s->self);
		s->self = NULL;
	}
}

TEST(subscriber_gets_lines_as_written_until_unsubscribed)
{
	struct logfile *lf = open_log("log", 0, 0);
	struct seen s = {0};
	struct logfile_sub *sub;

	put(lf, "before");
	sub = logfile_subscribe(lf, seen_cb, &s);
	put(lf, "one");
	ASSERT_EQ(s.lines, 1);
	ASSERT_EQ(strlen(s.last), 28);
	ASSERT_CONTAINS(s.last, "Z one");
	logfile_unsubscribe(sub);
	put(lf, "two");
	ASSERT_EQ(s.lines, 1);
	logfile_close(lf);
	ASSERT_EQ(s.closed, 0);
}

TEST(subscriber_may_unsubscribe_itself_from_its_callback)
{
	struct logfile *lf = open_log("log", 0, 0);
	struct seen a = {0}, b = {0};

	a.self = logfile_subscribe(lf, seen_cb, &a);
	a.unsubscribe_self = true;
	b.self = logfile_subscribe(lf, seen_cb, &b);
	put(lf, "x");
	put(lf, "y");
	ASSERT_EQ(a.lines, 1);
	ASSERT_EQ(b.lines, 2);
	logfile_close(lf);
	ASSERT_EQ(a.closed, 0);
	ASSERT_EQ(b.closed, 1);
}

TEST(tail_is_capped_in_bytes_and_keeps_whole_lines)
{
	char *dir = xasprintf("%s/big", test_tmpdir()), *path, line[1000];
	FILE *f;
	json_t *t;
	size_t n;

	ASSERT(mkdir(dir, 0755) == 0);
	path = xasprintf("%s/svc.log", dir);
	ASSERT((f = fopen(path, "w")) != NULL);
	memset(line, 'y', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	for (int i = 0; i < 3000; i++)
		fprintf(f, "%s\n", line);
	fclose(f);
	t = logfile_tail_path(dir, "svc", 5000);
	n = json_array_size(t);
	ASSERT(n > 1000);
	ASSERT(n * 1000 <= PROTO_MAX_LOG_BYTES);
	for (size_t i = 0; i < n; i++)
		ASSERT_EQ(strlen(json_string_value(json_array_get(t, i))), 999);
	json_decref(t);
	free(path);
	free(dir);
}
