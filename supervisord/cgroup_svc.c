/*
 * cgroup_svc.c - one service's cgroup: create or adopt it in every
 * hierarchy in use, join it from a forked child, list and signal its
 * processes, remove it; and the event sources cgwatch.c polls.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "cgroup_int.h"
#include "log.h"
#include "strutil.h"

/* cgroup_join_self's order: memory first, so nothing is charged elsewhere. */
static const enum cgroup_hier join_order[CG_NHIER] = {CG_MEMORY, CG_PIDS, CG_UNIFIED};

void
cgroup_free(struct cgroup *cg)
{
	for (int i = 0; i < CG_NHIER; i++) {
		free(cg->dir[i]);
	}
	if (cg->oom_efd != -1)
		close(cg->oom_efd);
	cgroup_release_fds(cg);
	free(cg->name);
	free(cg);
}

/* v1: an eventfd the kernel signals when the cgroup hits OOM. */
static int
register_oom_eventfd(struct cgroup *cg)
{
	const char *dir = cg->dir[CG_MEMORY];
	char *path = xasprintf("%s/memory.oom_control", dir), buf[64];
	int efd, cfd, rc;

	if ((efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		rc = -errno;
		goto out;
	}
	if ((cfd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		rc = -errno;
		close(efd);
		goto out;
	}
	snprintf(buf, sizeof buf, "%d %d", efd, cfd);
	rc = cgroup_write(cg->root, dir, "cgroup.event_control", buf);
	/* The kernel holds the cgroup, not our descriptor of the file. */
	close(cfd);
	if (rc < 0)
		close(efd);
	else
		cg->oom_efd = efd;
out:
	if (rc < 0)
		log_warnx("%s: no OOM events (%s/cgroup.event_control: %s); OOM kills are seen only when a "
			  "process exits",
			  cg->name, dir, strerror(-rc));
	free(path);
	return rc;
}

static int
add_watch(struct cgroup *cg, const char *file)
{
	char *path = xasprintf("%s/%s", cg->dir[CG_UNIFIED], file);
	int wd;

	if ((wd = inotify_add_watch(cg->root->inotify_fd, path, IN_MODIFY)) == -1)
		log_warn("%s: inotify_add_watch %s", cg->name, path);
	free(path);
	return wd;
}

static bool
valid_name(const char *name)
{
	return *name != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
	       strcmp(name, "supd.daemon") != 0 && strncmp(name, "cgroup.", 7) != 0;
}

int
cgroup_create(struct cgroup_root *r, const char *name, struct cgroup **out, char **cause)
{
	struct cgroup *cg;
	bool made[CG_NHIER] = {false, false, false};

	*cause = NULL;
	if (!valid_name(name)) {
		*cause = xasprintf("\"%s\" cannot be a cgroup name", name);
		return -EINVAL;
	}
	cg = xcalloc(1, sizeof *cg);
	cg->root = r;
	cg->name = xstrdup(name);
	cg->wd_events = cg->wd_memevents = cg->oom_efd = -1;
	cg->usage_fd[0] = cg->usage_fd[1] = -1;
	for (int i = 0; i < CG_NHIER; i++) {
		if (r->h[i].dir == NULL)
			continue;
		cg->dir[i] = xasprintf("%s/%s", r->h[i].dir, name);
		if (mkdir(cg->dir[i], 0755) == 0)
			made[i] = true;
		else if (errno != EEXIST) {
			int rc = -errno;

			*cause = xasprintf("mkdir %s: %s", cg->dir[i], strerror(errno));
			for (int j = 0; j < i; j++)
				if (made[j])
					(void)rmdir(cg->dir[j]);
			cgroup_free(cg);
			return rc;
		}
	}
	if (cg->dir[CG_UNIFIED] != NULL && r->inotify_fd != -1) {
		cg->wd_events = add_watch(cg, "cgroup.events");
		if (r->mem_hier == CG_UNIFIED)
			cg->wd_memevents = add_watch(cg, "memory.events");
	}
	if (r->mem_hier == CG_MEMORY)
		(void)register_oom_eventfd(cg);
	/* A child can be born in the unified tree (clone3): no migration, no
	 * wait for the RCU grace period a process migration costs.  Not in a
	 * cgroup that existed (a previous supd may have killed it) when the
	 * kernel holds a past cgroup.kill against such children. */
	if (cg->dir[CG_UNIFIED] != NULL && (made[CG_UNIFIED] || !r->kill_taints_clone))
		cg->clone_ok = true;
	cg->oom_count_final = r->mem_hier != CG_NHIER && made[r->mem_hier];
	cg->pristine = true;
	for (int i = 0; i < CG_NHIER; i++)
		if (cg->dir[i] != NULL && !made[i])
			cg->pristine = false;
	cg->next = r->cgroups;
	r->cgroups = cg;
	*out = cg;
	return 0;
}

int
cgroup_destroy(struct cgroup *cg)
{
	struct cgroup **pp;

	if (cgroup_is_populated(cg))
		return -EBUSY;
	for (int i = 0; i < CG_NHIER; i++) {
		if (cg->dir[i] == NULL || cg->removed[i])
			continue;
		if (rmdir(cg->dir[i]) == -1 && errno != ENOENT)
			return -errno;
		cg->removed[i] = true;
		/* rmdir dropped the inotify watches. */
		if (i == CG_UNIFIED)
			cg->wd_events = cg->wd_memevents = -1;
	}
	for (pp = &cg->root->cgroups; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == cg) {
			*pp = cg->next;
			break;
		}
	}
	cgroup_free(cg);
	return 0;
}

const char *
cgroup_name(const struct cgroup *cg)
{
	return cg->name;
}

const char *
cgroup_path(const struct cgroup *cg)
{
	if (cg->root->mem_hier != CG_NHIER)
		return cg->dir[cg->root->mem_hier];
	for (int i = 0; i < CG_NHIER; i++)
		if (cg->dir[i] != NULL)
			return cg->dir[i];
	return "";
}

const char *
cgroup_unified_path(const struct cgroup *cg)
{
	return cg->dir[CG_UNIFIED];
}

const char *
cgroup_memory_path(const struct cgroup *cg)
{
	return cg->root->mem_hier == CG_NHIER ? NULL : cg->dir[cg->root->mem_hier];
}

const char *
cgroup_pids_path(const struct cgroup *cg)
{
	return cg->root->pids_hier == CG_NHIER ? NULL : cg->dir[cg->root->pids_hier];
}

/*
 * Runs between fork and exec: open, write, close and nothing else.
 *
 * In a v1 hierarchy it writes "0" to "tasks": that moves the calling thread
 * only, and the kernel then skips the global threadgroup lock whose write
 * side waits for an RCU grace period (5-15 ms measured here, per hierarchy;
 * "cgroup.procs" takes it).  The child is single-threaded, so the thread is
 * the whole process.  The unified tree has no such file for a domain
 * cgroup: there the child is born in place (cgroup_open_clone_fd) or moved whole.
 */
int
cgroup_join_files(const struct cgroup *cg, bool in_unified, char *buf, size_t len,
		  const char *files[CGROUP_JOIN_MAX + 1])
{
	int n = 0;

	for (int k = 0; k < CG_NHIER; k++) {
		enum cgroup_hier h = join_order[k];
		int w;

		if (cg->dir[h] == NULL || (in_unified && h == CG_UNIFIED))
			continue;
		/* Built per start, not kept per cgroup: a thousand services
		 * would hold a thousand copies of their directories. */
		w = snprintf(buf, len, "%s/%s", cg->dir[h], h == CG_UNIFIED ? "cgroup.procs" : "tasks");
		if (w < 0 || (size_t)w >= len)
			return -ENAMETOOLONG;
		files[n++] = buf;
		buf += w + 1;
		len -= (size_t)w + 1;
	}
	files[n] = NULL;
	return n;
}

int
cgroup_join_self(const struct cgroup *cg, bool in_unified, char *path, size_t path_len)
{
	const char *files[CGROUP_JOIN_MAX + 1];
	char buf[CGROUP_JOIN_MAX * PATH_MAX];
	int n;

	if ((n = cgroup_join_files(cg, in_unified, buf, sizeof buf, files)) < 0)
		return n;
	for (int i = 0; i < n; i++) {
		int r;

		snprintf(path, path_len, "%s", files[i]);
		if ((r = write_small_file(files[i], "0")) < 0)
			return r;
	}
	return 0;
}

bool
cgroup_is_populated(struct cgroup *cg)
{
	char buf[256];
	uint64_t v;

	if (cg->seen_empty)
		return false;
	for (int i = 0; i < CG_NHIER; i++) {
		if (cg->dir[i] == NULL || cg->removed[i])
			continue;
		/* Every process of the service is in the unified tree, whatever
		 * moves it makes in v1: its flag is the answer, as for systemd
		 * on a hybrid system. */
		if (i == CG_UNIFIED) {
			if (cgroup_read(cg->dir[i], "cgroup.events", buf, sizeof buf) >= 0 &&
			    cgroup_keyed(buf, "populated", &v) == 0) {
				cg->seen_empty = v == 0;
				return v != 0;
			}
		}
		/* v1 has no populated flag: look for a pid. */
		if (cgroup_read(cg->dir[i], "cgroup.procs", buf, sizeof buf) > 0)
			return true;
	}
	cg->seen_empty = true;
	return false;
}

void
cgroup_expect_process(struct cgroup *cg)
{
	cg->seen_empty = false;
	cg->oom_count_final = false;
}

static bool
has_pid(const pid_t *v, size_t n, pid_t p)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == p)
			return true;
	return false;
}

int
cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *n)
{
	pid_t *v = NULL;
	size_t nv = 0, cap = 0;
	int rc = -ENOENT;

	for (int i = 0; i < CG_NHIER; i++) {
		char procs[PATH_MAX];
		FILE *f;
		long pid;

		if (cg->dir[i] == NULL || cg->removed[i])
			continue;
		snprintf(procs, sizeof procs, "%s/cgroup.procs", cg->dir[i]);
		if ((f = fopen(procs, "re")) == NULL) {
			if (rc == -ENOENT)
				rc = -errno;
			continue;
		}
		rc = 0;
		while (fscanf(f, "%ld", &pid) == 1) {
			if (has_pid(v, nv, (pid_t)pid))
				continue;
			if (nv == cap)
				v = xreallocarray(v, cap = cap ? cap * 2 : 16, sizeof *v);
			v[nv++] = (pid_t)pid;
		}
		fclose(f);
	}
	if (rc < 0) {
		free(v);
		return rc;
	}
	*pids = v;
	*n = nv;
	return 0;
}

/* Signal every pid not signalled yet until a pass finds none new. */
static int
signal_loop(struct cgroup *cg, int sig, bool cont)
{
	pid_t *seen = NULL, *now = NULL;
	size_t nseen = 0, nnow = 0, cap = 0;
	int rc = 0, err;

	for (int round = 0; round < 100; round++) {
		bool fresh = false;

		if ((err = cgroup_pids(cg, &now, &nnow)) < 0) {
			rc = err;
			break;
		}
		for (size_t i = 0; i < nnow; i++) {
			if (has_pid(seen, nseen, now[i]))
				continue;
			fresh = true;
			if (kill(now[i], sig) == -1 && errno != ESRCH && rc == 0)
				rc = -errno;
			/* Back to back, so a stopped process wakes to see sig. */
			if (cont && kill(now[i], SIGCONT) == -1 && errno != ESRCH && rc == 0)
				rc = -errno;
			if (nseen == cap)
				seen = xreallocarray(seen, cap = cap ? cap * 2 : 16, sizeof *seen);
			seen[nseen++] = now[i];
		}
		free(now);
		now = NULL;
		if (!fresh)
			break;
	}
	free(seen);
	return rc;
}

static int
signal_all(struct cgroup *cg, int sig, bool cont)
{
	struct cgroup_root *r = cg->root;
	const char *u = cg->removed[CG_UNIFIED] ? NULL : cg->dir[CG_UNIFIED];
	bool frozen = false;
	int rc;

	if (sig == SIGKILL && u != NULL && r->have_kill && cgroup_write(r, u, "cgroup.kill", "1") == 0) {
		/* See cgroup_probe_kill_taints_clone: from now on this
		 * cgroup's children are forked and moved instead. */
		if (r->kill_taints_clone)
			cg->clone_ok = false;
		/* A process that joined memory but failed to join the unified tree. */
		return signal_loop(cg, sig, false);
	}
	/* Without cgroup.kill, freezing stops forks from outrunning SIGKILL
	 * (which kills frozen tasks).  Other signals are not frozen: a thaw
	 * between KillSignal and the SIGCONT that follows would let the
	 * process act on one before the other is sent. */
	if (sig == SIGKILL && u != NULL && r->have_freeze && cgroup_write(r, u, "cgroup.freeze", "1") == 0)
		frozen = true;
	rc = signal_loop(cg, sig, cont && sig != SIGKILL && sig != SIGCONT);
	if (frozen && cgroup_write(r, u, "cgroup.freeze", "0") < 0)
		log_warn("%s: cannot thaw %s", cg->name, u);
	return rc;
}

int
cgroup_signal_all(struct cgroup *cg, int sig)
{
	return signal_all(cg, sig, false);
}

int
cgroup_signal_all_cont(struct cgroup *cg, int sig)
{
	return signal_all(cg, sig, true);
}

int
cgroup_root_inotify_fd(struct cgroup_root *r)
{
	return r->inotify_fd;
}

static struct cgroup *
find_wd(struct cgroup_root *r, int wd)
{
	for (struct cgroup *cg = r->cgroups; cg != NULL; cg = cg->next)
		if (cg->wd_events == wd || cg->wd_memevents == wd)
			return cg;
	return NULL;
}

/* Look each wd up afresh: cb may destroy cgroups. */
void
cgroup_root_inotify_dispatch(struct cgroup_root *r, void (*cb)(struct cgroup *cg, void *data), void *data)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	struct cgroup *cg;
	ssize_t n;

	if (r->inotify_fd == -1)
		return;
	for (;;) {
		n = read(r->inotify_fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == -1 && errno != EAGAIN)
				log_warn("read inotify");
			return;
		}
		for (char *p = buf; p < buf + n; p += sizeof *ev + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* Events were lost: tell about every cgroup. */
				for (size_t k = 0;; k++) {
					size_t j = 0;

					for (cg = r->cgroups; cg != NULL && j < k; cg = cg->next)
						j++;
					if (cg == NULL)
						break;
					cb(cg, data);
				}
				continue;
			}
			if ((ev->mask & IN_IGNORED) || (cg = find_wd(r, ev->wd)) == NULL)
				continue;
			cb(cg, data);
		}
	}
}

int
cgroup_oom_eventfd(struct cgroup *cg)
{
	return cg->oom_efd;
}

void
cgroup_set_owner(struct cgroup *cg, void *owner)
{
	cg->owner = owner;
}

void *
cgroup_owner(const struct cgroup *cg)
{
	return cg->owner;
}

void
cgroup_set_watch(struct cgroup *cg, void *watch)
{
	cg->watch = watch;
}

void *
cgroup_watch(const struct cgroup *cg)
{
	return cg->watch;
}

pid_t
cgroup_fork_into(int cgroup_fd)
{
	struct clone_args ca;

	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_INTO_CGROUP;
	ca.exit_signal = SIGCHLD;
	ca.cgroup = (uint64_t)cgroup_fd;
	return (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
}

/*
 * Linux 6.14 (the cgroup.kill/fork race fix) to at least 6.18 compare a
 * clone3(CLONE_INTO_CGROUP) child's cgroup.kill count with the one of its
 * parent's cgroup instead of the target's: once the target's cgroup.kill
 * was written, every child born there is SIGKILLed at birth.  Ask the
 * kernel once, with a cgroup made for the purpose and a child that exits
 * at once.  Not knowing is taken as yes: the cost is a slower start.
 */
bool
cgroup_probe_kill_taints_clone(const char *dir)
{
	char *probe = xasprintf("%s/supd.probe-%ld", dir, (long)getpid()), *kill_file;
	sigset_t all, old;
	bool taints = true;
	int fd = -1, st, r;
	pid_t pid;

	if (mkdir(probe, 0700) == -1) {
		free(probe);
		return true;
	}
	kill_file = xasprintf("%s/cgroup.kill", probe);
	st = write_small_file(kill_file, "1");
	free(kill_file);
	if (st < 0 || (fd = open(probe, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto out;
	/* No handler of supd's may run in the child. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = cgroup_fork_into(fd);
	if (pid == 0)
		_exit(0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1)
		goto out;
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		;
	taints = r == -1 || !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
out:
	if (fd != -1)
		close(fd);
	(void)rmdir(probe);
	free(probe);
	return taints;
}

int
cgroup_open_clone_fd(const struct cgroup *cg)
{
	/* Opened per start: a resting service holds no descriptor for it. */
	if (!cg->clone_ok || cg->removed[CG_UNIFIED])
		return -1;
	return open(cg->dir[CG_UNIFIED], O_PATH | O_DIRECTORY | O_CLOEXEC);
}

void
cgroup_release_fds(struct cgroup *cg)
{
	for (int i = 0; i < 2; i++)
		if (cg->usage_fd[i] != -1) {
			close(cg->usage_fd[i]);
			cg->usage_fd[i] = -1;
		}
}
