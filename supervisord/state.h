/*
 * state.h - supd's state file, STATE_DIR/state.json: for each service its
 * main pid (with the pid's start time, so a recycled pid is never taken
 * for the service), restart counter, start-limit window, last result and
 * OOM count.  Written atomically (a temporary file, then rename) shortly
 * after any change; read at start so that a supd that crashed or was
 * SIGKILLed re-adopts the services still running instead of starting
 * second copies.
 */
#ifndef SUPD_STATE_H
#define SUPD_STATE_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

struct supd;

/* Note a change; the file is written on a later loop turn (coalesced). */
void state_changed(struct supd *d);
/* Write now (shutdown, tests).  Returns 0 or -errno. */
int state_write(struct supd *d);
/* The saved object of service name, or NULL.  Borrowed from saved. */
json_t *state_saved_service(json_t *saved, const char *name);
/* Read STATE_DIR/state.json; NULL if absent or unreadable (logged). */
json_t *state_read(const char *state_dir);

/* A process's start time in clock ticks since boot (/proc/PID/stat field
 * 22), or 0 if it does not exist. */
uint64_t state_pid_start_time(pid_t pid);
/* The same, and the process's parent in *ppid. */
uint64_t state_pid_stat(pid_t pid, pid_t *ppid);

#endif
