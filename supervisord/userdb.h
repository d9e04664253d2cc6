/*
 * userdb.h - users and groups for User=, Group= and SocketGroup=, read
 * from /etc/passwd and /etc/group themselves: what glibc's "files" NSS
 * module reads, without NSS.
 *
 * Why not getpwnam(): supd is linked statically (Makefile), and glibc's NSS
 * in a static program dlopen()s every other module nsswitch.conf names
 * (systemd, sss, ldap).  On Debian 12 the lookup of a name that is not in
 * the files then crashes the program (measured: SIGSEGV in a five-line
 * static getpwnam test).  As on musl systems (Alpine), users that only an
 * LDAP or sssd module knows are not found; docs/config.md says so.
 */
#ifndef SUPD_USERDB_H
#define SUPD_USERDB_H

#include <sys/types.h>

/* The two files; userdb_system is /etc/passwd and /etc/group.  Tests pass
 * their own. */
struct userdb {
	const char *passwd;
	const char *group;
};
extern const struct userdb userdb_system;

struct userdb_user {
	uid_t uid;
	gid_t gid;
	char *name, *home, *shell;
};

/* A user by name, or by number when no name matches and spec is all
 * digits (User=65534 finds "nobody").  0, -ENOENT when there is none,
 * or -errno when the file cannot be read.  Free with userdb_user_free. */
int userdb_user(const struct userdb *db, const char *spec, struct userdb_user *u);
int userdb_user_by_uid(const struct userdb *db, uid_t uid, struct userdb_user *u);
void userdb_user_free(struct userdb_user *u);

/* A group by name, or by number when no name matches and spec is all
 * digits.  0, -ENOENT or -errno. */
int userdb_group(const struct userdb *db, const char *spec, gid_t *gid);

/* getgrouplist(3): gid first, then every group of the group file that
 * lists user as a member, each once.  Returns a malloc'd array and its
 * length in *n (at least 1: a group file that cannot be read gives gid
 * alone). */
gid_t *userdb_groups_of(const struct userdb *db, const char *user, gid_t gid, int *n);

#endif
