/*
 * cgwatch.h - turns cgroup event sources into callbacks on the libuv loop:
 * OOM kills (v2 memory.events by inotify, v1 memory.oom_control by eventfd)
 * and a cgroup becoming empty (cgroup.events populated 0).  Never polls on
 * a timer: an idle supd makes no wakeups.
 */
#ifndef SUPD_CGWATCH_H
#define SUPD_CGWATCH_H

#include <uv.h>

#include "cgroup.h"

struct cgwatch;

struct cgwatch_callbacks {
	/* The OOM kill counter rose from old to new. */
	void (*oom)(struct cgroup *cg, uint64_t old_count, uint64_t new_count, void *data);
	/* The cgroup may have become empty (check cgroup_is_populated). */
	void (*maybe_empty)(struct cgroup *cg, void *data);
};

struct cgwatch *cgwatch_new(uv_loop_t *loop, struct cgroup_root *r,
			    const struct cgwatch_callbacks *cbs, void *data);
/* Start watching cg (after cgroup_create). */
int cgwatch_add(struct cgwatch *w, struct cgroup *cg);
/* Stop watching cg (before cgroup_destroy). */
void cgwatch_remove(struct cgwatch *w, struct cgroup *cg);
/* Re-read cg's counter now; calls cbs->oom if it rose.  Used before
 * classifying a main-process exit so OOM is never recorded as `signal`. */
void cgwatch_check_oom(struct cgwatch *w, struct cgroup *cg);
/* Close handles; cb runs when all libuv handles are closed. */
void cgwatch_close(struct cgwatch *w, void (*cb)(void *data), void *data);

#endif
