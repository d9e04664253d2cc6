/*
 * state.c - the state file (see state.h).  Writes are coalesced with a
 * zero-delay timer armed only when something changed, so an idle supd
 * never wakes up for it.
 */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdholder.h"
#include "jsonw.h"
#include "log.h"
#include "service.h"
#include "strutil.h"
#include "supd.h"

#define STATE_FILE "state.json"
#define STATE_VERSION 1

static void
state_timer_cb(uv_timer_t *t)
{
	struct supd *d = t->data;

	d->state_dirty = false;
	(void)state_write(d);
}

void
state_changed(struct supd *d)
{
	if (d->state_dirty || d->state_timer.data == NULL)
		return;
	d->state_dirty = true;
	/* A few ms coalesce a burst of changes (a crash storm) into one write. */
	uv_timer_start(&d->state_timer, state_timer_cb, 20, 0);
}

int
state_write(struct supd *d)
{
	struct jsonw w = { 0 };
	char *path = xasprintf("%s/%s", d->conf.state_dir, STATE_FILE), *text;
	int r;

	/* Written as text, not built as a jansson tree first: a thousand
	 * services' tree was a few hundred KiB of small blocks at every write
	 * (each 20 ms in a crash storm), and the heap kept their pages. */
	jsonw_reserve(&w, 64 + d->n_services * 320);
	jsonw_lit(&w, "{\"version\":");
	jsonw_int(&w, STATE_VERSION);
	jsonw_lit(&w, ",\"supd_pid\":");
	jsonw_int(&w, getpid());
	jsonw_lit(&w, ",\"services\":{");
	for (size_t i = 0; i < d->n_services; i++) {
		if (i > 0)
			jsonw_lit(&w, ",");
		jsonw_string(&w, service_name(d->services[i]));
		jsonw_lit(&w, ":");
		service_state_save(d->services[i], &w);
	}
	jsonw_lit(&w, "}}");
	if (access(d->conf.state_dir, F_OK) == -1 && errno == ENOENT) {
		/* Removed under us: without the file, a crash would lose track of
		 * every service. */
		log_warnx("state directory %s was removed; recreating it", d->conf.state_dir);
		if (mkdir_parents(d->conf.state_dir, 0755) < 0)
			log_warn("mkdir %s", d->conf.state_dir);
		else if (d->fdholder != NULL && fdholder_rebind(d->fdholder, d->conf.state_dir) < 0)
			log_warnx("the fd holder could not listen in %s again", d->conf.state_dir);
	}
	text = jsonw_take(&w, NULL);
	if ((r = write_file_atomic(path, text)) < 0)
		log_warnx("writing %s: %s", path, strerror(-r));
	free(text);
	free(path);
	return r;
}

json_t *
state_read(const char *state_dir)
{
	char *path = xasprintf("%s/%s", state_dir, STATE_FILE);
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err);

	if (root == NULL) {
		if (access(path, F_OK) == 0)
			log_warnx("%s: %s (line %d); not re-adopting anything", path, err.text,
				  err.line);
		free(path);
		return NULL;
	}
	if (json_integer_value(json_object_get(root, "version")) != STATE_VERSION ||
	    !json_is_object(json_object_get(root, "services"))) {
		log_warnx("%s: unknown format; not re-adopting anything", path);
		json_decref(root);
		root = NULL;
	}
	free(path);
	return root;
}

json_t *
state_saved_service(json_t *saved, const char *name)
{
	return saved ? json_object_get(json_object_get(saved, "services"), name) : NULL;
}

uint64_t
state_pid_start_time(pid_t pid)
{
	pid_t ppid;

	return state_pid_stat(pid, &ppid);
}

uint64_t
state_pid_stat(pid_t pid, pid_t *ppid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	int parent = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (pid <= 0 || read_small_file(path, buf, sizeof buf) <= 0)
		return 0;
	/* The command name may contain spaces and parentheses: skip past the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	/* Fields after the name start with field 3 (state); starttime is field 22. */
	/* A zombie (Z) or dying (X) process is not there to adopt. */
	if (p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;
	if (sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
			  "%*d %*d %llu",
		   &parent, &start) != 2)
		return 0;
	*ppid = parent;
	return start;
}
