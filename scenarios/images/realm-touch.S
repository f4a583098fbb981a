// A realm that touches its RAM sparsely (built into realm-touch.elf by scripts/build-realm-images):
// with the MMU off, at EL1, it stores one doubleword to each of COUNT granules, STRIDE bytes
// apart, from IPA FIRST: 1000 granules 64 MB apart span 62.5 GB. Each store to a granule the
// host has not given the realm yet is a stage-2 fault: KVM delegates a granule and maps it with
// RMI_DATA_CREATE_UNKNOWN, and the store is retried. Then PSCI SYSTEM_OFF. The scenario
// bench/realm/sparse-ram.yaml runs it over a 64 GB realm.
	.equ PSCI_SYSTEM_OFF, 0x84000008
	.equ FIRST, 0x80100000
	.equ COUNT, 1000
	.equ STRIDE, 0x4000000

	.text
	.globl _start
_start:
	ldr	x0, =FIRST
	ldr	x1, =COUNT
	ldr	x2, =STRIDE
1:	str	x1, [x0]                // the value: how many granules are left, never zero
	add	x0, x0, x2
	subs	x1, x1, #1
	b.ne	1b
	ldr	x0, =PSCI_SYSTEM_OFF
	smc	#0
2:	wfi
	b	2b
	.ltorg
