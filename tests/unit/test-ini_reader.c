/*
 * test-ini_reader.c - the reader in front of libinih: file:line for every
 * assignment, backslash continuations, ';' and '#' kept inside values,
 * indented lines not taken as continuations, over-long lines refused.
 */
#include <errno.h>
#include <stdbool.h>

#include "ini_reader.h"
#include "strutil.h"
#include "testlib.h"

struct seen {
	char *text[32]; /* "section|key|value|file:line" */
	int n;
	int stop_after; /* 0: never */
	bool headers; /* record "[Section]" header calls too */
};

static int
record(void *user, const char *section, const char *key, const char *value, const char *file,
       int line)
{
	struct seen *s = user;

	if (key == NULL && !s->headers)
		return 0; /* section headers are counted only where a test asks */
	if (s->n < 32)
		s->text[s->n++] = xasprintf("%s|%s|%s|%s:%d", section, key, value, file, line);
	return s->stop_after != 0 && s->n >= s->stop_after;
}

static void
seen_free(struct seen *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->text[i]);
}

static void
want_line(const char *got, const char *prefix, int line)
{
	char *want = xasprintf("%s%d", prefix, line);

	ASSERT_STR_EQ(got, want);
	free(want);
}

static void
parse(const char *text, struct seen *s, struct diag_list *dl)
{
	ASSERT_EQ(ini_reader_parse_string("t.conf", text, record, s, dl), 0);
}

TEST(plain_assignments_with_line_numbers)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Unit]\nDescription=Web server\n\n[Service]\nExecStart=/bin/web\n", &s, &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_EQ(s.n, 2);
	ASSERT_STR_EQ(s.text[0], "Unit|Description|Web server|t.conf:2");
	ASSERT_STR_EQ(s.text[1], "Service|ExecStart|/bin/web|t.conf:5");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(semicolon_inside_value_kept)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Service]\nExecStart=/bin/sh -c 'a ; b'\nEnvironment=X=1;Y=2 ;z\n", &s, &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_STR_EQ(s.text[0], "Service|ExecStart|/bin/sh -c 'a ; b'|t.conf:2");
	ASSERT_STR_EQ(s.text[1], "Service|Environment|X=1;Y=2 ;z|t.conf:3");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(hash_inside_value_kept)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Service]\nExecStart=/bin/echo #not-a-comment # nor this\n", &s, &dl);
	ASSERT_STR_EQ(s.text[0], "Service|ExecStart|/bin/echo #not-a-comment # nor this|t.conf:2");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(comment_lines_skipped)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("# top\n; also\n[Service]\n  # indented comment\n\t; tab comment\nA=1\n", &s, &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_EQ(s.n, 1);
	ASSERT_STR_EQ(s.text[0], "Service|A|1|t.conf:6");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(backslash_continuation_joined)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Service]\nExecStart=/bin/web \\\n    --port 80 \\\n  --verbose\nB=2\n", &s, &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_EQ(s.n, 2);
	/* The backslash becomes a space; the next line is appended as written. */
	ASSERT_STR_EQ(s.text[0], "Service|ExecStart|/bin/web      --port 80    --verbose|t.conf:2");
	ASSERT_STR_EQ(s.text[1], "Service|B|2|t.conf:5");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(comment_inside_continuation_skipped)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Service]\nExecStart=/bin/a \\\n# skipped\n  b\n", &s, &dl);
	ASSERT_EQ(s.n, 1);
	ASSERT_STR_EQ(s.text[0], "Service|ExecStart|/bin/a    b|t.conf:2");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(escaped_backslash_is_not_continuation)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Service]\nA=x\\\\\nB=y\n", &s, &dl);
	ASSERT_EQ(s.n, 2);
	ASSERT_STR_EQ(s.text[0], "Service|A|x\\\\|t.conf:2");
	ASSERT_STR_EQ(s.text[1], "Service|B|y|t.conf:3");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(continuation_at_end_of_file)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Service]\nA=x \\", &s, &dl);
	ASSERT_EQ(s.n, 1);
	ASSERT_STR_EQ(s.text[0], "Service|A|x|t.conf:2");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(indented_line_is_not_configparser_continuation)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Service]\nEnvironment=A=1\n    Environment=B=2\n  User=web\n", &s, &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_EQ(s.n, 3);
	ASSERT_STR_EQ(s.text[1], "Service|Environment|B=2|t.conf:3");
	ASSERT_STR_EQ(s.text[2], "Service|User|web|t.conf:4");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(whitespace_around_key_and_value_stripped)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Service]\r\n  Restart =  always  \r\nEmpty=\n", &s, &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_STR_EQ(s.text[0], "Service|Restart|always|t.conf:2");
	ASSERT_STR_EQ(s.text[1], "Service|Empty||t.conf:3");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(utf8_bom_ignored)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("\xef\xbb\xbf[Unit]\nDescription=x\n", &s, &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_STR_EQ(s.text[0], "Unit|Description|x|t.conf:2");
	seen_free(&s);
	diag_clear(&dl);
}

/* The reader's limit: libinih's buffer of INI_READER_MAX_LINE bytes holds a
 * line, its '\n' and the NUL. */
#define MAX_LOGICAL (16384 - 2)

static char *
line_of(size_t len, const char *prefix)
{
	char *s = xmalloc(len + 1);

	memset(s, 'x', len);
	memcpy(s, prefix, strlen(prefix));
	s[len] = '\0';
	return s;
}

TEST(longest_line_that_fits_is_accepted)
{
	struct seen s = {0};
	struct diag_list dl = {0};
	char *line = line_of(MAX_LOGICAL, "ExecStart=/"), *text, *want;

	text = xasprintf("[Service]\n%s\n", line);
	want = xasprintf("Service|ExecStart|%s|t.conf:2", line + 10);
	parse(text, &s, &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_EQ(s.n, 1);
	ASSERT_STR_EQ(s.text[0], want);
	free(want);
	free(text);
	free(line);
	seen_free(&s);
	diag_clear(&dl);
}

TEST(line_longer_than_libinih_default_is_whole)
{
	struct seen s = {0};
	struct diag_list dl = {0};
	char *line = line_of(1000, "ExecStart=/bin/echo "), *text;

	/* Plain libinih r55 would cut this at 199 bytes. */
	text = xasprintf("[Service]\n%s\nB=2\n", line);
	parse(text, &s, &dl);
	ASSERT_EQ(dl.n, 0);
	ASSERT_EQ(s.n, 2);
	ASSERT_EQ(strlen(s.text[0]), strlen("Service|ExecStart|") + 990 + strlen("|t.conf:2"));
	ASSERT_STR_EQ(s.text[1], "Service|B|2|t.conf:3");
	free(text);
	free(line);
	seen_free(&s);
	diag_clear(&dl);
}

TEST(over_long_line_refused_not_truncated)
{
	struct seen s = {0};
	struct diag_list dl = {0};
	char *line = line_of(MAX_LOGICAL + 1, "ExecStart=/bin/"), *text;

	text = xasprintf("[Service]\nA=1\n%s\nB=2\n", line);
	parse(text, &s, &dl);
	ASSERT_EQ(dl.nerrors, 1);
	ASSERT_STR_EQ(dl.items[0].file, "t.conf");
	ASSERT_EQ(dl.items[0].line, 3);
	ASSERT_CONTAINS(dl.items[0].msg, "too long");
	/* Nothing of the long line reaches the handler; the lines around it do. */
	ASSERT_EQ(s.n, 2);
	ASSERT_STR_EQ(s.text[0], "Service|A|1|t.conf:2");
	ASSERT_STR_EQ(s.text[1], "Service|B|2|t.conf:4");
	free(text);
	free(line);
	seen_free(&s);
	diag_clear(&dl);
}

TEST(over_long_continued_line_refused)
{
	struct seen s = {0};
	struct diag_list dl = {0};
	struct strv parts = {0};
	char *text, *piece = line_of(1000, "  --option ");
	int n = MAX_LOGICAL / 1000 + 1;

	strv_push(&parts, "[Service]\nExecStart=/bin/x \\\n");
	for (int i = 0; i < n; i++)
		strv_push_take(&parts, xasprintf("%s \\\n", piece));
	strv_push(&parts, "  --end\nB=2\n");
	text = xstrdup("");
	for (size_t i = 0; i < parts.n; i++) {
		char *t = xasprintf("%s%s", text, parts.v[i]);

		free(text);
		text = t;
	}
	parse(text, &s, &dl);
	ASSERT_EQ(dl.nerrors, 1);
	ASSERT_EQ(dl.items[0].line, 2);
	ASSERT_CONTAINS(dl.items[0].msg, "too long");
	ASSERT_EQ(s.n, 1);
	want_line(s.text[0], "Service|B|2|t.conf:", 2 + n + 2);
	free(text);
	free(piece);
	strv_clear(&parts);
	seen_free(&s);
	diag_clear(&dl);
}

TEST(syntax_errors_named_with_line)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[Service\nNoEquals\n=value\n[]\nA:B=1\n[Unit]\nOK=1\n", &s, &dl);
	ASSERT_EQ(dl.nerrors, 5);
	ASSERT_EQ(dl.items[0].line, 1);
	ASSERT_CONTAINS(dl.items[0].msg, "section header");
	ASSERT_EQ(dl.items[1].line, 2);
	ASSERT_CONTAINS(dl.items[1].msg, "Key=Value");
	ASSERT_EQ(dl.items[2].line, 3);
	ASSERT_CONTAINS(dl.items[2].msg, "without a key");
	ASSERT_EQ(dl.items[3].line, 4);
	ASSERT_EQ(dl.items[4].line, 5);
	ASSERT_EQ(s.n, 1);
	ASSERT_STR_EQ(s.text[0], "Unit|OK|1|t.conf:7");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(assignment_before_any_section_has_empty_section)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("A=1\n[S]\nB=2\n", &s, &dl);
	ASSERT_STR_EQ(s.text[0], "|A|1|t.conf:1");
	ASSERT_STR_EQ(s.text[1], "S|B|2|t.conf:3");
	seen_free(&s);
	diag_clear(&dl);
}

TEST(handler_can_stop)
{
	struct seen s = {.stop_after = 1};
	struct diag_list dl = {0};

	parse("[S]\nA=1\nB=2\nC=3\n", &s, &dl);
	ASSERT_EQ(s.n, 1);
	seen_free(&s);
	diag_clear(&dl);
}

TEST(parse_file_names_path_and_lines)
{
	struct seen s = {0};
	struct diag_list dl = {0};
	const char *path = test_write_file("x.conf", "[Service]\n\nExecStart=/bin/sh -c 'a ; b'\n");
	char *want = xasprintf("Service|ExecStart|/bin/sh -c 'a ; b'|%s:3", path);

	ASSERT_EQ(ini_reader_parse_file(path, record, &s, &dl), 0);
	ASSERT_EQ(s.n, 1);
	ASSERT_STR_EQ(s.text[0], want);
	free(want);
	seen_free(&s);
	diag_clear(&dl);
}

TEST(parse_file_missing_returns_errno)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	ASSERT_EQ(ini_reader_parse_file("/nonexistent/x.conf", record, &s, &dl), -ENOENT);
	ASSERT_EQ(s.n, 0);
	diag_clear(&dl);
}

TEST(control_character_standin_refused)
{
	struct seen s = {0};
	struct diag_list dl = {0};

	parse("[S]\nA=x\x1fy\nB=2\n", &s, &dl);
	ASSERT_EQ(dl.nerrors, 1);
	ASSERT_EQ(dl.items[0].line, 2);
	ASSERT_EQ(s.n, 1);
	seen_free(&s);
	diag_clear(&dl);
}

TEST(section_header_reported_at_its_line)
{
	struct seen s = {.headers = true};
	struct diag_list dl = {0};

	ASSERT_EQ(ini_reader_parse_string("t.conf", "# c\n[Install]\n\nWantedBy=x\n", record, &s, &dl),
		  0);
	ASSERT_EQ(s.n, 2);
	ASSERT_STR_EQ(s.text[0], "Install|(null)|(null)|t.conf:2");
	ASSERT_STR_EQ(s.text[1], "Install|WantedBy|x|t.conf:4");
	seen_free(&s);
	diag_clear(&dl);
}
