/*
 * cgroup.c - discovery of the hierarchies supd uses, the root subtree,
 * services' cgroups (create, join, destroy), their processes and the event
 * sources cgwatch.c polls.  Limits and memory figures are in cgroup_mem.c.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "cgroup_int.h"
#include "log.h"
#include "strutil.h"

/* The leaf a pure-v2 supd moves itself into (see docs/cgroups.md). */
#define CGROUP_LEAF "supd.daemon"

static const char *const hier_names[CG_NHIER] = {"unified", "memory", "pids"};

bool
cgroup_file_exists(const char *dir, const char *file)
{
	char *path = xasprintf("%s/%s", dir, file);
	bool ok = access(path, F_OK) == 0;

	free(path);
	return ok;
}

long
cgroup_read(const char *dir, const char *file, char *buf, size_t len)
{
	char *path = xasprintf("%s/%s", dir, file);
	long n = read_small_file(path, buf, len);

	free(path);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n;
}

int
cgroup_write(struct cgroup_root *r, const char *dir, const char *file, const char *s)
{
	char *path = xasprintf("%s/%s", dir, file);
	int fd, rc = 0, flags = O_WRONLY | O_CLOEXEC;
	size_t len = strlen(s);
	ssize_t n;

	if (r != NULL && r->write_hook != NULL && (rc = r->write_hook(path, s, r->write_hook_data)) < 0)
		goto out;
	rc = 0;
	/* Each write to cgroup.procs moves one process; a plain file in a test
	 * tree must keep them all. */
	flags |= strcmp(file, "cgroup.procs") == 0 ? O_APPEND : O_TRUNC;
	if ((fd = open(path, flags)) == -1) {
		rc = -errno;
		goto out;
	}
	do
		n = write(fd, s, len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	close(fd);
out:
	free(path);
	return rc;
}

int
cgroup_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	while (isspace((unsigned char)*s))
		s++;
	if (strncmp(s, "max", 3) == 0 || strncmp(s, "-1", 2) == 0) {
		*v = CGROUP_LIMIT_MAX;
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || (*end != '\0' && !isspace((unsigned char)*end)))
		return -EINVAL;
	*v = x;
	return 0;
}

int
cgroup_keyed(const char *text, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ')
			return cgroup_parse_u64(p + klen + 1, v);
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return -ENOENT;
}

/* Read a whole file of unknown size (cgroup.procs); caller frees. */
static char *
read_all(const char *path, int *err)
{
	size_t cap = 4096, off = 0;
	char *buf = xmalloc(cap);
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*err = -errno;
		free(buf);
		return NULL;
	}
	for (;;) {
		if (off + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		n = read(fd, buf + off, cap - 1 - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*err = -errno;
			close(fd);
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	*err = 0;
	return buf;
}

/* Decode mountinfo's octal escapes ("\040" for a space) in place. */
static void
unescape_octal(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else
			*w++ = *s;
	}
	*w = '\0';
}

static bool
list_has(const char *list, const char *word, const char *seps)
{
	size_t wlen = strlen(word);
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, seps);

		if (n == wlen && strncmp(p, word, n) == 0)
			return true;
		p += n;
		p += strspn(p, seps);
	}
	return false;
}

/* Fill own[] from a /proc/self/cgroup-format file. */
static int
parse_proc_cgroup(const char *path, char *own[CG_NHIER], char **cause)
{
	FILE *f;
	char *line = NULL, *ctrls, *cgpath;
	size_t cap = 0;
	ssize_t n;

	if ((f = fopen(path, "re")) == NULL) {
		int rc = -errno;

		*cause = xasprintf("cannot read %s: %s", path, strerror(-rc));
		return rc;
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if ((ctrls = strchr(line, ':')) == NULL || (cgpath = strchr(ctrls + 1, ':')) == NULL)
			continue;
		*ctrls++ = '\0';
		*cgpath++ = '\0';
		if (strcmp(line, "0") == 0 && *ctrls == '\0') {
			if (own[CG_UNIFIED] == NULL)
				own[CG_UNIFIED] = xstrdup(cgpath);
			continue;
		}
		if (list_has(ctrls, "memory", ",") && own[CG_MEMORY] == NULL)
			own[CG_MEMORY] = xstrdup(cgpath);
		if (list_has(ctrls, "pids", ",") && own[CG_PIDS] == NULL)
			own[CG_PIDS] = xstrdup(cgpath);
	}
	free(line);
	fclose(f);
	return 0;
}

/* Path of p below prefix, or NULL if p is not below it ("/" is below all). */
static const char *
path_below(const char *p, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strcmp(prefix, "/") == 0)
		return p;
	if (strncmp(p, prefix, n) != 0 || (p[n] != '\0' && p[n] != '/'))
		return NULL;
	return p[n] == '\0' ? "/" : p + n;
}

/* Find the mounts of the hierarchies named in own[]; fill r->h[]. */
static int
parse_mountinfo(const char *path, struct cgroup_root *r, char *own[CG_NHIER], char **cause)
{
	FILE *f;
	char *line = NULL, *field[64], *save;
	size_t cap = 0;
	int nf, sep;

	if ((f = fopen(path, "re")) == NULL) {
		int rc = -errno;

		*cause = xasprintf("cannot read %s: %s", path, strerror(-rc));
		return rc;
	}
	while (getline(&line, &cap, f) != -1) {
		nf = 0;
		sep = -1;
		for (char *t = strtok_r(line, " \n", &save); t != NULL && nf < 64;
		     t = strtok_r(NULL, " \n", &save)) {
			if (sep == -1 && nf >= 6 && strcmp(t, "-") == 0)
				sep = nf;
			field[nf++] = t;
		}
		if (sep == -1 || sep + 3 > nf)
			continue;
		for (int i = 0; i < CG_NHIER; i++) {
			const char *fstype = field[sep + 1], *sopts = field[sep + 3], *rel;

			if (r->h[i].mount != NULL || own[i] == NULL)
				continue;
			if (i == CG_UNIFIED ? strcmp(fstype, "cgroup2") != 0
					    : strcmp(fstype, "cgroup") != 0 || !list_has(sopts, hier_names[i], ","))
				continue;
			unescape_octal(field[3]);
			unescape_octal(field[4]);
			/* A bind mount of a subtree shows only what is below its root. */
			if ((rel = path_below(own[i], field[3])) == NULL)
				continue;
			r->h[i].mount = xstrdup(field[4]);
			r->h[i].own = xstrdup(rel);
			/* A supd that re-executed itself (supctl reexec) is already in
			 * its leaf: its cgroup is the leaf's parent. */
			if (i == CG_UNIFIED) {
				size_t len = strlen(r->h[i].own), leaf = strlen("/" CGROUP_LEAF);

				if (len > leaf && strcmp(r->h[i].own + len - leaf, "/" CGROUP_LEAF) == 0)
					r->h[i].own[len - leaf] = '\0';
			}
		}
	}
	free(line);
	fclose(f);
	return 0;
}

/* Path join that never doubles or leaves trailing slashes. */
static char *
path_join3(const char *a, const char *b, const char *c)
{
	char *s = xasprintf("%s/%s/%s", a, b, c), *w = s;

	for (const char *p = s; *p != '\0'; p++)
		if (!(p[0] == '/' && (p[1] == '/' || p[1] == '\0') && w != s))
			*w++ = *p;
	*w = '\0';
	return s;
}

/* mkdir every component of dir below base (base itself must exist);
 * *top is the highest directory this created, for removal at close. */
static int
mkdir_below(const char *base, const char *dir, char **top)
{
	size_t blen = strlen(base);
	char *p = xstrdup(dir);
	int rc = 0;

	*top = NULL;
	for (char *s = p + blen + 1; rc == 0; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) == 0) {
			if (*top == NULL)
				*top = xstrdup(p);
		} else if (errno != EEXIST)
			rc = -errno;
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

/* rmdir the root and the parents supd created for it. */
static void
remove_root_dir(struct cgroup_hier_info *h)
{
	char *p = xstrdup(h->dir), *slash;

	for (;;) {
		if (rmdir(p) == -1 && errno != ENOENT) {
			log_warn("rmdir %s", p);
			break;
		}
		if (h->top == NULL || strcmp(p, h->top) == 0 || (slash = strrchr(p, '/')) == NULL)
			break;
		*slash = '\0';
	}
	free(p);
}

static bool
valid_root_name(const char *name)
{
	const char *p = name;

	if (*name == '\0')
		return false;
	while (*p != '\0') {
		size_t n;

		p += strspn(p, "/");
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
	}
	return strspn(name, "/") != strlen(name);
}

/* Move supd (every process there, as PID 1) from own into the leaf. */
static int
move_to_leaf(struct cgroup_root *r, const char *owndir, bool all, char **cause)
{
	char *leaf = xasprintf("%s/%s", r->h[CG_UNIFIED].dir, CGROUP_LEAF), *path, *procs, *p;
	char pid[32];
	int rc = 0, err;

	if (mkdir(leaf, 0755) == -1 && errno != EEXIST) {
		rc = -errno;
		*cause = xasprintf("mkdir %s: %s", leaf, strerror(-rc));
		free(leaf);
		return rc;
	}
	if (!all) {
		snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
		rc = cgroup_write(r, leaf, "cgroup.procs", pid);
	} else {
		path = xasprintf("%s/cgroup.procs", owndir);
		procs = read_all(path, &err);
		free(path);
		if (procs == NULL)
			rc = err;
		for (p = procs; rc == 0 && p != NULL && *p != '\0'; p += strcspn(p, "\n"), p += *p == '\n') {
			snprintf(pid, sizeof pid, "%.*s\n", (int)strcspn(p, "\n"), p);
			if ((err = cgroup_write(r, leaf, "cgroup.procs", pid)) < 0 && err != -ESRCH)
				log_warnx("cannot move pid %s into %s: %s", pid, leaf, strerror(-err));
		}
		free(procs);
	}
	if (rc < 0) {
		*cause = xasprintf("cannot move supd into %s: %s", leaf, strerror(-rc));
		free(leaf);
		return rc;
	}
	r->leaf = leaf;
	r->leaf_from = xstrdup(owndir);
	log_info("moved supd into %s so %s can enable controllers for services", leaf, owndir);
	return 0;
}

/* Pure v2 or a unified tree with controllers: enable what we want from
 * the base (supd's cgroup, or the mount point) down to the root. */
static void
v2_enable(struct cgroup_root *r, const char *base, const struct cgroup_sources *src)
{
	struct cgroup_hier_info *u = &r->h[CG_UNIFIED];
	char avail[512], cur[512], en[64] = "", *owndir, *dir, *why = NULL;
	/* A controller mounted on v1 cannot also be on the unified tree. */
	bool want_mem = r->h[CG_MEMORY].mount == NULL, want_pids = r->h[CG_PIDS].mount == NULL;
	bool mem = false, pids = false, moved = false;
	size_t nen = 0;
	long n;
	int rc;

	if (!want_mem && !want_pids)
		return;
	if ((n = cgroup_read(base, "cgroup.controllers", avail, sizeof avail)) < 0)
		avail[0] = '\0';
	mem = want_mem && list_has(avail, "memory", " ");
	pids = want_pids && list_has(avail, "pids", " ");
	if (want_mem && !mem)
		r->why_no_memory = xasprintf("memory is not in %s/cgroup.controllers (not delegated to supd)", base);
	if (want_pids && !pids)
		r->why_no_pids = xasprintf("pids is not in %s/cgroup.controllers", base);
	if (!mem && !pids)
		return;
	snprintf(en, sizeof en, "%s%s%s", mem ? "+memory" : "", mem && pids ? " " : "", pids ? "+pids" : "");
	snprintf(r->disable, sizeof r->disable, "%s", en);
	for (char *p = r->disable; (p = strchr(p, '+')) != NULL;)
		*p = '-';
	owndir = path_join3(u->mount, u->own, "");
	dir = xstrdup(base);
	for (;;) {
		bool is_own = strcmp(dir, owndir) == 0, done;
		char *next;

		if (cgroup_read(dir, "cgroup.subtree_control", cur, sizeof cur) < 0)
			cur[0] = '\0';
		done = (!mem || list_has(cur, "memory", " ")) && (!pids || list_has(cur, "pids", " "));
		if (!done && is_own && src->move_self && strcmp(u->own, "/") != 0 && !moved) {
			if (cgroup_read(dir, "cgroup.procs", cur, sizeof cur) > 0) {
				if (move_to_leaf(r, dir, src->as_pid1 || getpid() == 1, &why) < 0)
					break;
				moved = true;
			}
		}
		if (!done) {
			rc = cgroup_write(r, dir, "cgroup.subtree_control", en);
			/* A cgroup-namespace root says "/" but is not exempt. */
			if (rc == -EBUSY && is_own && src->move_self && !moved) {
				if (move_to_leaf(r, dir, src->as_pid1 || getpid() == 1, &why) < 0)
					break;
				moved = true;
				rc = cgroup_write(r, dir, "cgroup.subtree_control", en);
			}
			if (rc < 0) {
				why = xasprintf("cannot write \"%s\" to %s/cgroup.subtree_control: %s%s", en, dir,
						strerror(-rc),
						rc == -EBUSY ? " (processes other than supd live there)" : "");
				break;
			}
			if (strcmp(dir, u->dir) != 0) {
				r->enabled = xreallocarray(r->enabled, nen + 2, sizeof *r->enabled);
				r->enabled[nen++] = xstrdup(dir);
				r->enabled[nen] = NULL;
			}
		}
		if (strcmp(dir, u->dir) == 0)
			break;
		/* Next component of the root's path below dir. */
		const char *rest = u->dir + strlen(dir) + 1;
		next = xasprintf("%s/%.*s", dir, (int)strcspn(rest, "/"), rest);
		free(dir);
		dir = next;
	}
	free(dir);
	free(owndir);
	if (why != NULL) {
		if (mem)
			r->why_no_memory = xstrdup(why);
		if (pids)
			r->why_no_pids = xstrdup(why);
		free(why);
		return;
	}
	if (mem)
		r->mem_hier = CG_UNIFIED;
	if (pids)
		r->pids_hier = CG_UNIFIED;
}

/* min(RAM, the limits supd lives under): the base of MemoryMax=N%. */
static uint64_t
memory_base(struct cgroup_root *r)
{
	uint64_t base = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE), v;
	char buf[4096], *dir;
	struct cgroup_hier_info *h;

	/* lxcfs shows the container's limit here. */
	if (read_small_file("/proc/meminfo", buf, sizeof buf) > 0 && cgroup_keyed(buf, "MemTotal:", &v) == 0 &&
	    v * 1024 < base)
		base = v * 1024;
	h = &r->h[CG_MEMORY];
	if (h->mount != NULL) {
		dir = path_join3(h->mount, h->own, "");
		if (cgroup_read(dir, "memory.stat", buf, sizeof buf) > 0 &&
		    cgroup_keyed(buf, "hierarchical_memory_limit", &v) == 0 && v < base)
			base = v;
		if (cgroup_read(dir, "memory.limit_in_bytes", buf, sizeof buf) > 0 &&
		    cgroup_parse_u64(buf, &v) == 0 && v < base)
			base = v;
		free(dir);
	}
	h = &r->h[CG_UNIFIED];
	if (h->mount != NULL) {
		dir = path_join3(h->mount, h->own, "");
		for (;;) {
			char *slash;

			if (cgroup_read(dir, "memory.max", buf, sizeof buf) > 0 && cgroup_parse_u64(buf, &v) == 0 &&
			    v < base)
				base = v;
			if (strcmp(dir, h->mount) == 0 || (slash = strrchr(dir, '/')) == NULL || slash == dir)
				break;
			*slash = '\0';
		}
		free(dir);
	}
	return base;
}

static void
build_describe(struct cgroup_root *r)
{
	static const char *const modes[] = {"v2", "hybrid", "v1", "none"};
	char *s = xasprintf("%s:", modes[r->mode]), *t;

	for (int i = 0; i < CG_NHIER; i++) {
		if (r->h[i].dir == NULL)
			continue;
		t = xasprintf("%s %s %s%s", s, hier_names[i], r->h[i].dir,
			      i == CG_UNIFIED && r->have_kill ? " (cgroup.kill)" : "");
		free(s);
		s = t;
		if (i == CG_UNIFIED && r->mem_hier == CG_UNIFIED) {
			t = xasprintf("%s +memory", s);
			free(s);
			s = t;
		}
		if (i == CG_UNIFIED && r->pids_hier == CG_UNIFIED) {
			t = xasprintf("%s +pids", s);
			free(s);
			s = t;
		}
		t = xasprintf("%s,", s);
		free(s);
		s = t;
	}
	if (r->mem_hier == CG_NHIER) {
		t = xasprintf("%s no memory controller (%s),", s, r->why_no_memory ? r->why_no_memory : "not mounted");
		free(s);
		s = t;
	}
	if (r->pids_hier == CG_NHIER) {
		t = xasprintf("%s no pids controller (%s),", s, r->why_no_pids ? r->why_no_pids : "not mounted");
		free(s);
		s = t;
	}
	s[strlen(s) - 1] = '\0';
	r->describe = s;
}

/* Create the root directory in hierarchy i; drop the hierarchy on failure. */
static int
open_hier(struct cgroup_root *r, int i, char **cause)
{
	struct cgroup_hier_info *h = &r->h[i];
	char *base = path_join3(h->mount, r->name[0] == '/' ? "" : h->own, "");
	int rc;

	h->dir = path_join3(base, r->name, "");
	if ((rc = mkdir_below(base, h->dir, &h->top)) < 0) {
		*cause = xasprintf("cannot create %s: %s", h->dir, strerror(-rc));
		free(h->dir);
		h->dir = NULL;
	}
	free(base);
	return rc;
}

int
cgroup_root_open(const char *root, const struct cgroup_sources *src, struct cgroup_root **out, char **cause)
{
	static const struct cgroup_sources real = {NULL, NULL, true, false, NULL, NULL, NULL};
	struct cgroup_root *r;
	char *own[CG_NHIER] = {NULL, NULL, NULL}, *why = NULL;
	int rc;

	*cause = NULL;
	if (src == NULL)
		src = &real;
	if (!valid_root_name(root)) {
		*cause = xasprintf("invalid cgroup root \"%s\"", root);
		return -EINVAL;
	}
	r = xcalloc(1, sizeof *r);
	r->have_memsw = -1;
	r->name = xstrdup(root);
	r->inotify_fd = -1;
	r->mem_hier = r->pids_hier = CG_NHIER;
	r->write_hook = src->write_hook;
	r->write_hook_data = src->write_hook_data;
	r->kmsg = src->kmsg != NULL ? xstrdup(src->kmsg) : NULL;
	if ((rc = parse_proc_cgroup(src->proc_self_cgroup ? src->proc_self_cgroup : "/proc/self/cgroup", own,
				    cause)) < 0 ||
	    (rc = parse_mountinfo(src->mountinfo ? src->mountinfo : "/proc/self/mountinfo", r, own, cause)) < 0)
		goto fail;
	if (r->h[CG_MEMORY].mount != NULL || r->h[CG_PIDS].mount != NULL)
		r->mode = r->h[CG_UNIFIED].mount != NULL ? CGROUP_MODE_HYBRID : CGROUP_MODE_V1;
	else
		r->mode = r->h[CG_UNIFIED].mount != NULL ? CGROUP_MODE_V2 : CGROUP_MODE_NONE;

	/* v1 controllers: a hierarchy we cannot write to is just not used. */
	for (int i = CG_MEMORY; i <= CG_PIDS; i++) {
		if (r->h[i].mount == NULL)
			continue;
		if (open_hier(r, i, &why) < 0) {
			*(i == CG_MEMORY ? &r->why_no_memory : &r->why_no_pids) = why;
			why = NULL;
			continue;
		}
		if (i == CG_MEMORY)
			r->mem_hier = CG_MEMORY;
		else
			r->pids_hier = CG_PIDS;
	}
	if (r->h[CG_UNIFIED].mount != NULL) {
		if ((rc = open_hier(r, CG_UNIFIED, &why)) < 0) {
			if (r->mode == CGROUP_MODE_V2) {
				*cause = why;
				goto fail;
			}
			log_warnx("hybrid cgroups without the unified tree: %s", why);
			free(why);
		} else {
			struct cgroup_hier_info *u = &r->h[CG_UNIFIED];
			char *base = path_join3(u->mount, root[0] == '/' ? "" : u->own, "");

			v2_enable(r, base, src);
			free(base);
			r->have_kill = cgroup_file_exists(u->dir, "cgroup.kill");
			r->have_freeze = cgroup_file_exists(u->dir, "cgroup.freeze");
			if (r->have_kill && (r->kill_taints_clone = cgroup_probe_kill_taints_clone(u->dir)))
				log_info("this kernel SIGKILLs clone3 children born in a cgroup once killed by "
					 "cgroup.kill: services are forked and moved into such cgroups");
			if ((r->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
				rc = -errno;
				*cause = xasprintf("inotify_init1: %s", strerror(errno));
				goto fail;
			}
		}
	}
	if (r->mem_hier == CG_NHIER && r->why_no_memory == NULL)
		r->why_no_memory = xstrdup(r->mode == CGROUP_MODE_NONE ? "no cgroup hierarchy is mounted"
								       : "the memory controller is not mounted");
	if (r->pids_hier == CG_NHIER && r->why_no_pids == NULL)
		r->why_no_pids = xstrdup("the pids controller is not mounted");
	r->memory_base = memory_base(r);
	build_describe(r);
	for (int i = 0; i < CG_NHIER; i++)
		free(own[i]);
	*out = r;
	return 0;
fail:
	for (int i = 0; i < CG_NHIER; i++)
		free(own[i]);
	cgroup_root_close(r, true);
	return rc;
}

/* Undo the move into the leaf so the root can be removed. */
static void
leave_leaf(struct cgroup_root *r)
{
	char *procs, *path = xasprintf("%s/cgroup.procs", r->leaf), pid[32];
	int err;
	size_t n = 0;

	/* A parent cannot drop a controller a child still enables: deepest first. */
	if (r->disable[0] != '\0' &&
	    (err = cgroup_write(r, r->h[CG_UNIFIED].dir, "cgroup.subtree_control", r->disable)) < 0)
		log_warnx("cannot disable controllers in %s: %s", r->h[CG_UNIFIED].dir, strerror(-err));
	while (r->enabled != NULL && r->enabled[n] != NULL)
		n++;
	while (n-- > 0) {
		if ((err = cgroup_write(r, r->enabled[n], "cgroup.subtree_control", r->disable)) < 0)
			log_warnx("cannot disable controllers in %s: %s", r->enabled[n], strerror(-err));
	}
	if ((procs = read_all(path, &err)) != NULL) {
		for (char *p = procs; *p != '\0'; p += strcspn(p, "\n"), p += *p == '\n') {
			snprintf(pid, sizeof pid, "%.*s\n", (int)strcspn(p, "\n"), p);
			if ((err = cgroup_write(r, r->leaf_from, "cgroup.procs", pid)) < 0 && err != -ESRCH)
				log_warnx("cannot move pid %s back to %s: %s", pid, r->leaf_from, strerror(-err));
		}
		free(procs);
	}
	free(path);
	if (rmdir(r->leaf) == -1 && errno != ENOENT)
		log_warn("rmdir %s", r->leaf);
}

void
cgroup_root_close(struct cgroup_root *r, bool remove_dirs)
{
	struct cgroup *cg;

	if (r == NULL)
		return;
	while ((cg = r->cgroups) != NULL) {
		r->cgroups = cg->next;
		for (int i = 0; i < CG_NHIER; i++)
			if (remove_dirs && cg->dir[i] != NULL && !cg->removed[i] && rmdir(cg->dir[i]) == -1 &&
			    errno != ENOENT)
				log_warn("rmdir %s", cg->dir[i]);
		cgroup_free(cg);
	}
	if (remove_dirs && r->leaf != NULL)
		leave_leaf(r);
	for (int i = 0; i < CG_NHIER; i++) {
		if (remove_dirs && r->h[i].dir != NULL)
			remove_root_dir(&r->h[i]);
		free(r->h[i].top);
		free(r->h[i].mount);
		free(r->h[i].own);
		free(r->h[i].dir);
	}
	if (r->inotify_fd != -1)
		close(r->inotify_fd);
	strv_free(r->enabled);
	free(r->leaf);
	free(r->leaf_from);
	free(r->kmsg);
	free(r->why_no_memory);
	free(r->why_no_pids);
	free(r->describe);
	free(r->name);
	free(r);
}

enum cgroup_mode
cgroup_root_mode(const struct cgroup_root *r)
{
	return r->mode;
}

bool
cgroup_root_has_memory(const struct cgroup_root *r)
{
	return r->mem_hier != CG_NHIER;
}

bool
cgroup_root_has_pids(const struct cgroup_root *r)
{
	return r->pids_hier != CG_NHIER;
}

const char *
cgroup_root_describe(const struct cgroup_root *r)
{
	return r->describe;
}

uint64_t
cgroup_root_memory_base(const struct cgroup_root *r)
{
	return r->memory_base;
}

void
cgroup_root_set_write_hook(struct cgroup_root *r, cgroup_write_hook_fn fn, void *data)
{
	r->write_hook = fn;
	r->write_hook_data = data;
}
