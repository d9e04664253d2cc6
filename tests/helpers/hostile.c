/*
 * hostile - a misbehaving client of supd's control socket, for the
 * reliability suite (tests/reliability/).  Every mode is bounded in count
 * and time (-t SECONDS, default 60, then exit 124).
 *
 *   hostile -s SOCK conns N HOLD_MS   open N connections at once, send
 *                                     nothing, count "busy" refusals,
 *                                     hold the rest HOLD_MS, close all
 *   hostile -s SOCK silent MS         connect, send nothing for MS ms
 *   hostile -s SOCK half MS           send half a request, wait MS ms,
 *                                     half-close, print the reply
 *   hostile -s SOCK long BYTES        send one line of BYTES bytes
 *   hostile -s SOCK junk              invalid JSON, unknown commands,
 *                                     bad versions...: check each reply
 *   hostile -s SOCK noread N [FIRST]  send the line FIRST (if given), then
 *                                     N status requests, never read; ok
 *                                     when supd drops the connection (or
 *                                     stops reading it for 2 s, unless
 *                                     FIRST was given: then only a drop
 *                                     within 30 s is ok)
 *   hostile -s SOCK burst N [CONNS]   N status requests pipelined over
 *                                     CONNS connections, read every reply
 *   hostile -s SOCK split FILE        connect, send half a status request
 *                                     (id 77), wait until FILE exists,
 *                                     send the rest: ok when the reply
 *                                     to id 77 comes (a connection that
 *                                     lives across `supctl reexec`)
 *   hostile -s SOCK send [MS]         send stdin as is, half-close, copy
 *                                     the replies to stdout until supd
 *                                     closes; with MS hang up after MS ms
 *                                     without reading
 *
 * Results are printed as "MODE key=value ..." on one line; the exit
 * status is 0 when the mode's own checks held, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define REPLY_MAX	(1u << 20)

static const char *sockpath;

static void
usage(void)
{
	fprintf(stderr, "usage: hostile -s SOCK [-t SECONDS] "
	    "conns N HOLD_MS | silent MS | half MS | long BYTES | junk | "
	    "noread N [FIRST] | burst N [CONNS] | split FILE | send [MS]\n");
	exit(2);
}

static void
on_alarm(int sig)
{
	static const char msg[] = "hostile: time limit reached\n";

	(void)sig;
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(125);
	_exit(124);
}

static long
number(const char *s)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		usage();
	return v;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* A connected socket, or -1 with errno. */
static int
connect_sock(void)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(sockpath) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, sockpath);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
must_connect(void)
{
	int fd;

	if ((fd = connect_sock()) == -1) {
		fprintf(stderr, "hostile: connect %s: %s\n", sockpath,
		    strerror(errno));
		exit(1);
	}
	return fd;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Read one line (without '\n') into buf within ms milliseconds.  Returns
 * its length, -1 on EOF before a line, -2 on timeout, -3 on error.
 */
static long
read_line(int fd, char *buf, size_t size, long ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	long deadline = now_ms() + ms, left;
	size_t n = 0;
	ssize_t r;
	char c;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return -2;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if ((r = read(fd, &c, 1)) == 0)
			return -1;
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return errno == ECONNRESET ? -1 : -3;
		}
		if (c == '\n') {
			buf[n] = '\0';
			return (long)n;
		}
		if (n + 1 < size)
			buf[n++] = c;
	}
}

/* True when the peer closed within ms milliseconds (EOF after any data). */
static int
wait_eof(int fd, long ms)
{
	char buf[4096];
	struct pollfd pfd = { fd, POLLIN, 0 };
	long deadline = now_ms() + ms, left;
	ssize_t r;

	while ((left = deadline - now_ms()) > 0) {
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		r = read(fd, buf, sizeof buf);
		if (r == 0 || (r == -1 && errno == ECONNRESET))
			return 1;
		if (r == -1 && errno != EINTR)
			return 1;
	}
	return 0;
}

static int
has_code(const char *line, const char *code)
{
	char pat[96];

	snprintf(pat, sizeof pat, "\"code\":\"%s\"", code);
	return strstr(line, pat) != NULL && strstr(line, "\"ok\":false") != NULL;
}

static void
raise_nofile(long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	if ((rlim_t)want > rl.rlim_cur) {
		rl.rlim_cur = (rlim_t)want < rl.rlim_max ? (rlim_t)want : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int
mode_conns(long n, long hold)
{
	int *fds = calloc((size_t)n, sizeof *fds);
	char line[4096];
	struct pollfd *pfd;
	long opened = 0, busy = 0, other = 0, open = 0, failed = 0, i;
	long deadline, left;

	if (fds == NULL)
		return 1;
	raise_nofile(n + 64);
	for (i = 0; i < n; i++) {
		if ((fds[i] = connect_sock()) == -1)
			failed++;
		else
			opened++;
	}
	/* Every refusal is sent at once; a connection still silent after
	 * that was accepted. */
	pfd = calloc((size_t)n, sizeof *pfd);
	if (pfd == NULL)
		return 1;
	deadline = now_ms() + 2000;
	while ((left = deadline - now_ms()) > 0) {
		for (i = 0; i < n; i++) {
			pfd[i].fd = fds[i];
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)n, (int)left) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (fds[i] == -1 || pfd[i].revents == 0)
				continue;
			if (read_line(fds[i], line, sizeof line, 1000) >= 0 &&
			    has_code(line, "busy") &&
			    strstr(line, "too many connections") != NULL)
				busy++;
			else
				other++;
			close(fds[i]);
			fds[i] = -1;
		}
	}
	for (i = 0; i < n; i++)
		open += fds[i] != -1;
	free(pfd);
	printf("conns tried=%ld opened=%ld connect_failed=%ld busy=%ld "
	    "held=%ld other=%ld\n", n, opened, failed, busy, open, other);
	fflush(stdout);
	sleep_ms(hold);
	for (i = 0; i < n; i++)
		if (fds[i] != -1)
			close(fds[i]);
	free(fds);
	return other == 0 && failed == 0 ? 0 : 1;
}

static int
mode_silent(long ms)
{
	int fd = must_connect();
	int closed = wait_eof(fd, ms);

	printf("silent ms=%ld closed_by_supd=%d\n", ms, closed);
	close(fd);
	return 0;
}

static int
mode_half(long ms)
{
	static const char half[] = "{\"v\":1,\"cmd\":\"sta";
	char line[4096];
	int fd = must_connect();
	long r;

	if (write_all(fd, half, sizeof half - 1) == -1)
		return 1;
	sleep_ms(ms);
	shutdown(fd, SHUT_WR);
	r = read_line(fd, line, sizeof line, 5000);
	printf("half reply=%s\n", r >= 0 ? line : r == -1 ? "EOF" : "none");
	close(fd);
	return r >= 0 && has_code(line, "bad-request") ? 0 : 1;
}

static int
mode_split(const char *file)
{
	static const char first[] = "{\"v\":1,\"id\":77,\"cm", rest[] = "d\":\"status\"}\n";
	char line[1 << 16];
	int fd = must_connect();
	long r;

	if (write_all(fd, first, sizeof first - 1) == -1)
		return 1;
	while (access(file, F_OK) == -1)
		sleep_ms(10);
	if (write_all(fd, rest, sizeof rest - 1) == -1) {
		printf("split reply=none send=%s\n", strerror(errno));
		return 1;
	}
	r = read_line(fd, line, sizeof line, 10000);
	printf("split reply=%.80s\n", r >= 0 ? line : r == -1 ? "EOF" : r == -2 ? "timeout" : "error");
	close(fd);
	return r >= 0 && strstr(line, "\"id\":77") != NULL && strstr(line, "\"ok\":true") != NULL ? 0 : 1;
}

static int
mode_long(long bytes)
{
	char chunk[65536], line[4096];
	int fd = must_connect();
	long sent = 0, r;
	size_t n;

	memset(chunk, 'a', sizeof chunk);
	memcpy(chunk, "{\"v\":1,\"cmd\":\"status\",\"x\":\"", 27);
	while (sent < bytes) {
		n = (size_t)(bytes - sent) < sizeof chunk ? (size_t)(bytes - sent) : sizeof chunk;
		if (write_all(fd, chunk, n) == -1)
			break;
		sent += (long)n;
		if (sent == (long)n)
			memset(chunk, 'a', 27);
	}
	if (sent == bytes)
		(void)write_all(fd, "\"}\n", 3);
	r = read_line(fd, line, sizeof line, 5000);
	printf("long bytes=%ld sent=%ld reply=%s closed=%d\n", bytes, sent,
	    r >= 0 ? line : r == -1 ? "EOF" : "none", wait_eof(fd, 3000));
	close(fd);
	return r >= 0 && has_code(line, "request-too-long") ? 0 : 1;
}

static int
mode_junk(void)
{
	static const struct {
		const char	*req;
		const char	*code;
	} cases[] = {
		{ "not json at all", "bad-request" },
		{ "{", "bad-request" },
		{ "[1,2,3]", "bad-request" },
		{ "\"status\"", "bad-request" },
		{ "42", "bad-request" },
		{ "null", "bad-request" },
		{ "{}", "bad-request" },
		{ "{\"cmd\":\"status\"}", "bad-request" },
		{ "{\"v\":1}", "bad-request" },
		{ "{\"v\":1,\"cmd\":\"\"}", "bad-request" },
		{ "{\"v\":1,\"cmd\":42}", "bad-request" },
		{ "{\"v\":1,\"cmd\":\"status\",\"cmd\":\"stop\"}", "bad-request" },
		{ "{\"v\":\"1\",\"cmd\":\"status\"}", "unsupported-version" },
		{ "{\"v\":2,\"cmd\":\"status\"}", "unsupported-version" },
		{ "{\"v\":-1,\"cmd\":\"status\"}", "unsupported-version" },
		{ "{\"v\":1,\"cmd\":\"rm -rf /\"}", "unknown-command" },
		{ "{\"v\":1,\"cmd\":\"STATUS\"}", "unknown-command" },
		{ "{\"v\":1,\"cmd\":\"exec\",\"argv\":[\"/bin/sh\"]}", "unknown-command" },
		{ "{\"v\":1,\"cmd\":\"status\",\"names\":\"web\"}", "bad-request" },
		{ "{\"v\":1,\"cmd\":\"status\",\"names\":[1]}", "bad-request" },
		{ "{\"v\":1,\"cmd\":\"status\",\"names\":[\"nosuch\"]}", "no-such-service" },
		{ "{\"v\":1,\"cmd\":\"start\"}", "bad-request" },
		{ "{\"v\":1,\"cmd\":\"start\",\"names\":[]}", "bad-request" },
		{ "{\"v\":1,\"cmd\":\"show\"}", "bad-request" },
		{ "{\"v\":1,\"cmd\":\"logs\",\"name\":\"../../etc/passwd\"}", "no-such-service" },
		{ "{\"v\":1,\"cmd\":\"logs\",\"name\":\"x\",\"lines\":-5}", NULL },
		{ "{\"v\":1,\"cmd\":\"status\"\xff\xfe}", "bad-request" },
		{ "{\"v\":1,\"cmd\":\"\xc3\x28\"}", "bad-request" },
		{ "{\"v\":1e400,\"cmd\":\"status\"}", NULL },
		{ "{\"v\":1,\"id\":{\"deep\":[[[[[[[[[[[[]]]]]]]]]]]]},\"cmd\":\"nope\"}", "unknown-command" },
	};
	char line[REPLY_MAX > 65536 ? 65536 : REPLY_MAX];
	int fd = must_connect(), bad = 0;
	size_t i, ncase = sizeof cases / sizeof cases[0];
	long r;

	for (i = 0; i < ncase; i++) {
		if (write_all(fd, cases[i].req, strlen(cases[i].req)) == -1 ||
		    write_all(fd, "\n", 1) == -1) {
			printf("junk case %zu: write: %s\n", i, strerror(errno));
			bad++;
			break;
		}
		r = read_line(fd, line, sizeof line, 5000);
		if (r < 0) {
			printf("junk case %zu %s: no reply (%ld)\n", i, cases[i].req, r);
			bad++;
			break;
		}
		/* NULL: any error reply is right, as long as it is one. */
		if (cases[i].code == NULL ? strstr(line, "\"ok\":false") == NULL :
		    !has_code(line, cases[i].code)) {
			printf("junk case %zu %s: expected %s, got %s\n", i,
			    cases[i].req, cases[i].code ? cases[i].code : "an error", line);
			bad++;
		}
	}
	/* Binary garbage with a NUL, then the connection must still work. */
	if (write_all(fd, "\x01\x00\x02garbage\n", 11) == -1 ||
	    read_line(fd, line, sizeof line, 5000) < 0 || !has_code(line, "bad-request")) {
		printf("junk binary: no bad-request reply\n");
		bad++;
	}
	if (write_all(fd, "{\"v\":1,\"id\":99,\"cmd\":\"status\"}\n", 31) == -1 ||
	    read_line(fd, line, sizeof line, 5000) < 0 ||
	    strstr(line, "\"ok\":true") == NULL || strstr(line, "\"id\":99") == NULL) {
		printf("junk: the connection no longer serves status\n");
		bad++;
	}
	printf("junk cases=%zu wrong=%d\n", ncase + 2, bad);
	close(fd);
	return bad == 0 ? 0 : 1;
}

/* Send requests and never read: supd must drop us, not buffer forever. */
static int
mode_noread(long n, const char *first)
{
	static const char req[] = "{\"v\":1,\"cmd\":\"status\"}\n";
	int fd = must_connect();
	long i, sent = 0;
	int how = 0, flags;
	struct pollfd pfd = { fd, POLLOUT, 0 };

	if (first != NULL && (write_all(fd, first, strlen(first)) == -1 ||
	    write_all(fd, "\n", 1) == -1)) {
		printf("noread: write: %s\n", strerror(errno));
		return 1;
	}

	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	for (i = 0; i < n; i++) {
		ssize_t w = send(fd, req, sizeof req - 1, MSG_NOSIGNAL);

		if (w == (ssize_t)(sizeof req - 1)) {
			sent++;
			continue;
		}
		if (w >= 0) {
			/* A partial request: finish it blocking. */
			fcntl(fd, F_SETFL, flags);
			if (write_all(fd, req + w, sizeof req - 1 - (size_t)w) == -1) {
				how = errno;
				break;
			}
			fcntl(fd, F_SETFL, flags | O_NONBLOCK);
			sent++;
			continue;
		}
		if (errno == EAGAIN) {
			/* supd stopped reading: fine while it drops us soon. */
			if (poll(&pfd, 1, 2000) == 0) {
				how = EAGAIN;
				break;
			}
			i--;
			continue;
		}
		how = errno;
		break;
	}
	/* A follower must be dropped: wait for supd to hang up on us. */
	if (first != NULL && how != EPIPE && how != ECONNRESET) {
		struct pollfd hp = { fd, POLLRDHUP, 0 };

		how = 0;
		if (poll(&hp, 1, 30000) == 1 && (hp.revents & (POLLHUP | POLLERR | POLLRDHUP)))
			how = EPIPE;
	}
	/* Dropped, or held off (supd stopped reading us): both bound supd. */
	printf("noread requests=%ld sent=%ld bytes=%ld dropped=%d stalled=%d how=%s\n",
	    n, sent, sent * (long)(sizeof req - 1), how == EPIPE || how == ECONNRESET,
	    how == EAGAIN, how ? strerror(how) : "all-sent");
	close(fd);
	return how == EPIPE || how == ECONNRESET || how == EAGAIN ? 0 : 1;
}

struct bconn {
	int	 fd;
	long	 tosend;
	long	 sent;
	long	 got;
	size_t	 off;
	char	 buf[65536];
	size_t	 len;
};

static int
mode_burst(long n, long nconn)
{
	static const char req[] = "{\"v\":1,\"cmd\":\"status\"}\n";
	struct bconn *c = calloc((size_t)nconn, sizeof *c);
	struct pollfd *pfd = calloc((size_t)nconn, sizeof *pfd);
	long i, replies = 0, ok = 0, done = 0, t0 = now_ms(), maxlat = 0;

	if (c == NULL || pfd == NULL)
		return 1;
	raise_nofile(nconn + 64);
	for (i = 0; i < nconn; i++) {
		c[i].fd = must_connect();
		c[i].tosend = n / nconn + (i < n % nconn);
		fcntl(c[i].fd, F_SETFL, fcntl(c[i].fd, F_GETFL) | O_NONBLOCK);
	}
	while (done < nconn) {
		for (i = 0; i < nconn; i++) {
			pfd[i].fd = c[i].got < c[i].tosend ? c[i].fd : -1;
			pfd[i].events = POLLIN | (c[i].sent < c[i].tosend ? POLLOUT : 0);
		}
		if (poll(pfd, (nfds_t)nconn, 10000) <= 0) {
			printf("burst: stalled after %ld replies\n", replies);
			break;
		}
		for (i = 0; i < nconn; i++) {
			ssize_t r;
			char *nl, *p;

			if (pfd[i].revents & POLLOUT) {
				r = send(c[i].fd, req + c[i].off, sizeof req - 1 - c[i].off, MSG_NOSIGNAL);
				if (r > 0 && (c[i].off += (size_t)r) == sizeof req - 1) {
					c[i].off = 0;
					c[i].sent++;
				}
			}
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(c[i].fd, c[i].buf + c[i].len, sizeof c[i].buf - c[i].len);
			if (r <= 0) {
				if (r == -1 && errno == EAGAIN)
					continue;
				printf("burst: connection %ld closed after %ld replies\n", i, c[i].got);
				c[i].tosend = c[i].got;
				done++;
				continue;
			}
			c[i].len += (size_t)r;
			p = c[i].buf;
			while ((nl = memchr(p, '\n', c[i].len - (size_t)(p - c[i].buf))) != NULL) {
				*nl = '\0';
				replies++;
				c[i].got++;
				if (strstr(p, "\"ok\":true") != NULL)
					ok++;
				p = nl + 1;
			}
			c[i].len -= (size_t)(p - c[i].buf);
			memmove(c[i].buf, p, c[i].len);
			if (c[i].len == sizeof c[i].buf) {
				printf("burst: a reply over %zu bytes\n", sizeof c[i].buf);
				c[i].len = 0;
			}
			if (c[i].got == c[i].tosend)
				done++;
		}
	}
	maxlat = now_ms() - t0;
	printf("burst requests=%ld conns=%ld replies=%ld ok=%ld ms=%ld per_sec=%ld\n",
	    n, nconn, replies, ok, maxlat, maxlat > 0 ? replies * 1000 / maxlat : replies);
	for (i = 0; i < nconn; i++)
		close(c[i].fd);
	free(c);
	free(pfd);
	return replies == n && ok == n ? 0 : 1;
}

static int
mode_send(long ms)
{
	char buf[65536];
	int fd = must_connect();
	ssize_t r;

	while ((r = read(0, buf, sizeof buf)) > 0)
		if (write_all(fd, buf, (size_t)r) == -1)
			break;
	shutdown(fd, SHUT_WR);
	if (ms >= 0) {
		sleep_ms(ms);
		close(fd);
		return 0;
	}
	while ((r = read(fd, buf, sizeof buf)) > 0)
		if (fwrite(buf, 1, (size_t)r, stdout) != (size_t)r)
			return 1;
	close(fd);
	return r == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	long limit = 60;
	int ch;

	while ((ch = getopt(argc, argv, "+s:t:")) != -1) {
		switch (ch) {
		case 's':
			sockpath = optarg;
			break;
		case 't':
			limit = number(optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (sockpath == NULL || argc < 1)
		usage();
	signal(SIGALRM, on_alarm);
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)limit);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[0], "conns") == 0 && argc == 3)
		return mode_conns(number(argv[1]), number(argv[2]));
	if (strcmp(argv[0], "silent") == 0 && argc == 2)
		return mode_silent(number(argv[1]));
	if (strcmp(argv[0], "half") == 0 && argc == 2)
		return mode_half(number(argv[1]));
	if (strcmp(argv[0], "long") == 0 && argc == 2)
		return mode_long(number(argv[1]));
	if (strcmp(argv[0], "junk") == 0 && argc == 1)
		return mode_junk();
	if (strcmp(argv[0], "noread") == 0 && (argc == 2 || argc == 3))
		return mode_noread(number(argv[1]), argc == 3 ? argv[2] : NULL);
	if (strcmp(argv[0], "burst") == 0 && (argc == 2 || argc == 3))
		return mode_burst(number(argv[1]), argc == 3 ? number(argv[2]) : 1);
	if (strcmp(argv[0], "split") == 0 && argc == 2)
		return mode_split(argv[1]);
	if (strcmp(argv[0], "send") == 0 && (argc == 1 || argc == 2))
		return mode_send(argc == 2 ? number(argv[1]) : -1);
	usage();
	return 2;
}
