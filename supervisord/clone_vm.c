/*
 * clone_vm.c - clone3 with a child stack (clone_vm.h).
 */
#include "clone_vm.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <linux/sched.h>
#include <sys/syscall.h>

#if defined(__x86_64__)

bool
clone_vm_supported(void)
{
	return true;
}

/*
 * The kernel starts the child after the syscall instruction with every
 * register of the parent but rax (0) and rsp (the top of its stack), so
 * the child must not touch the parent's stack frame: it calls fn at once,
 * from assembly.  rcx and r11 are the syscall instruction's own scratch.
 */
static long
clone3_raw(struct clone_args *ca, int (*fn)(void *), void *arg)
{
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 /* The child: an outermost frame for debuggers. */
			 "xor %%ebp, %%ebp\n\t"
			 "mov %[arg], %%rdi\n\t"
			 "call *%[fn]\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov %[nr_exit], %%eax\n\t"
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone3), "D"(ca), "S"(sizeof *ca), [fn] "r"(fn),
			   [arg] "r"(arg), [nr_exit] "i"(SYS_exit_group)
			 : "rcx", "r11", "memory", "cc");
	return ret;
}

pid_t
clone_vm_into_cgroup(int cgroup_fd, int how, uint32_t *exec_done, int (*fn)(void *), void *arg,
		     void *stack, size_t stack_size)
{
	struct clone_args ca;
	uintptr_t lo = ((uintptr_t)stack + 15) & ~(uintptr_t)15;
	uintptr_t hi = ((uintptr_t)stack + stack_size) & ~(uintptr_t)15;
	long r;

	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_VM | CLONE_INTO_CGROUP;
	if (how & CLONE_VM_WAIT)
		ca.flags |= CLONE_VFORK;
	if (how & CLONE_VM_SHARE_FDS)
		ca.flags |= CLONE_FILES;
	if (exec_done != NULL) {
		ca.flags |= CLONE_CHILD_CLEARTID;
		ca.child_tid = (uint64_t)(uintptr_t)exec_done;
	}
	ca.exit_signal = SIGCHLD;
	ca.cgroup = (uint64_t)cgroup_fd;
	/* The kernel puts the stack pointer at stack + stack_size, which the
	 * call in clone3_raw needs 16-byte aligned. */
	ca.stack = (uint64_t)lo;
	ca.stack_size = (uint64_t)(hi - lo);
	r = clone3_raw(&ca, fn, arg);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (pid_t)r;
}

#else

bool
clone_vm_supported(void)
{
	return false;
}

pid_t
clone_vm_into_cgroup(int cgroup_fd, int how, uint32_t *exec_done, int (*fn)(void *), void *arg,
		     void *stack, size_t stack_size)
{
	(void)cgroup_fd;
	(void)how;
	(void)exec_done;
	(void)fn;
	(void)arg;
	(void)stack;
	(void)stack_size;
	errno = ENOSYS;
	return -1;
}

#endif
