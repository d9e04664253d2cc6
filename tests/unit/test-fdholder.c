/*
 * test-fdholder.c - the supd-fdholder program against supd's client side
 * (fdholder.h) and raw requests: every request's reply, a store that
 * replaces, names of the longest length, a client's EOF, "R" and "Q"; and
 * a thousand entries stored, most dropped (the arena compacted) and stored
 * again, with the program staying a few pages resident.  The program is
 * started here as supd starts it, with its listening socket as fd 3.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdholder.h"
#include "testlib.h"

/* build/asan/tests/test-fdholder -> build/asan/bin/supd-fdholder */
static char *
holder_prog(void)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 64);
	char *slash;

	ASSERT(n > 0);
	path[n] = '\0';
	slash = strrchr(path, '/');
	ASSERT(slash != NULL);
	strcpy(slash, "/../bin/" FDHOLDER_PROG);
	if (access(path, X_OK) != 0)
		test_fail(__FILE__, __LINE__, "%s: %s (make SANITIZE=1 test-bins)", path,
			  strerror(errno));
	return path;
}

static int
listen_at(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	ASSERT(fd >= 0);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	unlink(path);
	ASSERT(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	ASSERT(listen(fd, 4) == 0);
	return fd;
}

/* The program listening at DIR/fdholder.sock; its pid. */
static pid_t
start_holder(const char *dir)
{
	char *sock, *prog = holder_prog();
	int lfd;
	pid_t pid;

	ASSERT(asprintf(&sock, "%s/%s", dir, FDHOLDER_SOCK) > 0);
	lfd = listen_at(sock);
	free(sock);
	ASSERT((pid = fork()) >= 0);
	if (pid == 0) {
		/* A failed test must not leave it behind. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
			_exit(125);
		/* dup2 onto itself would leave close-on-exec set. */
		if (lfd == FDHOLDER_LISTEN_FD ? fcntl(lfd, F_SETFD, 0) == -1
					      : dup2(lfd, FDHOLDER_LISTEN_FD) == -1)
			_exit(126);
		execl(prog, FDHOLDER_PROG, (char *)NULL);
		_exit(127);
	}
	close(lfd);
	return pid;
}

static int
connect_to(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	ASSERT(fd >= 0);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	return fd;
}

/* A raw request without descriptors: the reply, and how many came with it. */
static const char *
raw_request(int fd, const char *msg, int *nfds)
{
	static char reply[64];
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = {reply, sizeof reply - 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof cbuf};
	struct cmsghdr *cm;
	ssize_t n;

	ASSERT_EQ(send(fd, msg, strlen(msg), MSG_NOSIGNAL), (ssize_t)strlen(msg));
	n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	ASSERT(n > 0);
	reply[n] = '\0';
	*nfds = 0;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_type == SCM_RIGHTS) {
			int got[2];

			*nfds = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(got, CMSG_DATA(cm), (size_t)*nfds * sizeof(int));
			for (int i = 0; i < *nfds; i++)
				close(got[i]);
		}
	return reply;
}

/* The fetched pair is the stored pipe: a byte written into the fetched
 * write end comes out of the read end kept here. */
static void
assert_same_pipe(const int got[2], int kept_read)
{
	char c = 0;

	ASSERT_EQ(write(got[1], "x", 1), 1);
	ASSERT_EQ(read(kept_read, &c, 1), 1);
	ASSERT_EQ(c, 'x');
	ASSERT(fcntl(got[0], F_GETFD) & FD_CLOEXEC);
	close(got[0]);
	close(got[1]);
}

static long
vmrss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	ASSERT((f = fopen(path, "r")) != NULL);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Built without libc (x86_64), the program keeps a few pages; against
 * libc (elsewhere, or FDHOLDER_NOLIBC=0) libc's pages count too. */
static int
uses_libc(pid_t pid)
{
	char path[64], line[512];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	ASSERT((f = fopen(path, "r")) != NULL);
	while (!found && fgets(line, sizeof line, f) != NULL)
		found = strstr(line, "/libc") != NULL;
	fclose(f);
	return found;
}

static int
exit_status(pid_t pid)
{
	int st;

	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	ASSERT(WIFEXITED(st));
	return WEXITSTATUS(st);
}

TEST(fdholder_protocol)
{
	const char *dir = test_tmpdir();
	pid_t pid = start_holder(dir);
	char *cause = NULL, *sock, name[FDHOLDER_MSG];
	struct fdholder *h = fdholder_open(dir, &cause);
	int p[2], q[2], got[2], fd, nfds;

	ASSERT(h != NULL);
	ASSERT_EQ(fdholder_fetch(h, "a", got), -ENOENT);
	ASSERT(pipe(p) == 0 && pipe(q) == 0);
	ASSERT_EQ(fdholder_store(h, "a", p), 0);
	ASSERT_EQ(fdholder_fetch(h, "a", got), 0);
	assert_same_pipe(got, p[0]);
	/* A second store under a name replaces the first pair. */
	ASSERT_EQ(fdholder_store(h, "a", q), 0);
	ASSERT_EQ(fdholder_fetch(h, "a", got), 0);
	assert_same_pipe(got, q[0]);
	/* The longest name a request holds. */
	memset(name, 'n', FDHOLDER_MSG - 3);
	name[FDHOLDER_MSG - 3] = '\0';
	ASSERT_EQ(fdholder_store(h, name, p), 0);
	ASSERT_EQ(fdholder_fetch(h, name, got), 0);
	assert_same_pipe(got, p[0]);
	name[FDHOLDER_MSG - 4] = '\0';
	ASSERT_EQ(fdholder_fetch(h, name, got), -ENOENT);
	fdholder_drop(h, "a");
	ASSERT_EQ(fdholder_fetch(h, "a", got), -ENOENT);
	fdholder_drop(h, "never stored");
	fdholder_close(h);

	/* EOF ends a client's turn, not what is held; raw requests. */
	ASSERT(asprintf(&sock, "%s/%s", dir, FDHOLDER_SOCK) > 0);
	fd = connect_to(sock);
	ASSERT_STR_EQ(raw_request(fd, "S b", &nfds), "error"); /* no fds */
	ASSERT_STR_EQ(raw_request(fd, "what", &nfds), "error");
	ASSERT_STR_EQ(raw_request(fd, "D b", &nfds), "ok");
	ASSERT_STR_EQ(raw_request(fd, "F b", &nfds), "none");
	ASSERT_EQ(nfds, 0);
	name[FDHOLDER_MSG - 4] = 'n';
	{
		char msg[FDHOLDER_MSG + 8];

		snprintf(msg, sizeof msg, "F %s", name);
		ASSERT_STR_EQ(raw_request(fd, msg, &nfds), "ok");
		ASSERT_EQ(nfds, 2);
	}
	ASSERT_STR_EQ(raw_request(fd, "R /nonexistent/dir/fdholder.sock", &nfds), "error");
	ASSERT_STR_EQ(raw_request(fd, "F b", &nfds), "none"); /* still serving */
	/* "R": listen at another path (the state directory was recreated). */
	free(sock);
	ASSERT(asprintf(&sock, "%s/again.sock", dir) > 0);
	{
		char msg[FDHOLDER_MSG];

		snprintf(msg, sizeof msg, "R %s", sock);
		ASSERT_STR_EQ(raw_request(fd, msg, &nfds), "ok");
	}
	close(fd);
	fd = connect_to(sock);
	{
		char msg[FDHOLDER_MSG + 8];

		snprintf(msg, sizeof msg, "F %s", name);
		ASSERT_STR_EQ(raw_request(fd, msg, &nfds), "ok");
	}
	ASSERT_EQ(send(fd, "Q", 1, MSG_NOSIGNAL), 1);
	ASSERT_EQ(exit_status(pid), 0);
	close(fd);
	free(sock);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* A thousand services: 16 bytes and a name each, not a 512-byte slot;
 * most dropped and stored again under new names (the arena compacts). */
TEST(fdholder_thousand)
{
	enum { N = 1000 };
	const char *dir = test_tmpdir();
	pid_t pid = start_holder(dir);
	char *cause = NULL, name[64];
	struct fdholder *h = fdholder_open(dir, &cause);
	static int keep[N]; /* the read end of each stored pipe */
	int p[2], got[2];
	long rss;

	ASSERT(h != NULL);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "service-number-%d", i);
		ASSERT(pipe(p) == 0);
		ASSERT_EQ(fdholder_store(h, name, p), 0);
		keep[i] = p[0];
		close(p[1]);
	}
	ASSERT_EQ(fdholder_fetch(h, "service-number-999", got), 0);
	assert_same_pipe(got, keep[999]);
	rss = vmrss_kb(pid);
	printf("# holder VmRSS with %d entries: %ld kB\n", N, rss);
	if (rss >= 200 && !uses_libc(pid))
		test_fail(__FILE__, __LINE__, "holder VmRSS %ld kB with %d entries", rss, N);
	/* Drop nine in ten, then store as many under longer names. */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			if (i % 10 == 0)
				continue;
			snprintf(name, sizeof name, "service-number-%d", i);
			if (round > 0)
				snprintf(name, sizeof name, "service-%d-round-%d", i, round);
			fdholder_drop(h, name);
		}
		for (int i = 0; i < N; i++) {
			if (i % 10 == 0)
				continue;
			close(keep[i]);
			snprintf(name, sizeof name, "service-%d-round-%d", i, round + 1);
			ASSERT(pipe(p) == 0);
			ASSERT_EQ(fdholder_store(h, name, p), 0);
			keep[i] = p[0];
			close(p[1]);
		}
	}
	for (int i = 0; i < N; i++) {
		if (i % 10 == 0)
			snprintf(name, sizeof name, "service-number-%d", i);
		else
			snprintf(name, sizeof name, "service-%d-round-3", i);
		ASSERT_EQ(fdholder_fetch(h, name, got), 0);
		assert_same_pipe(got, keep[i]);
		snprintf(name, sizeof name, "service-%d-round-2", i);
		ASSERT_EQ(fdholder_fetch(h, name, got), -ENOENT);
	}
	rss = vmrss_kb(pid);
	printf("# holder VmRSS after 3 rounds of drops: %ld kB\n", rss);
	ASSERT(rss < 200 || uses_libc(pid));
	/* Every entry dropped: nothing held, both mappings given back. */
	for (int i = 0; i < N; i++) {
		if (i % 10 == 0)
			snprintf(name, sizeof name, "service-number-%d", i);
		else
			snprintf(name, sizeof name, "service-%d-round-3", i);
		fdholder_drop(h, name);
		close(keep[i]);
	}
	ASSERT_EQ(fdholder_fetch(h, "service-number-0", got), -ENOENT);
	ASSERT(pipe(p) == 0);
	ASSERT_EQ(fdholder_store(h, "last", p), 0);
	ASSERT_EQ(fdholder_fetch(h, "last", got), 0);
	assert_same_pipe(got, p[0]);
	close(p[0]);
	close(p[1]);
	fdholder_quit(h);
	ASSERT_EQ(exit_status(pid), 0);
}
