// A realm turning its own MMU on (built into realm-mmu.elf by scripts/build-realm-images): it
// writes a level-1 translation table with two 1GB blocks, VA 0x4000_0000 -> IPA 0x8000_0000 (an
// alias of its RAM) and VA 0x8000_0000 -> itself, sets MAIR_EL1, TCR_EL1 (39-bit VA, 4K granule,
// TTBR1 walks disabled), TTBR0_EL1 and SCTLR_EL1.M, then reads its own first instruction through
// the alias: from then on its fetches and loads go through stage 1, then stage 2.
	.equ TABLE, 0x80010000

	.text
	.globl _start
_start:
	ldr	x0, =TABLE
	ldr	x1, =0x80000701         // block: OA 0x8000_0000, AF, SH inner, AttrIndx 0, EL1 RW
	str	x1, [x0, #8]            // index 1: VA 0x4000_0000
	str	x1, [x0, #16]           // index 2: VA 0x8000_0000
	dsb	ish
	mov	x2, #0xff               // Attr0: Normal, write-back
	msr	mair_el1, x2
	ldr	x3, =0x200803519        // T0SZ 25, IRGN0/ORGN0 WB, SH0 inner, TG0 4K, EPD1, IPS 40-bit
	msr	tcr_el1, x3
	msr	ttbr0_el1, x0
	isb
	mrs	x4, sctlr_el1
	orr	x4, x4, #1              // M
	msr	sctlr_el1, x4
	isb
	ldr	x5, =0x40000000
	ldr	w6, [x5]                // _start's first word, through the alias
1:	b	1b
	.ltorg
