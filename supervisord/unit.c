/*
 * unit.c - a service's configuration from conf.d: the main file NAME.conf
 * or NAME.service, then the drop-ins of NAME.conf.d/ and NAME.service.d/
 * in lexical order, applied by the key table in unit_keys.c.  Also the
 * set of all services of a conf dir, which reload swaps as a whole, and
 * the comparison that tells reload whether a running service changed.
 */
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NAME_MAX_LEN 200
#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@:-"

void
unit_defaults_init(struct unit_defaults *d, uint64_t physical_memory)
{
	d->restart_usec = 100 * USEC_PER_MSEC;
	d->start_limit_interval_usec = 10 * USEC_PER_SEC;
	d->start_limit_burst = 5;
	d->timeout_stop_usec = 90 * USEC_PER_SEC;
	d->oom_policy = UNIT_OOM_STOP;
	d->log_max_bytes = 10ULL * 1024 * 1024;
	d->log_backups = 5;
	d->physical_memory = physical_memory;
}

/* The suffix of a service file, or NULL. */
static const char *
service_suffix(const char *filename)
{
	static const char *const suffixes[] = {".conf", ".service"};
	size_t n = strlen(filename);

	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		size_t m = strlen(suffixes[i]);

		if (n >= m && strcmp(filename + n - m, suffixes[i]) == 0)
			return suffixes[i];
	}
	return NULL;
}

/* Names become cgroup and log file names: no '/', no leading '.', no spaces. */
static bool
name_valid(const char *name)
{
	return name[0] != '\0' && name[0] != '.' && strlen(name) <= NAME_MAX_LEN &&
	       name[strspn(name, NAME_CHARS)] == '\0';
}

struct dropin {
	char *base;
	char *path;
	bool preferred; /* in the directory that matches the main file's suffix */
};

static int
dropin_cmp(const void *a, const void *b)
{
	const struct dropin *x = a, *y = b;
	int r = strcmp(x->base, y->base);

	if (r != 0)
		return r;
	return (int)y->preferred - (int)x->preferred;
}

static void
collect_dropins(struct unit *u, const char *dir, bool preferred, struct dropin **v, size_t *n,
		struct diag_list *dl)
{
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		if (errno != ENOENT && errno != ENOTDIR)
			unit_add_error(u, dl, dir, 0, "cannot read drop-in directory: %s",
				       strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct stat st;
		char *path;

		if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[*n].base = xstrdup(de->d_name);
		(*v)[*n].path = path;
		(*v)[(*n)++].preferred = preferred;
	}
	closedir(d);
}

/* Apply every *.conf of NAME.conf.d/ and NAME.service.d/, sorted by file
 * name across both; of two files with the same name, the one in the
 * directory matching the main file's suffix wins, as /etc over /usr does
 * in systemd. */
static void
apply_dropins(struct unit *u, const char *dir, const char *suffix,
	      const struct unit_defaults *defs, struct diag_list *dl)
{
	struct dropin *v = NULL;
	struct strv applied = {0};
	size_t n = 0;
	char *conf_d = xasprintf("%s/%s.conf.d", dir, u->name);
	char *service_d = xasprintf("%s/%s.service.d", dir, u->name);

	collect_dropins(u, conf_d, strcmp(suffix, ".conf") == 0, &v, &n, dl);
	collect_dropins(u, service_d, strcmp(suffix, ".service") == 0, &v, &n, dl);
	if (n > 0)
		qsort(v, n, sizeof *v, dropin_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i].base, v[i - 1].base) == 0) {
			diag_add(dl, DIAG_WARNING, v[i].path, 0,
				 "drop-in ignored: %s has the same name and takes precedence",
				 v[i - 1].path);
			continue;
		}
		strv_push(&applied, v[i].path);
		unit_keys_parse_file(u, v[i].path, defs, dl);
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].base);
		free(v[i].path);
	}
	free(v);
	free(conf_d);
	free(service_d);
	u->dropins = applied.v != NULL ? applied.v : xcalloc(1, sizeof(char *));
}

struct unit *
unit_load(const char *dir, const char *filename, const struct unit_defaults *defs,
	  struct diag_list *dl)
{
	struct unit *u = xcalloc(1, sizeof *u);
	const char *suffix = service_suffix(filename);

	unit_keys_init(u, defs);
	u->path = xasprintf("%s/%s", dir, filename);
	u->name = suffix != NULL ? xstrndup(filename, strlen(filename) - strlen(suffix))
				 : xstrdup(filename);
	if (suffix == NULL) {
		unit_add_error(u, dl, u->path, 0, "not a service file (NAME.conf or NAME.service)");
		suffix = ".conf";
	}
	if (!name_valid(u->name))
		unit_add_error(u, dl, u->path, 0,
			       "invalid service name \"%s\": use letters, digits and _ . @ : - "
			       "(not starting with '.', at most %d characters)",
			       u->name, NAME_MAX_LEN);
	if (unit_keys_parse_file(u, u->path, defs, dl) < 0) {
		u->dropins = xcalloc(1, sizeof(char *));
		u->environment = xcalloc(1, sizeof(char *));
		u->environment_files = xcalloc(1, sizeof(char *));
		return u;
	}
	apply_dropins(u, dir, suffix, defs, dl);
	unit_keys_verify(u, dl);
	/* Consumers may walk the lists without checking for NULL. */
	if (u->environment == NULL)
		u->environment = xcalloc(1, sizeof(char *));
	if (u->environment_files == NULL)
		u->environment_files = xcalloc(1, sizeof(char *));
	return u;
}

void
unit_free(struct unit *u)
{
	if (u == NULL)
		return;
	free(u->name);
	free(u->path);
	strv_free(u->dropins);
	free(u->error);
	free(u->description);
	exec_command_free(&u->exec_start);
	for (size_t i = 0; i < u->n_exec_start_pre; i++)
		exec_command_free(&u->exec_start_pre[i]);
	free(u->exec_start_pre);
	for (size_t i = 0; i < u->n_exec_stop_post; i++)
		exec_command_free(&u->exec_stop_post[i]);
	free(u->exec_stop_post);
	strv_free(u->environment);
	strv_free(u->environment_files);
	free(u->user);
	free(u->group);
	free(u->working_directory);
	for (size_t i = 0; i < u->n_settings; i++) {
		free(u->settings[i].value);
		free(u->settings[i].file);
	}
	free(u->settings);
	free(u);
}

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
strv_eq(char *const *a, char *const *b)
{
	size_t n = strv_len(a);

	if (n != strv_len(b))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return false;
	}
	return true;
}

static bool
exec_eq(const struct exec_command *a, const struct exec_command *b)
{
	return str_eq(a->path, b->path) && a->flags == b->flags && strv_eq(a->argv, b->argv);
}

static bool
exec_list_eq(const struct exec_command *a, size_t na, const struct exec_command *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		if (!exec_eq(&a[i], &b[i]))
			return false;
	}
	return true;
}

static bool
exit_set_eq(const struct exit_status_set *a, const struct exit_status_set *b)
{
	return memcmp(a->status, b->status, sizeof a->status) == 0 && a->signals == b->signals;
}

bool
unit_equal(const struct unit *a, const struct unit *b)
{
	/* Description, paths and provenance do not change how a service runs. */
	return a->bad_config == b->bad_config && a->start_limit_interval_usec ==
	       b->start_limit_interval_usec && a->start_limit_burst == b->start_limit_burst &&
	       a->type == b->type && exec_eq(&a->exec_start, &b->exec_start) &&
	       exec_list_eq(a->exec_start_pre, a->n_exec_start_pre, b->exec_start_pre,
			    b->n_exec_start_pre) &&
	       exec_list_eq(a->exec_stop_post, a->n_exec_stop_post, b->exec_stop_post,
			    b->n_exec_stop_post) &&
	       strv_eq(a->environment, b->environment) &&
	       strv_eq(a->environment_files, b->environment_files) && str_eq(a->user, b->user) &&
	       str_eq(a->group, b->group) && str_eq(a->working_directory, b->working_directory) &&
	       a->umask == b->umask && a->restart == b->restart &&
	       a->restart_usec == b->restart_usec && a->restart_steps == b->restart_steps &&
	       a->restart_max_delay_usec == b->restart_max_delay_usec &&
	       exit_set_eq(&a->success_exit_status, &b->success_exit_status) &&
	       exit_set_eq(&a->restart_prevent_exit_status, &b->restart_prevent_exit_status) &&
	       exit_set_eq(&a->restart_force_exit_status, &b->restart_force_exit_status) &&
	       a->timeout_stop_usec == b->timeout_stop_usec && a->kill_signal == b->kill_signal &&
	       a->kill_mode == b->kill_mode && a->tasks_max == b->tasks_max &&
	       a->auto_start == b->auto_start && a->memory_min == b->memory_min &&
	       a->memory_low == b->memory_low && a->memory_high == b->memory_high &&
	       a->memory_max == b->memory_max && a->memory_swap_max == b->memory_swap_max &&
	       a->memory_min_set == b->memory_min_set && a->memory_low_set == b->memory_low_set &&
	       a->memory_high_set == b->memory_high_set &&
	       a->memory_max_set == b->memory_max_set &&
	       a->memory_swap_max_set == b->memory_swap_max_set &&
	       a->oom_policy == b->oom_policy &&
	       a->oom_score_adjust_set == b->oom_score_adjust_set &&
	       a->oom_score_adjust == b->oom_score_adjust &&
	       a->log_max_bytes == b->log_max_bytes && a->log_backups == b->log_backups;
}

const struct unit_setting *
unit_setting_last(const struct unit *u, const char *key)
{
	for (size_t i = u->n_settings; i > 0; i--) {
		if (strcmp(u->settings[i - 1].key, key) == 0)
			return &u->settings[i - 1];
	}
	return NULL;
}

static int
filename_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t nx = strlen(x) - strlen(service_suffix(x));
	size_t ny = strlen(y) - strlen(service_suffix(y));
	int r = strncmp(x, y, nx < ny ? nx : ny);

	if (r != 0)
		return r;
	if (nx != ny)
		return nx < ny ? -1 : 1;
	return strcmp(x, y);
}

static bool
same_name(const char *a, const char *b)
{
	size_t na = strlen(a) - strlen(service_suffix(a));
	size_t nb = strlen(b) - strlen(service_suffix(b));

	return na == nb && strncmp(a, b, na) == 0;
}

int
unit_set_load(const char *conf_dir, const struct unit_defaults *defs, struct unit_set *out,
	      struct diag_list *dl)
{
	struct strv files = {0};
	struct dirent *de;
	DIR *d;
	int r;

	memset(out, 0, sizeof *out);
	if ((d = opendir(conf_dir)) == NULL) {
		r = -errno;
		diag_add(dl, DIAG_ERROR, conf_dir, 0, "cannot open conf dir: %s", strerror(-r));
		return r;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (service_suffix(de->d_name) == NULL)
			continue;
		if (de->d_name[0] == '.') {
			diag_add(dl, DIAG_WARNING, conf_dir, 0, "hidden file %s ignored", de->d_name);
			continue;
		}
		path = xasprintf("%s/%s", conf_dir, de->d_name);
		r = stat(path, &st);
		free(path);
		/* A dangling link is kept, so that loading it reports why. */
		if (r == 0 && !S_ISREG(st.st_mode))
			continue;
		strv_push(&files, de->d_name);
	}
	closedir(d);
	if (files.n > 0)
		qsort(files.v, files.n, sizeof *files.v, filename_cmp);
	for (size_t i = 0; i < files.n; i++) {
		struct unit *u = unit_load(conf_dir, files.v[i], defs, dl);

		for (; i + 1 < files.n && same_name(files.v[i], files.v[i + 1]); i++) {
			char *other = xasprintf("%s/%s", conf_dir, files.v[i + 1]);

			unit_add_error(u, dl, other, 0,
				       "%s and %s both define service \"%s\": remove one",
				       files.v[i], files.v[i + 1], u->name);
			free(other);
		}
		out->units = xreallocarray(out->units, out->n + 1, sizeof *out->units);
		out->units[out->n++] = u;
	}
	strv_clear(&files);
	return 0;
}

void
unit_set_free(struct unit_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		unit_free(set->units[i]);
	free(set->units);
	memset(set, 0, sizeof *set);
}
