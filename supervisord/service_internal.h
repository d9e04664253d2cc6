/*
 * service_internal.h - struct service, shared only by service.c (the state
 * machine), service_exec.c (spawning its processes) and service_status.c
 * (its JSON views).  Nothing else includes this file.
 */
#ifndef SUPD_SERVICE_INTERNAL_H
#define SUPD_SERVICE_INTERNAL_H

#include <uv.h>

#include "cgroup.h"
#include "restart.h"
#include "service.h"

#define SERVICE_OOM_HISTORY 5

enum service_control {
	SERVICE_CONTROL_NONE,
	SERVICE_CONTROL_START_PRE,
	SERVICE_CONTROL_STOP_POST,
};

enum service_timer {
	SERVICE_TIMER_NONE,
	SERVICE_TIMER_RESTART,      /* RestartSec in auto-restart */
	SERVICE_TIMER_STOP_TIMEOUT, /* TimeoutStopSec after KillSignal */
	SERVICE_TIMER_STOP_POST,    /* TimeoutStopSec for an ExecStopPost= command */
};

struct service_oom_event {
	uint64_t when_usec; /* CLOCK_REALTIME */
	uint64_t current, peak;
	bool victim_main;
};

/* Watches a spawned process's status pipe: EOF means exec succeeded, a
 * message means a set-up step failed (see spawn.h). */
struct service_exec_watch {
	uv_poll_t poll;
	int fd;
	struct service *s;
	bool main;
	char msg[256];
	size_t len;
};

/* A compact cgroup_applied_item: what `show` reports of one key. */
struct service_limit {
	const char *key;  /* static */
	enum cgroup_enforce how;
	const char *dir;  /* the file: in s->cg's directory (NULL: no file) */
	const char *name; /* ... under this constant name */
	char *note;       /* NULL: nothing to say */
};

struct service_waiter {
	struct service *s;
	service_wait_cb cb;
	void *data;
	struct service_waiter *next;
};

struct service {
	struct supd *d;
	struct unit *unit;
	struct unit *pending_unit; /* reload: used from the next start */

	enum service_state state;
	enum service_result result; /* of the current or last run: first failure wins */
	char *error;                /* why supd could not start it, or bad-config */
	uint64_t since_usec;        /* CLOCK_REALTIME of the last state change */

	pid_t main_pid;
	bool main_dead;           /* exited, being processed */
	int main_code, main_status; /* last exit: CLD_EXITED/KILLED/DUMPED and code/signal */
	uint64_t main_start_mono; /* CLOCK_MONOTONIC of the main process start */
	uint64_t main_start_ticks; /* its /proc start time: tells a recycled pid apart */
	bool adopted;             /* taken over from a previous supd: not our child */
	int pidfd;                /* adopted main: readable when it exits */
	uv_poll_t *pidfd_poll;

	pid_t control_pid;
	enum service_control control;
	size_t control_index;

	unsigned n_restarts;
	struct start_limit start_limit;
	bool stop_requested;     /* manual stop: never restart */
	bool start_after_stop;   /* manual restart, or start while stopping */
	bool final_kill_sent;

	uv_timer_t timer;
	enum service_timer timer_purpose;
	uv_timer_t notify_timer; /* runs waiters on the next loop turn */

	struct cgroup *cg;
	/* Memory figures read when the service came to rest with an empty
	 * cgroup: status shows them without a system call until it starts. */
	bool rest_memory_known;
	uint64_t rest_memory_current, rest_memory_peak;
	struct service_limit limits[8]; /* how each memory key was applied (show) */
	int n_limits;
	bool applied_valid;
	unsigned unit_generation;    /* bumped whenever the unit is replaced */
	unsigned applied_generation; /* the unit generation whose limits are written, +1 */
	struct output *output;
	struct logfile *log;
	struct service_exec_watch *exec_watch;

	uint64_t oom_kills;           /* seen by supd since this service was loaded */
	uint64_t last_oom_usec;       /* CLOCK_REALTIME */
	uint64_t oom_unattributed_mono; /* last OOM kill whose victim was not seen to be main */
	bool oom_main;                /* the OOM killer took the main process */
	struct service_oom_event oom_history[SERVICE_OOM_HISTORY];
	unsigned oom_history_n;

	struct service_waiter *waiters;

	bool removing;        /* stopping for good (reload removed it, or shutdown) */
	bool finished;        /* stopped for good: handles are closing */
	int closing_handles;  /* libuv handles still closing; the last close frees */
};

/* service_exec.c */
int service_exec_main(struct service *s, char **cause);
int service_exec_control(struct service *s, const struct exec_command *cmd, char **cause);
void service_exec_watch_close(struct service *s);

/* service.c: the transitions, for service_ctl.c, service_oom.c and
 * service_exec.c. */
void service_exec_started(struct service *s, bool main);
uint64_t service_now_mono(void);
uint64_t service_now_real(void);
const char *service_exit_code_name(int code);
bool service_is_settled(const struct service *s);
void service_set_result(struct service *s, enum service_result r);
void service_set_state(struct service *s, enum service_state st);
void service_timer_stop(struct service *s);
void service_kill(struct service *s, int sig, bool main_only);
void service_enter_start(struct service *s, bool automatic);
void service_enter_stop_signal(struct service *s);
void service_maybe_stopped(struct service *s);
void service_enter_dead(struct service *s);
void service_apply_pending_unit(struct service *s);
int service_prepare(struct service *s, char **cause);
void service_limits_free(struct service *s);
void service_release_resources(struct service *s);
void service_enter_cleanup(struct service *s);
void service_adopted_main_exited(struct service *s);

/* service_oom.c */
void service_oom_victim_was_main(struct service *s);

/* service_adopt.c */
void service_pidfd_close(struct service *s);

/* service_ctl.c */
void service_notify_waiters(struct service *s);
void service_finish_remove(struct service *s);
void service_release(struct service *s);
void service_output_closed(void *data); /* output_close()'s callback */

#endif
