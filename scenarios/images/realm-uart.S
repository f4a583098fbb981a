// A realm's first instructions, in A64 (built into realm-uart.elf by scripts/build-realm-images):
// with the MMU off, at EL1, it asks the RMM for its version and configuration by SMC, computes
// PROT_NS_SHARED = BIT(ipa_width - 1) as Linux's arm64_rsi_init() does, and writes "Hi\n" to the
// PL011 at 0x10_0000 through the unprotected alias: each store faults at stage 2, the RMM exits
// to the host as an emulatable abort, and the VMM's UART prints the byte. Then it reads the word
// at SHARED_PAGE + PROT_NS_SHARED (a page the scenario has the host delegate), whose GPF is the
// realm's own (HCR_EL2.GPF = 0): its vector keeps ESR_EL1 in X21 and FAR_EL1 in X22, and waits.
// Last, PSCI SYSTEM_OFF.
	.equ RSI_VERSION, 0xC4000190
	.equ RSI_REALM_CONFIG, 0xC4000196
	.equ PSCI_SYSTEM_OFF, 0x84000008
	.equ UART, 0x100000
	.equ CONFIG, 0x80100000      // RsiRealmConfig: a page of the realm's RAM
	.equ SHARED_PAGE, 0x80200000

	.text
	.globl _start
_start:
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, =RSI_VERSION
	mov	x1, #0x10000            // the interface version it asks for: 1.0
	smc	#0
	mov	x19, x0                 // RSI_SUCCESS
	ldr	x0, =RSI_REALM_CONFIG
	ldr	x1, =CONFIG
	smc	#0
	ldr	x2, [x1]                // RsiRealmConfig.ipa_width
	sub	x2, x2, #1
	mov	x3, #1
	lsl	x20, x3, x2             // PROT_NS_SHARED
	ldr	x4, =UART
	orr	x4, x4, x20
	mov	w5, #'H'
	strb	w5, [x4]
	mov	w5, #'i'
	strb	w5, [x4]
	mov	w5, #'\n'
	strb	w5, [x4]
	ldr	x6, =SHARED_PAGE
	orr	x6, x6, x20
	ldr	x7, [x6]                // the GPF, when the host has delegated the page
	ldr	x0, =PSCI_SYSTEM_OFF
	smc	#0
1:	wfi
	b	1b

	// VBAR_EL1: a synchronous exception from the current EL with SP_EL1 (offset 0x200)
	.balign 2048
vectors:
	.skip	0x200
	mrs	x21, esr_el1
	mrs	x22, far_el1
2:	b	2b
	.ltorg
