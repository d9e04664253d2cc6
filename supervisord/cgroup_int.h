/*
 * cgroup_int.h - what cgroup.c (discovery, create, join, processes,
 * events) and cgroup_mem.c (limits, memory figures) share.  Nothing
 * outside those two files includes it.
 */
#ifndef SUPD_CGROUP_INT_H
#define SUPD_CGROUP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"

/* The hierarchies supd may use; a service has a directory in each in use. */
enum cgroup_hier { CG_UNIFIED, CG_MEMORY, CG_PIDS, CG_NHIER };

struct cgroup_hier_info {
	char *mount;    /* mount point, NULL if not mounted */
	char *own;      /* supd's cgroup below the mount point ("/" or "/a/b") */
	char *dir;      /* the root's directory, NULL if the hierarchy is unused */
	char *top;      /* the highest directory supd created for it, or NULL */
};

struct cgroup_root {
	char *name;
	enum cgroup_mode mode;
	struct cgroup_hier_info h[CG_NHIER];
	enum cgroup_hier mem_hier;  /* where memory.* lives; CG_NHIER = nowhere */
	enum cgroup_hier pids_hier; /* where pids.max lives; CG_NHIER = nowhere */
	char *why_no_memory;        /* for describe, when mem_hier is CG_NHIER */
	char *why_no_pids;
	char *describe;
	uint64_t memory_base;
	bool have_kill;             /* unified cgroup.kill exists */
	bool have_freeze;           /* unified cgroup.freeze exists */
	bool kill_taints_clone;     /* cgroup_probe_kill_taints_clone said so */
	/* v1 memory.memsw.*: 1 or 0 once looked at, -1 before.  The files
	 * exist in every memory cgroup or in none (swap accounting is the
	 * kernel's, not a cgroup's). */
	int have_memsw;
	/* Pure v2 when supd moved into "<root>/supd.daemon". */
	char *leaf;                 /* the leaf directory, NULL if supd did not move */
	char *leaf_from;            /* the cgroup supd came from */
	char **enabled;             /* cgroups supd enabled controllers in, the root's parent's last */
	char disable[64];           /* "-memory -pids": what undoes the enabling */
	int inotify_fd;
	struct cgroup *cgroups;     /* every open cgroup */
	cgroup_write_hook_fn write_hook;
	void *write_hook_data;
	char *kmsg;                 /* NULL: /dev/kmsg */
};

struct cgroup {
	struct cgroup_root *root;
	struct cgroup *next;
	char *name;
	char *dir[CG_NHIER];        /* NULL where the hierarchy is not used */
	bool removed[CG_NHIER];     /* rmdir already done (a partial destroy) */
	int wd_events;              /* inotify watch of unified cgroup.events */
	int wd_memevents;           /* inotify watch of v2 memory.events */
	int oom_efd;                /* v1 eventfd on memory.oom_control */
	int usage_fd[2];            /* usage and peak files, kept open for status */
	bool clone_ok;              /* children may be born in the unified directory */
	/* Every directory made by this cgroup_create and no limit written yet:
	 * the files hold the kernel's defaults, which an unset key needs. */
	bool pristine;
	/* Seen empty since the last spawn into it: nothing of the service can
	 * fill it again (no process left to fork), so the answer stands
	 * without reading cgroup.events at each of an exit's checks. */
	bool seen_empty;
	/* The OOM kill counter as it stands until the next spawn: read while
	 * seen_empty (no process left to kill), or 0 in a memory directory
	 * this cgroup_create made.  An exit's check then reads nothing. */
	bool oom_count_final;
	uint64_t oom_count;
	void *owner;
	void *watch;
};

/* Write s to dir/file through the root's hook (tests); 0 or -errno. */
int cgroup_write(struct cgroup_root *r, const char *dir, const char *file, const char *s);
/* Read dir/file, trailing newline stripped; bytes read or -errno. */
long cgroup_read(const char *dir, const char *file, char *buf, size_t len);
/* Parse "max", "-1", or a decimal; v1's "unlimited" (>= 2^62) is max too. */
int cgroup_parse_u64(const char *s, uint64_t *v);
/* Value of "key N" in a flat-keyed file such as memory.stat; -ENOENT if absent. */
int cgroup_keyed(const char *text, const char *key, uint64_t *v);
bool cgroup_file_exists(const char *dir, const char *file);
/* Whether this kernel SIGKILLs every child clone3(CLONE_INTO_CGROUP) puts
 * in a cgroup once its cgroup.kill was written (6.14 to at least 6.18); a
 * throw-away cgroup below dir answers.  True when it cannot tell. */
bool cgroup_probe_kill_taints_clone(const char *dir);
/* Free cg (closing its eventfd) without touching cgroupfs. */
void cgroup_free(struct cgroup *cg);

#endif
