/*
 * cgwatch.c - cgroup events on the libuv loop.  One uv_poll_t on the
 * root's inotify fd (v2 memory.events, unified cgroup.events), one per v1
 * OOM eventfd.  On v1 the eventfd fires before the kernel picks a victim,
 * so the oom_kill counter may not have moved yet: then cgwatch watches a
 * pidfd of every process in the cgroup and re-reads the counter when one
 * exits (the victim's exit follows its kill).  No timers anywhere.
 *
 * Every handle is malloc'd and freed in its close callback.  Callbacks may
 * call cgwatch_remove() or cgwatch_close(): entries are only unlinked while
 * a dispatch is running and freed when it returns.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "cgwatch.h"
#include "log.h"
#include "strutil.h"

/* Processes watched per cgroup after an OOM event; more is a fork bomb. */
#define CGWATCH_MAX_PIDFDS 64

struct cgwatch_entry;

struct cgwatch_handle {
	uv_poll_t poll;
	struct cgwatch *w;
	struct cgwatch_entry *e;
	int fd;                     /* closed after the handle, -1 if not ours */
	pid_t pid;
	struct cgwatch_handle *next; /* in e->pidfds */
};

struct cgwatch_entry {
	struct cgwatch *w;
	struct cgroup *cg;
	uint64_t last_oom;
	bool have_count;
	struct cgwatch_handle *efd;
	struct cgwatch_handle *pidfds;
	int npidfds;
	struct cgwatch_entry *next;
};

struct cgwatch {
	uv_loop_t *loop;
	struct cgroup_root *root;
	struct cgwatch_callbacks cbs;
	void *data;
	struct cgwatch_handle *inotify;
	struct cgwatch_entry *entries;
	struct cgwatch_entry *dead; /* unlinked during a dispatch, freed after it */
	int open_handles;
	int busy;
	bool closing;
	void (*close_cb)(void *data);
	void *close_data;
};

static void
finish(struct cgwatch *w)
{
	void (*cb)(void *) = w->close_cb;
	void *data = w->close_data;

	free(w);
	if (cb != NULL)
		cb(data);
}

static void
enter(struct cgwatch *w)
{
	w->busy++;
}

static void
leave(struct cgwatch *w)
{
	struct cgwatch_entry *e;

	if (--w->busy > 0)
		return;
	while ((e = w->dead) != NULL) {
		w->dead = e->next;
		free(e);
	}
	if (w->closing && w->open_handles == 0)
		finish(w);
}

static void
handle_close_cb(uv_handle_t *uh)
{
	struct cgwatch_handle *h = uh->data;
	struct cgwatch *w = h->w;

	if (h->fd != -1)
		close(h->fd);
	free(h);
	if (--w->open_handles == 0 && w->closing && w->busy == 0)
		finish(w);
}

static struct cgwatch_handle *
handle_start(struct cgwatch *w, struct cgwatch_entry *e, int fd, bool own_fd, uv_poll_cb cb)
{
	struct cgwatch_handle *h = xcalloc(1, sizeof *h);
	int rc;

	h->w = w;
	h->e = e;
	h->fd = own_fd ? fd : -1;
	if ((rc = uv_poll_init(w->loop, &h->poll, fd)) < 0) {
		log_warnx("uv_poll_init fd %d: %s", fd, uv_strerror(rc));
		if (own_fd)
			close(fd);
		free(h);
		return NULL;
	}
	h->poll.data = h;
	w->open_handles++;
	if ((rc = uv_poll_start(&h->poll, UV_READABLE, cb)) < 0) {
		log_warnx("uv_poll_start fd %d: %s", fd, uv_strerror(rc));
		uv_close((uv_handle_t *)&h->poll, handle_close_cb);
		return NULL;
	}
	return h;
}

static void
handle_close(struct cgwatch_handle *h)
{
	if (h == NULL)
		return;
	h->e = NULL;
	uv_close((uv_handle_t *)&h->poll, handle_close_cb);
}

static void
disarm_pidfds(struct cgwatch_entry *e)
{
	struct cgwatch_handle *h;

	while ((h = e->pidfds) != NULL) {
		e->pidfds = h->next;
		handle_close(h);
	}
	e->npidfds = 0;
}

static struct cgwatch_entry *
find(struct cgwatch *w, struct cgroup *cg)
{
	struct cgwatch_entry *e = cgroup_watch(cg);

	return e != NULL && e->w == w ? e : NULL;
}

/* Re-read the counter; true if it rose (cbs->oom was called). */
static bool
check_oom(struct cgwatch *w, struct cgwatch_entry *e)
{
	uint64_t n, old;

	if (e->cg == NULL || cgroup_oom_kills_read(e->cg, &n) < 0)
		return false;
	if (!e->have_count || n < e->last_oom) {
		e->have_count = true;
		e->last_oom = n;
		return false;
	}
	if (n == e->last_oom)
		return false;
	old = e->last_oom;
	e->last_oom = n;
	disarm_pidfds(e);
	if (w->cbs.oom != NULL)
		w->cbs.oom(e->cg, old, n, w->data);
	return true;
}

static void
pidfd_cb(uv_poll_t *p, int status, int events)
{
	struct cgwatch_handle *h = p->data, **pp;
	struct cgwatch_entry *e = h->e;
	struct cgwatch *w = h->w;

	(void)status;
	(void)events;
	if (e == NULL)
		return;
	for (pp = &e->pidfds; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			e->npidfds--;
			break;
		}
	}
	handle_close(h);
	enter(w);
	(void)check_oom(w, e);
	leave(w);
}

/* Watch the exit of every process in the cgroup (the victim among them). */
static void
arm_pidfds(struct cgwatch *w, struct cgwatch_entry *e)
{
	pid_t *pids;
	size_t n;

	if (cgroup_pids(e->cg, &pids, &n) < 0)
		return;
	log_debug("%s: OOM event before the kill was counted; watching %zu processes for their exit",
		  cgroup_name(e->cg), n);
	for (size_t i = 0; i < n && e->npidfds < CGWATCH_MAX_PIDFDS; i++) {
		struct cgwatch_handle *h;
		bool armed = false;
		int fd;

		for (h = e->pidfds; h != NULL && !armed; h = h->next)
			armed = h->pid == pids[i];
		if (armed || (fd = (int)syscall(SYS_pidfd_open, pids[i], 0)) == -1)
			continue;
		if ((h = handle_start(w, e, fd, true, pidfd_cb)) == NULL)
			continue;
		h->pid = pids[i];
		h->next = e->pidfds;
		e->pidfds = h;
		e->npidfds++;
	}
	free(pids);
}

static void
efd_cb(uv_poll_t *p, int status, int events)
{
	struct cgwatch_handle *h = p->data;
	struct cgwatch_entry *e = h->e;
	struct cgwatch *w = h->w;
	uint64_t v;

	(void)status;
	(void)events;
	if (e == NULL)
		return;
	if (read(cgroup_oom_eventfd(e->cg), &v, sizeof v) == -1 && errno != EAGAIN)
		log_warn("%s: read OOM eventfd", cgroup_name(e->cg));
	enter(w);
	if (!check_oom(w, e) && e->cg != NULL)
		arm_pidfds(w, e);
	leave(w);
}

static void
inotify_one(struct cgroup *cg, void *data)
{
	struct cgwatch *w = data;
	struct cgwatch_entry *e = find(w, cg);
	bool empty;

	if (e == NULL)
		return;
	/* Emptiness first: a count read once the cgroup is empty is final,
	 * and the check at the main process's exit then reads nothing. */
	empty = !cgroup_is_populated(cg);
	/* With a v1 eventfd this watch tells only populated and frozen; an
	 * OOM kill with no eventfd (a global OOM) that emptied the cgroup is
	 * counted here.  Otherwise (memory.events, no eventfd) always look. */
	if (empty || cgroup_oom_eventfd(cg) == -1)
		(void)check_oom(w, e);
	/* e->cg is NULL if the callback removed it. */
	if (e->cg != NULL && w->cbs.maybe_empty != NULL && empty)
		w->cbs.maybe_empty(cg, w->data);
}

static void
inotify_cb(uv_poll_t *p, int status, int events)
{
	struct cgwatch_handle *h = p->data;
	struct cgwatch *w = h->w;

	(void)status;
	(void)events;
	enter(w);
	cgroup_root_inotify_dispatch(w->root, inotify_one, w);
	leave(w);
}

struct cgwatch *
cgwatch_new(uv_loop_t *loop, struct cgroup_root *r, const struct cgwatch_callbacks *cbs, void *data)
{
	struct cgwatch *w = xcalloc(1, sizeof *w);
	int fd;

	w->loop = loop;
	w->root = r;
	w->cbs = *cbs;
	w->data = data;
	if ((fd = cgroup_root_inotify_fd(r)) != -1)
		w->inotify = handle_start(w, NULL, fd, false, inotify_cb);
	return w;
}

int
cgwatch_add(struct cgwatch *w, struct cgroup *cg)
{
	struct cgwatch_entry *e;
	int fd;

	if (find(w, cg) != NULL)
		return -EEXIST;
	e = xcalloc(1, sizeof *e);
	e->w = w;
	e->cg = cg;
	if (cgroup_oom_kills_read(cg, &e->last_oom) == 0)
		e->have_count = true;
	if ((fd = cgroup_oom_eventfd(cg)) != -1 && (e->efd = handle_start(w, e, fd, false, efd_cb)) == NULL) {
		free(e);
		return -EIO;
	}
	e->next = w->entries;
	w->entries = e;
	cgroup_set_watch(cg, e);
	return 0;
}

static void
entry_release(struct cgwatch *w, struct cgwatch_entry *e)
{
	struct cgwatch_entry **pp;

	for (pp = &w->entries; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	disarm_pidfds(e);
	handle_close(e->efd);
	e->efd = NULL;
	if (e->cg != NULL)
		cgroup_set_watch(e->cg, NULL);
	e->cg = NULL;
	if (w->busy > 0) {
		e->next = w->dead;
		w->dead = e;
	} else
		free(e);
}

void
cgwatch_remove(struct cgwatch *w, struct cgroup *cg)
{
	struct cgwatch_entry *e = find(w, cg);

	if (e != NULL)
		entry_release(w, e);
}

void
cgwatch_check_oom(struct cgwatch *w, struct cgroup *cg)
{
	struct cgwatch_entry *e = find(w, cg);

	if (e == NULL)
		return;
	enter(w);
	(void)check_oom(w, e);
	leave(w);
}

void
cgwatch_close(struct cgwatch *w, void (*cb)(void *data), void *data)
{
	w->closing = true;
	w->close_cb = cb;
	w->close_data = data;
	while (w->entries != NULL)
		entry_release(w, w->entries);
	handle_close(w->inotify);
	w->inotify = NULL;
	if (w->open_handles == 0 && w->busy == 0)
		finish(w);
}
