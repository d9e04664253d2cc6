/*
 * spawn_child.h - the child's side of a start, between clone and exec
 * (spawn.c's only; not for other modules).
 *
 * The parent resolves everything into a struct spawn_child first: paths,
 * numbers, the text of each errno.  The child then makes raw system calls
 * only and touches no memory but its own stack and its status word: no
 * errno, no locale, no lock, no allocation.  That is what lets a child
 * run in supd's memory while supd goes on (spawn.c's batch starts): glibc
 * would write supd's errno, which the child shares.
 */
#ifndef SUPD_SPAWN_CHILD_H
#define SUPD_SPAWN_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "spawn.h" /* SPAWN_NERRTEXT, SPAWN_EXIT_* */

struct spawn_child {
	int output_fd;          /* becomes stdout and stderr */
	int status_fd;          /* a failure's message; close-on-exec */
	int null_fd;            /* becomes stdin; -1: open /dev/null */
	/* > 0: the child shares supd's descriptor table and keeps only the
	 * descriptors below this one (close_range(CLOSE_RANGE_UNSHARE)). */
	int unshare_below;
	const char *join[4];    /* cgroup files to write "0" to, NULL-ended */
	const sigset_t *reset_signals; /* NULL: every signal */
	const char *oom_score_adj;     /* NULL: inherit */
	unsigned umask;
	const struct rlimit *nofile;   /* NULL: keep supd's */
	bool set_credentials;
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	int ngroups;
	const char *working_directory; /* "/" when unset */
	bool working_directory_optional;
	const char *path;       /* absolute, or searched in env's PATH */
	char *const *argv;
	char *const *env;
	const char *const *errtext; /* strerror(i) for i < SPAWN_NERRTEXT */
};

/* Runs in the child; ends in execve or _exit(SPAWN_EXIT_*). */
void spawn_child_run(const struct spawn_child *c) __attribute__((noreturn));

#endif
