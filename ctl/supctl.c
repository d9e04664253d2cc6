/*
 * supctl.c - the command-line client of supd's control socket
 * (docs/supctl.md).  One request per run; replies are read whole, however
 * long; `logs -f` then prints lines until supd closes the connection.
 *
 * Exit codes: 0 success, 1 the command failed, 2 usage error, 3 supd not
 * reachable, 4 no such service.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "output.h"
#include "proto.h"
#include "status_reply.h"
#include "strutil.h"

#define SUPCTL_DEFAULT_SOCKET "/run/supd/supd.sock"
#define SUPCTL_MAX_REPLY (256u * 1024 * 1024)

enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_UNREACHABLE = 3,
	EXIT_NO_SUCH_SERVICE = 4,
};

struct supctl {
	const char *socket_path;
	bool json;
	bool colour;
	int fd;
	struct proto_buf in;
};

struct supctl_cmd {
	const char *name;
	const char *usage;
	int min_args, max_args; /* operands after option parsing; -1: no limit */
	const char *opts;       /* getopt string of the command's own options */
	int (*build)(json_t *req, int argc, char **argv);
	int (*print)(struct supctl *sc, json_t *reply);
	/* Optional: print straight from the reply's text, without jansson;
	 * -1 hands the reply to print (errors, anything unexpected). */
	int (*print_text)(struct supctl *sc, const char *line, size_t len);
};

static const struct supctl_cmd supctl_cmds[];
static const size_t supctl_ncmds;

static void __attribute__((noreturn))
supctl_usage(FILE *f, int code)
{
	fprintf(f, "usage: supctl [-s PATH] [--json] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < supctl_ncmds; i++)
		fprintf(f, "  %-14s %s\n", supctl_cmds[i].name, supctl_cmds[i].usage);
	fprintf(f, "\noptions:\n"
		   "  -s, --socket PATH  supd's socket (default $SUPD_SOCKET, else %s)\n"
		   "  --json             print supd's replies as JSON\n"
		   "  -h, --help         this help\n\n"
		   "exit: 0 ok, 1 command failed, 2 usage, 3 supd not reachable, 4 no such "
		   "service\n",
		   SUPCTL_DEFAULT_SOCKET);
	exit(code);
}

static int
supctl_connect(struct supctl *sc)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	size_t len = strlen(sc->socket_path);

	if (len >= sizeof sun.sun_path) {
		fprintf(stderr, "supctl: socket path %s is too long\n", sc->socket_path);
		return -1;
	}
	memcpy(sun.sun_path, sc->socket_path, len + 1);
	if ((sc->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		fprintf(stderr, "supctl: socket: %s\n", strerror(errno));
		return -1;
	}
	while (connect(sc->fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		if (errno == EINTR)
			continue;
		fprintf(stderr, "supctl: cannot reach supd at %s: %s%s\n", sc->socket_path,
			strerror(errno),
			errno == ENOENT || errno == ECONNREFUSED
				? " (is supd running? use -s PATH or SUPD_SOCKET)"
				: errno == EACCES ? " (run as root or as a member of the socket's group)"
						  : "");
		close(sc->fd);
		sc->fd = -1;
		return -1;
	}
	return 0;
}

static int
supctl_send(struct supctl *sc, json_t *req)
{
	char *line = proto_encode(req);
	size_t len = strlen(line), off = 0;
	ssize_t n;

	while (off < len) {
		/* MSG_NOSIGNAL: a supd that went away is an error, not a SIGPIPE. */
		n = send(sc->fd, line + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			int e = errno;

			free(line);
			/* supd may have refused us and closed: its reply is still
			 * to be read; the caller decides. */
			if (e == EPIPE || e == ECONNRESET)
				return -2;
			fprintf(stderr, "supctl: sending to supd at %s: %s\n", sc->socket_path,
				strerror(e));
			return -1;
		}
		off += (size_t)n;
	}
	free(line);
	return 0;
}

/*
 * Read the next message's line (malloc'd, *len bytes).  Returns it, or
 * NULL at end of stream (*err false) or on an error already reported (*err
 * true).
 */
static char *
supctl_recv_line(struct supctl *sc, bool *err, size_t *len)
{
	char buf[65536], *line;
	bool overflowed;
	ssize_t n;

	*err = false;
	for (;;) {
		line = proto_buf_next_line(&sc->in, SUPCTL_MAX_REPLY, &overflowed);
		if (overflowed) {
			fprintf(stderr, "supctl: reply from supd longer than %u bytes\n",
				SUPCTL_MAX_REPLY);
			*err = true;
			return NULL;
		}
		if (line != NULL)
			break;
		n = read(sc->fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fprintf(stderr, "supctl: reading from supd at %s: %s\n", sc->socket_path,
				strerror(errno));
			*err = true;
			return NULL;
		}
		if (n == 0) {
			if (sc->in.len > 0) {
				fprintf(stderr, "supctl: supd closed the connection mid-reply\n");
				*err = true;
			}
			return NULL;
		}
		proto_buf_append(&sc->in, buf, (size_t)n, SUPCTL_MAX_REPLY);
	}
	*len = strlen(line);
	return line;
}

/* A message line as JSON (frees line); NULL if it is not an object (said). */
static json_t *
supctl_parse(char *line, bool *err)
{
	json_error_t jerr;
	json_t *msg;

	msg = json_loads(line, 0, &jerr);
	free(line);
	if (!json_is_object(msg)) {
		fprintf(stderr, "supctl: supd sent something that is not a JSON object: %s\n",
			jerr.text);
		json_decref(msg);
		*err = true;
		return NULL;
	}
	return msg;
}

/* The next message, as JSON; as supctl_recv_line() otherwise. */
static json_t *
supctl_recv(struct supctl *sc, bool *err)
{
	size_t len;
	char *line = supctl_recv_line(sc, err, &len);

	return line != NULL ? supctl_parse(line, err) : NULL;
}

static void
supctl_print_json(json_t *msg)
{
	json_dumpf(msg, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
}

/* Report a failed reply; returns its exit code. */
static int
supctl_error(json_t *reply)
{
	const char *code = json_string_value(json_object_get(reply, "code"));
	const char *msg = json_string_value(json_object_get(reply, "error"));

	fprintf(stderr, "supctl: %s\n", msg != NULL ? msg : code != NULL ? code : "failed");
	if (code != NULL && strcmp(code, PROTO_E_NO_SUCH_SERVICE) == 0)
		return EXIT_NO_SUCH_SERVICE;
	return EXIT_FAILED;
}

static void
supctl_names(json_t *req, int argc, char **argv)
{
	json_t *names = json_array();

	for (int i = 0; i < argc; i++)
		json_array_append_new(names, json_string(argv[i]));
	json_object_set_new(req, "names", names);
}

static int
supctl_build_status(json_t *req, int argc, char **argv)
{
	if (argc > 0)
		supctl_names(req, argc, argv);
	return 0;
}

static void
supctl_check_version(long long v)
{
	if (v != PROTO_VERSION)
		fprintf(stderr, "supctl: warning: supd speaks protocol version %lld, supctl %d\n", v,
			PROTO_VERSION);
}

static int
supctl_print_status(struct supctl *sc, json_t *reply)
{
	json_t *services = json_object_get(reply, "services"), *svc;
	struct status_row *rows;
	size_t i;

	if (!json_is_true(json_object_get(reply, "ok")))
		return supctl_error(reply);
	rows = xcalloc(json_array_size(services) + 1, sizeof *rows);
	json_array_foreach(services, i, svc)
		status_row_from_json(svc, &rows[i]);
	output_status_table(stdout, rows, json_array_size(services), sc->colour);
	free(rows);
	return EXIT_OK;
}

/* The table straight from the reply's text (status_reply.h): at a thousand
 * services jansson's tree was most of supctl's time. */
static int
supctl_print_status_text(struct supctl *sc, const char *line, size_t len)
{
	struct status_reply r;

	if (status_reply_parse(line, len, &r) == -1)
		return -1;
	if (!r.ok) {
		status_reply_free(&r);
		return -1;
	}
	supctl_check_version(r.version);
	output_status_table(stdout, r.rows, r.n, sc->colour);
	status_reply_free(&r);
	return EXIT_OK;
}

static int
supctl_build_name(json_t *req, int argc, char **argv)
{
	(void)argc;
	json_object_set_new(req, "name", json_string(argv[0]));
	return 0;
}

static int
supctl_print_show(struct supctl *sc, json_t *reply)
{
	if (!json_is_true(json_object_get(reply, "ok")))
		return supctl_error(reply);
	output_show(stdout, json_object_get(reply, "service"), sc->colour);
	return EXIT_OK;
}

static int
supctl_build_job(json_t *req, int argc, char **argv)
{
	int c, n = 0;

	while ((c = getopt(argc + 1, argv - 1, "b")) != -1) {
		if (c != 'b')
			return -1;
		json_object_set_new(req, "no_block", json_true());
	}
	n = optind - 1;
	supctl_names(req, argc - n, argv + n);
	return argc - n > 0 ? 0 : -1;
}

static int
supctl_build_names(json_t *req, int argc, char **argv)
{
	supctl_names(req, argc, argv);
	return 0;
}

static int
supctl_print_job(struct supctl *sc, json_t *reply)
{
	json_t *r;
	size_t i;

	(void)sc;
	if (json_is_true(json_object_get(reply, "ok")))
		return EXIT_OK;
	if (json_object_get(reply, "results") == NULL)
		return supctl_error(reply);
	json_array_foreach(json_object_get(reply, "results"), i, r) {
		const char *err = json_string_value(json_object_get(r, "error"));

		if (json_is_true(json_object_get(r, "ok")))
			continue;
		fprintf(stderr, "supctl: %s: %s (now %s)\n",
			json_string_value(json_object_get(r, "name")), err != NULL ? err : "failed",
			json_string_value(json_object_get(r, "state")));
	}
	return EXIT_FAILED;
}

static int
supctl_build_none(json_t *req, int argc, char **argv)
{
	(void)req;
	(void)argc;
	(void)argv;
	return 0;
}

static int
supctl_print_reload(struct supctl *sc, json_t *reply)
{
	json_t *v;
	size_t i;

	(void)sc;
	json_array_foreach(json_object_get(reply, "warnings"), i, v)
		fprintf(stderr, "warning: %s\n", json_string_value(v));
	json_array_foreach(json_object_get(reply, "errors"), i, v)
		fprintf(stderr, "error: %s\n", json_string_value(v));
	if (!json_is_true(json_object_get(reply, "ok")))
		return supctl_error(reply);
	return EXIT_OK;
}

static int
supctl_print_ok(struct supctl *sc, json_t *reply)
{
	(void)sc;
	if (!json_is_true(json_object_get(reply, "ok")))
		return supctl_error(reply);
	return EXIT_OK;
}

static int
supctl_build_logs(json_t *req, int argc, char **argv)
{
	char *end;
	long n;
	int c;

	while ((c = getopt(argc + 1, argv - 1, "n:f")) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 || n < 0) {
				fprintf(stderr, "supctl: -n %s: expected a number of lines\n", optarg);
				return -1;
			}
			json_object_set_new(req, "lines", json_integer(n));
			break;
		case 'f':
			json_object_set_new(req, "follow", json_true());
			break;
		default:
			return -1;
		}
	}
	if (argc - (optind - 1) != 1)
		return -1;
	json_object_set_new(req, "name", json_string(argv[optind - 1]));
	return 0;
}

static int
supctl_print_logs(struct supctl *sc, json_t *reply)
{
	json_t *v, *msg;
	size_t i;
	bool err;

	if (!json_is_true(json_object_get(reply, "ok")))
		return supctl_error(reply);
	json_array_foreach(json_object_get(reply, "lines"), i, v)
		printf("%s\n", json_string_value(v));
	if (!json_is_true(json_object_get(reply, "follow")))
		return EXIT_OK;
	fflush(stdout);
	while ((msg = supctl_recv(sc, &err)) != NULL) {
		if (sc->json)
			supctl_print_json(msg);
		else if (json_is_string(json_object_get(msg, "log")))
			printf("%s\n", json_string_value(json_object_get(msg, "log")));
		json_decref(msg);
		if (fflush(stdout) == EOF)
			return EXIT_FAILED;
	}
	return err ? EXIT_FAILED : EXIT_OK;
}

static const struct supctl_cmd supctl_cmds[] = {
	{"status", "[NAME...]", 0, -1, NULL, supctl_build_status, supctl_print_status,
	 supctl_print_status_text},
	{"show", "NAME", 1, 1, NULL, supctl_build_name, supctl_print_show, NULL},
	{"start", "[--no-block] NAME...", 1, -1, "b", supctl_build_job, supctl_print_job, NULL},
	{"stop", "[--no-block] NAME...", 1, -1, "b", supctl_build_job, supctl_print_job, NULL},
	{"restart", "[--no-block] NAME...", 1, -1, "b", supctl_build_job, supctl_print_job, NULL},
	{"reset-failed", "NAME...", 1, -1, NULL, supctl_build_names, supctl_print_job, NULL},
	{"reload", "", 0, 0, NULL, supctl_build_none, supctl_print_reload, NULL},
	{"logs", "NAME [-n N] [-f]", 1, 4, "n:f", supctl_build_logs, supctl_print_logs, NULL},
	{"shutdown", "", 0, 0, NULL, supctl_build_none, supctl_print_ok, NULL},
	{"reexec", "", 0, 0, NULL, supctl_build_none, supctl_print_ok, NULL},
};
static const size_t supctl_ncmds = sizeof supctl_cmds / sizeof supctl_cmds[0];

static const struct supctl_cmd *
supctl_find(const char *name)
{
	for (size_t i = 0; i < supctl_ncmds; i++)
		if (strcmp(supctl_cmds[i].name, name) == 0)
			return &supctl_cmds[i];
	return NULL;
}

/* "--no-block" is the long spelling of a job command's -b. */
static void
supctl_long_opts(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--no-block") == 0)
			argv[i] = (char *)"-b";
		else if (strcmp(argv[i], "--follow") == 0)
			argv[i] = (char *)"-f";
		else if (strcmp(argv[i], "--lines") == 0)
			argv[i] = (char *)"-n";
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"socket", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct supctl sc = {.fd = -1};
	const struct supctl_cmd *cmd;
	json_t *req, *reply;
	int c, code, nargs, sent = 0;
	char *line;
	size_t len;
	bool err;

	sc.socket_path = getenv("SUPD_SOCKET");
	if (sc.socket_path == NULL || *sc.socket_path == '\0')
		sc.socket_path = SUPCTL_DEFAULT_SOCKET;
	while ((c = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			sc.socket_path = optarg;
			break;
		case 'j':
			sc.json = true;
			break;
		case 'h':
			supctl_usage(stdout, EXIT_OK);
		default:
			supctl_usage(stderr, EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		supctl_usage(stderr, EXIT_USAGE);
	if ((cmd = supctl_find(argv[0])) == NULL) {
		fprintf(stderr, "supctl: unknown command \"%s\"\n", argv[0]);
		supctl_usage(stderr, EXIT_USAGE);
	}
	supctl_long_opts(argc, argv);
	/* Options of the command come from its own getopt pass in build. */
	nargs = argc - 1;
	if (nargs < cmd->min_args || (cmd->max_args >= 0 && nargs > cmd->max_args) ||
	    (cmd->opts == NULL && nargs > 0 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: supctl %s %s\n", cmd->name, cmd->usage);
		return EXIT_USAGE;
	}
	req = proto_request_new(cmd->name, 1);
	optind = 0; /* glibc: start a fresh scan of the command's own argv */
	opterr = 1;
	if (cmd->build(req, nargs, argv + 1) == -1) {
		fprintf(stderr, "usage: supctl %s %s\n", cmd->name, cmd->usage);
		json_decref(req);
		return EXIT_USAGE;
	}
	sc.colour = output_want_colour();
	if (supctl_connect(&sc) == -1 || (sent = supctl_send(&sc, req)) == -1) {
		json_decref(req);
		return EXIT_UNREACHABLE;
	}
	json_decref(req);
	if ((line = supctl_recv_line(&sc, &err, &len)) != NULL && !sc.json &&
	    cmd->print_text != NULL && (code = cmd->print_text(&sc, line, len)) != -1) {
		free(line);
		goto done;
	}
	if ((reply = line != NULL ? supctl_parse(line, &err) : NULL) == NULL) {
		if (!err && sent == -2)
			fprintf(stderr, "supctl: sending to supd at %s: %s\n", sc.socket_path,
				strerror(EPIPE));
		else if (!err)
			fprintf(stderr, "supctl: supd at %s closed the connection without a reply\n",
				sc.socket_path);
		close(sc.fd);
		proto_buf_free(&sc.in);
		return EXIT_UNREACHABLE;
	}
	supctl_check_version(json_integer_value(json_object_get(reply, "v")));
	if (sc.json) {
		supctl_print_json(reply);
		code = json_is_true(json_object_get(reply, "ok")) ? EXIT_OK : EXIT_FAILED;
		if (code != EXIT_OK &&
		    strcmp(json_string_value(json_object_get(reply, "code")) ?: "",
			   PROTO_E_NO_SUCH_SERVICE) == 0)
			code = EXIT_NO_SUCH_SERVICE;
		if (code == EXIT_OK && strcmp(cmd->name, "logs") == 0) {
			json_object_del(reply, "lines");
			code = supctl_print_logs(&sc, reply);
		}
	} else
		code = cmd->print(&sc, reply);
	json_decref(reply);
done:
	close(sc.fd);
	proto_buf_free(&sc.in);
	if (fflush(stdout) == EOF && code == EXIT_OK) {
		fprintf(stderr, "supctl: writing output: %s\n", strerror(errno));
		code = EXIT_FAILED;
	}
	return code;
}
