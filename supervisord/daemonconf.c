/*
 * daemonconf.c - supd.conf: the [supd] section, read with the same reader
 * as unit files so that errors name file:line and key.  Every key is
 * optional; an empty assignment restores the built-in default.
 */
#include "daemonconf.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "ini_reader.h"
#include "strutil.h"

#define DEFAULT_SOCKET "/run/supd/supd.sock"
#define DEFAULT_CONF_DIR "/etc/supd/conf.d"
#define DEFAULT_LOG_DIR "/var/log/supd"
#define DEFAULT_STATE_DIR "/var/lib/supd"
#define DEFAULT_CGROUP_ROOT "supd"
#define DEFAULT_LOG_LEVEL "info"

struct conf_ctx {
	struct daemon_conf *c;
	struct daemon_conf def; /* built-in defaults, for resets */
	struct diag_list *dl;
	char *warned_section;
};

struct conf_key;
typedef int (*conf_parser)(struct conf_ctx *x, const struct conf_key *k, const char *v,
			   const char **why);

struct conf_key {
	const char *name;
	conf_parser parse;
	size_t offset, size;
};

#define CFIELD(f) offsetof(struct daemon_conf, f), sizeof(((struct daemon_conf *)0)->f)
#define CFIELD_PTR(x, k, type) ((type *)(void *)((char *)(x)->c + (k)->offset))

void
daemon_conf_init(struct daemon_conf *c, uint64_t physical_memory)
{
	memset(c, 0, sizeof *c);
	c->socket_path = xstrdup(DEFAULT_SOCKET);
	c->socket_group = NULL;
	c->conf_dir = xstrdup(DEFAULT_CONF_DIR);
	c->log_dir = xstrdup(DEFAULT_LOG_DIR);
	c->state_dir = xstrdup(DEFAULT_STATE_DIR);
	c->cgroup_root = xstrdup(DEFAULT_CGROUP_ROOT);
	c->log_level = xstrdup(DEFAULT_LOG_LEVEL);
	unit_defaults_init(&c->defaults, physical_memory);
}

void
daemon_conf_free(struct daemon_conf *c)
{
	free(c->socket_path);
	free(c->socket_group);
	free(c->conf_dir);
	free(c->log_dir);
	free(c->state_dir);
	free(c->cgroup_root);
	free(c->log_level);
	memset(c, 0, sizeof *c);
}

/* Replace a string field; an empty value restores the default (maybe NULL). */
static void
set_string(struct conf_ctx *x, const struct conf_key *k, const char *v)
{
	char **p = CFIELD_PTR(x, k, char *);
	const char *d = *(char *const *)(const void *)((const char *)&x->def + k->offset);

	free(*p);
	if (*v != '\0')
		*p = xstrdup(v);
	else
		*p = d != NULL ? xstrdup(d) : NULL;
}

static void
reset_scalar(struct conf_ctx *x, const struct conf_key *k)
{
	memcpy((char *)x->c + k->offset, (char *)&x->def + k->offset, k->size);
}

static int
conf_abs_path(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	if (*v != '\0' && v[0] != '/') {
		*why = "must be an absolute path";
		return -1;
	}
	set_string(x, k, v);
	return 0;
}

static int
conf_socket(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	struct sockaddr_un sun;

	if (strlen(v) >= sizeof sun.sun_path) {
		*why = "socket path too long (at most 107 bytes)";
		return -1;
	}
	return conf_abs_path(x, k, v, why);
}

static int
conf_group(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	if (v[0] == '-' ||
	    v[strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@$-")] !=
		    '\0') {
		*why = "invalid group name (a name or a numeric id)";
		return -1;
	}
	set_string(x, k, v);
	return 0;
}

static int
conf_cgroup_root(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	const char *p = v;

	while (*p != '\0') {
		size_t n;

		p += strspn(p, "/");
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
			*why = "must not contain . or .. components";
			return -1;
		}
		p += n;
	}
	if (*v != '\0' && v[strspn(v, "/")] == '\0') {
		*why = "must name a cgroup below the root";
		return -1;
	}
	set_string(x, k, v);
	return 0;
}

static int
conf_log_level(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	static const char *const names[][2] = {
		{"err", "err"},	  {"error", "err"}, {"warn", "warn"},
		{"warning", "warn"}, {"info", "info"}, {"debug", "debug"},
	};

	if (*v == '\0') {
		set_string(x, k, v);
		return 0;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(v, names[i][0]) == 0) {
			set_string(x, k, names[i][1]);
			return 0;
		}
	}
	*why = "invalid log level (err, warn, info, debug)";
	return -1;
}

static int
conf_sec(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	if (*v == '\0') {
		reset_scalar(x, k);
		return 0;
	}
	return parse_timespan(v, CFIELD_PTR(x, k, uint64_t), why);
}

/* DefaultTimeoutStopSec=0 means no timeout, as for TimeoutStopSec=. */
static int
conf_sec_fix0(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	if (conf_sec(x, k, v, why) < 0)
		return -1;
	if (*v != '\0' && *CFIELD_PTR(x, k, uint64_t) == 0)
		*CFIELD_PTR(x, k, uint64_t) = USEC_INFINITY;
	return 0;
}

static int
conf_uint(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why,
	  uint64_t max)
{
	uint64_t n;

	if (*v == '\0') {
		reset_scalar(x, k);
		return 0;
	}
	if (parse_uint(v, 0, max, &n, why) < 0)
		return -1;
	*CFIELD_PTR(x, k, unsigned) = (unsigned)n;
	return 0;
}

static int
conf_burst(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	return conf_uint(x, k, v, why, UINT_MAX);
}

static int
conf_backups(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	return conf_uint(x, k, v, why, 1000);
}

static int
conf_oom_policy(struct conf_ctx *x, const struct conf_key *k, const char *v, const char **why)
{
	if (*v == '\0') {
		reset_scalar(x, k);
		return 0;
	}
	if (unit_oom_policy_parse(v, CFIELD_PTR(x, k, enum unit_oom_policy)) < 0) {
		*why = "invalid (continue, stop, kill)";
		return -1;
	}
	return 0;
}

static int
conf_log_max_bytes(struct conf_ctx *x, const struct conf_key *k, const char *v,
		   const char **why)
{
	uint64_t n;

	if (*v == '\0') {
		reset_scalar(x, k);
		return 0;
	}
	if (strcmp(v, "infinity") == 0) {
		*CFIELD_PTR(x, k, uint64_t) = UINT64_MAX;
		return 0;
	}
	if (parse_size(v, &n, why) < 0)
		return -1;
	if (n < 4096) {
		*why = "too small (at least 4K, or infinity for no rotation)";
		return -1;
	}
	*CFIELD_PTR(x, k, uint64_t) = n;
	return 0;
}

static const struct conf_key conf_keys[] = {
	{"Socket", conf_socket, CFIELD(socket_path)},
	{"SocketGroup", conf_group, CFIELD(socket_group)},
	{"ConfDir", conf_abs_path, CFIELD(conf_dir)},
	{"LogDir", conf_abs_path, CFIELD(log_dir)},
	{"StateDir", conf_abs_path, CFIELD(state_dir)},
	{"CgroupRoot", conf_cgroup_root, CFIELD(cgroup_root)},
	{"LogLevel", conf_log_level, CFIELD(log_level)},
	{"DefaultRestartSec", conf_sec, CFIELD(defaults.restart_usec)},
	{"DefaultStartLimitIntervalSec", conf_sec, CFIELD(defaults.start_limit_interval_usec)},
	{"DefaultStartLimitBurst", conf_burst, CFIELD(defaults.start_limit_burst)},
	{"DefaultTimeoutStopSec", conf_sec_fix0, CFIELD(defaults.timeout_stop_usec)},
	{"DefaultOOMPolicy", conf_oom_policy, CFIELD(defaults.oom_policy)},
	{"LogMaxBytes", conf_log_max_bytes, CFIELD(defaults.log_max_bytes)},
	{"LogBackups", conf_backups, CFIELD(defaults.log_backups)},
};

static int
conf_handler(void *user, const char *section, const char *key, const char *value,
	     const char *file, int line)
{
	struct conf_ctx *x = user;
	const char *why = NULL;

	if (key == NULL && strcmp(section, "supd") == 0)
		return 0; /* a known section's header */
	if (key != NULL && *section == '\0') {
		diag_add(x->dl, DIAG_WARNING, file, line,
			 "%s=%s: assignment outside of a section, ignored", key, value);
		return 0;
	}
	if (strcmp(section, "supd") != 0) {
		if (x->warned_section == NULL || strcmp(x->warned_section, section) != 0) {
			diag_add(x->dl, DIAG_WARNING, file, line,
				 "unknown section [%s] ignored (supd.conf has [supd])", section);
			free(x->warned_section);
			x->warned_section = xstrdup(section);
		}
		return 0;
	}
	for (size_t i = 0; i < sizeof conf_keys / sizeof conf_keys[0]; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (strcmp(k->name, key) != 0)
			continue;
		if (k->parse(x, k, value, &why) < 0)
			diag_add(x->dl, DIAG_ERROR, file, line, "[supd] %s=%s: %s", key, value,
				 why != NULL ? why : "invalid value");
		return 0;
	}
	diag_add(x->dl, DIAG_WARNING, file, line, "[supd] %s=%s: unknown key, ignored", key, value);
	return 0;
}

int
daemon_conf_load(struct daemon_conf *c, const char *path, bool required, struct diag_list *dl)
{
	struct conf_ctx x = {.c = c, .dl = dl};
	size_t nerrors = dl->nerrors;
	int r;

	daemon_conf_init(&x.def, c->defaults.physical_memory);
	r = ini_reader_parse_file(path, conf_handler, &x, dl);
	daemon_conf_free(&x.def);
	free(x.warned_section);
	if (r == -ENOENT && !required)
		return 0;
	if (r < 0) {
		diag_add(dl, DIAG_ERROR, path, 0, "cannot read: %s", strerror(-r));
		return r;
	}
	return dl->nerrors > nerrors ? -EINVAL : 0;
}
