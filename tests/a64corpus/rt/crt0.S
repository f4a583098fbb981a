// The corpus programs' entry point: EL0, no libc. Switch to the program's own stack (in .bss,
// so the loader gives no stack and the initial SP does not matter), call main() and exit with
// its return value through sys_exit (rt/sys.S).
	.text
	.globl	_start
	.type	_start, %function
	.balign	4
_start:
	adrp	x0, rt_stack_top
	add	x0, x0, :lo12:rt_stack_top
	mov	sp, x0
	mov	x29, #0			// end of the frame-record chain
	mov	x30, #0
	bl	main
	b	sys_exit		// w0 = main's return value
	.size	_start, . - _start

	.bss
	.balign	16
rt_stack:
	.skip	65536
rt_stack_top:

	.section .note.GNU-stack, "", %progbits
