/*
 * control_cmds.c - the control protocol's commands: one table of {name,
 * changes state?, handler}; docs/protocol.md documents each request and
 * reply.  A handler returns its reply, or NULL when it answers later
 * (jobs that wait until the service settles, `logs -f`).
 */
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "control_int.h"
#include "jsonw.h"
#include "log.h"
#include "logfile.h"
#include "proto.h"
#include "service.h"
#include "strutil.h"
#include "supd.h"

/* A handler returns the reply, or NULL when it will call
 * control_conn_complete(). */
struct control_cmd {
	const char *name;
	bool writes;
	json_t *(*handler)(struct control_conn *cn, json_t *req);
};

static json_t *
control_no_such_service(json_t *req, const char *name)
{
	json_t *reply = proto_reply_error(req, PROTO_E_NO_SUCH_SERVICE, "no such service: %s", name);

	json_object_set_new(reply, "service", proto_string(name, strlen(name)));
	return reply;
}

/*
 * The "names" member as services.  Returns NULL and fills *err for a bad
 * or unknown name; an absent member gives 0 services when optional.
 */
static struct service **
control_get_services(struct control_conn *cn, json_t *req, bool optional, size_t *n, json_t **err)
{
	json_t *names = json_object_get(req, "names"), *v;
	struct service **out;
	size_t i;

	*n = 0;
	*err = NULL;
	if (names == NULL && optional)
		return xcalloc(1, sizeof *out);
	if (!json_is_array(names) || (!optional && json_array_size(names) == 0)) {
		*err = proto_reply_error(req, PROTO_E_BAD_REQUEST,
					 "\"names\" must be a non-empty array of service names");
		return NULL;
	}
	out = xcalloc(json_array_size(names) + 1, sizeof *out);
	json_array_foreach(names, i, v) {
		if (!json_is_string(v)) {
			*err = proto_reply_error(req, PROTO_E_BAD_REQUEST,
						 "\"names\" must hold only strings");
			break;
		}
		if ((out[i] = supd_find_service(cn->c->d, json_string_value(v))) == NULL) {
			*err = control_no_such_service(req, json_string_value(v));
			break;
		}
	}
	if (*err != NULL) {
		free(out);
		return NULL;
	}
	*n = json_array_size(names);
	return out;
}

/*
 * The reply is written as JSON text (jsonw.h) and handed over already
 * encoded (control_conn_complete_text): as a jansson tree, a thousand
 * services took some 30,000 allocations to build, encode and free, most of
 * `supctl status`.
 */
static json_t *
control_cmd_status(struct control_conn *cn, json_t *req)
{
	struct supd *d = cn->c->d;
	struct service **list, **services;
	struct jsonw w = {0};
	json_t *reply, *err;
	size_t n;

	if ((list = control_get_services(cn, req, true, &n, &err)) == NULL)
		return err;
	services = list;
	if (n == 0 && json_object_get(req, "names") == NULL) {
		services = d->services;
		n = d->n_services;
	}
	/* About 450 bytes a service, more with long names or OOM events. */
	jsonw_reserve(&w, 256 + n * 512);
	reply = proto_reply_ok(req);
	jsonw_json_open(&w, reply);
	json_decref(reply);
	jsonw_lit(&w, ",\"services\":[");
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			jsonw_lit(&w, ",");
		service_status_write(services[i], &w);
	}
	jsonw_lit(&w, "]}\n");
	free(list);
	/* The buffer becomes the message. */
	control_conn_complete_text(cn, w.buf, w.len);
	return NULL;
}

/* The "name" member as a service. */
static struct service *
control_get_service(struct control_conn *cn, json_t *req, json_t **err)
{
	json_t *name = json_object_get(req, "name");
	struct service *s;

	*err = NULL;
	if (!json_is_string(name)) {
		*err = proto_reply_error(req, PROTO_E_BAD_REQUEST, "\"name\" must be a service name");
		return NULL;
	}
	if ((s = supd_find_service(cn->c->d, json_string_value(name))) == NULL)
		*err = control_no_such_service(req, json_string_value(name));
	return s;
}

static json_t *
control_cmd_show(struct control_conn *cn, json_t *req)
{
	struct service *s;
	json_t *reply, *err;

	if ((s = control_get_service(cn, req, &err)) == NULL)
		return err;
	reply = proto_reply_ok(req);
	json_object_set_new(reply, "service", service_show_json(s));
	return reply;
}

/* The reply to a job request, once every job has an outcome. */
static json_t *
control_jobs_reply(struct control_conn *cn)
{
	json_t *results = json_array(), *reply;
	size_t failed = 0;
	const char *first = NULL;

	for (size_t i = 0; i < cn->n_jobs; i++) {
		json_t *o = cn->jobs[i].outcome;

		if (!json_is_true(json_object_get(o, "ok"))) {
			if (failed++ == 0)
				first = cn->jobs[i].name;
		}
		json_array_append(results, o);
	}
	if (failed == 0)
		reply = proto_reply_ok(cn->req);
	else if (failed == 1)
		reply = proto_reply_error(cn->req, PROTO_E_FAILED, "%s failed", first);
	else
		reply = proto_reply_error(cn->req, PROTO_E_FAILED, "%zu of %zu services failed",
					  failed, cn->n_jobs);
	json_object_set_new(reply, "results", results);
	return reply;
}

static json_t *
control_outcome(struct service *s, const char *name, bool ok, const char *error)
{
	json_t *o = json_pack("{s:s, s:b, s:s}", "name", name, "ok", ok, "state",
			      service_state_name(service_state(s)));
	json_t *st;

	if (error != NULL)
		json_object_set_new(o, "error", proto_string(error, strlen(error)));
	else if (!ok) {
		/* Say why from the status: the result, or supd's own error. */
		st = service_status_json(s);
		if (json_is_string(json_object_get(st, "error")))
			json_object_set(o, "error", json_object_get(st, "error"));
		else if (json_is_string(json_object_get(st, "result")))
			json_object_set_new(o, "error",
					    json_sprintf("result %s",
							 json_string_value(json_object_get(st, "result"))));
		json_decref(st);
	}
	return o;
}

static void
control_job_settled_cb(struct service *s, bool ok, void *data)
{
	struct control_job *job = data;
	struct control_conn *cn = job->cn;

	job->waiter = NULL;
	job->outcome = control_outcome(s, job->name, ok, NULL);
	if (--cn->n_waiting == 0)
		control_conn_complete(cn, control_jobs_reply(cn));
}

static json_t *
control_run_jobs(struct control_conn *cn, json_t *req, int (*op)(struct service *, char **), bool wait)
{
	struct service **list;
	json_t *err;
	size_t n;
	char *cause;

	if ((list = control_get_services(cn, req, false, &n, &err)) == NULL)
		return err;
	if (json_is_true(json_object_get(req, "no_block")))
		wait = false;
	cn->jobs = xcalloc(n, sizeof *cn->jobs);
	cn->n_jobs = n;
	/* Held while jobs are set up, so no early settle completes the reply. */
	cn->n_waiting = 1;
	for (size_t i = 0; i < n; i++) {
		struct control_job *job = &cn->jobs[i];

		job->cn = cn;
		job->name = xstrdup(service_name(list[i]));
		cause = NULL;
		if (op(list[i], &cause) == -1) {
			job->outcome = control_outcome(list[i], job->name, false,
						       cause != NULL ? cause : "refused");
			free(cause);
		} else if (!wait)
			job->outcome = control_outcome(list[i], job->name, true, NULL);
		else {
			job->waiter = service_wait(list[i], control_job_settled_cb, job);
			cn->n_waiting++;
		}
	}
	free(list);
	if (--cn->n_waiting > 0)
		return NULL;
	return control_jobs_reply(cn);
}

static json_t *
control_cmd_start(struct control_conn *cn, json_t *req)
{
	return control_run_jobs(cn, req, service_start, true);
}

static json_t *
control_cmd_stop(struct control_conn *cn, json_t *req)
{
	return control_run_jobs(cn, req, service_stop, true);
}

static json_t *
control_cmd_restart(struct control_conn *cn, json_t *req)
{
	return control_run_jobs(cn, req, service_restart, true);
}

static json_t *
control_cmd_reset_failed(struct control_conn *cn, json_t *req)
{
	return control_run_jobs(cn, req, service_reset_failed, false);
}

static json_t *
control_cmd_reload(struct control_conn *cn, json_t *req)
{
	json_t *errors = NULL, *warnings = NULL, *reply;

	if (supd_reload(cn->c->d, &errors, &warnings) == 0)
		reply = proto_reply_ok(req);
	else
		reply = proto_reply_error(req, PROTO_E_FAILED,
					  "configuration has %zu error(s); nothing was changed",
					  json_array_size(errors));
	json_object_set_new(reply, "errors", errors != NULL ? errors : json_array());
	json_object_set_new(reply, "warnings", warnings != NULL ? warnings : json_array());
	return reply;
}

static void
control_follow_cb(const char *line, size_t len, void *data)
{
	struct control_conn *cn = data;

	if (line == NULL) {
		/* The service went away; logfile.c frees the subscription. */
		cn->sub = NULL;
		control_conn_close(cn, true);
		return;
	}
	control_conn_send(cn, json_pack("{s:o}", "log", proto_string(line, len)));
}

static json_t *
control_cmd_logs(struct control_conn *cn, json_t *req)
{
	json_t *lines = json_object_get(req, "lines"), *reply, *err;
	bool follow = json_is_true(json_object_get(req, "follow"));
	struct service *s;
	struct logfile *lf;
	json_int_t n = 10;

	if ((s = control_get_service(cn, req, &err)) == NULL)
		return err;
	if (lines != NULL) {
		if (!json_is_integer(lines) || json_integer_value(lines) < 0)
			return proto_reply_error(req, PROTO_E_BAD_REQUEST,
						 "\"lines\" must be a non-negative integer");
		n = json_integer_value(lines);
	}
	if (n > PROTO_MAX_LOG_LINES)
		n = PROTO_MAX_LOG_LINES;
	lf = service_logfile(s);
	if (follow && lf == NULL)
		return proto_reply_error(req, PROTO_E_FAILED, "%s has no open log to follow (%s)",
					 service_name(s), service_state_name(service_state(s)));
	reply = proto_reply_ok(req);
	json_object_set_new(reply, "lines",
			    lf != NULL ? logfile_tail(lf, (unsigned)n)
				       : logfile_tail_path(cn->c->d->conf.log_dir,
							   service_name(s), (unsigned)n));
	if (!follow)
		return reply;
	json_object_set_new(reply, "follow", json_true());
	control_conn_send(cn, reply);
	if (!cn->closing)
		cn->sub = logfile_subscribe(lf, control_follow_cb, cn);
	return NULL;
}

static json_t *
control_cmd_shutdown(struct control_conn *cn, json_t *req)
{
	if (!cn->c->d->shutting_down)
		cn->shutdown_after = true;
	return proto_reply_ok(req);
}

static json_t *
control_cmd_reexec(struct control_conn *cn, json_t *req)
{
	struct supd *d = cn->c->d;

	if (d->shutting_down)
		return proto_reply_error(req, PROTO_E_FAILED, "supd is shutting down");
	if (access(d->self_exe, X_OK) == -1)
		return proto_reply_error(req, PROTO_E_FAILED, "cannot execute %s: %s", d->self_exe,
					 strerror(errno));
	cn->reexec_after = true;
	return proto_reply_ok(req);
}

static const struct control_cmd control_cmds[] = {
	{"status", false, control_cmd_status},
	{"show", false, control_cmd_show},
	{"logs", false, control_cmd_logs},
	{"start", true, control_cmd_start},
	{"stop", true, control_cmd_stop},
	{"restart", true, control_cmd_restart},
	{"reset-failed", true, control_cmd_reset_failed},
	{"reload", true, control_cmd_reload},
	{"shutdown", true, control_cmd_shutdown},
	{"reexec", true, control_cmd_reexec},
};

void
control_cmds_handle_line(struct control_conn *cn, const char *line)
{
	const struct control_cmd *cmd = NULL;
	const char *code, *name;
	char *msg;
	json_t *req, *reply;

	if ((req = proto_request_parse(line, &code, &msg)) == NULL) {
		control_conn_send(cn, proto_reply_error(NULL, code, "%s", msg));
		free(msg);
		return;
	}
	name = json_string_value(json_object_get(req, "cmd"));
	for (size_t i = 0; i < sizeof control_cmds / sizeof control_cmds[0]; i++)
		if (strcmp(control_cmds[i].name, name) == 0)
			cmd = &control_cmds[i];
	if (cmd == NULL)
		reply = proto_reply_error(req, PROTO_E_UNKNOWN_COMMAND, "unknown command \"%s\"", name);
	else if (cmd->writes && !cn->may_write)
		reply = proto_reply_error(req, PROTO_E_PERMISSION,
					  "\"%s\" changes state; uid %d may only run status, show "
					  "and logs",
					  name, (int)cn->uid);
	else if (!cmd->writes && !cn->may_read)
		reply = proto_reply_error(req, PROTO_E_PERMISSION, "uid %d may not use supd",
					  (int)cn->uid);
	else if (cmd->writes && cn->c->d->shutting_down && strcmp(name, "shutdown") != 0)
		reply = proto_reply_error(req, PROTO_E_SHUTTING_DOWN, "supd is shutting down");
	else {
		if (cmd->writes)
			log_info("control: %s from uid %d pid %d", line, (int)cn->uid, (int)cn->pid);
		cn->busy = true;
		cn->req = req;
		if ((reply = cmd->handler(cn, req)) != NULL)
			control_conn_complete(cn, reply);
		return;
	}
	control_conn_send(cn, reply);
	json_decref(req);
}

