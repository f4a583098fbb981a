/* A64 disassembler for the subset the core executes, from the shared decoder (cpu/a64_decode.h).
 * The text is what `aarch64-linux-gnu-objdump -d` (binutils 2.40) prints after the instruction
 * word: mnemonic, a tab, the operands (preferred aliases as objdump chooses them), and objdump's
 * "// ..." comments. A branch or literal target is printed as objdump prints an address, bare
 * hex, without the " <symbol+offset>" objdump appends. An UNDEFINED word is ".inst\t0x%08x". */
#ifndef CPU_A64_DISASM_H
#define CPU_A64_DISASM_H

#include <stddef.h>
#include <stdint.h>

/* Disassemble `word` at `pc` into buf (NUL-terminated when size > 0, truncated to fit); returns
 * the length of the whole text, as snprintf does. */
size_t a64_disasm(uint32_t word, uint64_t pc, char *buf, size_t size);

/* The name objdump gives a system register the core keeps (o0:op1:CRn:CRm:op2, MRS/MSR bits
 * [19:5], op0 = 2 + o0), or NULL for one it does not know. */
const char *a64_sysreg_name(unsigned enc15);

#endif
