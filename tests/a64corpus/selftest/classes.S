// For the check-no-fpsimd self-test (not a corpus program): one instruction of each class the
// checker must reject, among base instructions of every top-level group, which it must accept.
	.arch	armv9-a+sve+sme
	.text
	.globl	classes
classes:
	add	x0, x1, x2		// data processing, register
	movz	x3, #0x1234		// data processing, immediate
	ldr	x4, [x5, #8]		// load/store, V = 0
	ldxr	w6, [x7]
	stp	x29, x30, [sp, #-16]!
	fadd	d0, d1, d2		// rejected: SIMD&FP data processing
	ldr	q0, [x0]		// rejected: SIMD&FP load/store
	add	z0.d, z1.d, z2.d	// rejected: SVE
	zero	{za}			// rejected: SME
	mrs	x8, nzcv		// system
	svc	#0
	cbz	x0, 1f			// branches
	b	classes
1:	ret

	.section .note.GNU-stack, "", %progbits
