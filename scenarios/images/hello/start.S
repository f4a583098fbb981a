// The payload's entry and vector table (scenarios/images/hello, built into hello.elf by
// scripts/build-realm-images). The RMM starts the REC here at EL1h with the MMU off: set the
// stack, install the vectors, run main(). Every vector entry is unexpected: it passes its
// number to unexpected(), which prints ESR_EL1, ELR_EL1 and FAR_EL1 and powers off.
	.text
	.globl _start
_start:
	ldr	x0, =stack_top
	mov	sp, x0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	bl	main
	b	.

// smc_call(struct smc_regs *r): X0..X8 from r, SMC #0, X0..X8 back into r (SMCCC: the RMM
// answers in X0..X8 and preserves the rest)
	.globl smc_call
smc_call:
	mov	x9, x0
	ldp	x0, x1, [x9]
	ldp	x2, x3, [x9, #16]
	ldp	x4, x5, [x9, #32]
	ldp	x6, x7, [x9, #48]
	ldr	x8, [x9, #64]
	smc	#0
	stp	x0, x1, [x9]
	stp	x2, x3, [x9, #16]
	stp	x4, x5, [x9, #32]
	stp	x6, x7, [x9, #48]
	str	x8, [x9, #64]
	ret

	// VBAR_EL1: 16 entries of 0x80 bytes (current EL with SP_EL0, with SP_ELx, lower EL
	// AArch64, lower EL AArch32; each Synchronous, IRQ, FIQ, SError)
	.balign 2048
vectors:
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign 128
	mov	x0, #\n
	b	unexpected
	.endr
	.ltorg

	.bss
	.balign 16
stack:
	.skip	16384
stack_top:
