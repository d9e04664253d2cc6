/*
 * test-control.c - the control server over a real socket, against stub
 * services: framing errors, ordering, waiting for jobs, following logs,
 * socket set-up, peer checks and connection limits.  The stubs below stand
 * in for supd.c and service.c, so the archive's versions are not linked.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "jsonw.h"
#include "logfile.h"
#include "proto.h"
#include "service.h"
#include "strutil.h"
#include "supd.h"
#include "testlib.h"

struct service {
	const char *name;
	enum service_state state;
	bool fail;
	struct logfile *log;
};

struct service_waiter {
	struct service *s;
	service_wait_cb cb;
	void *data;
	uv_timer_t timer;
};

static uv_loop_t loop;
static struct supd d;
static struct service svcs[3] = {
	{"alpha", SERVICE_STOPPED, false, NULL},
	{"beta", SERVICE_RUNNING, false, NULL},
	{"gamma", SERVICE_FAILED, true, NULL},
};
static struct service *svc_ptrs[3] = {&svcs[0], &svcs[1], &svcs[2]};
static int waits_cancelled, shutdowns, reexecs, reload_fails;
static struct control *ctl;

struct service *
supd_find_service(struct supd *sd, const char *name)
{
	for (size_t i = 0; i < sd->n_services; i++)
		if (strcmp(sd->services[i]->name, name) == 0)
			return sd->services[i];
	return NULL;
}

int
supd_reload(struct supd *sd, json_t **errors, json_t **warnings)
{
	(void)sd;
	*warnings = json_pack("[s]", "conf.d/a.conf:3: unknown key Foo=");
	*errors = reload_fails ? json_pack("[s]", "conf.d/b.conf:1: bad value") : json_array();
	return reload_fails ? -1 : 0;
}

void
supd_shutdown(struct supd *sd)
{
	sd->shutting_down = true;
	shutdowns++;
}

/* The real one execs; here reexec is only counted. */
void
supd_reexec(struct supd *sd)
{
	(void)sd;
	reexecs++;
}

const char *
service_state_name(enum service_state st)
{
	static const char *names[] = {"stopped", "starting", "running",	   "stopping",
				      "auto-restart", "failed", "exited", "bad-config"};
	return names[st];
}

const char *
service_name(const struct service *s)
{
	return s->name;
}

enum service_state
service_state(const struct service *s)
{
	return s->state;
}

static int
stub_job(struct service *s, char **cause, enum service_state to)
{
	if (strcmp(s->name, "gamma") == 0 && to == SERVICE_RUNNING && s->state == SERVICE_FAILED &&
	    s->fail) {
		*cause = xstrdup("start-limit-hit: run reset-failed");
		return -1;
	}
	s->state = to == SERVICE_RUNNING ? SERVICE_STARTING : SERVICE_STOPPING;
	return 0;
}

int
service_start(struct service *s, char **cause)
{
	return stub_job(s, cause, SERVICE_RUNNING);
}

int
service_stop(struct service *s, char **cause)
{
	return stub_job(s, cause, SERVICE_STOPPED);
}

int
service_restart(struct service *s, char **cause)
{
	return stub_job(s, cause, SERVICE_RUNNING);
}

int
service_reset_failed(struct service *s, char **cause)
{
	(void)cause;
	s->fail = false;
	return 0;
}

static void
stub_waiter_closed_cb(uv_handle_t *h)
{
	free(h->data);
}

static void
stub_settle_cb(uv_timer_t *t)
{
	struct service_waiter *w = t->data;
	struct service *s = w->s;

	s->state = s->state == SERVICE_STARTING ? SERVICE_RUNNING : SERVICE_STOPPED;
	uv_close((uv_handle_t *)&w->timer, stub_waiter_closed_cb);
	w->cb(s, true, w->data);
}

/* Jobs settle after 50 ms, so a reply that does not wait shows up early. */
struct service_waiter *
service_wait(struct service *s, service_wait_cb cb, void *data)
{
	struct service_waiter *w = xcalloc(1, sizeof *w);

	w->s = s;
	w->cb = cb;
	w->data = data;
	uv_timer_init(&loop, &w->timer);
	w->timer.data = w;
	uv_timer_start(&w->timer, stub_settle_cb, 50, 0);
	return w;
}

void
service_wait_cancel(struct service_waiter *w)
{
	waits_cancelled++;
	uv_close((uv_handle_t *)&w->timer, stub_waiter_closed_cb);
}

json_t *
service_status_json(struct service *s)
{
	return json_pack("{s:s, s:s, s:n, s:s}", "name", s->name, "state",
			 service_state_name(s->state), "error", "result", "success");
}

void
service_status_write(struct service *s, struct jsonw *w)
{
	json_t *o = service_status_json(s);

	jsonw_json(w, o);
	json_decref(o);
}

json_t *
service_show_json(struct service *s)
{
	return json_pack("{s:s, s:[]}", "name", s->name, "settings");
}

struct logfile *
service_logfile(struct service *s)
{
	return s->log;
}

static const char *
sock_path(void)
{
	static char path[300];

	snprintf(path, sizeof path, "%s/run/sub/supd.sock", test_tmpdir());
	return path;
}

static void
setup_with_group(const char *group)
{
	char *cause = NULL;

	/* As supd's main() does: a client that left must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	ASSERT(uv_loop_init(&loop) == 0);
	memset(&d, 0, sizeof d);
	d.loop = &loop;
	d.inherited_listen_fd = -1; /* as main() sets it: no socket from a reexec */
	d.conf.socket_path = xstrdup(sock_path());
	d.conf.socket_group = group != NULL ? xstrdup(group) : NULL;
	d.conf.log_dir = xasprintf("%s/log", test_tmpdir());
	d.services = svc_ptrs;
	d.n_services = 3;
	if (control_open(&d, &ctl, &cause) != 0)
		test_fail(__FILE__, __LINE__, "control_open: %s", cause);
}

static void
setup(void)
{
	setup_with_group(NULL);
}

static int
client(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ASSERT(fd >= 0);
	strcpy(sun.sun_path, sock_path());
	ASSERT(connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0);
	return fd;
}

static void
send_str(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t n = write(fd, s + off, len - off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			uv_run(&loop, UV_RUN_NOWAIT);
			continue;
		}
		ASSERT(n > 0);
		off += (size_t)n;
	}
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Run the loop until a whole line arrives (or EOF: NULL); 5 s at most. */
static json_t *
recv_msg(int fd)
{
	static char buf[1 << 20];
	static size_t len;
	static int buf_fd = -1;
	uint64_t deadline = now_ms() + 5000;
	char *nl;
	json_t *j;

	if (buf_fd != fd) {
		buf_fd = fd;
		len = 0;
	}
	while ((nl = memchr(buf, '\n', len)) == NULL) {
		ssize_t n;

		ASSERT(now_ms() < deadline);
		uv_run(&loop, UV_RUN_NOWAIT);
		n = recv(fd, buf + len, sizeof buf - len, MSG_DONTWAIT);
		if (n == 0 || (n == -1 && errno == ECONNRESET))
			return NULL;
		if (n == -1) {
			ASSERT(errno == EAGAIN);
			poll(NULL, 0, 1);
			continue;
		}
		len += (size_t)n;
	}
	*nl = '\0';
	j = json_loads(buf, 0, NULL);
	ASSERT(j != NULL);
	len -= (size_t)(nl + 1 - buf);
	memmove(buf, nl + 1, len);
	return j;
}

static json_t *
roundtrip(int fd, const char *req)
{
	send_str(fd, req);
	return recv_msg(fd);
}

static const char *
code_of(json_t *r)
{
	return json_string_value(json_object_get(r, "code"));
}

TEST(status_lists_every_service_and_echoes_id)
{
	int fd;
	json_t *r;

	setup();
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"id\":9,\"cmd\":\"status\"}\n");
	ASSERT(json_is_true(json_object_get(r, "ok")));
	ASSERT_EQ(json_integer_value(json_object_get(r, "id")), 9);
	ASSERT_EQ(json_array_size(json_object_get(r, "services")), 3);
	json_decref(r);
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"status\",\"names\":[\"beta\"]}\n");
	ASSERT_EQ(json_array_size(json_object_get(r, "services")), 1);
	json_decref(r);
	close(fd);
}

TEST(unknown_service_is_named_in_the_error)
{
	int fd;
	json_t *r;

	setup();
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"status\",\"names\":[\"beta\",\"nope\"]}\n");
	ASSERT_STR_EQ(code_of(r), PROTO_E_NO_SUCH_SERVICE);
	ASSERT_STR_EQ(json_string_value(json_object_get(r, "service")), "nope");
	json_decref(r);
	close(fd);
}

TEST(bad_requests_get_errors_and_the_connection_goes_on)
{
	int fd;
	json_t *r;

	setup();
	fd = client();
	r = roundtrip(fd, "this is not json\n");
	ASSERT_STR_EQ(code_of(r), PROTO_E_BAD_REQUEST);
	json_decref(r);
	r = roundtrip(fd, "{\"v\":7,\"cmd\":\"status\"}\n");
	ASSERT_STR_EQ(code_of(r), PROTO_E_VERSION);
	json_decref(r);
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"frobnicate\"}\n");
	ASSERT_STR_EQ(code_of(r), PROTO_E_UNKNOWN_COMMAND);
	json_decref(r);
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"start\",\"names\":\"alpha\"}\n");
	ASSERT_STR_EQ(code_of(r), PROTO_E_BAD_REQUEST);
	json_decref(r);
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"status\"}\n");
	ASSERT(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	close(fd);
}

TEST(overlong_request_gets_an_error_and_is_closed)
{
	char *big = xmalloc(PROTO_MAX_REQUEST + 100);
	int fd, other;
	json_t *r;

	setup();
	fd = client();
	other = client();
	memset(big, 'x', PROTO_MAX_REQUEST + 98);
	big[PROTO_MAX_REQUEST + 98] = '\n';
	big[PROTO_MAX_REQUEST + 99] = '\0';
	r = roundtrip(fd, big);
	ASSERT_STR_EQ(code_of(r), PROTO_E_TOO_LONG);
	json_decref(r);
	ASSERT(recv_msg(fd) == NULL);
	r = roundtrip(other, "{\"v\":1,\"cmd\":\"status\"}\n");
	ASSERT(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	free(big);
	close(fd);
	close(other);
}

TEST(start_waits_until_the_job_settles)
{
	int fd;
	json_t *r, *res;

	setup();
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"start\",\"names\":[\"alpha\"]}\n");
	ASSERT(json_is_true(json_object_get(r, "ok")));
	res = json_array_get(json_object_get(r, "results"), 0);
	ASSERT_STR_EQ(json_string_value(json_object_get(res, "state")), "running");
	json_decref(r);
	close(fd);
}

TEST(no_block_replies_before_the_job_settles)
{
	int fd;
	json_t *r, *res;

	setup();
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"stop\",\"names\":[\"beta\"],\"no_block\":true}\n");
	ASSERT(json_is_true(json_object_get(r, "ok")));
	res = json_array_get(json_object_get(r, "results"), 0);
	ASSERT_STR_EQ(json_string_value(json_object_get(res, "state")), "stopping");
	json_decref(r);
	close(fd);
}

TEST(refused_start_reports_the_cause_per_service)
{
	int fd;
	json_t *r, *res;

	setup();
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"start\",\"names\":[\"gamma\",\"alpha\"]}\n");
	ASSERT_STR_EQ(code_of(r), PROTO_E_FAILED);
	ASSERT_CONTAINS(json_string_value(json_object_get(r, "error")), "gamma");
	res = json_array_get(json_object_get(r, "results"), 0);
	ASSERT(json_is_false(json_object_get(res, "ok")));
	ASSERT_CONTAINS(json_string_value(json_object_get(res, "error")), "start-limit-hit");
	res = json_array_get(json_object_get(r, "results"), 1);
	ASSERT(json_is_true(json_object_get(res, "ok")));
	json_decref(r);
	close(fd);
}

TEST(pipelined_requests_are_answered_in_order)
{
	int fd;
	json_t *r;

	setup();
	fd = client();
	send_str(fd, "{\"v\":1,\"id\":1,\"cmd\":\"restart\",\"names\":[\"beta\"]}\n"
		     "{\"v\":1,\"id\":2,\"cmd\":\"status\"}\n");
	r = recv_msg(fd);
	ASSERT_EQ(json_integer_value(json_object_get(r, "id")), 1);
	json_decref(r);
	r = recv_msg(fd);
	ASSERT_EQ(json_integer_value(json_object_get(r, "id")), 2);
	json_decref(r);
	close(fd);
}

TEST(half_closed_client_still_gets_its_reply)
{
	int fd;
	json_t *r;

	setup();
	fd = client();
	send_str(fd, "{\"v\":1,\"cmd\":\"start\",\"names\":[\"alpha\"]}");
	shutdown(fd, SHUT_WR);
	r = recv_msg(fd);
	ASSERT(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	ASSERT(recv_msg(fd) == NULL);
	close(fd);
}

TEST(client_leaving_while_waiting_cancels_the_wait)
{
	uint64_t deadline;
	int fd;

	setup();
	fd = client();
	send_str(fd, "{\"v\":1,\"cmd\":\"start\",\"names\":[\"alpha\",\"beta\"]}\n");
	for (int i = 0; i < 5; i++)
		uv_run(&loop, UV_RUN_NOWAIT);
	close(fd);
	deadline = now_ms() + 5000;
	while (waits_cancelled < 2 && now_ms() < deadline) {
		uv_run(&loop, UV_RUN_NOWAIT);
		poll(NULL, 0, 1);
	}
	ASSERT_EQ(waits_cancelled, 2);
}

TEST(reload_reports_errors_and_warnings)
{
	int fd;
	json_t *r;

	setup();
	reload_fails = 1;
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"reload\"}\n");
	ASSERT_STR_EQ(code_of(r), PROTO_E_FAILED);
	ASSERT_EQ(json_array_size(json_object_get(r, "errors")), 1);
	ASSERT_EQ(json_array_size(json_object_get(r, "warnings")), 1);
	json_decref(r);
	close(fd);
}

TEST(logs_tail_then_follow)
{
	char *cause = NULL;
	int fd;
	json_t *r;

	setup();
	svcs[1].log = logfile_open(d.conf.log_dir, "beta", 0, 0, &cause);
	ASSERT(svcs[1].log != NULL);
	logfile_write_line(svcs[1].log, "old 1", 5);
	logfile_write_line(svcs[1].log, "old 2", 5);
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"logs\",\"name\":\"beta\",\"lines\":1,\"follow\":true}\n");
	ASSERT(json_is_true(json_object_get(r, "ok")));
	ASSERT_EQ(json_array_size(json_object_get(r, "lines")), 1);
	ASSERT_CONTAINS(json_string_value(json_array_get(json_object_get(r, "lines"), 0)), "old 2");
	json_decref(r);
	logfile_write_line(svcs[1].log, "new", 3);
	r = recv_msg(fd);
	ASSERT_CONTAINS(json_string_value(json_object_get(r, "log")), "Z new");
	json_decref(r);
	/* Closing the log ends the stream. */
	logfile_close(svcs[1].log);
	svcs[1].log = NULL;
	ASSERT(recv_msg(fd) == NULL);
	close(fd);
}

TEST(follower_that_leaves_is_unsubscribed)
{
	char *cause = NULL;
	uint64_t deadline;
	int fd;
	json_t *r;

	setup();
	svcs[1].log = logfile_open(d.conf.log_dir, "beta", 0, 0, &cause);
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"logs\",\"name\":\"beta\",\"follow\":true}\n");
	json_decref(r);
	close(fd);
	deadline = now_ms() + 2000;
	while (now_ms() < deadline)
		uv_run(&loop, UV_RUN_NOWAIT);
	/* A write after the client left must not touch freed memory (ASan). */
	logfile_write_line(svcs[1].log, "after", 5);
	logfile_close(svcs[1].log);
	svcs[1].log = NULL;
}

TEST(shutdown_replies_then_shuts_down)
{
	int fd;
	json_t *r;

	setup();
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"shutdown\"}\n");
	ASSERT(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	ASSERT_EQ(shutdowns, 1);
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"start\",\"names\":[\"alpha\"]}\n");
	ASSERT_STR_EQ(code_of(r), PROTO_E_SHUTTING_DOWN);
	json_decref(r);
	close(fd);
}

TEST(reexec_replies_then_reexecs_or_refuses)
{
	int fd;
	json_t *r;

	setup();
	fd = client();
	d.self_exe = (char *)"/nonexistent/supd";
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"reexec\"}\n");
	ASSERT_STR_EQ(code_of(r), PROTO_E_FAILED);
	json_decref(r);
	ASSERT_EQ(reexecs, 0);
	d.self_exe = (char *)"/bin/true";
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"reexec\"}\n");
	ASSERT(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	ASSERT_EQ(reexecs, 1);
	close(fd);
}

TEST(socket_is_0600_in_a_created_directory)
{
	struct stat st;

	setup();
	ASSERT(stat(sock_path(), &st) == 0);
	ASSERT(S_ISSOCK(st.st_mode));
	ASSERT_EQ(st.st_mode & 07777, 0600);
}

TEST(stale_socket_is_replaced_and_live_one_refused)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct control *second = NULL;
	char *cause = NULL;
	int fd;

	setup();
	/* Live: a second server on the same path must refuse. */
	ASSERT(control_open(&d, &second, &cause) == -1);
	ASSERT_CONTAINS(cause, "supd already running on");
	free(cause);
	/* Stale: a bound socket nobody listens on. */
	ASSERT(unlink(sock_path()) == 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sun.sun_path, sock_path());
	ASSERT(bind(fd, (struct sockaddr *)&sun, sizeof sun) == 0);
	close(fd);
	cause = NULL;
	ASSERT(control_open(&d, &second, &cause) == 0);
	ASSERT(second != NULL);
}

TEST(unknown_socket_group_is_an_error)
{
	char *cause = NULL;

	ASSERT(uv_loop_init(&loop) == 0);
	d.loop = &loop;
	d.conf.socket_path = xstrdup(sock_path());
	d.conf.socket_group = xstrdup("no-such-group-supd");
	ASSERT(control_open(&d, &ctl, &cause) == -1);
	ASSERT_CONTAINS(cause, "SocketGroup=no-such-group-supd: no such group");
	free(cause);
}

TEST(socket_group_gives_0660_and_the_group)
{
	struct group *gr = getgrnam("nogroup");
	struct stat st;

	if (gr == NULL)
		return;
	setup_with_group("nogroup");
	ASSERT(stat(sock_path(), &st) == 0);
	ASSERT_EQ(st.st_mode & 07777, 0660);
	ASSERT_EQ(st.st_gid, gr->gr_gid);
}

/* Run fn as uid/gid 65534 in a child while the loop serves it. */
static int
as_nobody(gid_t gid, int (*fn)(void))
{
	uint64_t deadline = now_ms() + 5000;
	int status;
	pid_t pid = fork();

	ASSERT(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) == -1 || setgid(gid) == -1 || setuid(65534) == -1)
			_exit(99);
		_exit(fn());
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		ASSERT(now_ms() < deadline);
		uv_run(&loop, UV_RUN_NOWAIT);
		poll(NULL, 0, 1);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 98;
}

/* 0: got permission-denied; 1: got an ok status reply. */
static int
nobody_status(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char buf[4096];
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	const char *req = "{\"v\":1,\"cmd\":\"status\"}\n";

	strcpy(sun.sun_path, sock_path());
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1)
		return 10;
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		return 11;
	n = read(fd, buf, sizeof buf - 1);
	if (n <= 0)
		return 12;
	buf[n] = '\0';
	if (strstr(buf, "\"permission-denied\"") && strstr(buf, "uid 65534"))
		return 0;
	if (strstr(buf, "\"ok\":true"))
		return 1;
	return 13;
}

TEST(other_users_are_refused_with_a_reason)
{
	char *dir;

	if (geteuid() != 0)
		return;
	setup();
	dir = xasprintf("%s/run", test_tmpdir());
	/* Open the file modes up so only the peer check stands in the way. */
	ASSERT(chmod(test_tmpdir(), 0755) == 0);
	ASSERT(chmod(sock_path(), 0666) == 0);
	free(dir);
	ASSERT_EQ(as_nobody(65534, nobody_status), 0);
}

TEST(socket_group_members_are_served)
{
	struct group *gr = getgrnam("nogroup");

	if (geteuid() != 0 || gr == NULL)
		return;
	setup_with_group("nogroup");
	ASSERT(chmod(test_tmpdir(), 0755) == 0);
	ASSERT_EQ(as_nobody(gr->gr_gid, nobody_status), 1);
}

TEST(connection_over_the_limit_is_told_and_closed)
{
	int fds[PROTO_MAX_CONNECTIONS], extra;
	json_t *r;

	setup();
	for (int i = 0; i < PROTO_MAX_CONNECTIONS; i++) {
		fds[i] = client();
		uv_run(&loop, UV_RUN_NOWAIT);
	}
	extra = client();
	r = recv_msg(extra);
	ASSERT(r != NULL);
	ASSERT_CONTAINS(json_string_value(json_object_get(r, "error")), "too many connections");
	json_decref(r);
	ASSERT(recv_msg(extra) == NULL);
	close(extra);
	r = roundtrip(fds[0], "{\"v\":1,\"cmd\":\"status\"}\n");
	ASSERT(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	for (int i = 0; i < PROTO_MAX_CONNECTIONS; i++)
		close(fds[i]);
}

static void
closed_cb(void *data)
{
	*(int *)data = 1;
}

TEST(close_disconnects_clients_and_removes_the_socket)
{
	uint64_t deadline;
	int fd, done = 0;
	json_t *r;

	setup();
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"status\"}\n");
	json_decref(r);
	control_close(ctl, closed_cb, &done);
	deadline = now_ms() + 5000;
	while (!done && now_ms() < deadline)
		uv_run(&loop, UV_RUN_NOWAIT);
	ASSERT(done);
	ASSERT(access(sock_path(), F_OK) == -1);
	ASSERT(recv_msg(fd) == NULL);
	close(fd);
	ASSERT_EQ(uv_loop_close(&loop), 0);
}

TEST(follower_that_stops_reading_is_dropped)
{
	char *cause = NULL, line[1024];
	uint64_t deadline;
	ssize_t n;
	int fd;
	json_t *r;

	setup();
	svcs[1].log = logfile_open(d.conf.log_dir, "beta", 0, 0, &cause);
	ASSERT(svcs[1].log != NULL);
	fd = client();
	r = roundtrip(fd, "{\"v\":1,\"cmd\":\"logs\",\"name\":\"beta\",\"lines\":0,\"follow\":true}\n");
	ASSERT(json_is_true(json_object_get(r, "follow")));
	json_decref(r);
	memset(line, 'x', sizeof line);
	/* 8 MiB of output to a client that reads nothing. */
	for (int i = 0; i < 8192; i++) {
		logfile_write_line(svcs[1].log, line, sizeof line);
		uv_run(&loop, UV_RUN_NOWAIT);
	}
	/* The server gave up on it: reading drains to EOF, not forever. */
	deadline = now_ms() + 10000;
	for (;;) {
		char buf[65536];

		ASSERT(now_ms() < deadline);
		uv_run(&loop, UV_RUN_NOWAIT);
		n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n == 0 || (n == -1 && errno == ECONNRESET))
			break;
		if (n == -1)
			poll(NULL, 0, 1);
	}
	logfile_write_line(svcs[1].log, "after", 5);
	logfile_close(svcs[1].log);
	svcs[1].log = NULL;
	close(fd);
}

TEST(requests_sent_before_closing_are_still_served)
{
	uint64_t deadline;
	int fd;

	setup();
	fd = client();
	send_str(fd, "{\"v\":1,\"cmd\":\"shutdown\"}\n");
	close(fd);
	deadline = now_ms() + 5000;
	while (shutdowns == 0 && now_ms() < deadline) {
		uv_run(&loop, UV_RUN_NOWAIT);
		poll(NULL, 0, 1);
	}
	ASSERT_EQ(shutdowns, 1);
}
