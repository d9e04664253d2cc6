/*
 * test-cgroup.c - the cgroup backend against a fake cgroupfs in a
 * temporary directory: discovery from fake /proc/self/cgroup and
 * mountinfo, paths, the files limits write (and in which order, through
 * the write hook that also plays the kernel's refusals), what is reported
 * as not enforced, counters, and cgwatch driven by inotify on plain files.
 */
#include "testlib.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "cgroup.h"
#include "cgwatch.h"
#include "strutil.h"

/* A path below the test directory (a ring of static buffers). */
static const char *
T(const char *rel)
{
	static char ring[8][1024];
	static int slot;
	char *p = ring[slot++ % 8];

	snprintf(p, sizeof ring[0], "%s/%s", test_tmpdir(), rel);
	return p;
}

static void
put(const char *rel, const char *content)
{
	test_write_file(rel, content);
}

/* test_write_file's path in storage that outlives its ring of four. */
static const char *
keep(const char *rel, const char *content)
{
	static char paths[4][512];
	static int slot;
	char *p = paths[slot++ % 4];

	snprintf(p, sizeof paths[0], "%s", test_write_file(rel, content));
	return p;
}

static const char *
get(const char *rel)
{
	static char buf[4][1024];
	static int slot;
	char *b = buf[slot++ % 4];

	if (read_small_file(T(rel), b, sizeof buf[0]) < 0)
		test_fail(__FILE__, __LINE__, "cannot read %s", rel);
	return b;
}

static bool
exists(const char *rel)
{
	return access(T(rel), F_OK) == 0;
}

static void
mountline(char *buf, size_t len, int id, const char *root, const char *mnt, const char *fstype, const char *opts)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%d 31 0:%d %s %s/%s rw,relatime - %s %s rw%s%s\n", id, id, root, test_tmpdir(),
		 mnt, fstype, fstype, opts[0] ? "," : "", opts);
}

/* Files the kernel creates in every new cgroup of each kind. */
static void
v2_dir(const char *rel, bool memory)
{
	char p[512];
	static const char *const files[][2] = {
		{"cgroup.procs", ""},        {"cgroup.events", "populated 0\nfrozen 0\n"},
		{"cgroup.kill", ""},         {"cgroup.freeze", "0\n"},
		{"cgroup.subtree_control", ""}, {"cgroup.controllers", "memory pids\n"},
	};
	static const char *const mfiles[][2] = {
		{"memory.min", "0\n"},      {"memory.low", "0\n"},
		{"memory.high", "max\n"},   {"memory.max", "max\n"},
		{"memory.swap.max", "max\n"}, {"memory.oom.group", "0\n"},
		{"memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"},
		{"pids.max", "max\n"},
	};

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", rel, files[i][0]);
		put(p, files[i][1]);
	}
	for (size_t i = 0; memory && i < sizeof mfiles / sizeof mfiles[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", rel, mfiles[i][0]);
		put(p, mfiles[i][1]);
	}
}

static void
v1_mem_dir(const char *rel, bool memsw)
{
	char p[512];
	static const char *const files[][2] = {
		{"cgroup.procs", ""},
		{"tasks", ""},
		{"cgroup.event_control", ""},
		{"memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"},
		{"memory.limit_in_bytes", "9223372036854771712\n"},
		{"memory.soft_limit_in_bytes", "9223372036854771712\n"},
		{"memory.usage_in_bytes", "0\n"},
		{"memory.stat", "cache 0\nrss 0\nhierarchical_memory_limit 9223372036854771712\n"},
	};

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", rel, files[i][0]);
		put(p, files[i][1]);
	}
	if (memsw) {
		snprintf(p, sizeof p, "%s/memory.memsw.limit_in_bytes", rel);
		put(p, "9223372036854771712\n");
	}
}

static void
v1_pids_dir(const char *rel)
{
	char p[512];

	snprintf(p, sizeof p, "%s/cgroup.procs", rel);
	put(p, "");
	snprintf(p, sizeof p, "%s/tasks", rel);
	put(p, "");
	snprintf(p, sizeof p, "%s/pids.max", rel);
	put(p, "max\n");
}

/* This dev machine's layout: memory (v1, below an LXC-like path), pids (v1), unified. */
static struct cgroup_sources
fake_hybrid(bool memsw)
{
	char mi[4096] = "";
	struct cgroup_sources src = {0};

	mountline(mi, sizeof mi, 35, "/", "fs/memory", "cgroup", "memory");
	mountline(mi, sizeof mi, 39, "/", "fs/pids", "cgroup", "pids");
	mountline(mi, sizeof mi, 41, "/", "fs/unified", "cgroup2", "");
	src.mountinfo = keep("mountinfo", mi);
	src.proc_self_cgroup = keep("proc_cgroup", "9:name=systemd:/\n8:pids:/\n4:memory:/lxc/box\n"
								  "2:cpu,cpuacct:/\n0::/\n");
	v1_mem_dir("fs/memory/lxc/box", memsw);
	v1_mem_dir("fs/memory/lxc/box/supd/web", memsw);
	v1_pids_dir("fs/pids/supd/web");
	v2_dir("fs/unified", false);
	v2_dir("fs/unified/supd", false);
	v2_dir("fs/unified/supd/web", false);
	return src;
}

/* Pure v2 with supd's processes in /box (an LXC container's view, less the namespace). */
static struct cgroup_sources
fake_v2(const char *own, const char *controllers)
{
	char mi[4096] = "", pc[512], rel[256];
	struct cgroup_sources src = {0};

	mountline(mi, sizeof mi, 29, "/", "fs/cg2", "cgroup2", "nsdelegate");
	src.mountinfo = keep("mountinfo", mi);
	snprintf(pc, sizeof pc, "0::%s\n", own);
	src.proc_self_cgroup = keep("proc_cgroup", pc);
	src.move_self = true;
	snprintf(rel, sizeof rel, "fs/cg2%s", strcmp(own, "/") == 0 ? "" : own);
	v2_dir(rel, true);
	snprintf(pc, sizeof pc, "%s/cgroup.controllers", rel);
	put(pc, controllers);
	snprintf(pc, sizeof pc, "%s/cgroup.procs", rel);
	put(pc, "4242\n");
	snprintf(pc, sizeof pc, "%s/supd", rel);
	v2_dir(pc, true);
	snprintf(pc, sizeof pc, "%s/supd/supd.daemon", rel);
	v2_dir(pc, true);
	snprintf(pc, sizeof pc, "%s/supd/web", rel);
	v2_dir(pc, true);
	return src;
}

static struct cgroup_root *
open_src(const char *name, const struct cgroup_sources *src)
{
	struct cgroup_root *r = NULL;
	char *cause = NULL;
	int rc = cgroup_root_open(name, src, &r, &cause);

	if (rc < 0)
		test_fail(__FILE__, __LINE__, "cgroup_root_open: %s", cause ? cause : strerror(-rc));
	return r;
}

static struct cgroup *
create(struct cgroup_root *r, const char *name)
{
	struct cgroup *cg = NULL;
	char *cause = NULL;
	int rc = cgroup_create(r, name, &cg, &cause);

	if (rc < 0)
		test_fail(__FILE__, __LINE__, "cgroup_create: %s", cause ? cause : strerror(-rc));
	return cg;
}

static const struct cgroup_applied_item *
item(const struct cgroup_applied *ap, const char *key)
{
	for (int i = 0; i < ap->n; i++)
		if (strcmp(ap->items[i].key, key) == 0)
			return &ap->items[i];
	test_fail(__FILE__, __LINE__, "no applied item %s", key);
}

static int
apply(struct cgroup *cg, const struct cgroup_limits *lim, struct cgroup_applied *ap)
{
	char *cause = NULL;
	int rc = cgroup_apply_limits(cg, lim, ap, &cause);

	if (rc < 0 && cause == NULL)
		test_fail(__FILE__, __LINE__, "error without a cause");
	free(cause);
	return rc;
}

/* ---- discovery ---- */


TEST(hybrid_discovered_from_proc_and_mountinfo)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);

	ASSERT_EQ(cgroup_root_mode(r), CGROUP_MODE_HYBRID);
	ASSERT(cgroup_root_has_memory(r));
	ASSERT(cgroup_root_has_pids(r));
	ASSERT_CONTAINS(cgroup_root_describe(r), "hybrid:");
	ASSERT_CONTAINS(cgroup_root_describe(r), T("fs/memory/lxc/box/supd"));
	ASSERT_CONTAINS(cgroup_root_describe(r), T("fs/pids/supd"));
	ASSERT_CONTAINS(cgroup_root_describe(r), T("fs/unified/supd (cgroup.kill)"));
	ASSERT(cgroup_root_inotify_fd(r) >= 0);
	cgroup_root_close(r, false);
}

TEST(relative_root_goes_below_own_cgroup_absolute_below_mount)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("/svc/supd", &src);

	ASSERT(exists("fs/memory/svc/supd"));
	ASSERT(!exists("fs/memory/lxc/box/svc"));
	ASSERT(exists("fs/pids/svc/supd"));
	cgroup_root_close(r, true);
	ASSERT(!exists("fs/memory/svc/supd"));
	r = open_src("a/b", &src);
	ASSERT(exists("fs/memory/lxc/box/a/b"));
	ASSERT(exists("fs/unified/a/b"));
	/* What supd created for the root goes at close, what it found stays. */
	cgroup_root_close(r, true);
	ASSERT(!exists("fs/memory/lxc/box/a"));
	ASSERT(!exists("fs/unified/a"));
	ASSERT(exists("fs/memory/lxc/box"));
}

TEST(bind_mount_root_is_stripped_and_escapes_decoded)
{
	char mi[2048] = "";
	struct cgroup_sources src = {0};
	struct cgroup_root *r;

	mountline(mi, sizeof mi, 35, "/lxc", "my\\040fs/memory", "cgroup", "rw,memory");
	src.mountinfo = keep("mountinfo", mi);
	src.proc_self_cgroup = keep("proc_cgroup", "4:memory:/lxc/box\n");
	v1_mem_dir("my fs/memory/box", false);
	r = open_src("supd", &src);
	ASSERT_EQ(cgroup_root_mode(r), CGROUP_MODE_V1);
	ASSERT(exists("my fs/memory/box/supd"));
	ASSERT_EQ(cgroup_root_inotify_fd(r), -1);
	ASSERT(!cgroup_root_has_pids(r));
	ASSERT_CONTAINS(cgroup_root_describe(r), "no pids controller");
	cgroup_root_close(r, true);
}

TEST(unusable_v1_memory_hierarchy_is_reported_not_fatal)
{
	char mi[2048] = "";
	struct cgroup_sources src = {0};
	struct cgroup_root *r;

	mountline(mi, sizeof mi, 35, "/", "fs/memory", "cgroup", "memory");
	mountline(mi, sizeof mi, 39, "/", "fs/pids", "cgroup", "pids");
	mountline(mi, sizeof mi, 41, "/", "fs/unified", "cgroup2", "");
	src.mountinfo = keep("mountinfo", mi);
	src.proc_self_cgroup = keep("proc_cgroup", "8:pids:/\n4:memory:/box\n0::/\n");
	/* A file where supd's memory cgroup should be: mkdir below it fails. */
	put("fs/memory/box", "");
	v2_dir("fs/unified", false);
	put("fs/pids/cgroup.procs", "");
	r = open_src("supd", &src);
	ASSERT_EQ(cgroup_root_mode(r), CGROUP_MODE_HYBRID);
	ASSERT(!cgroup_root_has_memory(r));
	ASSERT(cgroup_root_has_pids(r));
	ASSERT_CONTAINS(cgroup_root_describe(r), "no memory controller (cannot create");
	ASSERT_CONTAINS(cgroup_root_describe(r), strerror(ENOTDIR));
	cgroup_root_close(r, true);
}

TEST(no_cgroups_at_all_is_mode_none_not_an_error)
{
	struct cgroup_sources src = {0};
	struct cgroup_root *r;
	struct cgroup *cg;
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;

	src.mountinfo = keep("mountinfo", "22 1 0:21 / /proc rw - proc proc rw\n");
	src.proc_self_cgroup = keep("proc_cgroup", "0::/\n");
	r = open_src("supd", &src);
	ASSERT_EQ(cgroup_root_mode(r), CGROUP_MODE_NONE);
	ASSERT(!cgroup_root_has_memory(r));
	ASSERT_CONTAINS(cgroup_root_describe(r), "no memory controller");
	ASSERT(cgroup_root_memory_base(r) > 0);
	cg = create(r, "web");
	lim.memory_max = 1 << 20;
	lim.max_set = true;
	lim.oom_group = true;
	lim.tasks_max = 10;
	lim.tasks_max_set = true;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_EQ(item(&ap, "MemoryMax")->how, CGROUP_NOT_ENFORCED);
	ASSERT_STR_EQ(item(&ap, "MemoryMax")->note, "no memory controller available to supd");
	ASSERT_EQ(item(&ap, "OOMPolicy")->how, CGROUP_NOT_ENFORCED);
	ASSERT_EQ(item(&ap, "MemoryHigh")->how, CGROUP_NOT_SET);
	ASSERT_EQ(item(&ap, "TasksMax")->how, CGROUP_NOT_ENFORCED);
	ASSERT_EQ(cgroup_oom_kills(cg), 0);
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}

TEST(bad_root_names_refused)
{
	struct cgroup_sources src = fake_hybrid(false);
	struct cgroup_root *r = NULL;
	char *cause = NULL;

	ASSERT_EQ(cgroup_root_open("../escape", &src, &r, &cause), -EINVAL);
	ASSERT_CONTAINS(cause, "../escape");
	free(cause);
	ASSERT_EQ(cgroup_root_open("/", &src, &r, &cause), -EINVAL);
	free(cause);
}

TEST(memory_base_is_the_v1_hierarchical_limit)
{
	struct cgroup_sources src = fake_hybrid(false);
	struct cgroup_root *r;

	/* Smaller than any machine's RAM (the VM has 512M). */
	put("fs/memory/lxc/box/memory.stat", "cache 0\nrss 0\nhierarchical_memory_limit 67108864\n");
	r = open_src("supd", &src);
	ASSERT_U64_EQ(cgroup_root_memory_base(r), 67108864);
	cgroup_root_close(r, false);
}

TEST(memory_base_is_the_smallest_v2_ancestor_max)
{
	struct cgroup_sources src = fake_v2("/box", "memory pids\n");
	struct cgroup_root *r;

	put("fs/cg2/box/memory.max", "max\n");
	put("fs/cg2/memory.max", "33554432\n");
	put("fs/cg2/box/supd/memory.max", "16777216\n");
	r = open_src("supd", &src);
	/* The root's own limit is not one supd lives under. */
	ASSERT_U64_EQ(cgroup_root_memory_base(r), 33554432);
	cgroup_root_close(r, false);
}

/* ---- pure v2: supd leaves its cgroup before enabling controllers ---- */

TEST(v2_moves_supd_into_leaf_then_enables_controllers)
{
	struct cgroup_sources src = fake_v2("/box", "cpu io memory pids\n");
	struct cgroup_root *r = open_src("supd", &src);
	char pid[32];

	snprintf(pid, sizeof pid, "%d\n", (int)getpid());
	ASSERT_EQ(cgroup_root_mode(r), CGROUP_MODE_V2);
	ASSERT_STR_EQ(get("fs/cg2/box/supd/supd.daemon/cgroup.procs"), pid);
	ASSERT_STR_EQ(get("fs/cg2/box/cgroup.subtree_control"), "+memory +pids");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/cgroup.subtree_control"), "+memory +pids");
	ASSERT(cgroup_root_has_memory(r));
	ASSERT(cgroup_root_has_pids(r));
	ASSERT_CONTAINS(cgroup_root_describe(r), "+memory +pids");
	cgroup_root_close(r, false);
}

TEST(v2_close_undoes_the_move_deepest_first)
{
	struct cgroup_sources src = fake_v2("/box", "memory pids\n");
	struct cgroup_root *r = open_src("supd", &src);
	char pid[32];

	snprintf(pid, sizeof pid, "4242\n%d\n", (int)getpid());
	cgroup_root_close(r, true);
	ASSERT_STR_EQ(get("fs/cg2/box/supd/cgroup.subtree_control"), "-memory -pids");
	ASSERT_STR_EQ(get("fs/cg2/box/cgroup.subtree_control"), "-memory -pids");
	/* Back where supd came from (a plain file keeps the old line). */
	ASSERT_STR_EQ(get("fs/cg2/box/cgroup.procs"), pid);
}

TEST(v2_as_pid1_moves_every_process)
{
	struct cgroup_sources src = fake_v2("/box", "memory\n");
	struct cgroup_root *r;

	put("fs/cg2/box/cgroup.procs", "1\n17\n23\n");
	src.as_pid1 = true;
	r = open_src("supd", &src);
	ASSERT_STR_EQ(get("fs/cg2/box/supd/supd.daemon/cgroup.procs"), "1\n17\n23\n");
	/* Only what cgroup.controllers offers is enabled. */
	ASSERT_STR_EQ(get("fs/cg2/box/cgroup.subtree_control"), "+memory");
	ASSERT(cgroup_root_has_memory(r));
	ASSERT(!cgroup_root_has_pids(r));
	cgroup_root_close(r, false);
}

/* The kernel's "no internal processes" rule as the hook plays it: the
 * namespace root's subtree_control is EBUSY while its cgroup.procs lists a
 * process, and a write to the leaf's cgroup.procs moves them out. */
struct nsroot {
	char procs[512], subtree[512], leaf[512];
	int busy;
};

static int
nsroot_hook(const char *path, const char *value, void *data)
{
	struct nsroot *ns = data;
	char buf[256];

	(void)value;
	if (strcmp(path, ns->leaf) == 0)
		test_write_file("fs/cg2/cgroup.procs", "");
	if (strcmp(path, ns->subtree) == 0 && read_small_file(ns->procs, buf, sizeof buf) > 0) {
		ns->busy++;
		return -EBUSY;
	}
	return 0;
}

static struct cgroup_sources
fake_nsroot(struct nsroot *ns)
{
	struct cgroup_sources src = fake_v2("/", "memory pids\n");

	snprintf(ns->procs, sizeof ns->procs, "%s", T("fs/cg2/cgroup.procs"));
	snprintf(ns->subtree, sizeof ns->subtree, "%s", T("fs/cg2/cgroup.subtree_control"));
	snprintf(ns->leaf, sizeof ns->leaf, "%s", T("fs/cg2/supd/supd.daemon/cgroup.procs"));
	put("fs/cg2/cgroup.procs", "1\n30\n");
	src.write_hook = nsroot_hook;
	src.write_hook_data = ns;
	src.as_pid1 = true;
	return src;
}

TEST(v2_namespace_root_busy_then_everything_moved)
{
	struct nsroot ns = {.busy = 0};
	struct cgroup_sources src = fake_nsroot(&ns);
	struct cgroup_root *r = open_src("supd", &src);

	ASSERT_EQ(ns.busy, 1);
	ASSERT_STR_EQ(get("fs/cg2/supd/supd.daemon/cgroup.procs"), "1\n30\n");
	ASSERT_STR_EQ(get("fs/cg2/cgroup.subtree_control"), "+memory +pids");
	ASSERT(cgroup_root_has_memory(r));
	cgroup_root_close(r, false);
}

TEST(v2_namespace_root_busy_without_move_says_why)
{
	struct nsroot ns = {.busy = 0};
	struct cgroup_sources src = fake_nsroot(&ns);
	struct cgroup_root *r;

	src.move_self = false;
	r = open_src("supd", &src);
	ASSERT(!cgroup_root_has_memory(r));
	ASSERT(!cgroup_root_has_pids(r));
	ASSERT_CONTAINS(cgroup_root_describe(r), "cgroup.subtree_control");
	ASSERT_CONTAINS(cgroup_root_describe(r), strerror(EBUSY));
	ASSERT_STR_EQ(get("fs/cg2/supd/supd.daemon/cgroup.procs"), "");
	cgroup_root_close(r, false);
}

TEST(v2_without_memory_delegated_says_why)
{
	struct cgroup_sources src = fake_v2("/box", "cpu pids\n");
	struct cgroup_root *r = open_src("supd", &src);

	ASSERT(!cgroup_root_has_memory(r));
	ASSERT(cgroup_root_has_pids(r));
	ASSERT_CONTAINS(cgroup_root_describe(r), "memory is not in");
	ASSERT_CONTAINS(cgroup_root_describe(r), "not delegated");
	ASSERT_STR_EQ(get("fs/cg2/box/cgroup.subtree_control"), "+pids");
	cgroup_root_close(r, false);
}

/* ---- services' cgroups ---- */

TEST(create_makes_a_directory_in_every_hierarchy)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "api");

	ASSERT_STR_EQ(cgroup_name(cg), "api");
	ASSERT_STR_EQ(cgroup_memory_path(cg), T("fs/memory/lxc/box/supd/api"));
	ASSERT_STR_EQ(cgroup_path(cg), T("fs/memory/lxc/box/supd/api"));
	ASSERT_STR_EQ(cgroup_pids_path(cg), T("fs/pids/supd/api"));
	ASSERT_STR_EQ(cgroup_unified_path(cg), T("fs/unified/supd/api"));
	ASSERT(exists("fs/memory/lxc/box/supd/api"));
	ASSERT(exists("fs/pids/supd/api"));
	ASSERT(exists("fs/unified/supd/api"));
	ASSERT_EQ(cgroup_destroy(cg), 0);
	ASSERT(!exists("fs/memory/lxc/box/supd/api"));
	ASSERT(!exists("fs/unified/supd/api"));
	cgroup_root_close(r, false);
}

TEST(create_adopts_and_registers_the_v1_oom_eventfd)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	int efd = -1, cfd = -1;

	ASSERT(cgroup_oom_eventfd(cg) >= 0);
	ASSERT_EQ(sscanf(get("fs/memory/lxc/box/supd/web/cgroup.event_control"), "%d %d", &efd, &cfd), 2);
	ASSERT_EQ(efd, cgroup_oom_eventfd(cg));
	ASSERT(cfd >= 0 && cfd != efd);
	cgroup_set_owner(cg, &efd);
	ASSERT(cgroup_owner(cg) == &efd);
	cgroup_root_close(r, false);
}

TEST(create_refuses_names_that_are_not_one_component)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	static const char *const bad[] = {"a/b", "..", ".", "", "supd.daemon", "cgroup.procs"};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cgroup *cg = NULL;
		char *cause = NULL;

		ASSERT_EQ(cgroup_create(r, bad[i], &cg, &cause), -EINVAL);
		ASSERT(cause != NULL);
		free(cause);
	}
	cgroup_root_close(r, false);
}

/* v1: the thread alone ("tasks"), which spares the kernel's global lock;
 * unified: the process, unless the child was born there. */
TEST(join_self_moves_the_thread_in_v1_and_the_process_in_v2)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	char what[PATH_MAX];

	ASSERT_EQ(cgroup_join_self(cg, false, what, sizeof what), 0);
	ASSERT_STR_EQ(get("fs/memory/lxc/box/supd/web/tasks"), "0");
	ASSERT_STR_EQ(get("fs/pids/supd/web/tasks"), "0");
	ASSERT_STR_EQ(get("fs/memory/lxc/box/supd/web/cgroup.procs"), "");
	ASSERT_STR_EQ(get("fs/unified/supd/web/cgroup.procs"), "0");
	put("fs/unified/supd/web/cgroup.procs", "");
	ASSERT_EQ(cgroup_join_self(cg, true, what, sizeof what), 0);
	ASSERT_STR_EQ(get("fs/unified/supd/web/cgroup.procs"), "");
	/* A failure names the file. */
	unlink(T("fs/pids/supd/web/tasks"));
	ASSERT_EQ(cgroup_join_self(cg, false, what, sizeof what), -ENOENT);
	ASSERT_STR_EQ(what, T("fs/pids/supd/web/tasks"));
	cgroup_root_close(r, false);
}

TEST(destroy_is_ebusy_while_populated_and_keeps_the_cgroup)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");

	put("fs/unified/supd/web/cgroup.events", "populated 1\nfrozen 0\n");
	ASSERT(cgroup_is_populated(cg));
	ASSERT_EQ(cgroup_destroy(cg), -EBUSY);
	ASSERT_STR_EQ(cgroup_name(cg), "web");
	/* The unified tree has every process: its flag is the answer. */
	put("fs/unified/supd/web/cgroup.events", "populated 0\nfrozen 0\n");
	put("fs/pids/supd/web/cgroup.procs", "77\n");
	ASSERT(!cgroup_is_populated(cg));
	/* Empty stays empty until supd starts a process there. */
	put("fs/unified/supd/web/cgroup.events", "populated 1\nfrozen 0\n");
	ASSERT(!cgroup_is_populated(cg));
	cgroup_expect_process(cg);
	ASSERT(cgroup_is_populated(cg));
	/* Without the unified flag, the v1 lists are the answer. */
	ASSERT_EQ(unlink(T("fs/unified/supd/web/cgroup.events")), 0);
	ASSERT(cgroup_is_populated(cg));
	put("fs/pids/supd/web/cgroup.procs", "");
	ASSERT(!cgroup_is_populated(cg));
	/* Plain files keep rmdir from working: the kernel's files would not. */
	ASSERT(cgroup_destroy(cg) < 0);
	ASSERT_STR_EQ(cgroup_name(cg), "web");
	cgroup_root_close(r, false);
}

TEST(pids_are_the_union_of_every_hierarchy)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	pid_t *pids;
	size_t n;

	put("fs/unified/supd/web/cgroup.procs", "10\n11\n");
	put("fs/memory/lxc/box/supd/web/cgroup.procs", "11\n12\n");
	ASSERT_EQ(cgroup_pids(cg, &pids, &n), 0);
	ASSERT_EQ(n, 3);
	ASSERT_EQ(pids[0] + pids[1] + pids[2], 33);
	free(pids);
	cgroup_root_close(r, false);
}

/* ---- limits, v2 ---- */

TEST(v2_limits_written_to_their_files)
{
	struct cgroup_sources src = fake_v2("/box", "memory pids\n");
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;

	lim.memory_min = 1 << 20, lim.min_set = true;
	lim.memory_low = 2 << 20, lim.low_set = true;
	lim.memory_high = 48 << 20, lim.high_set = true;
	lim.memory_max = 64 << 20, lim.max_set = true;
	lim.memory_swap_max = 0, lim.swap_max_set = true;
	lim.oom_group = true;
	lim.tasks_max = 100, lim.tasks_max_set = true;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.min"), "1048576");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.low"), "2097152");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.high"), "50331648");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.max"), "67108864");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.swap.max"), "0");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.oom.group"), "1");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/pids.max"), "100");
	ASSERT_EQ(ap.n, 7);
	for (int i = 0; i < ap.n; i++)
		ASSERT_EQ(ap.items[i].how, CGROUP_ENFORCED);
	ASSERT_STR_EQ(test_read_line(item(&ap, "MemoryMax")->file), "67108864");
	ASSERT_STR_EQ(item(&ap, "MemoryMax")->file, T("fs/cg2/box/supd/web/memory.max"));
	ASSERT_STR_EQ(test_read_line(item(&ap, "OOMPolicy")->file), "1");

	/* Unset keys go back to the kernel's defaults. */
	memset(&lim, 0, sizeof lim);
	lim.memory_max = CGROUP_LIMIT_MAX, lim.max_set = true;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.max"), "max");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.min"), "0");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.high"), "max");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/memory.oom.group"), "0");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/web/pids.max"), "max");
	ASSERT_EQ(item(&ap, "MemoryMax")->how, CGROUP_ENFORCED);
	ASSERT_EQ(item(&ap, "MemoryHigh")->how, CGROUP_NOT_SET);
	cgroup_root_close(r, false);
}

TEST(fresh_cgroup_is_written_only_the_keys_set)
{
	struct cgroup_sources src = fake_v2("/box", "memory pids\n");
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "fresh");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;

	/* "fresh" is made by cgroup_create (the fake tree has "web" already);
	 * the kernel's files appear in it, one with a mark the first apply
	 * must leave, as the file holds the default. */
	v2_dir("fs/cg2/box/supd/fresh", true);
	put("fs/cg2/box/supd/fresh/memory.high", "untouched");
	lim.memory_max = 64 << 20, lim.max_set = true;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_STR_EQ(get("fs/cg2/box/supd/fresh/memory.max"), "67108864");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/fresh/memory.high"), "untouched");
	ASSERT_STR_EQ(item(&ap, "MemoryHigh")->file, T("fs/cg2/box/supd/fresh/memory.high"));
	ASSERT_EQ(item(&ap, "MemoryHigh")->how, CGROUP_NOT_SET);
	/* Once written, an unset key is reset: a reload may have unset it. */
	memset(&lim, 0, sizeof lim);
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_STR_EQ(get("fs/cg2/box/supd/fresh/memory.max"), "max");
	ASSERT_STR_EQ(get("fs/cg2/box/supd/fresh/memory.high"), "max");
	cgroup_root_close(r, false);
}

TEST(v2_missing_swap_file_is_not_enforced)
{
	struct cgroup_sources src = fake_v2("/box", "memory pids\n");
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;

	unlink(T("fs/cg2/box/supd/web/memory.swap.max"));
	lim.memory_swap_max = 0, lim.swap_max_set = true;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_EQ(item(&ap, "MemorySwapMax")->how, CGROUP_NOT_ENFORCED);
	ASSERT_CONTAINS(item(&ap, "MemorySwapMax")->note, "memory.swap.max does not exist");
	cgroup_root_close(r, false);
}

/* ---- limits, v1 ---- */

struct v1_kernel {
	char order[8][64];
	int n;
};

/* Record v1 limit writes and refuse what the kernel refuses: limit > memsw. */
static int
v1_invariant(const char *path, const char *value, void *data)
{
	struct v1_kernel *k = data;
	const char *base = strrchr(path, '/') + 1;
	char dir[512], other[600], buf[64];
	uint64_t v = strcmp(value, "-1") == 0 ? UINT64_MAX : strtoull(value, NULL, 10), o;

	if (strstr(base, "limit_in_bytes") == NULL || strstr(base, "soft") != NULL)
		return 0;
	snprintf(k->order[k->n++ % 8], sizeof k->order[0], "%s", base);
	snprintf(dir, sizeof dir, "%.*s", (int)(base - path - 1), path);
	snprintf(other, sizeof other, "%s/%s", dir,
		 strcmp(base, "memory.limit_in_bytes") == 0 ? "memory.memsw.limit_in_bytes" : "memory.limit_in_bytes");
	if (read_small_file(other, buf, sizeof buf) <= 0)
		return 0;
	o = strtoull(buf, NULL, 10);
	if (strcmp(base, "memory.limit_in_bytes") == 0 ? v > o : v < o)
		return -EINVAL;
	return 0;
}

TEST(v1_raise_writes_memsw_first_lower_writes_limit_first)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;
	struct v1_kernel k = {.n = 0};

	put("fs/memory/lxc/box/supd/web/memory.limit_in_bytes", "33554432\n");
	put("fs/memory/lxc/box/supd/web/memory.memsw.limit_in_bytes", "33554432\n");
	cgroup_root_set_write_hook(r, v1_invariant, &k);
	lim.memory_max = 1 << 30, lim.max_set = true;
	lim.memory_swap_max = 1 << 30, lim.swap_max_set = true;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_EQ(k.n, 2);
	ASSERT_STR_EQ(k.order[0], "memory.memsw.limit_in_bytes");
	ASSERT_STR_EQ(k.order[1], "memory.limit_in_bytes");
	ASSERT_STR_EQ(test_read_line(item(&ap, "MemoryMax")->file), "1073741824");
	ASSERT_STR_EQ(test_read_line(item(&ap, "MemorySwapMax")->file), "2147483648");
	ASSERT_EQ(item(&ap, "MemorySwapMax")->how, CGROUP_ENFORCED);
	ASSERT_CONTAINS(item(&ap, "MemorySwapMax")->note, "MemoryMax + MemorySwapMax");

	k.n = 0;
	lim.memory_max = 16 << 20;
	lim.memory_swap_max = 0;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_EQ(k.n, 2);
	ASSERT_STR_EQ(k.order[0], "memory.limit_in_bytes");
	ASSERT_STR_EQ(k.order[1], "memory.memsw.limit_in_bytes");
	ASSERT_STR_EQ(get("fs/memory/lxc/box/supd/web/memory.memsw.limit_in_bytes"), "16777216");

	/* No MemorySwapMax: memsw is lifted first, then the limit raised. */
	k.n = 0;
	lim.swap_max_set = false;
	lim.memory_max = 64 << 20;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_STR_EQ(k.order[0], "memory.memsw.limit_in_bytes");
	ASSERT_STR_EQ(get("fs/memory/lxc/box/supd/web/memory.memsw.limit_in_bytes"), "-1");
	ASSERT_STR_EQ(get("fs/memory/lxc/box/supd/web/memory.limit_in_bytes"), "67108864");
	ASSERT_EQ(item(&ap, "MemorySwapMax")->how, CGROUP_NOT_SET);
	cgroup_root_close(r, false);
}

TEST(v1_swap_without_finite_max_is_not_enforced)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;

	lim.memory_swap_max = 1 << 20, lim.swap_max_set = true;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_EQ(item(&ap, "MemorySwapMax")->how, CGROUP_NOT_ENFORCED);
	ASSERT_CONTAINS(item(&ap, "MemorySwapMax")->note, "finite MemoryMax");
	cgroup_root_close(r, false);
}

TEST(v1_without_memsw_file_swap_is_not_enforced)
{
	struct cgroup_sources src = fake_hybrid(false);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;

	lim.memory_max = 1 << 20, lim.max_set = true;
	lim.memory_swap_max = 1 << 20, lim.swap_max_set = true;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_EQ(item(&ap, "MemorySwapMax")->how, CGROUP_NOT_ENFORCED);
	ASSERT_CONTAINS(item(&ap, "MemorySwapMax")->note, "swap accounting");
	ASSERT_STR_EQ(get("fs/memory/lxc/box/supd/web/memory.limit_in_bytes"), "1048576");
	cgroup_root_close(r, false);
}

TEST(v1_high_emulated_low_min_not_enforced_oomgroup_emulated)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;

	lim.memory_high = 8 << 20, lim.high_set = true;
	lim.memory_low = 1 << 20, lim.low_set = true;
	lim.memory_min = 1 << 20, lim.min_set = true;
	lim.oom_group = true;
	lim.tasks_max = 7, lim.tasks_max_set = true;
	ASSERT_EQ(apply(cg, &lim, &ap), 0);
	ASSERT_EQ(item(&ap, "MemoryHigh")->how, CGROUP_EMULATED);
	ASSERT_CONTAINS(item(&ap, "MemoryHigh")->note, "no throttling");
	ASSERT_STR_EQ(get("fs/memory/lxc/box/supd/web/memory.soft_limit_in_bytes"), "8388608");
	ASSERT_STR_EQ(test_read_line(item(&ap, "MemoryHigh")->file), "8388608");
	ASSERT_EQ(item(&ap, "MemoryLow")->how, CGROUP_NOT_ENFORCED);
	ASSERT_EQ(item(&ap, "MemoryMin")->how, CGROUP_NOT_ENFORCED);
	ASSERT_CONTAINS(item(&ap, "MemoryMin")->note, "v1");
	ASSERT_EQ(item(&ap, "OOMPolicy")->how, CGROUP_EMULATED);
	ASSERT_CONTAINS(item(&ap, "OOMPolicy")->note, "supd kills the whole cgroup");
	ASSERT_EQ(item(&ap, "MemoryMax")->how, CGROUP_NOT_SET);
	ASSERT_STR_EQ(get("fs/pids/supd/web/pids.max"), "7");
	ASSERT_EQ(item(&ap, "TasksMax")->how, CGROUP_ENFORCED);
	cgroup_root_close(r, false);
}

static int
refuse_limit(const char *path, const char *value, void *data)
{
	(void)value;
	(void)data;
	return strstr(path, "/memory.limit_in_bytes") != NULL ? -EBUSY : 0;
}

TEST(refused_write_names_file_value_and_errno)
{
	struct cgroup_sources src = fake_hybrid(false);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;
	char *cause = NULL;

	cgroup_root_set_write_hook(r, refuse_limit, NULL);
	lim.memory_max = 32 << 20, lim.max_set = true;
	ASSERT_EQ(cgroup_apply_limits(cg, &lim, &ap, &cause), -EBUSY);
	ASSERT_CONTAINS(cause, "MemoryMax=");
	ASSERT_CONTAINS(cause, "\"33554432\"");
	ASSERT_CONTAINS(cause, T("fs/memory/lxc/box/supd/web/memory.limit_in_bytes"));
	ASSERT_CONTAINS(cause, strerror(EBUSY));
	free(cause);
	cgroup_root_close(r, false);
}

/* ---- figures and counters ---- */

TEST(v2_memory_figures_from_files)
{
	struct cgroup_sources src = fake_v2("/box", "memory pids\n");
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	struct cgroup_memory m;

	put("fs/cg2/box/supd/web/memory.current", "1000\n");
	put("fs/cg2/box/supd/web/memory.peak", "2000\n");
	put("fs/cg2/box/supd/web/memory.stat", "anon 10\nfile 20\nkernel_stack 1\nslab 2\npercpu 3\nsock 4\n"
					       "slab_reclaimable 1\n");
	put("fs/cg2/box/supd/web/memory.events", "low 0\nhigh 7\nmax 9\noom 2\noom_kill 3\n");
	ASSERT_EQ(cgroup_memory_read(cg, &m), 0);
	ASSERT_U64_EQ(m.current, 1000);
	ASSERT_U64_EQ(m.peak, 2000);
	ASSERT_U64_EQ(m.anon, 10);
	ASSERT_U64_EQ(m.file, 20);
	ASSERT_U64_EQ(m.kernel, 10);
	ASSERT_U64_EQ(m.oom_kills, 3);
	ASSERT_U64_EQ(m.high_events, 7);
	ASSERT_U64_EQ(cgroup_oom_kills(cg), 3);
	/* Newer kernels sum it up themselves; no memory.peak before 5.19. */
	put("fs/cg2/box/supd/web/memory.stat", "anon 10\nfile 20\nkernel 99\nkernel_stack 1\n");
	unlink(T("fs/cg2/box/supd/web/memory.peak"));
	ASSERT_EQ(cgroup_memory_read(cg, &m), 0);
	ASSERT_U64_EQ(m.kernel, 99);
	ASSERT_U64_EQ(m.peak, UINT64_MAX);
	cgroup_root_close(r, false);
}

TEST(v1_memory_figures_from_files)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *cg = create(r, "web");
	struct cgroup_memory m;
	uint64_t n = 0;

	put("fs/memory/lxc/box/supd/web/memory.usage_in_bytes", "4096\n");
	put("fs/memory/lxc/box/supd/web/memory.max_usage_in_bytes", "8192\n");
	put("fs/memory/lxc/box/supd/web/memory.stat", "cache 300\nrss 200\nrss_huge 0\n");
	put("fs/memory/lxc/box/supd/web/memory.kmem.usage_in_bytes", "50\n");
	put("fs/memory/lxc/box/supd/web/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 4\n");
	ASSERT_EQ(cgroup_memory_read(cg, &m), 0);
	ASSERT_U64_EQ(m.current, 4096);
	ASSERT_U64_EQ(m.peak, 8192);
	ASSERT_U64_EQ(m.anon, 200);
	ASSERT_U64_EQ(m.file, 300);
	ASSERT_U64_EQ(m.kernel, 50);
	ASSERT_U64_EQ(m.oom_kills, 4);
	ASSERT_U64_EQ(m.high_events, UINT64_MAX);
	ASSERT_EQ(cgroup_oom_kills_read(cg, &n), 0);
	ASSERT_U64_EQ(n, 4);
	unlink(T("fs/memory/lxc/box/supd/web/memory.oom_control"));
	ASSERT_EQ(cgroup_oom_kills_read(cg, &n), -ENOENT);
	ASSERT_U64_EQ(cgroup_oom_kills(cg), 0);
	cgroup_root_close(r, false);
}

TEST(oom_victim_is_the_last_kill_logged_for_this_cgroup)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r;
	struct cgroup *cg;
	char comm[16];
	pid_t pid = 0;

	src.kmsg = keep("kmsg",
			"6,1,10,-;memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0\n"
			" SUBSYSTEM=memory\n"
			"6,2,11,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,"
			"oom_memcg=/lxc/box/supd/web,task_memcg=/lxc/box/supd/web,task=first,pid=100,uid=0\n"
			"6,3,12,-;oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=/lxc/box/supd/webx,"
			"task_memcg=/lxc/box/supd/webx,task=other,pid=200,uid=0\n"
			"6,4,13,-;oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=/x/lxc/box/supd/web,"
			"task_memcg=/x/lxc/box/supd/web,task=memhog-with-a-long-name,pid=300,uid=0\n"
			"3,5,14,-;Memory cgroup out of memory: Killed process 300 (memhog)\n");
	r = open_src("supd", &src);
	cg = create(r, "web");
	ASSERT_EQ(cgroup_oom_victim(cg, &pid, comm, sizeof comm), 0);
	ASSERT_EQ(pid, 300);
	ASSERT_STR_EQ(comm, "memhog-with-a-l");
	cgroup_root_close(r, false);
	src.kmsg = keep("kmsg", "6,1,10,-;nothing here\n");
	r = open_src("supd", &src);
	cg = create(r, "web");
	ASSERT_EQ(cgroup_oom_victim(cg, &pid, comm, sizeof comm), -ENOENT);
	cgroup_root_close(r, false);
}

/* ---- events: inotify works on plain files too ---- */

static void
count_cb(struct cgroup *cg, void *data)
{
	(void)cg;
	(*(int *)data)++;
}

TEST(inotify_dispatch_names_the_modified_cgroup)
{
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);
	struct cgroup *web = create(r, "web"), *api;
	int n = 0;

	v2_dir("fs/unified/supd/api", false);
	api = create(r, "api");
	cgroup_root_inotify_dispatch(r, count_cb, &n);
	ASSERT_EQ(n, 0);
	put("fs/unified/supd/web/cgroup.events", "populated 0\nfrozen 0\n");
	cgroup_root_inotify_dispatch(r, count_cb, &n);
	ASSERT(n >= 1);
	(void)web;
	(void)api;
	cgroup_root_close(r, false);
}

struct wstate {
	uv_loop_t loop;
	uv_timer_t timer;
	struct cgwatch *w;
	struct cgroup *cg;
	int ooms, empties;
	uint64_t old, new;
	bool remove_in_cb, closed, timed_out;
};

static void
w_oom(struct cgroup *cg, uint64_t old, uint64_t new, void *data)
{
	struct wstate *s = data;

	ASSERT(cg == s->cg);
	s->ooms++;
	s->old = old;
	s->new = new;
	if (s->remove_in_cb)
		cgwatch_remove(s->w, cg);
	uv_stop(&s->loop);
}

static void
w_empty(struct cgroup *cg, void *data)
{
	struct wstate *s = data;

	ASSERT(cg == s->cg);
	s->empties++;
	uv_stop(&s->loop);
}

static void
w_timeout(uv_timer_t *t)
{
	struct wstate *s = t->data;

	s->timed_out = true;
	uv_stop(&s->loop);
}

static void
w_closed(void *data)
{
	((struct wstate *)data)->closed = true;
}

static struct cgroup_root *
watch_v2(struct wstate *s)
{
	static const struct cgwatch_callbacks cbs = {w_oom, w_empty};
	struct cgroup_sources src = fake_v2("/box", "memory pids\n");
	struct cgroup_root *r = open_src("supd", &src);

	s->cg = create(r, "web");
	/* A service runs in it. */
	cgroup_expect_process(s->cg);
	put("fs/cg2/box/supd/web/cgroup.events", "populated 1\nfrozen 0\n");
	ASSERT_EQ(uv_loop_init(&s->loop), 0);
	ASSERT_EQ(uv_timer_init(&s->loop, &s->timer), 0);
	s->timer.data = s;
	ASSERT_EQ(uv_timer_start(&s->timer, w_timeout, 5000, 0), 0);
	s->w = cgwatch_new(&s->loop, r, &cbs, s);
	ASSERT_EQ(cgwatch_add(s->w, s->cg), 0);
	ASSERT_EQ(cgwatch_add(s->w, s->cg), -EEXIST);
	return r;
}

static void
unwatch(struct wstate *s, struct cgroup_root *r)
{
	cgwatch_close(s->w, w_closed, s);
	uv_close((uv_handle_t *)&s->timer, NULL);
	/* A uv_stop() from a synchronous callback ends the first run at once. */
	(void)uv_run(&s->loop, UV_RUN_DEFAULT);
	ASSERT_EQ(uv_run(&s->loop, UV_RUN_DEFAULT), 0);
	ASSERT(s->closed);
	ASSERT_EQ(uv_loop_close(&s->loop), 0);
	cgroup_root_close(r, false);
}

TEST(cgwatch_v2_oom_counter_rise_calls_oom_once)
{
	struct wstate s = {0};
	struct cgroup_root *r = watch_v2(&s);

	put("fs/cg2/box/supd/web/memory.events", "low 0\nhigh 0\nmax 1\noom 1\noom_kill 1\n");
	uv_run(&s.loop, UV_RUN_DEFAULT);
	ASSERT(!s.timed_out);
	ASSERT_EQ(s.ooms, 1);
	ASSERT_U64_EQ(s.old, 0);
	ASSERT_U64_EQ(s.new, 1);
	/* The same count again is not a new kill. */
	cgwatch_check_oom(s.w, s.cg);
	ASSERT_EQ(s.ooms, 1);
	put("fs/cg2/box/supd/web/memory.events", "low 0\nhigh 0\nmax 1\noom 3\noom_kill 3\n");
	cgwatch_check_oom(s.w, s.cg);
	ASSERT_EQ(s.ooms, 2);
	ASSERT_U64_EQ(s.old, 1);
	ASSERT_U64_EQ(s.new, 3);
	unwatch(&s, r);
}

TEST(cgwatch_populated_zero_calls_maybe_empty)
{
	struct wstate s = {0};
	struct cgroup_root *r = watch_v2(&s);

	put("fs/cg2/box/supd/web/cgroup.events", "populated 0\nfrozen 0\n");
	uv_run(&s.loop, UV_RUN_DEFAULT);
	ASSERT(!s.timed_out);
	ASSERT_EQ(s.empties, 1);
	ASSERT_EQ(s.ooms, 0);
	unwatch(&s, r);
}

/* Once the cgroup is seen empty nothing in it can be OOM-killed: the count
 * read then is kept, and the check at the main process's exit reads
 * nothing, until a process is started in it again. */
TEST(cgwatch_count_read_when_empty_is_kept_until_the_next_process)
{
	struct wstate s = {0};
	struct cgroup_root *r = watch_v2(&s);

	put("fs/cg2/box/supd/web/memory.events", "low 0\nhigh 0\nmax 1\noom 1\noom_kill 1\n");
	put("fs/cg2/box/supd/web/cgroup.events", "populated 0\nfrozen 0\n");
	uv_run(&s.loop, UV_RUN_DEFAULT);
	ASSERT(!s.timed_out);
	ASSERT_EQ(s.ooms, 1);
	ASSERT(s.empties >= 1);
	/* A file that changed anyway (it cannot): not read again. */
	put("fs/cg2/box/supd/web/memory.events", "low 0\nhigh 0\nmax 2\noom 2\noom_kill 2\n");
	cgwatch_check_oom(s.w, s.cg);
	ASSERT_EQ(s.ooms, 1);
	/* A new process: the counter is read again. */
	cgroup_expect_process(s.cg);
	cgwatch_check_oom(s.w, s.cg);
	ASSERT_EQ(s.ooms, 2);
	ASSERT_U64_EQ(s.new, 2);
	unwatch(&s, r);
}

TEST(cgwatch_remove_inside_the_callback_is_safe)
{
	struct wstate s = {0};
	struct cgroup_root *r = watch_v2(&s);

	s.remove_in_cb = true;
	put("fs/cg2/box/supd/web/memory.events", "oom 1\noom_kill 1\n");
	uv_run(&s.loop, UV_RUN_DEFAULT);
	ASSERT_EQ(s.ooms, 1);
	ASSERT_EQ(s.empties, 0);
	/* Removed: no more calls. */
	put("fs/cg2/box/supd/web/memory.events", "oom 2\noom_kill 2\n");
	cgwatch_check_oom(s.w, s.cg);
	ASSERT_EQ(s.ooms, 1);
	unwatch(&s, r);
}

static struct cgroup_root *
watch_v1(struct wstate *s)
{
	static const struct cgwatch_callbacks cbs = {w_oom, w_empty};
	struct cgroup_sources src = fake_hybrid(true);
	struct cgroup_root *r = open_src("supd", &src);

	s->cg = create(r, "web");
	ASSERT(cgroup_oom_eventfd(s->cg) >= 0);
	ASSERT_EQ(uv_loop_init(&s->loop), 0);
	ASSERT_EQ(uv_timer_init(&s->loop, &s->timer), 0);
	s->timer.data = s;
	ASSERT_EQ(uv_timer_start(&s->timer, w_timeout, 5000, 0), 0);
	s->w = cgwatch_new(&s->loop, r, &cbs, s);
	ASSERT_EQ(cgwatch_add(s->w, s->cg), 0);
	return r;
}

/* What the kernel does on a v1 OOM: signal the registered eventfd. */
static void
fire_eventfd(struct cgroup *cg)
{
	uint64_t one = 1;

	ASSERT_EQ(write(cgroup_oom_eventfd(cg), &one, sizeof one), sizeof one);
}

TEST(cgwatch_v1_eventfd_with_counted_kill_calls_oom)
{
	struct wstate s = {0};
	struct cgroup_root *r = watch_v1(&s);

	put("fs/memory/lxc/box/supd/web/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
	fire_eventfd(s.cg);
	uv_run(&s.loop, UV_RUN_DEFAULT);
	ASSERT(!s.timed_out);
	ASSERT_EQ(s.ooms, 1);
	ASSERT_U64_EQ(s.new, 1);
	unwatch(&s, r);
}

TEST(cgwatch_v1_event_before_the_kill_waits_for_an_exit)
{
	struct wstate s = {0};
	struct cgroup_root *r = watch_v1(&s);
	char pids[64];
	pid_t victim;
	int st;

	if ((victim = fork()) == 0)
		for (;;)
			pause();
	snprintf(pids, sizeof pids, "%d\n", (int)victim);
	put("fs/memory/lxc/box/supd/web/cgroup.procs", pids);
	/* The event comes first; the count has not moved. */
	fire_eventfd(s.cg);
	ASSERT_EQ(uv_run(&s.loop, UV_RUN_NOWAIT), 1);
	ASSERT_EQ(s.ooms, 0);
	/* Then the kernel counts the kill and the victim dies. */
	put("fs/memory/lxc/box/supd/web/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
	kill(victim, SIGKILL);
	uv_run(&s.loop, UV_RUN_DEFAULT);
	waitpid(victim, &st, 0);
	ASSERT(!s.timed_out);
	ASSERT_EQ(s.ooms, 1);
	ASSERT_U64_EQ(s.old, 0);
	ASSERT_U64_EQ(s.new, 1);
	unwatch(&s, r);
}

TEST(cgwatch_close_with_no_handles_calls_back)
{
	static const struct cgwatch_callbacks cbs = {w_oom, w_empty};
	struct cgroup_sources src = {0};
	struct cgroup_root *r;
	struct wstate s = {0};
	struct cgwatch *w;

	src.mountinfo = keep("mountinfo", "");
	src.proc_self_cgroup = keep("proc_cgroup", "");
	r = open_src("supd", &src);
	ASSERT_EQ(uv_loop_init(&s.loop), 0);
	w = cgwatch_new(&s.loop, r, &cbs, &s);
	cgwatch_close(w, w_closed, &s);
	ASSERT(s.closed);
	ASSERT_EQ(uv_loop_close(&s.loop), 0);
	cgroup_root_close(r, false);
}
