/*
 * userdb.c - /etc/passwd and /etc/group read with glibc's stream parsers
 * (fgetpwent_r, fgetgrent_r), which are not NSS: the same syntax the
 * "files" module accepts, malformed lines skipped the same way.
 */
#include "userdb.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

const struct userdb userdb_system = { "/etc/passwd", "/etc/group" };

/* An entry longer than this (a group listing thousands of members) is an
 * error, not a reason to allocate without bound. */
#define USERDB_ENTRY_MAX (1024 * 1024)

struct userdb_scan {
	FILE *f;
	char *buf;
	size_t len;
};

static int
scan_open(struct userdb_scan *sc, const char *path)
{
	sc->buf = NULL;
	if ((sc->f = fopen(path, "re")) == NULL)
		return -errno;
	sc->len = 1024;
	sc->buf = xmalloc(sc->len);
	return 0;
}

static void
scan_close(struct userdb_scan *sc)
{
	fclose(sc->f);
	free(sc->buf);
}

/* On ERANGE the parsers leave the stream at the start of the entry, so it
 * is read again into a larger buffer.  1: an entry; 0: the end; -errno. */
static int
scan_grow(struct userdb_scan *sc, int r)
{
	if (r == 0)
		return 1;
	if (r == ENOENT)
		return 0;
	if (r == ERANGE && sc->len < USERDB_ENTRY_MAX) {
		sc->len *= 2;
		sc->buf = xrealloc(sc->buf, sc->len);
		return 2;
	}
	return -r;
}

static int
scan_passwd(struct userdb_scan *sc, struct passwd *pw)
{
	struct passwd *res;
	int r;

	while ((r = scan_grow(sc, fgetpwent_r(sc->f, pw, sc->buf, sc->len, &res))) == 2)
		;
	return r;
}

static int
scan_group(struct userdb_scan *sc, struct group *gr)
{
	struct group *res;
	int r;

	while ((r = scan_grow(sc, fgetgrent_r(sc->f, gr, sc->buf, sc->len, &res))) == 2)
		;
	return r;
}

/* spec as a number, if it is all digits and fits. */
static bool
parse_id(const char *spec, unsigned int *id)
{
	unsigned long v;
	char *end;

	if (*spec < '0' || *spec > '9')
		return false;
	errno = 0;
	v = strtoul(spec, &end, 10);
	if (*end != '\0' || errno != 0 || v >= (unsigned int)-1)
		return false;
	*id = (unsigned int)v;
	return true;
}

/* The first entry named name (name != NULL) or with uid uid. */
static int
find_user(const struct userdb *db, const char *name, uid_t uid, struct userdb_user *u)
{
	struct userdb_scan sc;
	struct passwd pw;
	int r;

	if ((r = scan_open(&sc, db->passwd)) < 0)
		return r;
	while ((r = scan_passwd(&sc, &pw)) == 1) {
		if (name != NULL ? strcmp(pw.pw_name, name) == 0 : pw.pw_uid == uid)
			break;
	}
	if (r == 1) {
		u->uid = pw.pw_uid;
		u->gid = pw.pw_gid;
		u->name = xstrdup(pw.pw_name);
		u->home = xstrdup(pw.pw_dir);
		u->shell = xstrdup(pw.pw_shell);
	}
	scan_close(&sc);
	return r == 1 ? 0 : r == 0 ? -ENOENT : r;
}

int
userdb_user(const struct userdb *db, const char *spec, struct userdb_user *u)
{
	unsigned int id;
	int r;

	if ((r = find_user(db, spec, 0, u)) == -ENOENT && parse_id(spec, &id))
		r = find_user(db, NULL, (uid_t)id, u);
	return r;
}

int
userdb_user_by_uid(const struct userdb *db, uid_t uid, struct userdb_user *u)
{
	return find_user(db, NULL, uid, u);
}

void
userdb_user_free(struct userdb_user *u)
{
	free(u->name);
	free(u->home);
	free(u->shell);
	u->name = u->home = u->shell = NULL;
}

static int
find_group(const struct userdb *db, const char *name, gid_t gid, gid_t *out)
{
	struct userdb_scan sc;
	struct group gr;
	int r;

	if ((r = scan_open(&sc, db->group)) < 0)
		return r;
	while ((r = scan_group(&sc, &gr)) == 1) {
		if (name != NULL ? strcmp(gr.gr_name, name) == 0 : gr.gr_gid == gid)
			break;
	}
	if (r == 1)
		*out = gr.gr_gid;
	scan_close(&sc);
	return r == 1 ? 0 : r == 0 ? -ENOENT : r;
}

int
userdb_group(const struct userdb *db, const char *spec, gid_t *gid)
{
	unsigned int id;
	int r;

	if ((r = find_group(db, spec, 0, gid)) == -ENOENT && parse_id(spec, &id))
		r = find_group(db, NULL, (gid_t)id, gid);
	return r;
}

gid_t *
userdb_groups_of(const struct userdb *db, const char *user, gid_t gid, int *n)
{
	struct userdb_scan sc;
	struct group gr;
	size_t len = 1, cap = 16;
	gid_t *groups = xcalloc(cap, sizeof *groups);

	groups[0] = gid;
	if (scan_open(&sc, db->group) == 0) {
		while (scan_group(&sc, &gr) == 1) {
			bool member = false, have = false;

			for (char **m = gr.gr_mem; *m != NULL && !member; m++)
				member = strcmp(*m, user) == 0;
			for (size_t i = 0; i < len && member && !have; i++)
				have = groups[i] == gr.gr_gid;
			if (!member || have)
				continue;
			if (len == cap)
				groups = xreallocarray(groups, cap *= 2, sizeof *groups);
			groups[len++] = gr.gr_gid;
		}
		scan_close(&sc);
	}
	*n = (int)len;
	return groups;
}
