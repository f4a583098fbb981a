// A static EL0 program for the ELF runner's own test (a64_elf_run_test.cpp), built four ways
// (-DVARIANT=0..3) and run on rmesim's core and under qemu-aarch64: writes to stdout, checks
// that write(7, ...) (no such file) gives EBADF and an unknown call ENOSYS, then exits with status 3 (0), or
// takes an alignment fault (1, SIGBUS), an UNDEFINED instruction (2, SIGILL) or a load from an
// unmapped address (3, SIGSEGV).
	.text
	.globl	_start
_start:
	adrp	x9, stack_top
	add	sp, x9, :lo12:stack_top
	mov	x0, #1
	adr	x1, hello
	mov	x2, #(hello_end - hello)
	mov	x8, #64
	svc	#0
	cmp	x0, #(hello_end - hello)
	b.ne	fail
	mov	x0, #7			// no such file: EBADF
	mov	x8, #64
	svc	#0
	cmn	x0, #9
	b.ne	fail
	mov	x8, #999		// no such call: ENOSYS
	svc	#0
	cmn	x0, #38
	b.ne	fail
	mov	x0, #1
	adr	x1, after
	mov	x2, #(after_end - after)
	mov	x8, #64
	svc	#0
#if VARIANT == 1
	adrp	x9, stack_top
	add	x9, x9, :lo12:stack_top
	sub	x9, x9, #4
	ldxr	x0, [x9]		// misaligned exclusive: SIGBUS
#elif VARIANT == 2
	udf	#1			// SIGILL
#elif VARIANT == 3
	mov	x9, #0x10		// nothing mapped there: SIGSEGV
	ldr	x0, [x9]
#endif
	mov	x0, #3
	mov	x8, #93
	svc	#0
fail:
	mov	x0, #1
	mov	x8, #93
	svc	#0
hello:
	.ascii	"hello from EL0\n"
hello_end:
after:
	.ascii	"calls checked\n"
after_end:

	.bss
	.balign	16
	.skip	4096
stack_top:
