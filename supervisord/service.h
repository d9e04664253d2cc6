/*
 * service.h - a supervised service: the runtime half of a unit.  The state
 * machine lives in service.c and nowhere else; libuv callbacks (process
 * exit, timers, OOM events, cgroup emptied) are translated into
 * service events there.  States and results are documented in
 * docs/states.md.
 */
#ifndef SUPD_SERVICE_H
#define SUPD_SERVICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct supd;
struct unit;
struct service;
struct jsonw;

enum service_state {
	SERVICE_STOPPED,
	SERVICE_STARTING, /* ExecStartPre= running, or Type=exec/oneshot not yet done */
	SERVICE_RUNNING,
	SERVICE_STOPPING, /* KillSignal sent, waiting for the cgroup to empty */
	SERVICE_AUTO_RESTART, /* waiting RestartSec before the next start */
	SERVICE_FAILED,
	SERVICE_EXITED, /* finished cleanly, not restarting (oneshot, or Restart=no) */
	SERVICE_BAD_CONFIG,
};

/* systemd's Result= values. */
enum service_result {
	SERVICE_RESULT_SUCCESS,
	SERVICE_RESULT_EXIT_CODE,
	SERVICE_RESULT_SIGNAL,
	SERVICE_RESULT_CORE_DUMP,
	SERVICE_RESULT_TIMEOUT,
	SERVICE_RESULT_START_LIMIT_HIT,
	SERVICE_RESULT_OOM_KILL,
	SERVICE_RESULT_RESOURCES, /* supd could not set the service up (cgroup, log file, fork) */
};

const char *service_state_name(enum service_state s);
const char *service_result_name(enum service_result r);

/* Create the runtime object for u (takes ownership of u). */
struct service *service_new(struct supd *d, struct unit *u);
/* Stop (if needed) and free once everything is closed; used by reload and shutdown. */
void service_remove(struct service *s);

const char *service_name(const struct service *s);
enum service_state service_state(const struct service *s);
const struct unit *service_unit(const struct service *s);
pid_t service_main_pid(const struct service *s);
/* True while the service has live processes or pending libuv work. */
bool service_is_active(const struct service *s);

/*
 * Control requests.  Each returns 0, or -1 with *cause (malloc'd) saying
 * why it was refused ("bad-config: ...", "start-limit-hit: run reset-failed").
 * A manual start counts against the start limit as in systemd.
 */
int service_start(struct service *s, char **cause);
int service_stop(struct service *s, char **cause);
int service_restart(struct service *s, char **cause);
int service_reset_failed(struct service *s, char **cause);

/* reload: the new unit replaces the old at the next start. */
void service_set_pending_unit(struct service *s, struct unit *u);

/*
 * Wait for the job a control request began: cb runs once, when the service
 * next settles (running, exited, stopped, failed, auto-restart), with ok
 * false if it settled in failed.  Cancel before freeing data.
 */
struct service_waiter;
typedef void (*service_wait_cb)(struct service *s, bool ok, void *data);
struct service_waiter *service_wait(struct service *s, service_wait_cb cb, void *data);
void service_wait_cancel(struct service_waiter *w);

/* Events from the reaper and the cgroup watcher (supd.c, cgwatch.c). */
/* pid was reaped with code (CLD_*) and status; returns whether it was s's. */
bool service_process_exited(struct service *s, pid_t pid, int code, int status);
/* The cgroup may have emptied. */
void service_cgroup_maybe_empty(struct service *s);
/* The cgroup's OOM kill counter rose: apply OOMPolicy=. */
void service_oom(struct service *s, uint64_t old_count, uint64_t new_count);
bool service_has_pending_unit(const struct service *s);
/* The restart supd_queue_start() queued is due now (unless stopped since). */
void service_run_queued_start(struct service *s);
/* Log a partial last line now (supd is about to re-execute itself). */
void service_flush_output(struct service *s);

/* The state file (state.c): what this service saves, and taking over what
 * a previous supd left running.  restore returns true if the service is
 * running or being cleaned up and must not be started now. */
void service_state_save(struct service *s, struct jsonw *w);
bool service_state_restore(struct service *s, json_t *saved);

/* Status objects for the protocol (see docs/protocol.md).  write appends
 * the status object as JSON text (the fast path of `status`); json gives
 * the same object as a tree. */
struct jsonw;
void service_status_write(struct service *s, struct jsonw *w);
json_t *service_status_json(struct service *s);
json_t *service_show_json(struct service *s);

/* The service's output log (logfile.h), for `logs`. */
struct logfile *service_logfile(struct service *s);

#endif
