/*
 * unit.h - a service's configuration as read from conf.d: NAME.conf or
 * NAME.service plus the drop-ins NAME.{conf,service}.d/ *.conf in lexical
 * order.  A struct unit is immutable once loaded; struct service (service.h)
 * holds the runtime state and points at its unit.  Reload loads a complete
 * new set of units first and swaps only if the set has no error.
 *
 * Loading collects every error and warning into a diag_list.  A unit with
 * errors is still returned (u->bad_config set, u->error the first message)
 * so that status can show it as `bad-config`; it is never started.
 */
#ifndef SUPD_UNIT_H
#define SUPD_UNIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"
#include "strutil.h"
#include "values.h"

enum unit_type { UNIT_TYPE_SIMPLE, UNIT_TYPE_EXEC, UNIT_TYPE_ONESHOT };

enum unit_restart {
	UNIT_RESTART_NO,
	UNIT_RESTART_ON_SUCCESS,
	UNIT_RESTART_ON_FAILURE,
	UNIT_RESTART_ON_ABNORMAL,
	UNIT_RESTART_ON_ABORT,
	UNIT_RESTART_ALWAYS,
};

enum unit_kill_mode { UNIT_KILL_CONTROL_GROUP, UNIT_KILL_MIXED, UNIT_KILL_PROCESS };

enum unit_oom_policy { UNIT_OOM_CONTINUE, UNIT_OOM_STOP, UNIT_OOM_KILL };

/* Defaults that come from supd.conf (Default*= keys) and the machine. */
struct unit_defaults {
	uint64_t restart_usec;              /* DefaultRestartSec, 100ms */
	uint64_t start_limit_interval_usec; /* DefaultStartLimitIntervalSec, 10s */
	unsigned start_limit_burst;         /* DefaultStartLimitBurst, 5 */
	uint64_t timeout_stop_usec;         /* DefaultTimeoutStopSec, 90s */
	enum unit_oom_policy oom_policy;    /* DefaultOOMPolicy, stop */
	uint64_t log_max_bytes;             /* LogMaxBytes, 10M */
	unsigned log_backups;               /* LogBackups, 5 */
	uint64_t physical_memory;           /* base of Memory*=N%: min(RAM, supd's own limit) */
};
void unit_defaults_init(struct unit_defaults *d, uint64_t physical_memory);

/* One accepted assignment, in file order, for `supctl show` and provenance. */
struct unit_setting {
	const char *section; /* static: "Unit", "Service" */
	const char *key;     /* static: canonical key name */
	char *value;         /* raw value as written ("" for a reset) */
	char *file;
	int line;
};

struct unit {
	char *name;      /* "web" for web.conf / web.service */
	char *path;      /* main file */
	char **dropins;  /* NULL-terminated, in the order applied */
	bool bad_config; /* at least one error; never started */
	char *error;     /* first error, formatted "file:line: msg" */

	/* [Unit] */
	char *description;
	uint64_t start_limit_interval_usec; /* 0 disables the limit */
	unsigned start_limit_burst;

	/* [Service] */
	enum unit_type type;
	struct exec_command exec_start; /* path NULL if missing (an error unless oneshot w/o it) */
	struct exec_command *exec_start_pre;
	size_t n_exec_start_pre;
	struct exec_command *exec_stop_post;
	size_t n_exec_stop_post;
	char **environment;       /* "K=V", later wins; NULL-terminated */
	char **environment_files; /* paths; leading '-' kept = optional */
	char *user;               /* NULL = supd's own */
	char *group;
	char *working_directory; /* NULL = "/"; leading '-' kept = optional; "~" = home */
	unsigned umask;          /* default 0022 */
	enum unit_restart restart;
	uint64_t restart_usec;
	unsigned restart_steps;
	uint64_t restart_max_delay_usec; /* USEC_INFINITY by default */
	struct exit_status_set success_exit_status;
	struct exit_status_set restart_prevent_exit_status;
	struct exit_status_set restart_force_exit_status;
	uint64_t timeout_stop_usec;
	int kill_signal; /* SIGTERM */
	enum unit_kill_mode kill_mode;
	uint64_t tasks_max; /* UINT64_MAX = not set / infinity */
	bool auto_start;    /* AutoStart= (supd extension), default yes */

	/* Memory (the memory-limits issue).  BYTES_INFINITY = no limit. */
	uint64_t memory_min, memory_low; /* default 0 */
	uint64_t memory_high, memory_max, memory_swap_max; /* default infinity */
	bool memory_min_set, memory_low_set, memory_high_set, memory_max_set, memory_swap_max_set;
	enum unit_oom_policy oom_policy;
	bool oom_score_adjust_set;
	int oom_score_adjust;

	/* Output capture. */
	uint64_t log_max_bytes;
	unsigned log_backups;

	struct unit_setting *settings;
	size_t n_settings;
};

/*
 * Load one service from dir/filename (filename is "NAME.conf" or
 * "NAME.service") and its drop-in directory.  Always returns a unit
 * (bad_config set on error); errors and warnings are appended to dl.
 */
struct unit *unit_load(const char *dir, const char *filename, const struct unit_defaults *defs,
		       struct diag_list *dl);
void unit_free(struct unit *u);

/* Whether two units would run the same way (reload: "restart pending"). */
bool unit_equal(const struct unit *a, const struct unit *b);

/* A loaded conf dir: every NAME.conf / NAME.service, sorted by name.  A name
 * present as both NAME.conf and NAME.service is an error for that name. */
struct unit_set {
	struct unit **units;
	size_t n;
};
int unit_set_load(const char *conf_dir, const struct unit_defaults *defs, struct unit_set *out,
		  struct diag_list *dl);
void unit_set_free(struct unit_set *set);

const char *unit_restart_name(enum unit_restart r);
const char *unit_type_name(enum unit_type t);
const char *unit_kill_mode_name(enum unit_kill_mode m);
const char *unit_oom_policy_name(enum unit_oom_policy p);
int unit_oom_policy_parse(const char *s, enum unit_oom_policy *p);

/* Whether settings[i] is part of the effective configuration: the last
 * assignment of a single-valued key, or a list entry after the list's last
 * reset ("Environment=").  Earlier assignments were overridden. */
bool unit_setting_in_effect(const struct unit *u, size_t i);

/* The effective value of a key after drop-ins (the last assignment), or NULL. */
const struct unit_setting *unit_setting_last(const struct unit *u, const char *key);

/*
 * Between unit.c (finding the files) and unit_keys.c (the key table); not
 * for other modules.  unit_keys_init() sets every scalar to its default,
 * unit_keys_parse_file() applies one file's assignments, and
 * unit_keys_verify() checks across keys once all files are applied.
 */
void unit_keys_init(struct unit *u, const struct unit_defaults *defs);
int unit_keys_parse_file(struct unit *u, const char *path, const struct unit_defaults *defs,
			 struct diag_list *dl);
void unit_keys_verify(struct unit *u, struct diag_list *dl);
/* Add an error to dl, mark u bad-config and keep the first error in u->error. */
void unit_add_error(struct unit *u, struct diag_list *dl, const char *file, int line,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
