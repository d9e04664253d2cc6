/*
 * rawsys.h - a system call without going through libc: raw_sys(nr, args...)
 * returns the result, or -errno, and on x86_64 never touches errno.
 *
 * Two users: the fd holder program, built without libc on x86_64
 * (fdholder/), and a child that runs in supd's memory before its exec and
 * so shares supd's errno (spawn_child.c).  Elsewhere libc's syscall()
 * stands in; there neither runs without libc nor beside supd.
 */
#ifndef SUPD_RAWSYS_H
#define SUPD_RAWSYS_H

#if defined(__x86_64__)
static inline long
raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#else
#include <errno.h>
#include <unistd.h>

static inline long
raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long r = syscall(nr, a1, a2, a3, a4, a5, a6);

	return r == -1 ? -errno : r;
}
#endif

#define RAW_SYS_(nr, a, b, c, d, e, f, ...)                                                        \
	raw_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define raw_sys(...) RAW_SYS_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)

#endif
