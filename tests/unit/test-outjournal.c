/*
 * test-outjournal.c - the output journal (outjournal.h): what a dying supd
 * leaves is found by the next one, and only by the service it belongs to.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outjournal.h"
#include "strutil.h"
#include "testlib.h"

static char *
state_dir(const char *sub)
{
	char *dir = xasprintf("%s/%s", test_tmpdir(), sub);

	ASSERT_EQ(mkdir_parents(dir, 0755), 0);
	return dir;
}

static struct outjournal *
open_journal(const char *dir)
{
	char *cause = NULL;
	struct outjournal *j = outjournal_open(dir, &cause);

	if (j == NULL)
		test_fail(__FILE__, __LINE__, "outjournal_open: %s", cause);
	return j;
}

static void
pipe_with(int p[2], const char *text)
{
	ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	ASSERT_EQ(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
}

static off_t
file_size(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	off_t size = stat(path, &st) == 0 ? st.st_size : -1;

	free(path);
	return size;
}

TEST(take_moves_bytes_out_of_the_pipe_and_commit_empties_the_journal)
{
	char *dir = state_dir("j1");
	struct outjournal *j = open_journal(dir);
	char data[64], rest[16];
	int p[2];

	pipe_with(p, "one\ntwo\nthr");
	ASSERT_EQ(outjournal_take(j, p[0], "web", 7, 100, "", 0, data, sizeof data), 11);
	ASSERT(memcmp(data, "one\ntwo\nthr", 11) == 0);
	/* Gone from the pipe, kept in the journal. */
	ASSERT_EQ(read(p[0], rest, sizeof rest), -1);
	ASSERT_EQ(errno, EAGAIN);
	ASSERT(file_size(dir, "output.journal") > 11);
	outjournal_commit(j, "web", "thr", 3, false);
	ASSERT_EQ(file_size(dir, "output.journal"), 0);
	ASSERT_EQ(file_size(dir, "partial/web"), 3);
	/* An empty pipe: nothing taken, nothing recorded. */
	ASSERT_EQ(outjournal_take(j, p[0], "web", 7, 100, "thr", 3, data, sizeof data), 0);
	ASSERT_EQ(file_size(dir, "output.journal"), 0);
	outjournal_commit(j, "web", NULL, 0, true);
	ASSERT_EQ(file_size(dir, "partial/web"), -1);
	outjournal_close(j);
	close(p[0]);
	close(p[1]);
	free(dir);
}

/* supd dies between take and commit: the next one gives the record to
 * its service only, with the position to cut the log back to. */
TEST(an_uncommitted_record_goes_to_its_service_once)
{
	char *dir = state_dir("j2");
	struct outjournal *j = open_journal(dir);
	struct outjournal_left left;
	char data[64];
	int p[2];

	pipe_with(p, "b-half\nnext");
	outjournal_commit(j, "other", "x", 1, false);
	ASSERT_EQ(outjournal_take(j, p[0], "web", 42, 4096, "a-half ", 7, data, sizeof data), 11);
	outjournal_close(j); /* no commit: as if SIGKILLed */

	j = open_journal(dir);
	outjournal_claim(j, "other", &left);
	ASSERT(!left.has_cut);
	ASSERT_EQ(left.partial_len, 1);
	ASSERT(memcmp(left.partial, "x", 1) == 0);
	free(left.partial);
	free(left.data);
	outjournal_claim(j, "web", &left);
	ASSERT(left.has_cut);
	ASSERT_U64_EQ(left.log_ino, 42);
	ASSERT_U64_EQ(left.log_size, 4096);
	ASSERT(!left.or_rotated);
	ASSERT_EQ(left.partial_len, 7);
	ASSERT(memcmp(left.partial, "a-half ", 7) == 0);
	ASSERT_EQ(left.data_len, 11);
	ASSERT(memcmp(left.data, "b-half\nnext", 11) == 0);
	free(left.partial);
	free(left.data);
	/* Claimed once: a second claim finds nothing. */
	outjournal_claim(j, "web", &left);
	ASSERT(!left.has_cut);
	ASSERT_EQ(left.data_len, 0);
	/* Until it is logged (committed), a record set aside stays on disk. */
	ASSERT_EQ(file_size(dir, "output.journal"), 0);
	outjournal_commit(j, "web", "next", 4, false);
	outjournal_close(j);
	j = open_journal(dir);
	outjournal_claim(j, "web", &left);
	ASSERT(!left.has_cut);
	ASSERT_EQ(left.partial_len, 4);
	free(left.partial);
	outjournal_close(j);
	close(p[0]);
	close(p[1]);
	free(dir);
}

/* A rotation in the middle of a chunk: the lines before it are logged, the
 * rest go to the new file. */
TEST(progress_skips_what_is_logged_and_marks_the_rotation)
{
	char *dir = state_dir("j3");
	struct outjournal *j = open_journal(dir);
	struct outjournal_left left;
	char data[64];
	int p[2];

	pipe_with(p, "l1\nl2\nl3\n");
	ASSERT_EQ(outjournal_take(j, p[0], "web", 5, 900, "l0-", 3, data, sizeof data), 9);
	/* "l0-l1\n" is logged (6 bytes of partial + chunk), then rotation. */
	outjournal_progress(j, 5, 906, 6);
	outjournal_close(j);

	j = open_journal(dir);
	outjournal_claim(j, "web", &left);
	ASSERT(left.has_cut);
	ASSERT(left.or_rotated);
	ASSERT_U64_EQ(left.log_size, 906);
	ASSERT_EQ(left.partial_len, 0);
	ASSERT_EQ(left.data_len, 6);
	ASSERT(memcmp(left.data, "l2\nl3\n", 6) == 0);
	free(left.partial);
	free(left.data);
	outjournal_close(j);
	close(p[0]);
	close(p[1]);
	free(dir);
}

TEST(a_damaged_journal_is_ignored)
{
	char *dir = state_dir("j4");
	struct outjournal *j;
	struct outjournal_left left;

	test_write_file("j4/output.journal", "not a journal record at all, just bytes");
	j = open_journal(dir);
	outjournal_claim(j, "web", &left);
	ASSERT(!left.has_cut);
	ASSERT_EQ(file_size(dir, "output.journal"), 0);
	outjournal_close(j);
	free(dir);
}
