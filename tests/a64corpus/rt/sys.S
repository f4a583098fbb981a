// The two system calls the corpus uses, the Linux AArch64 way: number in x8, arguments in
// x0-x2, SVC #0, result in x0 (a negative errno on failure). Numbers from Linux's generic
// table (include/uapi/asm-generic/unistd.h: __NR_write 64, __NR_exit 93).
	.text
	.globl	sys_write
	.type	sys_write, %function
	.balign	4
// long sys_write(int fd, const void *buf, size_t len)
sys_write:
	mov	x8, #64
	svc	#0
	ret
	.size	sys_write, . - sys_write

	.globl	sys_exit
	.type	sys_exit, %function
	.balign	4
// _Noreturn void sys_exit(int status): the process's exit status is status & 0xff.
sys_exit:
	mov	x8, #93
	svc	#0
1:	b	1b			// exit does not return
	.size	sys_exit, . - sys_exit

	.section .note.GNU-stack, "", %progbits
