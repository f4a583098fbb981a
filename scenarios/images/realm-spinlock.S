// Two vCPUs of a realm sharing a spinlock (built into realm-spinlock.elf): vCPU 0 starts vCPU 1
// with PSCI_CPU_ON at the same entry; each then takes the lock ITERATIONS times with
// LDAXR/STXR, increments a counter inside it with a plain load and store, and releases it with
// STLR; last, each adds 1 to a `done` word with an exclusive pair. vCPU 0 waits until both are
// done and loads the counter into X9: 2 * ITERATIONS only if no store-exclusive succeeded after
// another core took the lock (the global exclusive monitor, Arm ARM B2.9).
	.equ PSCI_CPU_ON, 0xC4000003
	.equ LOCK, 0x80100000        // +0 lock, +8 counter, +64 done (another reservation granule)
	.equ ITERATIONS, 2000

	.text
	.globl _start
_start:
	ldr	x1, =LOCK
	mrs	x8, mpidr_el1
	and	x8, x8, #0xff
	cbnz	x8, work
	ldr	x0, =PSCI_CPU_ON
	mov	x1, #1                  // target: vCPU 1 (MPIDR aff0 1)
	adr	x2, _start              // entry point
	mov	x3, #0
	smc	#0
	ldr	x1, =LOCK
work:	ldr	x5, =ITERATIONS
	mov	w0, #1
take:	ldaxr	w2, [x1]
	cbnz	w2, take
	stxr	w3, w0, [x1]
	cbnz	w3, take
	ldr	x4, [x1, #8]
	add	x4, x4, #1
	str	x4, [x1, #8]
	stlr	wzr, [x1]
	subs	x5, x5, #1
	b.ne	take
	add	x6, x1, #64
1:	ldxr	x7, [x6]
	add	x7, x7, #1
	stxr	w3, x7, [x6]
	cbnz	w3, 1b
	cbnz	x8, idle
2:	ldr	x7, [x6]               // vCPU 0: until both are done
	cmp	x7, #2
	b.ne	2b
	ldr	x9, [x1, #8]
idle:	b	idle
	.ltorg
