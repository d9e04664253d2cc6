/*
 * test-cgroup-real.c - the cgroup backend and cgwatch against this
 * machine's real cgroups (hybrid here, pure v2 in the VM).  Each test runs
 * in a worker process below a unique root "supd-unit.<pid>" (absolute on
 * pure v2, see run_real); the test process removes whatever the worker
 * left (killing stray processes first), whether it passed, failed or hung.
 */
#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "cgroup.h"
#include "cgwatch.h"
#include "strutil.h"

static char rootname[64];

/* ---- cleanup, independent of the code under test ---- */

static void
kill_procs(const char *dir)
{
	char path[4096], buf[4096];
	struct timespec ts = {0, 10 * 1000 * 1000};

	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	for (int i = 0; i < 500; i++) {
		char *p = buf, *end;
		long pid;

		if (read_small_file(path, buf, sizeof buf) <= 0)
			return;
		while ((pid = strtol(p, &end, 10)) > 0 && end != p) {
			kill((pid_t)pid, SIGKILL);
			p = end;
		}
		/* Stray processes are not our children; wait for their exit. */
		nanosleep(&ts, NULL);
	}
}

static int
cleanup_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag != FTW_DP)
		return 0;
	kill_procs(path);
	for (int i = 0; i < 100 && rmdir(path) == -1 && errno == EBUSY; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		kill_procs(path);
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* Remove <mount>[/<own>]/<rootname> in every cgroup hierarchy. */
static void
cleanup_all(void)
{
	char mi[16384], pc[4096], line[1024];
	FILE *f;

	if (read_small_file("/proc/self/cgroup", pc, sizeof pc) < 0 || (f = fopen("/proc/self/mountinfo", "r")) == NULL)
		return;
	(void)mi;
	while (fgets(line, sizeof line, f) != NULL) {
		char mnt[512], fstype[64], dir[2048];
		const char *sep = strstr(line, " - ");

		if (sep == NULL || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s", fstype) != 1 || strncmp(fstype, "cgroup", 6) != 0)
			continue;
		snprintf(dir, sizeof dir, "%s/%s", mnt, rootname + (rootname[0] == '/'));
		nftw(dir, cleanup_entry, 16, FTW_DEPTH | FTW_PHYS);
		for (char *p = pc; *p != '\0';) {
			char *colon = strchr(p, ':'), *colon2, *nl;

			nl = strchr(p, '\n');
			if (colon != NULL && (colon2 = strchr(colon + 1, ':')) != NULL && (nl == NULL || colon2 < nl)) {
				int n = (int)((nl ? nl : colon2 + strlen(colon2)) - colon2 - 1);

				snprintf(dir, sizeof dir, "%s%.*s/%s", mnt, n, colon2 + 1, rootname + (rootname[0] == '/'));
				nftw(dir, cleanup_entry, 16, FTW_DEPTH | FTW_PHYS);
			}
			if (nl == NULL)
				break;
			p = nl + 1;
		}
	}
	fclose(f);
}

static void
run_real(void (*fn)(void))
{
	pid_t pid;
	int status;

	char pc[4096];

	/* Below our own cgroup, as on this machine.  Pure v2 (the VM) forbids
	 * enabling controllers in a cgroup that still holds the test runner,
	 * so there the root is built from the mount point down. */
	if (read_small_file("/proc/self/cgroup", pc, sizeof pc) > 0 && strstr(pc, ":memory:") == NULL &&
	    strncmp(pc, "0::", 3) == 0 && strchr(pc, '\n') == pc + strlen(pc) - 1)
		snprintf(rootname, sizeof rootname, "/supd-unit.%d", (int)getpid());
	else
		snprintf(rootname, sizeof rootname, "supd-unit.%d", (int)getpid());
	if ((pid = fork()) == -1)
		test_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
	if (pid == 0) {
		alarm(20);
		fn();
		fflush(stdout);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	cleanup_all();
	if (WIFSIGNALED(status))
		test_fail(__FILE__, __LINE__, "worker killed by signal %d%s", WTERMSIG(status),
			  WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
	if (WEXITSTATUS(status) != 0)
		test_fail(__FILE__, __LINE__, "worker failed");
}

/* ---- helpers ---- */

static struct cgroup_root *
open_root(void)
{
	struct cgroup_root *r = NULL;
	char *cause = NULL;
	int rc = cgroup_root_open(rootname, NULL, &r, &cause);

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

static bool
is_dir(const char *p)
{
	struct stat st;

	return p != NULL && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Bounded poll until the cgroup is empty (the kernel needs a moment). */
static bool
wait_empty(struct cgroup *cg, double secs)
{
	double end = now_sec() + secs;
	struct timespec ts = {0, 5 * 1000 * 1000};

	while (cgroup_is_populated(cg)) {
		if (now_sec() > end)
			return false;
		nanosleep(&ts, NULL);
	}
	return true;
}

/* Fork a child that joins cg and runs body (or sleeps); returns after it joined. */
static pid_t
spawn_in(struct cgroup *cg, void (*body)(void))
{
	int p[2];
	pid_t pid;
	char c;

	cgroup_expect_process(cg);
	if (pipe(p) == -1 || (pid = fork()) == -1)
		test_fail(__FILE__, __LINE__, "pipe/fork: %s", strerror(errno));
	if (pid == 0) {
		char what[PATH_MAX];

		close(p[0]);
		if (cgroup_join_self(cg, false, what, sizeof what) < 0)
			_exit(219);
		if (write(p[1], "j", 1) != 1)
			_exit(1);
		close(p[1]);
		if (body != NULL)
			body();
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		int st;

		waitpid(pid, &st, 0);
		test_fail(__FILE__, __LINE__, "child did not join its cgroup (status 0x%x)", st);
	}
	close(p[0]);
	return pid;
}

static void
hog_body(void)
{
	size_t len = (size_t)200 << 20;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		_exit(2);
	for (size_t i = 0; i < len; i += 4096)
		m[i] = 1;
	_exit(3);
}

static void
fork_hog_body(void)
{
	if (fork() == 0)
		hog_body();
}

static void
forker_body(void)
{
	for (int i = 0; i < 3; i++)
		if (fork() == 0)
			for (;;)
				pause();
}

static const struct cgroup_applied_item *
find_item(const struct cgroup_applied *ap, const char *key)
{
	for (int i = 0; i < ap->n; i++)
		if (strcmp(ap->items[i].key, key) == 0)
			return &ap->items[i];
	test_fail(__FILE__, __LINE__, "no applied item %s", key);
}

/* ---- the tests ---- */

static void
body_discovery(void)
{
	struct cgroup_root *r = open_root();

	ASSERT(cgroup_root_mode(r) != CGROUP_MODE_NONE);
	if (is_dir("/sys/fs/cgroup/memory"))
		ASSERT_EQ(cgroup_root_mode(r), CGROUP_MODE_HYBRID);
	ASSERT(cgroup_root_has_memory(r));
	ASSERT_CONTAINS(cgroup_root_describe(r), rootname);
	ASSERT(cgroup_root_memory_base(r) > (64u << 20));
	cgroup_root_close(r, true);
}

TEST(real_root_discovered_with_memory) { run_real(body_discovery); }

static void
body_create_destroy(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	char mem[512], uni[512];

	ASSERT(is_dir(cgroup_path(cg)));
	ASSERT(is_dir(cgroup_memory_path(cg)));
	if (cgroup_unified_path(cg) != NULL)
		ASSERT(is_dir(cgroup_unified_path(cg)));
	ASSERT(!cgroup_is_populated(cg));
	snprintf(mem, sizeof mem, "%s", cgroup_memory_path(cg));
	snprintf(uni, sizeof uni, "%s", cgroup_unified_path(cg) ? cgroup_unified_path(cg) : "");
	ASSERT_EQ(cgroup_destroy(cg), 0);
	ASSERT(!is_dir(mem));
	ASSERT(uni[0] == '\0' || !is_dir(uni));
	/* Adopt a cgroup left behind by an earlier supd. */
	cg = create(r, "svc");
	cgroup_root_close(r, true);
	ASSERT(!is_dir(mem));
}
TEST(real_create_destroy_adopt) { run_real(body_create_destroy); }

static void
body_join(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	pid_t pid = spawn_in(cg, NULL), *pids;
	size_t n;
	int st;

	ASSERT_EQ(cgroup_pids(cg, &pids, &n), 0);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(pids[0], pid);
	free(pids);
	ASSERT(cgroup_is_populated(cg));
	ASSERT_EQ(cgroup_destroy(cg), -EBUSY);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	ASSERT(wait_empty(cg, 5));
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_join_lists_pid_and_blocks_destroy) { run_real(body_join); }

static void
body_kill_tree(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	pid_t pid = spawn_in(cg, forker_body), *pids = NULL;
	size_t n = 0;
	double end = now_sec() + 5;
	int st;

	while (n < 4 && now_sec() < end) {
		free(pids);
		ASSERT_EQ(cgroup_pids(cg, &pids, &n), 0);
	}
	free(pids);
	ASSERT_EQ(n, 4);
	ASSERT_EQ(cgroup_signal_all(cg, SIGKILL), 0);
	waitpid(pid, &st, 0);
	ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ASSERT(wait_empty(cg, 5));
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_sigkill_empties_cgroup) { run_real(body_kill_tree); }

static void
body_term_tree(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	pid_t pid = spawn_in(cg, forker_body), *pids = NULL;
	size_t n = 0;
	double end = now_sec() + 5;
	int st;

	while (n < 4 && now_sec() < end) {
		free(pids);
		ASSERT_EQ(cgroup_pids(cg, &pids, &n), 0);
	}
	free(pids);
	ASSERT_EQ(cgroup_signal_all(cg, SIGTERM), 0);
	waitpid(pid, &st, 0);
	ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	ASSERT(wait_empty(cg, 5));
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_sigterm_reaches_every_process) { run_real(body_term_tree); }

static void
stop_self_body(void)
{
	raise(SIGSTOP);
}

static void
body_term_cont(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	pid_t pid = spawn_in(cg, stop_self_body);
	int st;

	ASSERT_EQ(waitpid(pid, &st, WUNTRACED), pid);
	ASSERT(WIFSTOPPED(st));
	ASSERT_EQ(cgroup_signal_all_cont(cg, SIGTERM), 0);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	ASSERT(WIFSIGNALED(st));
	ASSERT_EQ(WTERMSIG(st), SIGTERM);
	ASSERT(wait_empty(cg, 5));
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_sigterm_then_sigcont_wakes_a_stopped_process) { run_real(body_term_cont); }

static void
body_limits(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;
	const struct cgroup_applied_item *it;
	char *cause = NULL;
	bool v2 = cgroup_root_mode(r) == CGROUP_MODE_V2, memsw;

	lim.memory_max = 64u << 20;
	lim.max_set = true;
	lim.memory_high = 48u << 20;
	lim.high_set = true;
	lim.memory_swap_max = 16u << 20;
	lim.swap_max_set = true;
	lim.tasks_max = 100;
	lim.tasks_max_set = true;
	if (cgroup_apply_limits(cg, &lim, &ap, &cause) < 0)
		test_fail(__FILE__, __LINE__, "apply: %s", cause);
	it = find_item(&ap, "MemoryMax");
	ASSERT_EQ(it->how, CGROUP_ENFORCED);
	ASSERT_STR_EQ(test_read_line(it->file), "67108864");
	it = find_item(&ap, "MemoryHigh");
	ASSERT_EQ(it->how, v2 ? CGROUP_ENFORCED : CGROUP_EMULATED);
	ASSERT_STR_EQ(test_read_line(it->file), "50331648");
	it = find_item(&ap, "TasksMax");
	if (cgroup_root_has_pids(r)) {
		ASSERT_EQ(it->how, CGROUP_ENFORCED);
		ASSERT_STR_EQ(test_read_line(it->file), "100");
	}
	it = find_item(&ap, "MemorySwapMax");
	memsw = it->how == CGROUP_ENFORCED;
	if (memsw)
		ASSERT_STR_EQ(test_read_line(it->file), v2 ? "16777216" : "83886080");

	/* Lower both (v1: limit before memsw), then raise both (memsw first). */
	lim.memory_max = 32u << 20;
	lim.memory_swap_max = 0;
	if (cgroup_apply_limits(cg, &lim, &ap, &cause) < 0)
		test_fail(__FILE__, __LINE__, "lower: %s", cause);
	ASSERT_STR_EQ(test_read_line(find_item(&ap, "MemoryMax")->file), "33554432");
	if (memsw)
		ASSERT_STR_EQ(test_read_line(find_item(&ap, "MemorySwapMax")->file), v2 ? "0" : "33554432");
	lim.memory_max = 1u << 30;
	lim.memory_swap_max = 1u << 30;
	if (cgroup_apply_limits(cg, &lim, &ap, &cause) < 0)
		test_fail(__FILE__, __LINE__, "raise: %s", cause);
	ASSERT_STR_EQ(test_read_line(find_item(&ap, "MemoryMax")->file), "1073741824");
	if (memsw)
		ASSERT_STR_EQ(test_read_line(find_item(&ap, "MemorySwapMax")->file), v2 ? "1073741824" : "2147483648");

	/* Unset keys go back to no limit. */
	memset(&lim, 0, sizeof lim);
	if (cgroup_apply_limits(cg, &lim, &ap, &cause) < 0)
		test_fail(__FILE__, __LINE__, "reset: %s", cause);
	ASSERT_EQ(find_item(&ap, "MemoryMax")->how, CGROUP_NOT_SET);
	ASSERT(strcmp(test_read_line(find_item(&ap, "MemoryMax")->file), "max") == 0 ||
	       strlen(test_read_line(find_item(&ap, "MemoryMax")->file)) >= 18);
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_limits_written_and_read_back) { run_real(body_limits); }

static void
body_v1_unmappable(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;
	char *cause = NULL;

	lim.memory_low = 10u << 20;
	lim.low_set = true;
	lim.memory_min = 5u << 20;
	lim.min_set = true;
	lim.oom_group = true;
	ASSERT_EQ(cgroup_apply_limits(cg, &lim, &ap, &cause), 0);
	if (cgroup_root_mode(r) == CGROUP_MODE_V2) {
		ASSERT_EQ(find_item(&ap, "MemoryLow")->how, CGROUP_ENFORCED);
		ASSERT_STR_EQ(test_read_line(find_item(&ap, "OOMPolicy")->file), "1");
	} else {
		ASSERT_EQ(find_item(&ap, "MemoryLow")->how, CGROUP_NOT_ENFORCED);
		ASSERT_EQ(find_item(&ap, "MemoryMin")->how, CGROUP_NOT_ENFORCED);
		ASSERT_CONTAINS(find_item(&ap, "MemoryLow")->note, "v1");
		ASSERT_EQ(find_item(&ap, "OOMPolicy")->how, CGROUP_EMULATED);
	}
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_low_min_oomgroup_reported_honestly) { run_real(body_v1_unmappable); }

static void
hold40_body(void)
{
	size_t len = (size_t)40 << 20;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		_exit(2);
	for (size_t i = 0; i < len; i += 4096)
		m[i] = 1;
}

static void
body_refused(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;
	struct cgroup_memory m;
	char *cause = NULL;
	double end = now_sec() + 5;
	pid_t pid;
	int st, rc;

	if (cgroup_root_mode(r) == CGROUP_MODE_V2) {
		/* v2 reclaims or OOM-kills instead of refusing. */
		cgroup_root_close(r, true);
		return;
	}
	pid = spawn_in(cg, hold40_body);
	do
		ASSERT_EQ(cgroup_memory_read(cg, &m), 0);
	while (m.current < (40u << 20) && now_sec() < end);
	lim.memory_max = 16u << 20;
	lim.max_set = true;
	rc = cgroup_apply_limits(cg, &lim, &ap, &cause);
	ASSERT_EQ(rc, -EBUSY);
	ASSERT_CONTAINS(cause, "memory.limit_in_bytes");
	ASSERT_CONTAINS(cause, "\"16777216\"");
	ASSERT_CONTAINS(cause, strerror(EBUSY));
	free(cause);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	ASSERT(wait_empty(cg, 5));
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_limit_below_usage_refused_with_cause) { run_real(body_refused); }

static void
fork5_body(void)
{
	int ok = 0;

	for (int i = 0; i < 5; i++) {
		pid_t p = fork();

		if (p == 0)
			for (;;)
				pause();
		ok += p > 0;
	}
	/* Report how many forks the pids limit let through. */
	_exit(ok);
}

static void
body_tasks_max(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;
	char *cause = NULL;
	pid_t pid;
	int st;

	if (!cgroup_root_has_pids(r)) {
		cgroup_root_close(r, true);
		return;
	}
	lim.tasks_max = 3;
	lim.tasks_max_set = true;
	ASSERT_EQ(cgroup_apply_limits(cg, &lim, &ap, &cause), 0);
	pid = spawn_in(cg, fork5_body);
	waitpid(pid, &st, 0);
	ASSERT(WIFEXITED(st));
	/* The main process plus two children make three. */
	ASSERT_EQ(WEXITSTATUS(st), 2);
	ASSERT_EQ(cgroup_signal_all(cg, SIGKILL), 0);
	ASSERT(wait_empty(cg, 5));
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_tasks_max_limits_forks) { run_real(body_tasks_max); }

/* ---- cgwatch on a loop ---- */

struct watch_state {
	uv_loop_t loop;
	uv_timer_t timer;
	struct cgroup *cg;
	int ooms, empties;
	uint64_t old, new;
	bool timed_out, closed;
	bool stop_on_empty;
};

static void
oom_cb(struct cgroup *cg, uint64_t old, uint64_t new, void *data)
{
	struct watch_state *s = data;

	ASSERT(cg == s->cg);
	s->ooms++;
	s->old = old;
	s->new = new;
	if (!s->stop_on_empty)
		uv_stop(&s->loop);
}

static void
empty_cb(struct cgroup *cg, void *data)
{
	struct watch_state *s = data;

	ASSERT(cg == s->cg);
	s->empties++;
	if (s->stop_on_empty)
		uv_stop(&s->loop);
}

static void
timeout_cb(uv_timer_t *t)
{
	struct watch_state *s = t->data;

	s->timed_out = true;
	uv_stop(&s->loop);
}

static void
closed_cb(void *data)
{
	((struct watch_state *)data)->closed = true;
}

static struct cgwatch *
watch_start(struct watch_state *s, struct cgroup_root *r, struct cgroup *cg)
{
	static const struct cgwatch_callbacks cbs = {oom_cb, empty_cb};
	struct cgwatch *w;

	ASSERT_EQ(uv_loop_init(&s->loop), 0);
	ASSERT_EQ(uv_timer_init(&s->loop, &s->timer), 0);
	s->timer.data = s;
	s->cg = cg;
	w = cgwatch_new(&s->loop, r, &cbs, s);
	ASSERT_EQ(cgwatch_add(w, cg), 0);
	ASSERT_EQ(uv_timer_start(&s->timer, timeout_cb, 10000, 0), 0);
	return w;
}

static void
watch_end(struct watch_state *s, struct cgwatch *w)
{
	cgwatch_remove(w, s->cg);
	cgwatch_close(w, closed_cb, s);
	uv_close((uv_handle_t *)&s->timer, NULL);
	ASSERT_EQ(uv_run(&s->loop, UV_RUN_DEFAULT), 0);
	ASSERT(s->closed);
	ASSERT_EQ(uv_loop_close(&s->loop), 0);
}

static void
oom_test(void (*body)(void), bool main_is_victim)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "hog");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;
	struct watch_state s = {0};
	struct cgwatch *w;
	char *cause = NULL;
	uint64_t before;
	pid_t pid, victim = 0;
	char comm[32];
	int st;

	lim.memory_max = 32u << 20;
	lim.max_set = true;
	if (cgroup_apply_limits(cg, &lim, &ap, &cause) < 0)
		test_fail(__FILE__, __LINE__, "apply: %s", cause);
	before = cgroup_oom_kills(cg);
	w = watch_start(&s, r, cg);
	pid = spawn_in(cg, body);
	uv_run(&s.loop, UV_RUN_DEFAULT);
	ASSERT(!s.timed_out);
	ASSERT_EQ(s.ooms, 1);
	ASSERT_U64_EQ(s.old, before);
	ASSERT(s.new > before);
	ASSERT(cgroup_oom_kills(cg) > before);
	if (cgroup_oom_victim(cg, &victim, comm, sizeof comm) == 0) {
		ASSERT(victim > 0);
		ASSERT(main_is_victim ? victim == pid : victim != pid);
	} else
		printf("kernel log not readable: victim unknown\n");
	if (main_is_victim) {
		waitpid(pid, &st, 0);
		ASSERT(WIFSIGNALED(st));
		ASSERT_EQ(WTERMSIG(st), SIGKILL);
	} else {
		/* The main process survives a child's OOM kill. */
		ASSERT_EQ(waitpid(pid, &st, WNOHANG), 0);
		ASSERT_EQ(cgroup_signal_all(cg, SIGKILL), 0);
		waitpid(pid, &st, 0);
	}
	ASSERT(wait_empty(cg, 5));
	watch_end(&s, w);
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}

static void
body_oom_main(void)
{
	oom_test(hog_body, true);
}
TEST(real_oom_kill_of_main_seen_by_cgwatch) { run_real(body_oom_main); }

static void
body_oom_child(void)
{
	oom_test(fork_hog_body, false);
}
TEST(real_oom_kill_of_child_seen_by_cgwatch) { run_real(body_oom_child); }

static void
body_memory_read(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "hog");
	struct cgroup_limits lim = {0};
	struct cgroup_applied ap;
	struct cgroup_memory m;
	char *cause = NULL;
	pid_t pid;
	int st;

	lim.memory_max = 32u << 20;
	lim.max_set = true;
	ASSERT_EQ(cgroup_apply_limits(cg, &lim, &ap, &cause), 0);
	ASSERT_EQ(cgroup_memory_read(cg, &m), 0);
	ASSERT_U64_EQ(m.oom_kills, 0);
	pid = spawn_in(cg, hog_body);
	waitpid(pid, &st, 0);
	ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ASSERT_EQ(cgroup_memory_read(cg, &m), 0);
	ASSERT(m.oom_kills >= 1);
	ASSERT(m.peak != UINT64_MAX && m.peak > (16u << 20));
	ASSERT(m.peak <= (32u << 20));
	ASSERT(m.current != UINT64_MAX);
	ASSERT(m.anon != UINT64_MAX);
	ASSERT(m.file != UINT64_MAX);
	ASSERT_U64_EQ(cgroup_oom_kills(cg), m.oom_kills);
	ASSERT(wait_empty(cg, 5));
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_memory_figures_and_oom_counter) { run_real(body_memory_read); }

static void
body_empty_event(void)
{
	struct cgroup_root *r = open_root();
	struct cgroup *cg = create(r, "svc");
	struct watch_state s = {0};
	struct cgwatch *w;
	pid_t pid;
	int st;

	if (cgroup_root_inotify_fd(r) == -1) {
		printf("no unified tree: emptiness has no event here\n");
		cgroup_root_close(r, true);
		return;
	}
	s.stop_on_empty = true;
	w = watch_start(&s, r, cg);
	pid = spawn_in(cg, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	uv_run(&s.loop, UV_RUN_DEFAULT);
	ASSERT(!s.timed_out);
	ASSERT(s.empties >= 1);
	ASSERT(!cgroup_is_populated(cg));
	watch_end(&s, w);
	ASSERT_EQ(cgroup_destroy(cg), 0);
	cgroup_root_close(r, true);
}
TEST(real_cgwatch_reports_emptiness) { run_real(body_empty_event); }
