/*
 * unit_keys.c - the keys of a unit file: one table of (section, key,
 * parser, field) drives the libinih handler, so the accepted keys, their
 * syntax and their reset-to-default behaviour are declared in one place.
 * Unknown sections and keys are warnings (a pasted systemd unit must
 * load); an invalid value of a known key is an error that marks the unit
 * bad-config.  unit.c finds the files; this file applies them.
 */
#include "unit.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ini_reader.h"
#include "userdb.h"

struct parse_ctx;
struct key_def;
typedef int (*key_parser)(struct parse_ctx *c, const struct key_def *k, const char *v,
			  const char **why);

struct key_def {
	const char *section;
	const char *name;
	const char *canonical; /* recorded name for legacy aliases; NULL: name */
	key_parser parse;
	size_t offset, size;
	size_t offset2; /* second field: list length or "is set" flag */
	uint64_t min, max;
	bool zero_ok;    /* Memory*=: 0 is a valid limit */
	bool specifiers; /* %n, %i, ... are expanded before parsing */
};

struct parse_ctx {
	struct unit *u;
	const struct unit_defaults *defs;
	struct unit def; /* scalar defaults, for resets by an empty assignment */
	struct diag_list *dl;
	char *warned_section;
};

#define FIELD_PTR(c, k, type) ((type *)(void *)((char *)(c)->u + (k)->offset))
#define FIELD2_PTR(c, k, type) ((type *)(void *)((char *)(c)->u + (k)->offset2))

void
unit_keys_init(struct unit *u, const struct unit_defaults *defs)
{
	u->start_limit_interval_usec = defs->start_limit_interval_usec;
	u->start_limit_burst = defs->start_limit_burst;
	u->type = UNIT_TYPE_SIMPLE;
	u->umask = 0022;
	u->restart = UNIT_RESTART_NO;
	u->restart_usec = defs->restart_usec;
	u->restart_steps = 0;
	u->restart_max_delay_usec = USEC_INFINITY;
	u->timeout_stop_usec = defs->timeout_stop_usec;
	u->kill_signal = SIGTERM;
	u->kill_mode = UNIT_KILL_CONTROL_GROUP;
	u->tasks_max = UINT64_MAX;
	u->auto_start = true;
	u->memory_min = 0;
	u->memory_low = 0;
	u->memory_high = BYTES_INFINITY;
	u->memory_max = BYTES_INFINITY;
	u->memory_swap_max = BYTES_INFINITY;
	u->oom_policy = defs->oom_policy;
	u->log_max_bytes = defs->log_max_bytes;
	u->log_backups = defs->log_backups;
}

/* An empty assignment of a scalar key restores its default. */
static void
reset_scalar(struct parse_ctx *c, const struct key_def *k)
{
	memcpy((char *)c->u + k->offset, (char *)&c->def + k->offset, k->size);
}

static int
key_string(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	char **p = FIELD_PTR(c, k, char *);

	(void)why;
	free(*p);
	*p = *v == '\0' ? NULL : xstrdup(v);
	return 0;
}

static int
key_user(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	if (v[0] == '-' || strlen(v) > 256 ||
	    v[strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@$-")] !=
		    '\0') {
		*why = "invalid user or group name (a name or a numeric id)";
		return -1;
	}
	return key_string(c, k, v, why);
}

static int
key_working_directory(struct parse_ctx *c, const struct key_def *k, const char *v,
		      const char **why)
{
	const char *p = v[0] == '-' ? v + 1 : v;

	if (*v != '\0' && strcmp(p, "~") != 0 && p[0] != '/') {
		*why = "must be an absolute path or ~ (optionally prefixed with -)";
		return -1;
	}
	return key_string(c, k, v, why);
}

static int
key_sec(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	uint64_t usec;

	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	if (parse_timespan(v, &usec, why) < 0)
		return -1;
	*FIELD_PTR(c, k, uint64_t) = usec;
	return 0;
}

/* TimeoutStopSec=0 means no timeout, as systemd's parse_sec_fix_0(). */
static int
key_sec_fix0(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	if (key_sec(c, k, v, why) < 0)
		return -1;
	if (*v != '\0' && *FIELD_PTR(c, k, uint64_t) == 0)
		*FIELD_PTR(c, k, uint64_t) = USEC_INFINITY;
	return 0;
}

static int
key_unsigned(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	uint64_t n;

	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	if (parse_uint(v, k->min, k->max, &n, why) < 0)
		return -1;
	*FIELD_PTR(c, k, unsigned) = (unsigned)n;
	return 0;
}

static int
key_bool(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	return parse_bool(v, FIELD_PTR(c, k, bool), why);
}

static int
key_umask(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	return parse_umask(v, FIELD_PTR(c, k, unsigned), why);
}

static int
key_signal(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	return parse_signal(v, FIELD_PTR(c, k, int), why);
}

static const char *const type_names[] = {
	[UNIT_TYPE_SIMPLE] = "simple", [UNIT_TYPE_EXEC] = "exec", [UNIT_TYPE_ONESHOT] = "oneshot",
};
static const char *const restart_names[] = {
	[UNIT_RESTART_NO] = "no",		  [UNIT_RESTART_ON_SUCCESS] = "on-success",
	[UNIT_RESTART_ON_FAILURE] = "on-failure", [UNIT_RESTART_ON_ABNORMAL] = "on-abnormal",
	[UNIT_RESTART_ON_ABORT] = "on-abort",	  [UNIT_RESTART_ALWAYS] = "always",
};
static const char *const kill_mode_names[] = {
	[UNIT_KILL_CONTROL_GROUP] = "control-group",
	[UNIT_KILL_MIXED] = "mixed",
	[UNIT_KILL_PROCESS] = "process",
};
static const char *const oom_policy_names[] = {
	[UNIT_OOM_CONTINUE] = "continue", [UNIT_OOM_STOP] = "stop", [UNIT_OOM_KILL] = "kill",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
lookup(const char *const *names, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], v) == 0)
			return (int)i;
	}
	return -1;
}

const char *
unit_type_name(enum unit_type t)
{
	return (size_t)t < NELEM(type_names) ? type_names[t] : "?";
}

const char *
unit_restart_name(enum unit_restart r)
{
	return (size_t)r < NELEM(restart_names) ? restart_names[r] : "?";
}

const char *
unit_kill_mode_name(enum unit_kill_mode m)
{
	return (size_t)m < NELEM(kill_mode_names) ? kill_mode_names[m] : "?";
}

const char *
unit_oom_policy_name(enum unit_oom_policy p)
{
	return (size_t)p < NELEM(oom_policy_names) ? oom_policy_names[p] : "?";
}

int
unit_oom_policy_parse(const char *s, enum unit_oom_policy *p)
{
	int i = lookup(oom_policy_names, NELEM(oom_policy_names), s);

	if (i < 0)
		return -1;
	*p = (enum unit_oom_policy)i;
	return 0;
}

static int
key_type(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	static const char *const later[] = {"forking", "notify", "notify-reload", "dbus", "idle"};
	int i;

	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	if ((i = lookup(type_names, NELEM(type_names), v)) >= 0) {
		c->u->type = (enum unit_type)i;
		return 0;
	}
	*why = lookup(later, NELEM(later), v) >= 0
		       ? "not supported yet (supd runs Type=simple, exec and oneshot)"
		       : "invalid service type (simple, exec or oneshot)";
	return -1;
}

static int
key_restart(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	int i;

	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	if ((i = lookup(restart_names, NELEM(restart_names), v)) < 0) {
		*why = strcmp(v, "on-watchdog") == 0
			       ? "not supported (supd has no watchdog)"
			       : "invalid restart setting (no, on-success, on-failure, on-abnormal, on-abort, always)";
		return -1;
	}
	c->u->restart = (enum unit_restart)i;
	return 0;
}

static int
key_kill_mode(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	int i;

	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	if ((i = lookup(kill_mode_names, NELEM(kill_mode_names), v)) < 0) {
		*why = strcmp(v, "none") == 0
			       ? "not supported (it would leave processes behind after a stop)"
			       : "invalid kill mode (control-group, mixed, process)";
		return -1;
	}
	c->u->kill_mode = (enum unit_kill_mode)i;
	return 0;
}

static int
key_oom_policy(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	if (unit_oom_policy_parse(v, &c->u->oom_policy) < 0) {
		*why = "invalid OOM policy (continue, stop, kill)";
		return -1;
	}
	return 0;
}

static int
key_exit_set(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	return parse_exit_status_set(v, FIELD_PTR(c, k, struct exit_status_set), why);
}

static int
key_exec_start(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	struct exec_command cmd;

	(void)k;
	if (*v != '\0' && parse_exec_command(v, &cmd, why) < 0)
		return -1;
	exec_command_free(&c->u->exec_start);
	if (*v != '\0')
		c->u->exec_start = cmd;
	return 0;
}

static int
key_exec_list(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	struct exec_command **list = FIELD_PTR(c, k, struct exec_command *), cmd;
	size_t *n = FIELD2_PTR(c, k, size_t);

	if (*v == '\0') {
		for (size_t i = 0; i < *n; i++)
			exec_command_free(&(*list)[i]);
		free(*list);
		*list = NULL;
		*n = 0;
		return 0;
	}
	if (parse_exec_command(v, &cmd, why) < 0)
		return -1;
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = cmd;
	return 0;
}

/* A NULL-terminated char ** field seen as a strv while it grows. */
static struct strv
field_strv(char **v)
{
	size_t n = strv_len(v);
	struct strv sv = {.v = v, .n = n, .cap = v != NULL ? n + 1 : 0};

	return sv;
}

static int
key_environment(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	char ***p = FIELD_PTR(c, k, char **);
	struct strv sv = field_strv(*p);
	int r = 0;

	if (*v == '\0')
		strv_clear(&sv);
	else
		r = parse_environment(v, &sv, why);
	*p = sv.v;
	return r;
}

static int
key_environment_file(struct parse_ctx *c, const struct key_def *k, const char *v,
		     const char **why)
{
	char ***p = FIELD_PTR(c, k, char **);
	struct strv sv = field_strv(*p);

	if (*v != '\0' && (v[0] == '-' ? v[1] : v[0]) != '/') {
		*why = "must be an absolute path (prefix - to ignore a missing file)";
		return -1;
	}
	if (*v == '\0')
		strv_clear(&sv);
	else
		strv_push(&sv, v);
	*p = sv.v;
	return 0;
}

static int
key_memory(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	uint64_t bytes;

	if (*v == '\0') {
		reset_scalar(c, k);
		*FIELD2_PTR(c, k, bool) = false;
		return 0;
	}
	if (parse_memory_limit(v, c->defs->physical_memory, k->zero_ok, &bytes, why) < 0)
		return -1;
	*FIELD_PTR(c, k, uint64_t) = bytes;
	*FIELD2_PTR(c, k, bool) = true;
	return 0;
}

static int
key_oom_score_adjust(struct parse_ctx *c, const struct key_def *k, const char *v,
		     const char **why)
{
	int64_t n;

	(void)k;
	if (*v == '\0') {
		c->u->oom_score_adjust_set = false;
		c->u->oom_score_adjust = 0;
		return 0;
	}
	if (parse_int(v, -1000, 1000, &n, why) < 0) {
		*why = "invalid (an integer from -1000 to 1000)";
		return -1;
	}
	c->u->oom_score_adjust = (int)n;
	c->u->oom_score_adjust_set = true;
	return 0;
}

/* systemd's system_tasks_max(): what TasksMax=N% is a fraction of. */
static uint64_t
system_tasks_max(void)
{
	static const char *const files[] = {"/proc/sys/kernel/pid_max",
					    "/proc/sys/kernel/threads-max"};
	uint64_t best = 4194303;
	char buf[64];

	for (size_t i = 0; i < NELEM(files); i++) {
		unsigned long long v;

		if (read_small_file(files[i], buf, sizeof buf) > 0 &&
		    sscanf(buf, "%llu", &v) == 1 && v > 1 && (i == 0 ? v - 1 : v) < best)
			best = i == 0 ? v - 1 : v;
	}
	return best;
}

static int
key_tasks_max(struct parse_ctx *c, const struct key_def *k, const char *v, const char **why)
{
	uint64_t n;
	size_t len = strlen(v);

	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	if (strcmp(v, "infinity") == 0) {
		c->u->tasks_max = UINT64_MAX;
		return 0;
	}
	if (len > 1 && v[len - 1] == '%') {
		char *num = xstrndup(v, len - 1);
		int r = parse_uint(num, 1, 100, &n, why);

		free(num);
		if (r < 0) {
			*why = "invalid percentage (1% to 100%)";
			return -1;
		}
		n = system_tasks_max() * n / 100;
	} else if (parse_uint(v, 1, UINT64_MAX - 1, &n, why) < 0) {
		*why = "invalid (a number of tasks greater than 0, N%, or infinity)";
		return -1;
	}
	c->u->tasks_max = n > 0 ? n : 1;
	return 0;
}

static int
key_log_max_bytes(struct parse_ctx *c, const struct key_def *k, const char *v,
		  const char **why)
{
	uint64_t n;

	if (*v == '\0') {
		reset_scalar(c, k);
		return 0;
	}
	if (strcmp(v, "infinity") == 0) {
		c->u->log_max_bytes = UINT64_MAX;
		return 0;
	}
	if (parse_size(v, &n, why) < 0)
		return -1;
	if (n < 4096) {
		*why = "too small (at least 4K, or infinity for no rotation)";
		return -1;
	}
	c->u->log_max_bytes = n;
	return 0;
}

/* Designated initializers: unnamed fields are 0, NULL and false. */
#define KEY(sec, key, fn, f, ...)                                                           \
	{.section = sec, .name = key, .parse = fn, .offset = offsetof(struct unit, f),      \
	 .size = sizeof(((struct unit *)0)->f), __VA_ARGS__}
#define START_LIMIT_KEYS(sec)                                                               \
	KEY(sec, "StartLimitIntervalSec", key_sec, start_limit_interval_usec),              \
	KEY(sec, "StartLimitInterval", key_sec, start_limit_interval_usec,                  \
	    .canonical = "StartLimitIntervalSec"),                                          \
	KEY(sec, "StartLimitBurst", key_unsigned, start_limit_burst, .max = UINT_MAX)
#define MEMORY_KEY(key, f, zero)                                                            \
	KEY("Service", key, key_memory, f, .offset2 = offsetof(struct unit, f##_set),        \
	    .zero_ok = zero)

static const struct key_def keys[] = {
	KEY("Unit", "Description", key_string, description, .specifiers = true),
	START_LIMIT_KEYS("Unit"),
	/* systemd takes only the legacy names here; many guides use these. */
	START_LIMIT_KEYS("Service"),
	KEY("Service", "Type", key_type, type),
	KEY("Service", "ExecStart", key_exec_start, exec_start, .specifiers = true),
	KEY("Service", "ExecStartPre", key_exec_list, exec_start_pre,
	    .offset2 = offsetof(struct unit, n_exec_start_pre), .specifiers = true),
	KEY("Service", "ExecStopPost", key_exec_list, exec_stop_post,
	    .offset2 = offsetof(struct unit, n_exec_stop_post), .specifiers = true),
	KEY("Service", "Environment", key_environment, environment, .specifiers = true),
	KEY("Service", "EnvironmentFile", key_environment_file, environment_files,
	    .specifiers = true),
	KEY("Service", "User", key_user, user, .specifiers = true),
	KEY("Service", "Group", key_user, group, .specifiers = true),
	KEY("Service", "WorkingDirectory", key_working_directory, working_directory,
	    .specifiers = true),
	KEY("Service", "UMask", key_umask, umask),
	KEY("Service", "Restart", key_restart, restart),
	KEY("Service", "RestartSec", key_sec, restart_usec),
	KEY("Service", "RestartSteps", key_unsigned, restart_steps, .max = UINT_MAX),
	KEY("Service", "RestartMaxDelaySec", key_sec, restart_max_delay_usec),
	KEY("Service", "SuccessExitStatus", key_exit_set, success_exit_status),
	KEY("Service", "RestartPreventExitStatus", key_exit_set, restart_prevent_exit_status),
	KEY("Service", "RestartForceExitStatus", key_exit_set, restart_force_exit_status),
	KEY("Service", "TimeoutStopSec", key_sec_fix0, timeout_stop_usec),
	KEY("Service", "KillSignal", key_signal, kill_signal),
	KEY("Service", "KillMode", key_kill_mode, kill_mode),
	KEY("Service", "TasksMax", key_tasks_max, tasks_max),
	MEMORY_KEY("MemoryMin", memory_min, true),
	MEMORY_KEY("MemoryLow", memory_low, true),
	MEMORY_KEY("MemoryHigh", memory_high, false),
	MEMORY_KEY("MemoryMax", memory_max, false),
	MEMORY_KEY("MemorySwapMax", memory_swap_max, true),
	KEY("Service", "OOMPolicy", key_oom_policy, oom_policy),
	KEY("Service", "OOMScoreAdjust", key_oom_score_adjust, oom_score_adjust),
	/* supd extensions. */
	KEY("Service", "AutoStart", key_bool, auto_start),
	KEY("Service", "LogMaxBytes", key_log_max_bytes, log_max_bytes),
	KEY("Service", "LogBackups", key_unsigned, log_backups, .max = 1000),
};

/* The instance of "NAME@INSTANCE", or "". */
static const char *
unit_instance(const struct unit *u)
{
	const char *at = strchr(u->name, '@');

	return at != NULL ? at + 1 : "";
}

/* systemd's unit_name_unescape(): "-" is "/", "\xHH" a byte. */
static char *
unescape_instance(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		unsigned v;

		if (*s == '-') {
			*o++ = '/';
		} else if (s[0] == '\\' && s[1] == 'x' && isxdigit((unsigned char)s[2]) &&
			   isxdigit((unsigned char)s[3]) && sscanf(s + 2, "%2x", &v) == 1 && v != 0) {
			/* Exactly two hex digits, as systemd's unhexchar() pairs. */
			*o++ = (char)v;
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

/* What a specifier stands for (malloc'd), or NULL if supd does not know it. */
static char *
specifier_value(const struct unit *u, char c)
{
	struct userdb_user me;
	char host[256], *val;

	switch (c) {
	case 'n': return xasprintf("%s.service", u->name);
	case 'N': return xstrdup(u->name);
	case 'p': return xstrndup(u->name, strcspn(u->name, "@"));
	case 'i': return xstrdup(unit_instance(u));
	case 'I': return unescape_instance(unit_instance(u));
	case 't': return xstrdup("/run");
	case 'S': return xstrdup("/var/lib");
	case 'C': return xstrdup("/var/cache");
	case 'L': return xstrdup("/var/log");
	case 'E': return xstrdup("/etc");
	case 'T': return xstrdup("/tmp");
	case 'V': return xstrdup("/var/tmp");
	case 'H':
		if (gethostname(host, sizeof host) < 0)
			return xstrdup("localhost");
		host[sizeof host - 1] = '\0';
		return xstrdup(host);
	case 'U': return xasprintf("%u", (unsigned)geteuid());
	case 'u':
	case 'h':
	case 's':
		/* As systemd's system manager: the manager's own user. */
		if (userdb_user_by_uid(&userdb_system, geteuid(), &me) < 0)
			return xstrdup(c == 'u' ? "root" : c == 'h' ? "/root" : "/bin/sh");
		val = xstrdup(c == 'u' ? me.name : c == 'h' ? me.home : me.shell);
		userdb_user_free(&me);
		return val;
	default: return NULL;
	}
}

/* systemd's specifier_printf(): "%%" is '%', a known "%x" its value, an
 * unknown letter or digit an error, anything else stays as written. */
static char *
expand_specifiers(const struct unit *u, const char *v, const char **why)
{
	struct strv parts = {0};
	char *out, *val;
	size_t len = 0;

	for (const char *p = v; *p != '\0'; p++) {
		if (p[0] != '%' || p[1] == '\0') {
			strv_push_take(&parts, xstrndup(p, 1));
		} else if (p[1] == '%') {
			strv_push(&parts, "%");
			p++;
		} else if ((val = specifier_value(u, p[1])) != NULL) {
			strv_push_take(&parts, val);
			p++;
		} else if (isalnum((unsigned char)p[1])) {
			strv_clear(&parts);
			*why = "unknown specifier (supd knows %% %n %N %p %i %I %t %S %C %L %E %T %V %H "
			       "%u %U %h %s; write %% for a literal %)";
			return NULL;
		} else {
			strv_push_take(&parts, xstrndup(p, 2));
			p++;
		}
	}
	for (size_t i = 0; i < parts.n; i++)
		len += strlen(parts.v[i]);
	out = xmalloc(len + 1);
	out[0] = '\0';
	for (size_t i = 0; i < parts.n; i++)
		strcat(out, parts.v[i]);
	strv_clear(&parts);
	return out;
}

static bool
section_known(const char *section)
{
	return strcmp(section, "Unit") == 0 || strcmp(section, "Service") == 0;
}

/* The first error of a unit, as status shows it: "file:line: msg". */
static void
set_first_error(struct unit *u, const char *file, int line, const char *msg)
{
	if (u->error != NULL)
		return;
	if (file != NULL && line > 0)
		u->error = xasprintf("%s:%d: %s", file, line, msg);
	else if (file != NULL)
		u->error = xasprintf("%s: %s", file, msg);
	else
		u->error = xstrdup(msg);
}

void
unit_add_error(struct unit *u, struct diag_list *dl, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup(fmt);
	va_end(ap);
	diag_add(dl, DIAG_ERROR, file, line, "%s", msg);
	u->bad_config = true;
	set_first_error(u, file, line, msg);
	free(msg);
}

static void
record_setting(struct unit *u, const struct key_def *k, const char *value, const char *file,
	       int line)
{
	struct unit_setting *s;

	u->settings = xreallocarray(u->settings, u->n_settings + 1, sizeof *u->settings);
	s = &u->settings[u->n_settings++];
	s->section = k->section;
	s->key = k->canonical != NULL ? k->canonical : k->name;
	s->value = xstrdup(value);
	s->file = xstrdup(file);
	s->line = line;
}

static int
handler(void *user, const char *section, const char *key, const char *value, const char *file,
	int line)
{
	struct parse_ctx *c = user;
	const char *why = NULL;

	if (key == NULL && section_known(section))
		return 0; /* a known section's header */
	if (key != NULL && *section == '\0') {
		diag_add(c->dl, DIAG_WARNING, file, line,
			 "%s=%s: assignment outside of a section, ignored", key, value);
		return 0;
	}
	if (!section_known(section)) {
		if (c->warned_section == NULL || strcmp(c->warned_section, section) != 0) {
			diag_add(c->dl, DIAG_WARNING, file, line,
				 "unknown section [%s] ignored (supd reads [Unit] and [Service])",
				 section);
			free(c->warned_section);
			c->warned_section = xstrdup(section);
		}
		return 0;
	}
	for (size_t i = 0; i < NELEM(keys); i++) {
		const struct key_def *k = &keys[i];
		char *expanded = NULL;
		int r;

		if (strcmp(k->section, section) != 0 || strcmp(k->name, key) != 0)
			continue;
		if (k->specifiers && (expanded = expand_specifiers(c->u, value, &why)) == NULL) {
			unit_add_error(c->u, c->dl, file, line, "[%s] %s=%s: %s", section, key,
				       value, why);
			return 0;
		}
		r = k->parse(c, k, expanded != NULL ? expanded : value, &why);
		free(expanded);
		if (r < 0) {
			unit_add_error(c->u, c->dl, file, line, "[%s] %s=%s: %s", section, key,
				       value, why != NULL ? why : "invalid value");
			return 0;
		}
		record_setting(c->u, k, value, file, line);
		return 0;
	}
	diag_add(c->dl, DIAG_WARNING, file, line, "[%s] %s=%s: unknown key, ignored", section, key,
		 value);
	return 0;
}

int
unit_keys_parse_file(struct unit *u, const char *path, const struct unit_defaults *defs,
		     struct diag_list *dl)
{
	struct parse_ctx c = {.u = u, .defs = defs, .dl = dl};
	bool had_error = u->error != NULL;
	size_t first = dl->n;
	int r;

	unit_keys_init(&c.def, defs);
	r = ini_reader_parse_file(path, handler, &c, dl);
	free(c.warned_section);
	if (r < 0) {
		unit_add_error(u, dl, path, 0, "cannot read: %s", strerror(-r));
		return r;
	}
	/* The reader's own syntax errors make the unit bad-config too, and the
	 * first error in file order is the one status shows. */
	for (size_t i = first; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];

		if (d->severity != DIAG_ERROR)
			continue;
		u->bad_config = true;
		if (!had_error) {
			free(u->error);
			u->error = NULL;
			set_first_error(u, d->file, d->line, d->msg);
		}
		break;
	}
	return 0;
}

/* Checks across keys, as systemd's service_verify(). */
void
unit_keys_verify(struct unit *u, struct diag_list *dl)
{
	const struct unit_setting *second = NULL, *restart;
	int n = 0;

	for (size_t i = 0; i < u->n_settings; i++) {
		const struct unit_setting *s = &u->settings[i];

		if (strcmp(s->key, "ExecStart") != 0)
			continue;
		if (s->value[0] == '\0')
			n = 0, second = NULL;
		else if (++n == 2)
			second = s;
	}
	/* After another error (a refused or over-long ExecStart= line), a
	 * missing command is a consequence, not news. */
	if (u->exec_start.path == NULL && !u->bad_config)
		unit_add_error(u, dl, u->path, 0,
			       "[Service] ExecStart= is missing: every service needs one command");
	if (second != NULL)
		unit_add_error(u, dl, second->file, second->line,
			       "[Service] ExecStart=%s: %s", second->value,
			       u->type == UNIT_TYPE_ONESHOT
				       ? "several ExecStart= commands are not supported yet (use "
					 "ExecStartPre= for the earlier steps)"
				       : "more than one ExecStart= (only Type=oneshot may have "
					 "several; an empty ExecStart= resets the list)");
	if (u->type == UNIT_TYPE_ONESHOT &&
	    (u->restart == UNIT_RESTART_ALWAYS || u->restart == UNIT_RESTART_ON_SUCCESS)) {
		restart = unit_setting_last(u, "Restart");
		unit_add_error(u, dl, restart != NULL ? restart->file : u->path,
			       restart != NULL ? restart->line : 0,
			       "[Service] Restart=%s: not allowed with Type=oneshot (as in systemd)",
			       unit_restart_name(u->restart));
	}
}

/* List keys accumulate (an empty assignment resets them); every other key
 * is replaced by its next assignment. */
static bool
key_is_list(const char *name)
{
	for (size_t i = 0; i < NELEM(keys); i++) {
		const struct key_def *k = &keys[i];

		if (strcmp(k->canonical != NULL ? k->canonical : k->name, name) == 0)
			return k->parse == key_exec_list || k->parse == key_environment ||
			       k->parse == key_environment_file || k->parse == key_exit_set;
	}
	return false;
}

bool
unit_setting_in_effect(const struct unit *u, size_t i)
{
	const struct unit_setting *st = &u->settings[i];
	bool list = key_is_list(st->key);

	if (list && st->value[0] == '\0')
		return false; /* a reset is not itself a value */
	for (size_t j = i + 1; j < u->n_settings; j++) {
		const struct unit_setting *later = &u->settings[j];

		if (strcmp(later->key, st->key) != 0)
			continue;
		if (!list || later->value[0] == '\0')
			return false;
	}
	return true;
}
