/*
 * outjournal.c - see outjournal.h.  The journal file holds at most one
 * record, rewritten for every chunk and cut to zero length by the commit:
 *
 *   struct record_head, the service's name, the partial line before the
 *   chunk, then the chunk itself (its length is what splice(2) moved, so
 *   the file's size tells it even when supd died in the middle).
 */
#include "outjournal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "strutil.h"

#define OUTJOURNAL_MAGIC 0x4a4f5331u /* "1SOJ" */
#define OUTJOURNAL_MAX_CHUNK (1u << 20)
#define OUTJOURNAL_MAX_NAME 4096u
#define OUTJOURNAL_MAX_PARTIAL (1u << 20)

struct record_head {
	uint32_t magic;
	uint32_t name_len;
	uint32_t partial_len;
	uint32_t skip;    /* bytes of partial + chunk already logged */
	uint64_t log_ino; /* where the rest goes: this file, from log_size on */
	uint64_t log_size;
	uint32_t rotated; /* ... or the file that replaced it, from 0 */
	uint32_t pad;
};

struct outjournal {
	int fd;
	char *path;
	char *partial_dir;
	/* partial_dir may hold a file: it had one at open, or this supd wrote
	 * one since.  Without, claiming a service's line opens nothing (one
	 * failed open per service at a cold start). */
	bool partials;
	bool dirty;        /* the file may hold a record */
	bool live;         /* ... of a chunk this supd is logging now */
	char *head;        /* a record's header, name and partial, built per chunk */
	size_t head_cap;
	/* What previous supds left uncommitted, until each service claims
	 * its record; each kept on disk as output.journal.left.N meanwhile. */
	char *state_dir;
	struct pending_record *pend;
	size_t npend;
	char *claimed_path; /* removed once the claimed record is logged */
};

struct pending_record {
	char *name;
	char *path;
	struct outjournal_left left;
};

static char *
partial_path(const struct outjournal *j, const char *name)
{
	return xasprintf("%s/%s", j->partial_dir, name);
}

/* An uncommitted record left by a previous supd, kept for its service. */
static bool
load_record(int fd, const char *path, struct pending_record *pr)
{
	struct record_head h;
	struct stat st;
	size_t body;
	char *rec;

	if (fstat(fd, &st) == -1 || st.st_size == 0)
		return false;
	if ((size_t)st.st_size < sizeof h || pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h ||
	    h.magic != OUTJOURNAL_MAGIC || h.name_len == 0 || h.name_len > OUTJOURNAL_MAX_NAME ||
	    h.partial_len > OUTJOURNAL_MAX_PARTIAL ||
	    (size_t)st.st_size < sizeof h + h.name_len + h.partial_len ||
	    (size_t)st.st_size - sizeof h - h.name_len - h.partial_len > OUTJOURNAL_MAX_CHUNK) {
		log_warnx("output journal %s is damaged; ignored", path);
		return false;
	}
	body = (size_t)st.st_size - sizeof h;
	if ((rec = pread_alloc(fd, body, (off_t)sizeof h)) == NULL) {
		log_warn("output journal %s: read", path);
		return false;
	}
	memset(pr, 0, sizeof *pr);
	pr->name = xstrndup(rec, h.name_len);
	pr->left.has_cut = true;
	pr->left.log_ino = h.log_ino;
	pr->left.log_size = h.log_size;
	pr->left.or_rotated = h.rotated != 0;
	pr->left.data_len = body - h.name_len - h.partial_len;
	if (h.skip == 0) {
		pr->left.partial_len = h.partial_len;
		pr->left.partial = xmalloc(h.partial_len + 1);
		memcpy(pr->left.partial, rec + h.name_len, h.partial_len);
	} else {
		/* Logged lines began with the partial: what is left is chunk. */
		size_t in_chunk = h.skip > h.partial_len ? h.skip - h.partial_len : 0;

		pr->left.data_len -= in_chunk < pr->left.data_len ? in_chunk : pr->left.data_len;
		memmove(rec + h.name_len + h.partial_len, rec + h.name_len + h.partial_len + in_chunk,
			pr->left.data_len);
	}
	pr->left.data = xmalloc(pr->left.data_len + 1);
	memcpy(pr->left.data, rec + h.name_len + h.partial_len, pr->left.data_len);
	free(rec);
	return true;
}

static void
add_pending(struct outjournal *j, const char *path)
{
	struct pending_record pr;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	if (!load_record(fd, path, &pr)) {
		close(fd);
		(void)unlink(path);
		return;
	}
	close(fd);
	pr.path = xstrdup(path);
	j->pend = xreallocarray(j->pend, j->npend + 1, sizeof *j->pend);
	j->pend[j->npend++] = pr;
}

/* Records left by previous supds move aside until their services are
 * taken over (a supd that dies meanwhile leaves them for the next one). */
static int
set_aside(struct outjournal *j)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;
	char *path;

	if ((dir = opendir(j->state_dir)) != NULL) {
		while ((de = readdir(dir)) != NULL) {
			if (strncmp(de->d_name, "output.journal.left.", 20) != 0)
				continue;
			path = xasprintf("%s/%s", j->state_dir, de->d_name);
			add_pending(j, path);
			free(path);
		}
		closedir(dir);
	}
	if (fstat(j->fd, &st) == -1 || st.st_size == 0)
		return 0;
	/* A name no other supd used: ours, made unique by the time. */
	path = xasprintf("%s/output.journal.left.%ld.%lld", j->state_dir, (long)getpid(),
			 (long long)time(NULL));
	close(j->fd);
	if (rename(j->path, path) == -1)
		log_warn("output journal: rename %s", j->path);
	else
		add_pending(j, path);
	free(path);
	j->fd = open(j->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	return j->fd == -1 ? -1 : 0;
}

/* Whether dir holds anything; true when it cannot be read (then every
 * claim looks, as before). */
static bool
dir_has_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool any = false;

	if (d == NULL)
		return true;
	while (!any && (e = readdir(d)) != NULL)
		any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return any;
}

struct outjournal *
outjournal_open(const char *state_dir, char **cause)
{
	struct outjournal *j = xcalloc(1, sizeof *j);
	int r;

	j->path = xasprintf("%s/output.journal", state_dir);
	j->state_dir = xstrdup(state_dir);
	j->partial_dir = xasprintf("%s/partial", state_dir);
	if ((r = mkdir_parents(j->partial_dir, 0700)) < 0) {
		*cause = xasprintf("cannot create %s: %s", j->partial_dir, strerror(-r));
		goto fail;
	}
	j->partials = dir_has_entries(j->partial_dir);
	if ((j->fd = open(j->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		*cause = xasprintf("cannot open %s: %s", j->path, strerror(errno));
		goto fail;
	}
	if (set_aside(j) == -1) {
		*cause = xasprintf("cannot open %s: %s", j->path, strerror(errno));
		goto fail;
	}
	return j;
fail:
	free(j->state_dir);
	free(j->path);
	free(j->partial_dir);
	free(j);
	return NULL;
}

static void
left_free(struct outjournal_left *l)
{
	free(l->partial);
	free(l->data);
	memset(l, 0, sizeof *l);
}

void
outjournal_close(struct outjournal *j)
{
	if (j == NULL)
		return;
	for (size_t i = 0; i < j->npend; i++) {
		log_warnx("output of %s left by a previous supd (%zu bytes) was not logged: the "
			  "service was not taken over; it stays in %s", j->pend[i].name,
			  j->pend[i].left.data_len, j->pend[i].path);
		free(j->pend[i].name);
		free(j->pend[i].path);
		left_free(&j->pend[i].left);
	}
	free(j->pend);
	free(j->claimed_path);
	free(j->state_dir);
	if (j->fd != -1)
		close(j->fd);
	free(j->head);
	free(j->path);
	free(j->partial_dir);
	free(j);
}

static int
empty_file(struct outjournal *j)
{
	if (j->claimed_path != NULL) {
		/* The record set aside is logged now. */
		if (unlink(j->claimed_path) == -1 && errno != ENOENT)
			log_warn("unlink %s", j->claimed_path);
		free(j->claimed_path);
		j->claimed_path = NULL;
	}
	if (!j->dirty)
		return 0;
	j->live = false;
	if (ftruncate(j->fd, 0) == -1)
		return -1;
	j->dirty = false;
	return 0;
}

ssize_t
outjournal_take(struct outjournal *j, int fd, const char *name, uint64_t log_ino,
		uint64_t log_size, const char *partial, size_t partial_len, char *buf, size_t max)
{
	struct record_head h = {OUTJOURNAL_MAGIC, 0, 0, 0, log_ino, log_size, 0, 0};
	size_t name_len = strlen(name), hlen = sizeof h + name_len + partial_len;
	loff_t off = (loff_t)hlen;
	ssize_t n;

	if (empty_file(j) == -1)
		return -1;
	h.name_len = (uint32_t)name_len;
	h.partial_len = (uint32_t)partial_len;
	if (hlen > j->head_cap)
		j->head = xrealloc(j->head, j->head_cap = hlen);
	memcpy(j->head, &h, sizeof h);
	memcpy(j->head + sizeof h, name, name_len);
	if (partial_len > 0)
		memcpy(j->head + sizeof h + name_len, partial, partial_len);
	j->dirty = true;
	if (pwrite(j->fd, j->head, hlen, 0) != (ssize_t)hlen)
		return -1;
	j->live = true;
	if (fd < 0) /* a record of the partial line alone (outjournal.h) */
		return 0;
	do
		n = splice(fd, NULL, j->fd, &off, max < OUTJOURNAL_MAX_CHUNK ? max : OUTJOURNAL_MAX_CHUNK,
			   SPLICE_F_NONBLOCK);
	while (n == -1 && errno == EINTR);
	if (n <= 0) {
		int e = errno;

		(void)empty_file(j);
		if (n == -1 && e == EAGAIN)
			return 0;
		errno = e;
		return n;
	}
	if (pread(j->fd, buf, (size_t)n, (off_t)hlen) != n) {
		/* An I/O error on the state directory: the bytes go with the
		 * record, which the next take empties. */
		log_warn("output journal %s: read back", j->path);
		return -1;
	}
	return n;
}

void
outjournal_progress(struct outjournal *j, uint64_t log_ino, uint64_t log_size, size_t skip)
{
	struct record_head h;

	if (!j->live || pread(j->fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
		return;
	h.skip = (uint32_t)skip;
	h.log_ino = log_ino;
	h.log_size = log_size;
	h.rotated = 1;
	/* One small write at offset 0: it happens whole or not at all. */
	if (pwrite(j->fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
		log_warn("output journal %s: write", j->path);
}

void
outjournal_commit(struct outjournal *j, const char *name, const char *partial, size_t len,
		  bool had_partial)
{
	char *path = NULL;
	int fd;

	if (len > 0) {
		j->partials = true;
		path = partial_path(j, name);
		/* Not atomic, and need not be: until the journal is cut below,
		 * the next supd takes the partial line from the record. */
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd == -1 && errno == ENOENT && mkdir_parents(j->partial_dir, 0700) == 0)
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd == -1 || write(fd, partial, len) != (ssize_t)len)
			log_warn("keeping %s's unfinished line in %s", name, path);
		if (fd != -1)
			close(fd);
	} else if (had_partial) {
		path = partial_path(j, name);
		if (unlink(path) == -1 && errno != ENOENT)
			log_warn("unlink %s", path);
	}
	free(path);
	if (empty_file(j) == -1)
		log_warn("output journal %s: truncate", j->path);
}

void
outjournal_claim(struct outjournal *j, const char *name, struct outjournal_left *left)
{
	char *path = partial_path(j, name);
	struct stat st;
	int fd;

	memset(left, 0, sizeof *left);
	if (j->partials && (fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		if (fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size <= OUTJOURNAL_MAX_PARTIAL &&
		    (left->partial = pread_alloc(fd, (size_t)st.st_size, 0)) != NULL)
			left->partial_len = (size_t)st.st_size;
		close(fd);
	}
	free(path);
	for (size_t i = 0; i < j->npend; i++) {
		if (strcmp(j->pend[i].name, name) != 0)
			continue;
		/* The record is newer than the partial file. */
		free(left->partial);
		*left = j->pend[i].left;
		free(j->pend[i].name);
		free(j->claimed_path);
		j->claimed_path = j->pend[i].path;
		j->pend[i] = j->pend[--j->npend];
		break;
	}
}

void
outjournal_forget(struct outjournal *j, const char *name)
{
	char *path = partial_path(j, name);

	if (unlink(path) == -1 && errno != ENOENT)
		log_warn("unlink %s", path);
	free(path);
}
