/*
 * cgroup.h - services' control groups on raw cgroupfs (no libcgroup, no
 * libuv).  One struct cgroup_root describes the hierarchies supd uses:
 *
 *   pure v2 (LXC, Proxmox, Debian 12):  one unified tree; supd moves itself
 *       (and, as PID 1 at a namespace root, every process there) into a
 *       leaf "<root>/supd.daemon" before it enables +memory +pids in
 *       subtree_control, because a cgroup with controllers enabled for its
 *       children cannot hold processes (EBUSY).
 *   hybrid (this dev machine): the v1 memory (and pids) hierarchies for
 *       limits and OOM counters; the unified tree, where mounted, for
 *       tracking, cgroup.kill, cgroup.events and memory.pressure.
 *   v1 only: the v1 memory and pids hierarchies; kill by signalling pids.
 *
 * A relative root ("supd") is created below the cgroup that
 * /proc/self/cgroup names for supd in each hierarchy; an absolute one is
 * taken relative to each hierarchy's mount point.  Each service gets
 * "<root>/<name>" in every hierarchy in use.
 *
 * Functions return 0 or a negative errno; those that can fail for a reason
 * worth telling the user also fill *cause (malloc'd, caller frees).
 */
#ifndef SUPD_CGROUP_H
#define SUPD_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct cgroup_root;
struct cgroup;

/* Where to look.  All NULL: the real system (/proc/self/cgroup,
 * /proc/self/mountinfo).  Unit tests point these at a temporary tree. */
struct cgroup_sources {
	const char *proc_self_cgroup; /* file in /proc/self/cgroup format */
	const char *mountinfo;        /* file in /proc/self/mountinfo format */
	bool move_self;               /* pure v2: move supd into a leaf (default true for real runs) */
	bool as_pid1;                 /* tests: behave as PID 1 (move every process of the cgroup) */
	/* tests: the write hook (see cgroup_root_set_write_hook) from the start */
	int (*write_hook)(const char *path, const char *value, void *data);
	void *write_hook_data;
	const char *kmsg;             /* tests: file in /dev/kmsg format (cgroup_oom_victim) */
};

/* Discover hierarchies and create the root subtree.  Never fails just
 * because a controller is missing: the root then reports what it lacks. */
int cgroup_root_open(const char *root, const struct cgroup_sources *src, struct cgroup_root **out,
		     char **cause);
/* Remove the subtree (services' cgroups must be empty) and free. */
void cgroup_root_close(struct cgroup_root *r, bool remove_dirs);

enum cgroup_mode { CGROUP_MODE_V2, CGROUP_MODE_HYBRID, CGROUP_MODE_V1, CGROUP_MODE_NONE };
enum cgroup_mode cgroup_root_mode(const struct cgroup_root *r);
bool cgroup_root_has_memory(const struct cgroup_root *r);
bool cgroup_root_has_pids(const struct cgroup_root *r);
/* One line for the start-up log: "hybrid: memory v1 /sys/fs/cgroup/memory/x/supd, ..." */
const char *cgroup_root_describe(const struct cgroup_root *r);
/* min(physical RAM, the memory limit supd lives under): base of MemoryMax=N%. */
uint64_t cgroup_root_memory_base(const struct cgroup_root *r);

/* Test seam: called before every write to a cgroup file (not from
 * cgroup_join_self); a negative return is taken as the write's -errno and
 * the file is left alone.  NULL removes the hook. */
typedef int (*cgroup_write_hook_fn)(const char *path, const char *value, void *data);
void cgroup_root_set_write_hook(struct cgroup_root *r, cgroup_write_hook_fn fn, void *data);

/* Create (or adopt, if it exists) the cgroup of service name. */
int cgroup_create(struct cgroup_root *r, const char *name, struct cgroup **out, char **cause);
/* rmdir in every hierarchy; -EBUSY while populated.  Frees cg on success. */
int cgroup_destroy(struct cgroup *cg);
const char *cgroup_name(const struct cgroup *cg);
/* Path in the main hierarchy (v2, or v1 memory), for messages and status. */
const char *cgroup_path(const struct cgroup *cg);
/* The directory in one hierarchy, NULL where it is not used: the unified
 * one (v2, or hybrid's tracking tree: cgroup.kill, memory.pressure), the
 * one holding memory.* files, the one holding pids.max. */
const char *cgroup_unified_path(const struct cgroup *cg);
const char *cgroup_memory_path(const struct cgroup *cg);
const char *cgroup_pids_path(const struct cgroup *cg);

/* The files a process writes "0" to, in this order, to move itself into
 * the service's cgroup in every hierarchy (but the unified one if
 * in_unified: it was born there): v1 `tasks` (the thread alone, no global
 * lock), unified `cgroup.procs`.  The paths go to buf, files[] points at
 * them and ends with NULL (at most CGROUP_JOIN_MAX).  The number of files,
 * or -ENAMETOOLONG. */
#define CGROUP_JOIN_MAX 3
int cgroup_join_files(const struct cgroup *cg, bool in_unified, char *buf, size_t len,
		      const char *files[CGROUP_JOIN_MAX + 1]);
/* Write them (a forked child, tests).  Returns 0 or -errno; path then
 * names the file. */
int cgroup_join_self(const struct cgroup *cg, bool in_unified, char *path, size_t path_len);

/* A new descriptor (the caller closes it) for clone3(CLONE_INTO_CGROUP)
 * when the service's cgroup has a directory in the unified tree: the child
 * is born in it there.  -1 otherwise.  v1 hierarchies still need
 * cgroup_join_self. */
int cgroup_open_clone_fd(const struct cgroup *cg);
/* Before any process is started in cg (every spawn calls it):
 * cgroup_is_populated reads again, and the OOM counter of a cgroup just
 * made is read from then on (0 until then). */
void cgroup_expect_process(struct cgroup *cg);
/* fork(), but the child is born in the unified cgroup cgroup_fd (clone3
 * with CLONE_INTO_CGROUP; glibc 2.36 has no wrapper; clone_vm.h is the
 * vfork-style variant).  -1 with errno where the kernel refuses it, so the
 * caller can fork and move the child instead. */
pid_t cgroup_fork_into(int cgroup_fd);

/* Memory limits (bytes; CGROUP_LIMIT_MAX = none).  Which fields the caller set. */
#define CGROUP_LIMIT_MAX UINT64_MAX
struct cgroup_limits {
	uint64_t memory_min, memory_low, memory_high, memory_max, memory_swap_max;
	bool min_set, low_set, high_set, max_set, swap_max_set;
	bool oom_group; /* OOMPolicy=kill */
	uint64_t tasks_max; /* CGROUP_LIMIT_MAX = none */
	bool tasks_max_set;
};

/* What became of each setting: shown by `supctl show`, warned about once. */
enum cgroup_enforce { CGROUP_ENFORCED, CGROUP_EMULATED, CGROUP_NOT_ENFORCED, CGROUP_NOT_SET };
struct cgroup_applied_item {
	const char *key;      /* "MemoryMax" */
	enum cgroup_enforce how;
	char file[160];       /* its file, e.g. ".../memory.limit_in_bytes" */
	/* The same file as the cgroup's directory (owned by the cgroup, valid
	 * while it is) and a constant name, for those who keep it; NULL with
	 * no file. */
	const char *dir, *name;
	char note[160];       /* why not enforced / how emulated */
};
struct cgroup_applied {
	struct cgroup_applied_item items[8];
	int n;
};
/* Write the limits (in the order the kernel needs); fill *applied.  A write
 * the kernel refuses is an error with cause naming file, value and errno. */
int cgroup_apply_limits(struct cgroup *cg, const struct cgroup_limits *lim,
			struct cgroup_applied *applied, char **cause);

/* Memory figures; UINT64_MAX where unknown. */
struct cgroup_memory {
	uint64_t current, peak;
	uint64_t anon, file, kernel; /* from memory.stat */
	uint64_t oom_kills;          /* memory.events oom_kill / memory.oom_control oom_kill */
	uint64_t high_events;        /* v2 memory.events high */
};
int cgroup_memory_read(struct cgroup *cg, struct cgroup_memory *m);
/* Close the descriptors cgroup_memory_usage keeps (a stopped service). */
void cgroup_release_fds(struct cgroup *cg);
/* Only current and peak (UINT64_MAX where unknown): cheap, for status. */
int cgroup_memory_usage(struct cgroup *cg, uint64_t *current, uint64_t *peak);
/* Just the OOM kill counter (cheap, read before classifying an exit). */
uint64_t cgroup_oom_kills(struct cgroup *cg);
/* The victim of the most recent OOM kill the kernel logged for this
 * cgroup (the "oom-kill:...task_memcg=" line of /dev/kmsg): its pid and
 * command name.  -ENOENT if none is logged, -EACCES/-EPERM where the
 * kernel log is not readable (containers).  Call it when the counter rose. */
int cgroup_oom_victim(struct cgroup *cg, pid_t *pid, char *comm, size_t commlen);
/* The same, telling a failed read (-errno) from a zero count. */
int cgroup_oom_kills_read(struct cgroup *cg, uint64_t *count);

/* Processes. */
bool cgroup_is_populated(struct cgroup *cg);
/* Pids in the cgroup (v2 cgroup.procs, or v1 memory/pids). *pids malloc'd. */
int cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *n);
/* Send sig to every process (sig == SIGKILL uses cgroup.kill where it exists). */
int cgroup_signal_all(struct cgroup *cg, int sig);
/* The same, with SIGCONT sent right after sig to each process (systemd's
 * KillSignal= then SIGCONT), so a stopped process wakes to see sig before
 * it can exit.  No SIGCONT after SIGKILL or SIGCONT. */
int cgroup_signal_all_cont(struct cgroup *cg, int sig);

/* Event sources, for the caller to poll (cgwatch.c does that with libuv):
 *   cgroup_root_inotify_fd(): one inotify fd watching every service's
 *       memory.events (v2) and cgroup.events (v2/unified) for IN_MODIFY; -1
 *       if there is no unified tree.
 *   cgroup_oom_eventfd(): v1 only, an eventfd registered with
 *       cgroup.event_control on memory.oom_control; -1 otherwise. */
int cgroup_root_inotify_fd(struct cgroup_root *r);
/* Drain the inotify fd; for each event call cb with the cgroup it is about. */
void cgroup_root_inotify_dispatch(struct cgroup_root *r,
				  void (*cb)(struct cgroup *cg, void *data), void *data);
int cgroup_oom_eventfd(struct cgroup *cg);
/* Opaque per-cgroup pointer for the owner (the service). */
void cgroup_set_owner(struct cgroup *cg, void *owner);
void *cgroup_owner(const struct cgroup *cg);
/* The same for the OOM and emptiness watch (cgwatch.c): a thousand
 * services made a list search per cgwatch_add 8% of supd's start. */
void cgroup_set_watch(struct cgroup *cg, void *watch);
void *cgroup_watch(const struct cgroup *cg);

#endif
