/*
 * supd-fdholder.c - the fd holder program (supervisord/fdholder.h): keeps a
 * copy of every service's output pipe so that the pipes outlive supd.
 *
 * supd starts it once, by fork and exec, with the listening socket as
 * descriptor FDHOLDER_LISTEN_FD, in its own session, with every signal but
 * SIGKILL, SIGSTOP and SIGCHLD ignored and no other descriptor; its one
 * argument, the socket's path, is for ps(1) only.  It is a program of its
 * own, not a fork of supd, for its memory: a fork keeps the ~1.5 MiB of
 * libc and supd pages it touches resident, this keeps a few pages.  Hence, on x86_64, no libc at all (-nostdlib -ffreestanding): its
 * own _start, system calls by inline assembly, and the mem* functions the
 * compiler may call.  Elsewhere the same source is linked with libc and
 * makes the same calls through syscall(2); supd links it too, built with
 * FDHOLDER_IN_SUPD, to run the loop in a fork of itself when this program
 * cannot be executed.  libc's headers are used either way, for the
 * kernel's structures and constants only.
 *
 * The protocol (one SOCK_SEQPACKET message per request and per reply, fds
 * as SCM_RIGHTS), one client at a time:
 * "S name" + 2 fds stores (no reply), "F name" -> "ok" + 2 fds or "none",
 * "D name" -> "ok", "R path" -> "ok" or "error" (listen at path anew),
 * "Q" exits, anything else -> "error"; a client's EOF ends its turn.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "fdholder.h"

/* Every system call goes through raw_sys(): the result, or -errno. */
#include "rawsys.h"

#if !__STDC_HOSTED__
#ifndef __x86_64__
#error "supd-fdholder is built without libc on x86_64 only"
#endif

/* The kernel enters at _start with argc at the stack pointer, argv and the
 * environment after it.  The holder needs neither; the stack is aligned
 * for the C function anyway. */
void fh_start(void) __attribute__((noreturn, used));
__asm__(".text\n"
	".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	and $-16, %rsp\n"
	"	call fh_start\n"
	"	hlt\n");

/* The compiler may emit calls to these for copies and initializers even
 * when the code does not name them. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *
memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst - (uintptr_t)src >= n)
		return memcpy(dst, src, n);
	/* Overlapping with dst above src: copy from the end down. */
	void *d = (char *)dst + n - 1;
	const void *s = (const char *)src + n - 1;

	__asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}
#else
#include <string.h>
#endif

/* What the holder keeps: per entry, its name's place in the arena and both
 * ends of the pipe, 16 bytes; the names one after the other, without NUL,
 * in an arena where a dropped name is garbage until compaction.  Both are
 * mappings of their own, grown with mremap, so a thousand services cost a
 * few pages, not a thousand 512-byte slots. */
struct fh_entry {
	uint32_t name; /* offset in the arena */
	uint32_t len;
	int fds[2];
};

struct fh_table {
	struct fh_entry *entries;
	size_t n, entries_size; /* entries used; bytes mapped */
	char *arena;
	size_t used, garbage, arena_size; /* bytes */
};

#define FH_PAGE 4096

static void __attribute__((noreturn))
fh_exit(int code)
{
	for (;;)
		raw_sys(SYS_exit_group, code);
}

static void
fh_close(int fd)
{
	/* Nothing to do about a failed close: the descriptor is gone anyway
	 * (Linux frees it even on EINTR). */
	(void)raw_sys(SYS_close, fd);
}

static size_t
fh_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

static void *
fh_mmap(size_t size)
{
#ifdef SYS_mmap2
	long p = raw_sys(SYS_mmap2, 0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#else
	long p = raw_sys(SYS_mmap, 0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#endif
	return p < 0 && p > -4096 ? NULL : (void *)p;
}

/* The size a mapping for need bytes gets: a power of two pages, so that
 * growing one name or entry at a time remaps rarely. */
static size_t
fh_size_for(size_t need)
{
	size_t size = FH_PAGE;

	while (size < need)
		size *= 2;
	return size;
}

/* Map, move or unmap (size 0) *p, of *size bytes, to size bytes.  0, or
 * -errno with *p unchanged. */
static int
fh_remap(void **p, size_t *cur, size_t size)
{
	long r;

	if (size == *cur)
		return 0;
	if (size == 0) {
		if ((r = raw_sys(SYS_munmap, *p, *cur)) < 0)
			return (int)r;
		*p = NULL;
	} else if (*p == NULL) {
		if ((*p = fh_mmap(size)) == NULL)
			return -ENOMEM;
	} else {
		r = raw_sys(SYS_mremap, *p, *cur, size, MREMAP_MAYMOVE);
		if (r < 0 && r > -4096)
			return (int)r;
		*p = (void *)r;
	}
	*cur = size;
	return 0;
}

/* Room for need bytes in *p. */
static int
fh_reserve(void **p, size_t *cur, size_t need)
{
	return need <= *cur ? 0 : fh_remap(p, cur, fh_size_for(need));
}

static struct fh_entry *
fh_find(struct fh_table *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->entries[i].len == len && memcmp(t->arena + t->entries[i].name, name, len) == 0)
			return &t->entries[i];
	return NULL;
}

/* Once half the arena is dropped names, copy the live ones to a new
 * mapping of the size they need.  If that mapping cannot be had, the
 * garbage stays: a later drop tries again. */
static void
fh_compact(struct fh_table *t)
{
	size_t live = t->used - t->garbage, off = 0, fresh_size = 0;
	void *fresh = NULL;

	if (t->garbage == 0 || t->garbage < live)
		return;
	if (live > 0 && fh_remap(&fresh, &fresh_size, fh_size_for(live)) < 0)
		return;
	for (size_t i = 0; i < t->n; i++) {
		memcpy((char *)fresh + off, t->arena + t->entries[i].name, t->entries[i].len);
		t->entries[i].name = (uint32_t)off;
		off += t->entries[i].len;
	}
	/* munmap fails only on a bad range: that would leave memory mapped,
	 * nothing worse. */
	(void)fh_remap((void **)&t->arena, &t->arena_size, 0);
	t->arena = fresh;
	t->arena_size = fresh_size;
	t->used = live;
	t->garbage = 0;
}

/* "S name": keep fds under name, closing a pair it replaces.  If there is
 * no memory for it the pair is closed: supd's next fetch gets "none" and
 * the service a new pipe, as if the holder had never had it. */
static void
fh_store(struct fh_table *t, const char *name, size_t len, const int fds[2])
{
	struct fh_entry *e = fh_find(t, name, len);

	if (e != NULL) {
		fh_close(e->fds[0]);
		fh_close(e->fds[1]);
	} else {
		if (t->used + len > UINT32_MAX ||
		    fh_reserve((void **)&t->entries, &t->entries_size, (t->n + 1) * sizeof *e) < 0 ||
		    fh_reserve((void **)&t->arena, &t->arena_size, t->used + len) < 0) {
			fh_close(fds[0]);
			fh_close(fds[1]);
			return;
		}
		e = &t->entries[t->n++];
		e->name = (uint32_t)t->used;
		e->len = (uint32_t)len;
		if (len > 0)
			memcpy(t->arena + t->used, name, len);
		t->used += len;
	}
	e->fds[0] = fds[0];
	e->fds[1] = fds[1];
}

/* "D name": forget it; the last entry takes its place. */
static void
fh_drop(struct fh_table *t, const char *name, size_t len)
{
	struct fh_entry *e = fh_find(t, name, len);

	if (e == NULL)
		return;
	fh_close(e->fds[0]);
	fh_close(e->fds[1]);
	t->garbage += e->len;
	*e = t->entries[--t->n];
	/* Give back what a shrunk table no longer needs (a failed remap
	 * leaves it mapped, which is only memory). */
	if (t->n == 0)
		(void)fh_remap((void **)&t->entries, &t->entries_size, 0);
	else if (t->n * sizeof *e * 4 <= t->entries_size && t->entries_size > FH_PAGE)
		(void)fh_remap((void **)&t->entries, &t->entries_size, t->entries_size / 2);
	fh_compact(t);
}

static long
fh_send(int sock, const char *msg, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} c;
	struct iovec iov = {(void *)msg, fh_strnlen(msg, FDHOLDER_MSG)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	long r;

	if (nfds > 0) {
		struct cmsghdr *cm;

		memset(&c, 0, sizeof c);
		mh.msg_control = c.buf;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	}
	do
		r = raw_sys(SYS_sendmsg, sock, &mh, MSG_NOSIGNAL);
	while (r == -EINTR);
	return r;
}

/* The next control message, without libc's __cmsg_nxthdr. */
static struct cmsghdr *
fh_cmsg_next(struct msghdr *mh, struct cmsghdr *cm)
{
	char *end = (char *)mh->msg_control + mh->msg_controllen;
	char *next = (char *)cm + CMSG_ALIGN(cm->cmsg_len);

	if (cm->cmsg_len < sizeof *cm || next + sizeof *cm > end ||
	    next + CMSG_ALIGN(((struct cmsghdr *)next)->cmsg_len) > end)
		return NULL;
	return (struct cmsghdr *)next;
}

/* One request into buf (NUL-terminated), up to 2 descriptors into fds
 * (-1 when absent), close-on-exec.  Its length, 0 at EOF, or -errno. */
static long
fh_recv(int sock, char *buf, size_t len, int fds[2])
{
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} c;
	struct iovec iov = {buf, len - 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			    .msg_controllen = sizeof c.buf};
	struct cmsghdr *cm;
	long n;

	fds[0] = fds[1] = -1;
	do
		n = raw_sys(SYS_recvmsg, sock, &mh, MSG_CMSG_CLOEXEC);
	while (n == -EINTR);
	if (n < 0)
		return n;
	buf[n] = '\0';
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = fh_cmsg_next(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			memcpy(fds, CMSG_DATA(cm), (k > 2 ? 2 : k) * sizeof(int));
		}
	return n;
}

/* A listening socket at path (a stale file replaced), mode 0600: the fd or
 * -errno.  As fdholder_listen() in supd. */
static int
fh_listen(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len = fh_strnlen(path, sizeof sa.sun_path);
	long fd, r;

	if (len >= sizeof sa.sun_path)
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, len);
	if ((fd = raw_sys(SYS_socket, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return (int)fd;
	/* A missing file is the usual case; any other error shows at bind. */
	(void)raw_sys(SYS_unlinkat, AT_FDCWD, path, 0);
	if ((r = raw_sys(SYS_bind, fd, &sa, sizeof sa)) < 0 || (r = raw_sys(SYS_listen, fd, 4)) < 0 ||
	    (r = raw_sys(SYS_fchmodat, AT_FDCWD, path, 0600, 0)) < 0) {
		fh_close((int)fd);
		return (int)r;
	}
	return (int)fd;
}

/* One request from client; *lfd changes on "R". */
static void
fh_handle(struct fh_table *t, int client, int *lfd, char *msg, long n, int fds[2])
{
	const char *name = msg + 2;
	size_t len = n >= 2 ? fh_strnlen(name, (size_t)n - 2) : 0;
	int kept = 0;

	if (msg[0] == 'S' && msg[1] == ' ' && fds[0] >= 0 && fds[1] >= 0) {
		fh_store(t, name, len, fds);
		kept = 1; /* no reply: a store is fire-and-forget */
	} else if (msg[0] == 'F' && msg[1] == ' ') {
		struct fh_entry *e = fh_find(t, name, len);

		if (e != NULL)
			fh_send(client, "ok", e->fds, 2);
		else
			fh_send(client, "none", NULL, 0);
	} else if (msg[0] == 'D' && msg[1] == ' ') {
		fh_drop(t, name, len);
		fh_send(client, "ok", NULL, 0);
	} else if (msg[0] == 'R' && msg[1] == ' ') {
		/* The state directory was removed and recreated: listen at the
		 * path again, so that the next supd finds us. */
		int nl = fh_listen(name);

		if (nl >= 0) {
			fh_close(*lfd);
			*lfd = nl;
		}
		fh_send(client, nl >= 0 ? "ok" : "error", NULL, 0);
	} else if (msg[0] == 'Q') {
		fh_exit(0);
	} else {
		fh_send(client, "error", NULL, 0);
	}
	for (int i = 0; i < 2 && !kept; i++)
		if (fds[i] >= 0)
			fh_close(fds[i]);
}

/* Started by hand, descriptor 3 is not our listening socket: say so
 * rather than spin on a descriptor that poll() calls invalid. */
static void
fh_check_listener(int fd)
{
	static const char usage[] = FDHOLDER_PROG ": started by supd only, with its listening "
					"socket as descriptor 3\n";
	int on = 0;
	socklen_t len = sizeof on;

	if (raw_sys(SYS_getsockopt, fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 && on)
		return;
	(void)raw_sys(SYS_write, 2, usage, sizeof usage - 1); /* no stderr: nothing to do */
	fh_exit(2);
}

static void __attribute__((noreturn))
fh_serve(void)
{
	struct fh_table t = {0};
	int lfd = FDHOLDER_LISTEN_FD, client = -1;

	fh_check_listener(lfd);
	for (;;) {
		struct pollfd pfd = {client >= 0 ? client : lfd, POLLIN, 0};
		char msg[FDHOLDER_MSG];
		int fds[2];
		long r;

		r = raw_sys(SYS_ppoll, &pfd, 1, NULL, NULL, 0);
		if (r == -EINTR)
			continue;
		if (r < 0)
			fh_exit(111);
		if (client < 0) {
			/* A failed accept (the client gave up, no memory) leaves
			 * us listening. */
			r = raw_sys(SYS_accept4, lfd, NULL, NULL, SOCK_CLOEXEC);
			client = r >= 0 ? (int)r : -1;
			continue;
		}
		r = fh_recv(client, msg, sizeof msg, fds);
		if (r <= 0) {
			/* supd went away (crashed or exec'd): wait for the next. */
			fh_close(client);
			client = -1;
			continue;
		}
		fh_handle(&t, client, &lfd, msg, r, fds);
	}
}

#if !__STDC_HOSTED__
void
fh_start(void)
{
	fh_serve();
}
#elif defined(FDHOLDER_IN_SUPD)
/* The same loop in a fork of supd, for when this program cannot be
 * executed (supervisord/fdholder.c): one implementation of the protocol. */
void
fdholder_program_serve(void)
{
	fh_serve();
}
#else
int
main(void)
{
	fh_serve();
}
#endif
