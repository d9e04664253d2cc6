/*
 * test-userdb.c - users and groups read from the files themselves: the
 * lookups User=, Group= and SocketGroup= make, against written files, and
 * against glibc's own NSS for every entry of this machine's files.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>

#include "strutil.h"
#include "testlib.h"
#include "userdb.h"

static struct userdb
files(const char *passwd, const char *group)
{
	struct userdb db = { test_write_file("passwd", passwd), test_write_file("group", group) };

	return db;
}

static const char passwd_text[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"this line is not an entry\n"
	"\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
	"app:x:1000:1000:The App,,,:/srv/app:/bin/sh\n"
	"1001:x:1002:1000::/home/digits:/bin/sh\n"
	"second-root:x:0:0::/:/bin/sh\n";

static const char group_text[] =
	"root:x:0:\n"
	"users:x:100:app,nobody\n"
	"app:x:1000:\n"
	"video:x:44:app\n"
	"again:x:1000:app\n"
	"nogroup:x:65534:\n";

TEST(user_by_name_gives_the_whole_entry)
{
	struct userdb db = files(passwd_text, group_text);
	struct userdb_user u;

	ASSERT_EQ(userdb_user(&db, "app", &u), 0);
	ASSERT_EQ(u.uid, 1000);
	ASSERT_EQ(u.gid, 1000);
	ASSERT_STR_EQ(u.name, "app");
	ASSERT_STR_EQ(u.home, "/srv/app");
	ASSERT_STR_EQ(u.shell, "/bin/sh");
	userdb_user_free(&u);
}

TEST(user_by_number_when_no_name_matches)
{
	struct userdb db = files(passwd_text, group_text);
	struct userdb_user u;

	ASSERT_EQ(userdb_user(&db, "65534", &u), 0);
	ASSERT_STR_EQ(u.name, "nobody");
	userdb_user_free(&u);
	/* A name made of digits is a name first, as for getpwnam(). */
	ASSERT_EQ(userdb_user(&db, "1001", &u), 0);
	ASSERT_EQ(u.uid, 1002);
	userdb_user_free(&u);
	/* The first entry of a uid, as the files module finds it. */
	ASSERT_EQ(userdb_user_by_uid(&db, 0, &u), 0);
	ASSERT_STR_EQ(u.name, "root");
	userdb_user_free(&u);
}

TEST(unknown_users_and_groups_are_enoent)
{
	struct userdb db = files(passwd_text, group_text);
	struct userdb_user u;
	gid_t gid;

	ASSERT_EQ(userdb_user(&db, "no-such-user", &u), -ENOENT);
	ASSERT_EQ(userdb_user(&db, "4242", &u), -ENOENT);
	ASSERT_EQ(userdb_user(&db, "", &u), -ENOENT);
	ASSERT_EQ(userdb_user(&db, "99999999999999999999", &u), -ENOENT);
	ASSERT_EQ(userdb_group(&db, "no-such-group", &gid), -ENOENT);
	ASSERT_EQ(userdb_group(&db, "12", &gid), -ENOENT);
}

TEST(unreadable_files_are_errors)
{
	struct userdb db = { "/nonexistent/passwd", "/nonexistent/group" };
	struct userdb_user u;
	gid_t gid;
	int n;
	gid_t *groups;

	ASSERT_EQ(userdb_user(&db, "root", &u), -ENOENT);
	ASSERT_EQ(userdb_group(&db, "root", &gid), -ENOENT);
	db.passwd = db.group = test_tmpdir(); /* a directory: reading fails */
	ASSERT_EQ(userdb_user(&db, "root", &u), -EISDIR);
	ASSERT_EQ(userdb_group(&db, "root", &gid), -EISDIR);
	/* The primary group alone, as getgrouplist() with no group source. */
	groups = userdb_groups_of(&db, "root", 7, &n);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(groups[0], 7);
	free(groups);
}

TEST(group_by_name_or_number)
{
	struct userdb db = files(passwd_text, group_text);
	gid_t gid = 0;

	ASSERT_EQ(userdb_group(&db, "video", &gid), 0);
	ASSERT_EQ(gid, 44);
	ASSERT_EQ(userdb_group(&db, "65534", &gid), 0);
	ASSERT_EQ(gid, 65534);
}

TEST(groups_of_a_user_primary_first_each_once)
{
	struct userdb db = files(passwd_text, group_text);
	gid_t *groups;
	int n;

	groups = userdb_groups_of(&db, "app", 1000, &n);
	/* 1000 is the primary group and also lists app ("again"): once. */
	ASSERT_EQ(n, 3);
	ASSERT_EQ(groups[0], 1000);
	ASSERT_EQ(groups[1], 100);
	ASSERT_EQ(groups[2], 44);
	free(groups);
	groups = userdb_groups_of(&db, "root", 0, &n);
	ASSERT_EQ(n, 1);
	free(groups);
}

TEST(a_group_of_thousands_of_members_is_read_whole)
{
	struct strv members = {0};
	char *text, *list;
	gid_t *groups;
	int n;

	for (int i = 0; i < 3000; i++)
		strv_push_take(&members, xasprintf("member%d", i));
	list = xstrdup("");
	for (size_t i = 0; i < members.n; i++) {
		char *next = xasprintf("%s%s%s", list, i ? "," : "", members.v[i]);

		free(list);
		list = next;
	}
	text = xasprintf("big:x:500:%s\nsmall:x:501:member2999\n", list);
	struct userdb db = files(passwd_text, text);

	groups = userdb_groups_of(&db, "member2999", 9, &n);
	ASSERT_EQ(n, 3);
	ASSERT_EQ(groups[1], 500);
	ASSERT_EQ(groups[2], 501);
	free(groups);
	free(text);
	free(list);
	strv_clear(&members);
}

static int
cmp_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

/* This machine's files read both ways: every user's uid, gid, home and
 * groups, and every group's gid, as glibc's NSS gives them. */
TEST(agrees_with_glibc_for_every_entry_of_this_machine)
{
	struct passwd *pw;
	struct group *gr;
	size_t users = 0;

	setpwent();
	while ((pw = getpwent()) != NULL) {
		struct userdb_user u;
		gid_t *ours, theirs[256];
		int n, m = 256;
		char *name = xstrdup(pw->pw_name), *home = xstrdup(pw->pw_dir);
		uid_t uid = pw->pw_uid;
		gid_t gid = pw->pw_gid;

		ASSERT_EQ(userdb_user(&userdb_system, name, &u), 0);
		/* A second entry of a name is never found by either. */
		if (u.uid == uid) {
			ASSERT_EQ(u.gid, gid);
			ASSERT_STR_EQ(u.home, home);
		}
		userdb_user_free(&u);
		ours = userdb_groups_of(&userdb_system, name, gid, &n);
		ASSERT(getgrouplist(name, gid, theirs, &m) >= 0);
		ASSERT_EQ(n, m);
		qsort(ours, (size_t)n, sizeof *ours, cmp_gid);
		qsort(theirs, (size_t)m, sizeof *theirs, cmp_gid);
		for (int i = 0; i < n; i++)
			ASSERT_EQ(ours[i], theirs[i]);
		free(ours);
		free(name);
		free(home);
		users++;
	}
	endpwent();
	ASSERT(users > 0);
	setgrent();
	while ((gr = getgrent()) != NULL) {
		gid_t gid = (gid_t)-1, want = gr->gr_gid;
		char *name = xstrdup(gr->gr_name);

		ASSERT_EQ(userdb_group(&userdb_system, name, &gid), 0);
		ASSERT_EQ(gid, want);
		free(name);
	}
	endgrent();
}
