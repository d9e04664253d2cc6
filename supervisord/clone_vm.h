/*
 * clone_vm.h - start a child the way posix_spawn does (sharing supd's
 * memory, supd suspended until the child has exec'd or exited), but born
 * in a cgroup: clone3(CLONE_VM | CLONE_VFORK | CLONE_INTO_CGROUP).  Or,
 * without CLONE_VM_WAIT, a child that runs beside supd in supd's memory
 * until it execs (spawn_child.h says what such a child may do).
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
 * but has its own signal dispositions.  With CLONE_VM_SHARE_FDS it shares
 * supd's descriptor table (CLONE_FILES) and must unshare it before it
 * changes a descriptor: the kernel then copies only what the child asks
 * for (close_range(2) with CLOSE_RANGE_UNSHARE), not the whole table.  It
 * must not return from fn: the exit code would be fn's.  The caller blocks every signal
 * around the call, as for fork, until the child has reset the handlers.
 */
#ifndef SUPD_CLONE_VM_H
#define SUPD_CLONE_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Whether this build can do it (x86_64 only for now). */
bool clone_vm_supported(void);

#define CLONE_VM_WAIT 1      /* supd waits until the child has exec'd (CLONE_VFORK) */
#define CLONE_VM_SHARE_FDS 2 /* the child shares supd's descriptor table (CLONE_FILES) */

/* The child's pid, or -1 with errno (ENOSYS where unsupported).  With
 * exec_done, the kernel sets *exec_done to 0 and wakes its futex when the
 * child no longer uses supd's memory (it exec'd or exited:
 * CLONE_CHILD_CLEARTID); the caller sets it non-zero before. */
pid_t clone_vm_into_cgroup(int cgroup_fd, int how, uint32_t *exec_done, int (*fn)(void *),
			   void *arg, void *stack, size_t stack_size);

#endif
