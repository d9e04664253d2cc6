/*
 * cgroup_mem.c - memory and pids limits (v2 files, or their v1
 * counterparts and what cannot be mapped), memory figures and the OOM kill
 * counter.  The mapping is documented in docs/cgroups.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "cgroup_int.h"
#include "strutil.h"

#define NOTE_NO_MEMORY "no memory controller available to supd"

enum { IT_MIN, IT_LOW, IT_HIGH, IT_MAX, IT_SWAP, IT_OOMGROUP, IT_TASKS, IT_N };

static const char *const item_keys[IT_N] = {"MemoryMin", "MemoryLow",  "MemoryHigh", "MemoryMax",
					    "MemorySwapMax", "OOMPolicy", "TasksMax"};

struct apply {
	struct cgroup *cg;
	struct cgroup_applied *ap;
	char **cause;
};

static struct cgroup_applied_item *
item(struct apply *a, int k)
{
	return &a->ap->items[k];
}

static void
set_how(struct apply *a, int k, enum cgroup_enforce how, const char *note)
{
	struct cgroup_applied_item *it = item(a, k);

	it->how = how;
	snprintf(it->note, sizeof it->note, "%s", note != NULL ? note : "");
}

static void
fmt_value(char *buf, size_t len, uint64_t v, const char *max)
{
	if (v == CGROUP_LIMIT_MAX)
		snprintf(buf, len, "%s", max);
	else
		snprintf(buf, len, "%" PRIu64, v);
}

/* Write value to dir/file for item k; a refusal is an error naming key,
 * value, file and errno.  A key left at its default (dflt) in a cgroup
 * just made needs no write: at a cold start of a thousand services that
 * is several thousand system calls fewer. */
static int
put(struct apply *a, int k, bool dflt, const char *dir, const char *file, const char *value)
{
	struct cgroup_applied_item *it = item(a, k);
	int rc;

	snprintf(it->file, sizeof it->file, "%s/%s", dir, file);
	it->dir = dir;
	it->name = file;
	if (dflt && a->cg->pristine)
		return 0;
	if ((rc = cgroup_write(a->cg->root, dir, file, value)) < 0) {
		free(*a->cause);
		*a->cause = xasprintf("%s=: cannot write \"%s\" to %s/%s: %s", item_keys[k], value, dir, file,
				      strerror(-rc));
		return rc;
	}
	return 0;
}

/* put() for a key whose file some kernels lack: then it is not enforced. */
static int
put_opt(struct apply *a, int k, bool set, const char *dir, const char *file, const char *value)
{
	int rc = put(a, k, !set, dir, file, value);

	if (rc == -ENOENT) {
		char note[160];

		free(*a->cause);
		*a->cause = NULL;
		item(a, k)->file[0] = '\0';
		item(a, k)->dir = item(a, k)->name = NULL;
		snprintf(note, sizeof note, "%s does not exist in %s", file, dir);
		set_how(a, k, set ? CGROUP_NOT_ENFORCED : CGROUP_NOT_SET, set ? note : NULL);
		return 0;
	}
	return rc;
}

static int
apply_v2(struct apply *a, const struct cgroup_limits *lim)
{
	const char *dir = a->cg->dir[CG_UNIFIED];
	struct {
		int k;
		const char *file;
		bool set;
		uint64_t v, dflt;
	} w[] = {
		{IT_MIN, "memory.min", lim->min_set, lim->memory_min, 0},
		{IT_LOW, "memory.low", lim->low_set, lim->memory_low, 0},
		{IT_HIGH, "memory.high", lim->high_set, lim->memory_high, CGROUP_LIMIT_MAX},
		{IT_MAX, "memory.max", lim->max_set, lim->memory_max, CGROUP_LIMIT_MAX},
		{IT_SWAP, "memory.swap.max", lim->swap_max_set, lim->memory_swap_max, CGROUP_LIMIT_MAX},
	};
	char val[32];
	int rc;

	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		/* An unset key is reset, so an adopted cgroup keeps no stale limit. */
		fmt_value(val, sizeof val, w[i].set ? w[i].v : w[i].dflt, "max");
		set_how(a, w[i].k, w[i].set ? CGROUP_ENFORCED : CGROUP_NOT_SET, NULL);
		if ((rc = put_opt(a, w[i].k, w[i].set, dir, w[i].file, val)) < 0)
			return rc;
	}
	set_how(a, IT_OOMGROUP, lim->oom_group ? CGROUP_ENFORCED : CGROUP_NOT_SET,
		lim->oom_group ? "memory.oom.group=1: the kernel kills the whole cgroup" : NULL);
	return put_opt(a, IT_OOMGROUP, lim->oom_group, dir, "memory.oom.group", lim->oom_group ? "1" : "0");
}

static int
apply_v1(struct apply *a, const struct cgroup_limits *lim)
{
	const char *dir = a->cg->dir[CG_MEMORY];
	uint64_t limit = lim->max_set ? lim->memory_max : CGROUP_LIMIT_MAX, memsw = CGROUP_LIMIT_MAX, cur;
	bool have_memsw, memsw_dflt;
	char val[32], lval[32], sval[32], buf[64];
	int rc;

	if (a->cg->root->have_memsw == -1)
		a->cg->root->have_memsw = cgroup_file_exists(dir, "memory.memsw.limit_in_bytes");
	have_memsw = a->cg->root->have_memsw == 1;

	set_how(a, IT_MIN, lim->min_set ? CGROUP_NOT_ENFORCED : CGROUP_NOT_SET,
		lim->min_set ? "cgroup v1 has no memory.min" : NULL);
	set_how(a, IT_LOW, lim->low_set ? CGROUP_NOT_ENFORCED : CGROUP_NOT_SET,
		lim->low_set ? "cgroup v1 has no memory.low" : NULL);
	set_how(a, IT_OOMGROUP, lim->oom_group ? CGROUP_EMULATED : CGROUP_NOT_SET,
		lim->oom_group ? "no memory.oom.group on cgroup v1: supd kills the whole cgroup on an OOM event" : NULL);

	set_how(a, IT_HIGH, lim->high_set ? CGROUP_EMULATED : CGROUP_NOT_SET,
		lim->high_set ? "memory.soft_limit_in_bytes: reclaimed toward it only under global memory "
				"pressure, no throttling as with v2 memory.high"
			      : NULL);
	fmt_value(val, sizeof val, lim->high_set ? lim->memory_high : CGROUP_LIMIT_MAX, "-1");
	if ((rc = put_opt(a, IT_HIGH, lim->high_set, dir, "memory.soft_limit_in_bytes", val)) < 0)
		return rc;

	set_how(a, IT_MAX, lim->max_set ? CGROUP_ENFORCED : CGROUP_NOT_SET, NULL);
	set_how(a, IT_SWAP, lim->swap_max_set ? CGROUP_ENFORCED : CGROUP_NOT_SET, NULL);
	if (lim->swap_max_set && limit == CGROUP_LIMIT_MAX && lim->memory_swap_max != CGROUP_LIMIT_MAX)
		set_how(a, IT_SWAP, CGROUP_NOT_ENFORCED,
			"cgroup v1 limits memory+swap: MemorySwapMax needs a finite MemoryMax");
	else if (lim->swap_max_set && !have_memsw)
		set_how(a, IT_SWAP, CGROUP_NOT_ENFORCED,
			"memory.memsw.limit_in_bytes does not exist (swap accounting is off)");
	else if (lim->swap_max_set && lim->memory_swap_max != CGROUP_LIMIT_MAX) {
		memsw = limit + lim->memory_swap_max;
		if (memsw < limit)
			memsw = CGROUP_LIMIT_MAX;
		set_how(a, IT_SWAP, CGROUP_ENFORCED, "memory.memsw.limit_in_bytes = MemoryMax + MemorySwapMax");
	}
	fmt_value(lval, sizeof lval, limit, "-1");
	fmt_value(sval, sizeof sval, memsw, "-1");
	if (!have_memsw)
		return put(a, IT_MAX, !lim->max_set, dir, "memory.limit_in_bytes", lval);
	/* The kernel keeps limit <= memsw at every step: raise memsw first,
	 * or lower the limit first. */
	memsw_dflt = memsw == CGROUP_LIMIT_MAX;
	if (a->cg->pristine)
		cur = CGROUP_LIMIT_MAX;
	else if (cgroup_read(dir, "memory.limit_in_bytes", buf, sizeof buf) < 0 ||
		 cgroup_parse_u64(buf, &cur) < 0)
		cur = CGROUP_LIMIT_MAX;
	if (memsw >= cur) {
		if ((rc = put(a, IT_SWAP, memsw_dflt, dir, "memory.memsw.limit_in_bytes", sval)) < 0)
			return rc;
		return put(a, IT_MAX, !lim->max_set, dir, "memory.limit_in_bytes", lval);
	}
	if ((rc = put(a, IT_MAX, !lim->max_set, dir, "memory.limit_in_bytes", lval)) < 0)
		return rc;
	return put(a, IT_SWAP, memsw_dflt, dir, "memory.memsw.limit_in_bytes", sval);
}

static int
apply_limits(struct cgroup *cg, const struct cgroup_limits *lim, struct cgroup_applied *applied,
	     char **cause)
{
	struct cgroup_root *r = cg->root;
	struct apply a = {cg, applied, cause};
	const bool set[IT_N] = {lim->min_set,     lim->low_set,   lim->high_set,    lim->max_set,
				lim->swap_max_set, lim->oom_group, lim->tasks_max_set};
	char val[32];
	int rc = 0;

	*cause = NULL;
	memset(applied, 0, sizeof *applied);
	applied->n = IT_N;
	for (int k = 0; k < IT_N; k++) {
		applied->items[k].key = item_keys[k];
		applied->items[k].how = set[k] ? CGROUP_NOT_ENFORCED : CGROUP_NOT_SET;
	}
	if (r->mem_hier == CG_NHIER) {
		for (int k = IT_MIN; k <= IT_OOMGROUP; k++)
			if (set[k])
				set_how(&a, k, CGROUP_NOT_ENFORCED, NOTE_NO_MEMORY);
	} else if (r->mem_hier == CG_UNIFIED)
		rc = apply_v2(&a, lim);
	else
		rc = apply_v1(&a, lim);
	if (rc < 0)
		return rc;

	if (r->pids_hier == CG_NHIER) {
		if (lim->tasks_max_set)
			set_how(&a, IT_TASKS, CGROUP_NOT_ENFORCED, "no pids controller available to supd");
		return 0;
	}
	set_how(&a, IT_TASKS, lim->tasks_max_set ? CGROUP_ENFORCED : CGROUP_NOT_SET, NULL);
	fmt_value(val, sizeof val, lim->tasks_max_set ? lim->tasks_max : CGROUP_LIMIT_MAX, "max");
	return put_opt(&a, IT_TASKS, lim->tasks_max_set, cg->dir[r->pids_hier], "pids.max", val);
}

int
cgroup_apply_limits(struct cgroup *cg, const struct cgroup_limits *lim, struct cgroup_applied *applied,
		    char **cause)
{
	int rc = apply_limits(cg, lim, applied, cause);

	/* From now on an unset key may have to undo a value written here. */
	cg->pristine = false;
	return rc;
}

static uint64_t
read_u64(const char *dir, const char *file)
{
	char buf[64];
	uint64_t v;

	if (cgroup_read(dir, file, buf, sizeof buf) <= 0 || cgroup_parse_u64(buf, &v) < 0)
		return UINT64_MAX;
	return v;
}

static uint64_t
keyed(const char *text, const char *key)
{
	uint64_t v;

	return cgroup_keyed(text, key, &v) == 0 ? v : UINT64_MAX;
}

/* Kernel memory as v2 reports it; newer kernels have a "kernel" key. */
static uint64_t
v2_kernel(const char *stat)
{
	static const char *const parts[] = {"kernel_stack", "pagetables", "sec_pagetables", "percpu",
					    "sock",         "vmalloc",    "slab"};
	uint64_t sum = 0, v;
	bool any = false;

	if (cgroup_keyed(stat, "kernel", &v) == 0)
		return v;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (cgroup_keyed(stat, parts[i], &v) == 0) {
			sum += v;
			any = true;
		}
	}
	return any ? sum : UINT64_MAX;
}

int
cgroup_memory_read(struct cgroup *cg, struct cgroup_memory *m)
{
	struct cgroup_root *r = cg->root;
	const char *dir;
	char buf[8192];

	m->current = m->peak = m->anon = m->file = m->kernel = m->oom_kills = m->high_events = UINT64_MAX;
	if (r->mem_hier == CG_NHIER)
		return -ENOTSUP;
	dir = cg->dir[r->mem_hier];
	if (r->mem_hier == CG_UNIFIED) {
		m->current = read_u64(dir, "memory.current");
		m->peak = read_u64(dir, "memory.peak");
		if (cgroup_read(dir, "memory.stat", buf, sizeof buf) > 0) {
			m->anon = keyed(buf, "anon");
			m->file = keyed(buf, "file");
			m->kernel = v2_kernel(buf);
		}
		if (cgroup_read(dir, "memory.events", buf, sizeof buf) > 0) {
			m->oom_kills = keyed(buf, "oom_kill");
			m->high_events = keyed(buf, "high");
		}
	} else {
		m->current = read_u64(dir, "memory.usage_in_bytes");
		m->peak = read_u64(dir, "memory.max_usage_in_bytes");
		if (cgroup_read(dir, "memory.stat", buf, sizeof buf) > 0) {
			m->anon = keyed(buf, "rss");
			m->file = keyed(buf, "cache");
		}
		m->kernel = read_u64(dir, "memory.kmem.usage_in_bytes");
		if (cgroup_read(dir, "memory.oom_control", buf, sizeof buf) > 0)
			m->oom_kills = keyed(buf, "oom_kill");
	}
	return m->current == UINT64_MAX ? -EIO : 0;
}

int
cgroup_oom_kills_read(struct cgroup *cg, uint64_t *count)
{
	struct cgroup_root *r = cg->root;
	const char *file;
	char buf[512];
	long n;
	int rc;

	if (r->mem_hier == CG_NHIER)
		return -ENOTSUP;
	if (cg->oom_count_final) {
		*count = cg->oom_count;
		return 0;
	}
	file = r->mem_hier == CG_UNIFIED ? "memory.events" : "memory.oom_control";
	if ((n = cgroup_read(cg->dir[r->mem_hier], file, buf, sizeof buf)) < 0)
		return (int)n;
	if ((rc = cgroup_keyed(buf, "oom_kill", count)) == 0 && cg->seen_empty) {
		cg->oom_count = *count;
		cg->oom_count_final = true;
	}
	return rc;
}

uint64_t
cgroup_oom_kills(struct cgroup *cg)
{
	uint64_t v;

	return cgroup_oom_kills_read(cg, &v) == 0 ? v : 0;
}

/* The whole kernel log: /dev/kmsg gives one record per read(), from the
 * oldest one still buffered; a plain file (tests) gives chunks. */
static char *
read_kmsg(const char *path, int *err)
{
	size_t cap = 65536, off = 0;
	char *buf = xmalloc(cap);
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		*err = -errno;
		free(buf);
		return NULL;
	}
	for (;;) {
		if (cap - off < 8192)
			buf = xrealloc(buf, cap *= 2);
		n = read(fd, buf + off, cap - off - 1);
		if (n == -1 && (errno == EINTR || errno == EPIPE))
			continue; /* EPIPE: records were overwritten while we read */
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	*err = 0;
	return buf;
}

/* Copy the value of "key=" in a comma-separated record into out. */
static bool
kv(const char *rec, size_t reclen, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key);

	for (const char *p = rec; p < rec + reclen; p++) {
		if ((p == rec || p[-1] == ',' || p[-1] == ':') && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t n = strcspn(v, ",\n");

			if (v + n > rec + reclen)
				n = (size_t)(rec + reclen - v);
			snprintf(out, outlen, "%.*s", (int)n, v);
			return true;
		}
	}
	return false;
}

int
cgroup_oom_victim(struct cgroup *cg, pid_t *pid, char *comm, size_t commlen)
{
	struct cgroup_root *r = cg->root;
	const char *dir, *mount, *rel;
	char *log, memcg[512], task[64], pidbuf[32];
	int err, rc = -ENOENT;

	if (r->mem_hier == CG_NHIER)
		return -ENOTSUP;
	dir = cg->dir[r->mem_hier];
	mount = r->h[r->mem_hier].mount;
	/* The kernel prints the path from the hierarchy's root; ours may be
	 * below a bind mount's root, so compare the tail. */
	rel = dir + strlen(mount);
	if ((log = read_kmsg(r->kmsg != NULL ? r->kmsg : "/dev/kmsg", &err)) == NULL)
		return err;
	for (char *line = log; *line != '\0';) {
		size_t len = strcspn(line, "\n");
		char *rec = memmem(line, len, "oom-kill:", 9);

		if (rec != NULL && kv(rec, len - (size_t)(rec - line), "task_memcg", memcg, sizeof memcg) &&
		    strlen(memcg) >= strlen(rel) && strcmp(memcg + strlen(memcg) - strlen(rel), rel) == 0 &&
		    kv(rec, len - (size_t)(rec - line), "pid", pidbuf, sizeof pidbuf) &&
		    kv(rec, len - (size_t)(rec - line), "task", task, sizeof task)) {
			*pid = (pid_t)strtol(pidbuf, NULL, 10);
			snprintf(comm, commlen, "%s", task);
			rc = 0;
		}
		line += len + (line[len] == '\n');
	}
	free(log);
	return rc;
}

/* Read a number through a descriptor kept open: `status` of a thousand
 * services must not walk a thousand cgroupfs paths twice. */
static uint64_t
read_u64_cached(int *fd, const char *dir, const char *file)
{
	char buf[64];
	ssize_t n;
	uint64_t v;

	if (*fd == -1) {
		char *path = xasprintf("%s/%s", dir, file);

		*fd = open(path, O_RDONLY | O_CLOEXEC);
		free(path);
		if (*fd == -1)
			return UINT64_MAX;
	}
	if ((n = pread(*fd, buf, sizeof buf - 1, 0)) <= 0)
		return UINT64_MAX;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return cgroup_parse_u64(buf, &v) == 0 ? v : UINT64_MAX;
}

/* Just usage and peak, for `status` of many services. */
int
cgroup_memory_usage(struct cgroup *cg, uint64_t *current, uint64_t *peak)
{
	struct cgroup_root *r = cg->root;
	bool v2;

	*current = *peak = UINT64_MAX;
	if (r->mem_hier == CG_NHIER)
		return -ENOTSUP;
	v2 = r->mem_hier == CG_UNIFIED;
	*current = read_u64_cached(&cg->usage_fd[0], cg->dir[r->mem_hier],
				   v2 ? "memory.current" : "memory.usage_in_bytes");
	*peak = read_u64_cached(&cg->usage_fd[1], cg->dir[r->mem_hier],
				v2 ? "memory.peak" : "memory.max_usage_in_bytes");
	return *current == UINT64_MAX ? -EIO : 0;
}
