/*
 * spawn.h - start one process of a service: fork, then in the child join
 * the service's cgroup(s) before anything else, apply the process settings
 * and exec.  The parent resolves everything that may block or allocate
 * (user and group lookup, environment, argv expansion) before the fork;
 * the child only makes system calls.
 *
 * A failure in the child is reported twice: a line on the service's log
 * ("supd: failed at step CGROUP: ...") and a short message on the status
 * pipe, and the child exits with systemd's exit code for the step, so the
 * exit is classified as `exit-code` with e.g. status 219/CGROUP.  A status
 * pipe that reaches EOF without a message means exec succeeded.
 */
#ifndef SUPD_SPAWN_H
#define SUPD_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

struct cgroup;

/* systemd's exit codes (src/basic/exit-status.h) for the steps supd does. */
#define SPAWN_EXIT_CHDIR 200
#define SPAWN_EXIT_NICE 201
#define SPAWN_EXIT_FDS 202
#define SPAWN_EXIT_EXEC 203
#define SPAWN_EXIT_MEMORY 204
#define SPAWN_EXIT_LIMITS 205
#define SPAWN_EXIT_OOM_ADJUST 206
#define SPAWN_EXIT_SIGNAL_MASK 207
#define SPAWN_EXIT_STDIN 208
#define SPAWN_EXIT_STDOUT 209
#define SPAWN_EXIT_GROUP 216
#define SPAWN_EXIT_USER 217
#define SPAWN_EXIT_CGROUP 219
#define SPAWN_EXIT_SETSID 220
#define SPAWN_EXIT_ENVIRONMENT 226
/* Name of an exit code: "CGROUP" for 219, NULL for ordinary codes. */
const char *spawn_exit_status_name(int status);

/* errno values whose text a child can report (spawner.errtext). */
#define SPAWN_NERRTEXT 134

struct spawn_arena;

/* Batch children that may run beside supd at once (spawn.c). */
#define SPAWN_MAX_BESIDE 8

/*
 * What supd keeps for its starts, for its whole life.
 *
 * Descriptors at the bottom of supd's table, each /dev/null between
 * starts: `null`, and a pair per child that may be starting at once (a
 * lone start's, then one per batch child).  For a start, the service's
 * output and status pipes are put in a pair, and the child, which shares
 * supd's table (clone_vm.h), keeps only the descriptors below `top`: a
 * table of a few descriptors per service costs every start otherwise
 * (fork copies it, exec closes it; measured 0.69 ms per fork+exec with
 * 4000 descriptors against 0.88).
 *
 * strerror()'s texts, taken once: a child that runs beside supd may not
 * call into glibc's locale code (spawn_child.h).
 *
 * The memory of the children of a batch (spawn_params.batch) that have
 * not exec'd yet: each runs beside supd in supd's memory, on a stack and
 * a copy of its arguments of its own (spawn.c).
 */
struct spawner {
	int null;
	int pair[SPAWN_MAX_BESIDE + 1][2]; /* output, status */
	int top;                           /* one above the highest; 0: none */
	const char *errtext[SPAWN_NERRTEXT];
	struct spawn_arena *arenas;
	uint64_t n_started; /* batch children, to wait for the oldest */
};

/* Open the descriptors (above stdio) and take the texts: 0, or -errno
 * when the descriptors could not be had (children then copy supd's table
 * and none runs beside supd). */
int spawner_open(struct spawner *sp);
/* After a batch: give back the memory of children that have exec'd,
 * waiting a little for those that have not. */
void spawner_batch_done(struct spawner *sp);
void spawner_close(struct spawner *sp);

struct spawn_params {
	char **argv;        /* expanded; argv[0] is what the process sees */
	const char *path;   /* executable: absolute, or searched in $PATH of env */
	char **env;         /* the complete environment */
	const struct cgroup *cg; /* NULL: stay in supd's cgroup (tests) */
	int output_fd;      /* becomes stdout and stderr */
	/* NULL: the child gets a copy of supd's whole table and runs
	 * nowhere beside supd (tests). */
	struct spawner *spawner;
	const char *working_directory; /* NULL: "/" */
	bool working_directory_optional;
	unsigned umask;
	bool set_credentials;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	int ngroups;
	bool oom_score_adjust_set;
	int oom_score_adjust;
	const struct rlimit *nofile; /* NULL: keep supd's */
	/* Signals with a handler or ignored in supd, reset in the child before
	 * anything can arrive unblocked; NULL: every signal. */
	const sigset_t *reset_signals;
	/* One of many starts in a row (supd's own start): the child runs
	 * beside supd, so that its set-up and exec overlap supd's next start;
	 * a lone start holds supd until the child has exec'd (clone_vm.h). */
	bool batch;
};

/* Fork and exec.  Returns the pid and sets *status_fd (read end of the
 * status pipe, O_NONBLOCK|O_CLOEXEC), or -1 with *cause. */
pid_t spawn_process(const struct spawn_params *p, int *status_fd, char **cause);

/* Resolve User=/Group= into p (getpwnam/getgrnam, supplementary groups).
 * Also returns the user's name, home and shell for $USER, $HOME, $SHELL
 * (malloc'd; NULL without User=). */
int spawn_resolve_credentials(const char *user, const char *group, struct spawn_params *p,
			      char **name, char **home, char **shell, char **cause);

#endif
