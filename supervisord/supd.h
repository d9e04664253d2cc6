/*
 * supd.h - the one top-level daemon struct, created in main() and passed
 * explicitly; libuv callbacks find it through handle->data.
 */
#ifndef SUPD_SUPD_H
#define SUPD_SUPD_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <uv.h>

#include "daemonconf.h"
#include "spawn.h"

struct service;
struct cgroup_root;
struct cgwatch;
struct control;
struct fdholder;
struct outjournal;

struct supd {
	uv_loop_t *loop;
	struct daemon_conf conf;
	char *conf_file;       /* supd.conf path (for reload) */
	char *self_exe;        /* /proc/self/exe resolved at start (reexec) */
	char **argv;           /* supd's own argv, for reexec */
	int inherited_listen_fd; /* the control socket across reexec, or -1 */
	int inherited_clients_fd; /* memfd listing the clients across reexec, or -1 */
	bool is_pid1;
	/* supd's oom_score_adj before it protected itself with -1000; services
	 * without OOMScoreAdjust= get this, not supd's -1000. */
	int inherited_oom_score_adj;
	bool oom_protected;
	/* RLIMIT_NOFILE as supd found it: supd raises its own soft limit (it
	 * keeps a few descriptors per service), services get this one back. */
	struct rlimit nofile;
	bool shutting_down;
	bool starting_all;       /* in supd_start_all: spawns fork (spawn_params.batch) */
	struct spawner spawner;  /* descriptors and memory for starts (spawn.h) */

	struct cgroup_root *cgroot;
	struct cgwatch *cgwatch;
	struct control *control;
	struct fdholder *fdholder; /* keeps output pipes open if supd dies */
	struct outjournal *journal; /* output taken from pipes, until logged */

	struct service **services; /* sorted by name */
	size_t n_services;

	uv_signal_t sig_chld, sig_term, sig_int, sig_pwr, sig_hup;
	sigset_t changed_signals;  /* handled or ignored: a child resets these */
	uv_timer_t shutdown_timer; /* bounds shutdown if a process never dies */
	uv_timer_t state_timer;    /* coalesces state file writes (state.c) */
	uv_idle_t start_idle;      /* runs queued automatic restarts, a few per turn */
	uv_timer_t reexec_timer;   /* supctl reexec: waits for clients' replies */
	uint64_t reexec_deadline;
	struct service **start_queue;
	size_t n_start_queue, cap_start_queue;
	bool state_dirty;
};

/* Start-up steps, in main()'s order. */
int supd_signals_init(struct supd *d);
int supd_cgroups_init(struct supd *d);
int supd_load(struct supd *d);
void supd_log_diags(const struct diag_list *dl);
void supd_start_all(struct supd *d);

struct service *supd_find_service(struct supd *d, const char *name);

/*
 * Reload conf.d.  All or nothing: if the new set has any error, nothing
 * changes and *errors (a JSON array of "file:line: msg" strings) lists them
 * all.  Otherwise new services load and start, removed ones stop and go,
 * changed ones get a pending unit.  Returns 0 or -1.
 */
int supd_reload(struct supd *d, json_t **errors, json_t **warnings);

/* Queue an automatic restart: made on a later loop turn, a few per turn,
 * so that a storm of restarts never keeps the control socket waiting. */
void supd_queue_start(struct supd *d, struct service *s);
/* Forget a queued start (the service is going away). */
void supd_dequeue_start(struct supd *d, struct service *s);

/* Replace the running supd with the binary on disk (supctl reexec): no
 * service restarts, the control socket keeps listening, its clients stay
 * connected, output pipes stay with the fd holder, the state goes through
 * the state file.  The exec happens a few turns later, once every client's
 * reply is written; if it fails (logged) supd goes on as before. */
void supd_reexec(struct supd *d);
/* Reap whatever exited (also called once after a reexec, for exits that
 * happened during the exec). */
void supd_reap(struct supd *d);

/* Stop every service, wait for their cgroups to empty, remove the cgroups,
 * and leave the loop (exit 0). */
void supd_shutdown(struct supd *d);

/* Called by service.c when a service finished its removal. */
void supd_service_gone(struct supd *d, struct service *s);

#endif
