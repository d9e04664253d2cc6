/*
 * clone_vm.h - start a child the way posix_spawn does (sharing supd's
 * memory, supd suspended until the child has exec'd or exited), but born
 * in a cgroup: clone3(CLONE_VM | CLONE_VFORK | CLONE_INTO_CGROUP).
 *
 * Why: fork() copies supd's page tables and then both sides pay a
 * copy-on-write fault for every page they write, a cost that grows with
 * the number of services; this child costs the same at 10 services as at
 * 10000.  glibc 2.36 has no clone3 wrapper, and a child that shares memory
 * needs its own stack from its first instruction, hence a few lines of
 * assembly per architecture.
 *
 * The child runs fn(arg) on stack[0..stack_size) and must end in execve or
 * _exit; it shares supd's memory and thread-local storage (errno included)
 * but has its own signal dispositions.  With share_fds it also shares
 * supd's descriptor table (CLONE_FILES) and must unshare it before it
 * changes a descriptor: the kernel then copies only what the child asks
 * for (close_range(2) with CLOSE_RANGE_UNSHARE), not the whole table.  It must not return
 * from fn: the exit code would be fn's.  The caller blocks every signal
 * around the call, as for fork, until the child has reset the handlers.
 */
#ifndef SUPD_CLONE_VM_H
#define SUPD_CLONE_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Whether this build can do it (x86_64 only for now). */
bool clone_vm_supported(void);

/* The child's pid, or -1 with errno (ENOSYS where unsupported). */
pid_t clone_vm_into_cgroup(int cgroup_fd, bool share_fds, int (*fn)(void *), void *arg,
			   void *stack, size_t stack_size);

#endif
