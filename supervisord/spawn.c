/*
 * spawn.c - start a service process in its cgroup and exec it.
 *
 * supd does not use uv_spawn: libuv 1.44 runs nothing between fork and
 * exec, and the child must be in its cgroup before its first instruction
 * (memory charged to another cgroup stays there).  supd is therefore the
 * only reaper of its children (supd.c).
 *
 * The parent resolves everything a child needs into a struct
 * spawn_child; the child (spawn_child.c) then makes system calls only.
 * Three ways to start it, cheapest first:
 *   - batch (supd's own start): the child runs beside supd in supd's
 *     memory, on a stack and a copy of its arguments of its own (an
 *     arena), while supd goes on to the next service; forked instead if it
 *     sets its oom_score_adj (spawn_into_cgroup says why);
 *   - alone: the child runs in supd's memory while supd waits until it
 *     has exec'd (posix_spawn's way), sharing supd's descriptor table
 *     until it keeps the bottom of it (struct spawner);
 *   - where the kernel refuses a child born in its cgroup: fork, and the
 *     child moves itself.
 * Both clone_vm ways cost the same at ten services as at ten thousand: a
 * fork copies supd's page tables (and both sides then fault on every page
 * they write), and its descriptor table, which the exec then closes.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#include "cgroup.h"
#include "clone_vm.h"
#include "spawn_child.h"
#include "strutil.h"
#include "userdb.h"

/* A child's stack: spawn_child.c's frames take a few KiB; the sanitizers'
 * more. */
#define SPAWN_CHILD_STACK (64 * 1024)
/* A batch child waits at most this long for one of the SPAWN_MAX_BESIDE
 * before it to exec, then starts as a lone start. */
#define SPAWN_ARENA_WAIT_MS 100

/*
 * A batch child's memory: the header, the copies its spawn_child points
 * at, then its stack up to `size`.  in_use is 1 from the start until the
 * kernel clears it when the child has exec'd or exited (clone_vm.h); the
 * child shares supd's descriptor table until then, and supd's descriptor
 * pair `pair` holds its pipes (loaded).
 */
struct spawn_arena {
	uint32_t in_use;
	size_t size;
	struct spawn_arena *next;
	int pair;
	bool loaded;
	uint64_t started; /* spawner.n_started when its child was */
	struct spawn_child child;
	alignas(16) char data[];
};

const char *
spawn_exit_status_name(int status)
{
	switch (status) {
	case SPAWN_EXIT_CHDIR: return "CHDIR";
	case SPAWN_EXIT_NICE: return "NICE";
	case SPAWN_EXIT_FDS: return "FDS";
	case SPAWN_EXIT_EXEC: return "EXEC";
	case SPAWN_EXIT_MEMORY: return "MEMORY";
	case SPAWN_EXIT_LIMITS: return "LIMITS";
	case SPAWN_EXIT_OOM_ADJUST: return "OOM_ADJUST";
	case SPAWN_EXIT_SIGNAL_MASK: return "SIGNAL_MASK";
	case SPAWN_EXIT_STDIN: return "STDIN";
	case SPAWN_EXIT_STDOUT: return "STDOUT";
	case SPAWN_EXIT_GROUP: return "GROUP";
	case SPAWN_EXIT_USER: return "USER";
	case SPAWN_EXIT_CGROUP: return "CGROUP";
	case SPAWN_EXIT_SETSID: return "SETSID";
	case SPAWN_EXIT_ENVIRONMENT: return "ENVIRONMENT";
	default: return NULL;
	}
}

/* /dev/null at the lowest free descriptor above stdio. */
static int
spawner_open_null(void)
{
	int fd, low;

	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		return -errno;
	if (fd > STDERR_FILENO)
		return fd;
	low = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	close(fd);
	return low == -1 ? -errno : low;
}

static void
spawner_close_fds(struct spawner *sp)
{
	if (sp->null >= 0)
		close(sp->null);
	sp->null = -1;
	for (int i = 0; i <= SPAWN_MAX_BESIDE; i++)
		for (int k = 0; k < 2; k++) {
			if (sp->pair[i][k] >= 0)
				close(sp->pair[i][k]);
			sp->pair[i][k] = -1;
		}
	sp->top = 0;
}

int
spawner_open(struct spawner *sp)
{
	int err = 0;

	memset(sp, 0, sizeof *sp);
	for (int i = 1; i < SPAWN_NERRTEXT; i++)
		sp->errtext[i] = strerror(i);
	sp->null = -1;
	for (int i = 0; i <= SPAWN_MAX_BESIDE; i++)
		sp->pair[i][0] = sp->pair[i][1] = -1;
	if ((sp->null = spawner_open_null()) < 0)
		err = sp->null;
	for (int i = 0; i <= SPAWN_MAX_BESIDE && err == 0; i++)
		for (int k = 0; k < 2 && err == 0; k++)
			if ((sp->pair[i][k] = spawner_open_null()) < 0)
				err = sp->pair[i][k];
			else if (sp->pair[i][k] >= sp->top)
				sp->top = sp->pair[i][k] + 1;
	if (err != 0)
		spawner_close_fds(sp);
	else if (sp->null >= sp->top)
		sp->top = sp->null + 1;
	return err;
}

/* The pipes of a start into pair i; false if they could not be put. */
static bool
spawner_load_pair(struct spawner *sp, int i, struct spawn_child *c)
{
	if (sp == NULL || sp->top == 0 || dup3(c->output_fd, sp->pair[i][0], O_CLOEXEC) == -1 ||
	    dup3(c->status_fd, sp->pair[i][1], O_CLOEXEC) == -1)
		return false;
	c->output_fd = sp->pair[i][0];
	c->status_fd = sp->pair[i][1];
	c->null_fd = sp->null;
	c->unshare_below = sp->top;
	return true;
}

/* Back to /dev/null, once the child no longer shares supd's table: else
 * supd would hold the pipes' write ends, and the status pipe would never
 * reach EOF. */
static void
spawner_empty_pair(struct spawner *sp, int i)
{
	(void)dup3(sp->null, sp->pair[i][0], O_CLOEXEC);
	(void)dup3(sp->null, sp->pair[i][1], O_CLOEXEC);
}

static void
spawn_arena_unmap(struct spawn_arena *a)
{
#ifdef __SANITIZE_ADDRESS__
	/* The child's frames left their redzones marked. */
	__asan_unpoison_memory_region(a, a->size);
#endif
	munmap(a, a->size);
}

/* Unmap the arenas whose child has exec'd; the number left. */
static unsigned
spawner_reclaim(struct spawner *sp)
{
	struct spawn_arena **pp = &sp->arenas;
	unsigned left = 0;

	while (*pp != NULL) {
		struct spawn_arena *a = *pp;

		if (__atomic_load_n(&a->in_use, __ATOMIC_ACQUIRE) == 0) {
			*pp = a->next;
			if (a->loaded)
				spawner_empty_pair(sp, a->pair);
			spawn_arena_unmap(a);
		} else {
			pp = &a->next;
			left++;
		}
	}
	return left;
}

/* Until the oldest child still in its arena has exec'd, or a millisecond
 * passed (futex: no spinning). */
static void
spawner_wait_oldest(struct spawner *sp)
{
	struct timespec ms = {0, 1000000L};
	struct spawn_arena *oldest = NULL;

	for (struct spawn_arena *a = sp->arenas; a != NULL; a = a->next)
		if (__atomic_load_n(&a->in_use, __ATOMIC_ACQUIRE) != 0 &&
		    (oldest == NULL || a->started < oldest->started))
			oldest = a;
	/* Not FUTEX_WAIT_PRIVATE: the kernel's wake at the child's exec is a
	 * shared-futex wake, which a private wait never sees. */
	if (oldest != NULL)
		(void)syscall(SYS_futex, &oldest->in_use, FUTEX_WAIT, 1, &ms, NULL, 0);
}

void
spawner_batch_done(struct spawner *sp)
{
	/* The last children exec within a millisecond or so; one that does
	 * not (stopped?) keeps its arena until the next batch. */
	for (int waited = 0; spawner_reclaim(sp) > 0 && waited < SPAWN_ARENA_WAIT_MS; waited++)
		spawner_wait_oldest(sp);
}

void
spawner_close(struct spawner *sp)
{
	spawner_batch_done(sp);
	spawner_close_fds(sp);
}

/* A free arena of at least `need` bytes of data, or NULL after waiting
 * SPAWN_ARENA_WAIT_MS for one. */
static struct spawn_arena *
spawner_arena(struct spawner *sp, size_t need)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t size = (sizeof(struct spawn_arena) + need + 15 + SPAWN_CHILD_STACK + page - 1) & ~(page - 1);

	for (int waited = 0;; waited++) {
		struct spawn_arena *a;

		for (a = sp->arenas; a != NULL; a = a->next)
			if (__atomic_load_n(&a->in_use, __ATOMIC_ACQUIRE) == 0 && a->size >= size) {
				if (a->loaded)
					spawner_empty_pair(sp, a->pair);
				a->loaded = false;
#ifdef __SANITIZE_ADDRESS__
				__asan_unpoison_memory_region(a->data, a->size - offsetof(struct spawn_arena, data));
#endif
				return a;
			}
		/* Free ones are too small: make room. */
		if (spawner_reclaim(sp) < SPAWN_MAX_BESIDE) {
			bool taken[SPAWN_MAX_BESIDE + 1] = {false};
			int pair = 1;

			a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (a == MAP_FAILED)
				return NULL;
			for (struct spawn_arena *b = sp->arenas; b != NULL; b = b->next)
				taken[b->pair] = true;
			while (taken[pair])
				pair++;
			a->pair = pair;
			a->loaded = false;
			a->size = size;
			a->next = sp->arenas;
			sp->arenas = a;
			return a;
		}
		if (waited >= SPAWN_ARENA_WAIT_MS)
			return NULL;
		spawner_wait_oldest(sp);
	}
}

/* A bump allocator over an arena's data; with base NULL it only counts. */
struct spawn_fill {
	char *base;
	size_t off;
};

static void *
fill_take(struct spawn_fill *f, size_t n)
{
	void *r;

	f->off = (f->off + 15) & ~(size_t)15;
	r = f->base != NULL ? f->base + f->off : NULL;
	f->off += n;
	return r;
}

static const char *
fill_str(struct spawn_fill *f, const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if ((d = fill_take(f, n)) != NULL)
		memcpy(d, s, n);
	return d;
}

static char *const *
fill_strv(struct spawn_fill *f, char *const *v)
{
	size_t n = 0;
	char **d;

	if (v == NULL)
		return NULL;
	while (v[n] != NULL)
		n++;
	d = fill_take(f, (n + 1) * sizeof *d);
	for (size_t i = 0; i < n; i++) {
		const char *s = fill_str(f, v[i]);

		if (d != NULL)
			d[i] = (char *)s;
	}
	if (d != NULL)
		d[n] = NULL;
	return d;
}

static const void *
fill_mem(struct spawn_fill *f, const void *m, size_t n)
{
	void *d;

	if (m == NULL)
		return NULL;
	if ((d = fill_take(f, n)) != NULL)
		memcpy(d, m, n);
	return d;
}

/* A copy of c that points into f alone (but errtext, which lives as long
 * as supd). */
static void
fill_child(struct spawn_fill *f, const struct spawn_child *c, struct spawn_child *out)
{
	*out = *c;
	for (int i = 0; c->join[i] != NULL; i++)
		out->join[i] = fill_str(f, c->join[i]);
	out->reset_signals = fill_mem(f, c->reset_signals, sizeof *c->reset_signals);
	out->oom_score_adj = fill_str(f, c->oom_score_adj);
	out->nofile = fill_mem(f, c->nofile, sizeof *c->nofile);
	out->groups = fill_mem(f, c->groups, (size_t)c->ngroups * sizeof *c->groups);
	out->working_directory = fill_str(f, c->working_directory);
	out->path = fill_str(f, c->path);
	out->argv = fill_strv(f, c->argv);
	out->env = fill_strv(f, c->env);
}

static int
spawn_child_entry(void *arg)
{
	spawn_child_run(arg);
}

/* A batch child in an arena, beside supd; -1 with errno. */
static pid_t
spawn_beside(struct spawner *sp, const struct spawn_child *c, int cgroup_fd)
{
	struct spawn_fill f = {NULL, 0};
	struct spawn_child counted, shared = *c;
	struct spawn_arena *a;
	pid_t pid;

	fill_child(&f, c, &counted);
	if ((a = spawner_arena(sp, f.off)) == NULL) {
		errno = EAGAIN;
		return -1;
	}
	/* The pair is this child's until it has exec'd: the child copies it
	 * when it unshares the table, whenever that is. */
	a->loaded = spawner_load_pair(sp, a->pair, &shared);
	f.base = a->data;
	f.off = 0;
	fill_child(&f, &shared, &a->child);
	a->in_use = 1;
	a->started = sp->n_started++;
	pid = clone_vm_into_cgroup(cgroup_fd, a->loaded ? CLONE_VM_SHARE_FDS : 0, &a->in_use,
				   spawn_child_entry, &a->child,
				   (char *)a + a->size - SPAWN_CHILD_STACK, SPAWN_CHILD_STACK);
	if (pid == -1)
		a->in_use = 0;
	return pid;
}

/* A lone child in supd's memory, supd waiting; -1 with errno. */
static pid_t
spawn_alone(struct spawner *sp, struct spawn_child *c, int cgroup_fd)
{
	char stack[SPAWN_CHILD_STACK] __attribute__((aligned(16)));
	struct spawn_child own = *c;
	int how = CLONE_VM_WAIT;
	pid_t pid;

	/* supd is suspended until the child has exec'd: pair 0 is the
	 * child's meanwhile. */
	if (spawner_load_pair(sp, 0, c))
		how |= CLONE_VM_SHARE_FDS;
	pid = clone_vm_into_cgroup(cgroup_fd, how, NULL, spawn_child_entry, c, stack, sizeof stack);
#ifdef __SANITIZE_ADDRESS__
	/* The child's frames left their redzones marked in this array; the
	 * calls that reuse this stack after us would trip on them. */
	__asan_unpoison_memory_region(stack, sizeof stack);
#endif
	if (how & CLONE_VM_SHARE_FDS)
		spawner_empty_pair(sp, 0);
	*c = own;
	return pid;
}

/* The child is born in its unified cgroup; -1 with errno when the kernel
 * refuses, so the caller falls back to fork.  Every signal stays blocked
 * until the child has reset supd's handlers: run in the child, libuv's
 * handler would report a signal sent to it (a stop right after a start)
 * to supd's own loop. */
static pid_t
spawn_into_cgroup(const struct spawn_params *p, struct spawn_child *c, int cgroup_fd)
{
	sigset_t all, old;
	pid_t pid = -1;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	/* The kernel applies a write to oom_score_adj to every process that
	 * shares the writer's memory, supd included, unless the writer is a
	 * vfork child: a batch child that writes it is forked. */
	if (clone_vm_supported() && p->batch && p->spawner != NULL && c->oom_score_adj == NULL)
		pid = spawn_beside(p->spawner, c, cgroup_fd);
	else if (!clone_vm_supported() || p->batch) {
		pid = cgroup_fork_into(cgroup_fd);
		if (pid == 0)
			spawn_child_run(c);
	}
	if (pid == -1 && clone_vm_supported())
		pid = spawn_alone(p->spawner, c, cgroup_fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

/*
 * Start the child with fork(), where it cannot be born in its cgroup.  Not
 * vfork: this child moves itself into its unified cgroup through
 * cgroup.procs, which can wait a whole RCU grace period (5-15 ms,
 * measured), and supd's loop must never wait for a child.
 */
static pid_t
spawn_fork(struct spawn_child *c)
{
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0)
		spawn_child_run(c);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

pid_t
spawn_process(const struct spawn_params *p, int *status_fd, char **cause)
{
	struct spawn_child c;
	char joins[3 * PATH_MAX], oom_adj[16];
	int pipefd[2], cgfd = -1;
	pid_t pid = -1;

	/* Non-blocking at both ends: supd's is polled, and the child's one
	 * report (a few hundred bytes) always fits in an empty pipe. */
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) == -1) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	memset(&c, 0, sizeof c);
	c.output_fd = p->output_fd;
	c.status_fd = pipefd[1];
	c.null_fd = p->spawner != NULL && p->spawner->top > 0 ? p->spawner->null : -1;
	c.reset_signals = p->reset_signals;
	if (p->oom_score_adjust_set) {
		snprintf(oom_adj, sizeof oom_adj, "%d", p->oom_score_adjust);
		c.oom_score_adj = oom_adj;
	}
	c.umask = p->umask;
	c.nofile = p->nofile;
	c.set_credentials = p->set_credentials;
	c.uid = p->uid;
	c.gid = p->gid;
	c.groups = p->groups;
	c.ngroups = p->ngroups;
	c.working_directory = p->working_directory != NULL ? p->working_directory : "/";
	c.working_directory_optional = p->working_directory_optional;
	c.path = p->path;
	c.argv = p->argv;
	c.env = p->env;
	c.errtext = p->spawner != NULL ? p->spawner->errtext : NULL;

	if (p->cg != NULL && (cgfd = cgroup_open_clone_fd(p->cg)) >= 0) {
		if (cgroup_join_files(p->cg, true, joins, sizeof joins, c.join) >= 0)
			pid = spawn_into_cgroup(p, &c, cgfd);
		close(cgfd);
	}
	if (pid == -1 && (p->cg == NULL ||
			  cgroup_join_files(p->cg, false, joins, sizeof joins, c.join) >= 0))
		pid = spawn_fork(&c);
	else if (pid == -1)
		errno = ENAMETOOLONG;
	if (pid == -1) {
		*cause = xasprintf("fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	close(pipefd[1]);
	*status_fd = pipefd[0];
	return pid;
}

int
spawn_resolve_credentials(const char *user, const char *group, struct spawn_params *p,
			  char **name, char **home, char **shell, char **cause)
{
	struct userdb_user u = { 0 };
	int r;

	*name = *home = *shell = NULL;
	p->set_credentials = false;
	if (user == NULL && group == NULL)
		return 0;
	p->set_credentials = true;
	p->uid = getuid();
	p->gid = getgid();
	if (user != NULL) {
		if ((r = userdb_user(&userdb_system, user, &u)) < 0) {
			*cause = r == -ENOENT ? xasprintf("User=%s: no such user in %s", user,
							  userdb_system.passwd)
					      : xasprintf("User=%s: reading %s: %s", user,
							  userdb_system.passwd, strerror(-r));
			return -1;
		}
		p->uid = u.uid;
		p->gid = u.gid;
	}
	if (group != NULL && (r = userdb_group(&userdb_system, group, &p->gid)) < 0) {
		*cause = r == -ENOENT ? xasprintf("Group=%s: no such group in %s", group,
						  userdb_system.group)
				      : xasprintf("Group=%s: reading %s: %s", group,
						  userdb_system.group, strerror(-r));
		userdb_user_free(&u);
		return -1;
	}
	if (user != NULL) {
		/* User=65534 means "nobody": the name is the entry's. */
		p->groups = userdb_groups_of(&userdb_system, u.name, p->gid, &p->ngroups);
		*name = u.name;
		*home = u.home;
		*shell = u.shell;
	} else {
		p->groups = xcalloc(1, sizeof *p->groups);
		p->groups[0] = p->gid;
		p->ngroups = 1;
	}
	return 0;
}
