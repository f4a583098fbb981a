/* Private to the disassembler (a64_disasm.c, a64_disasm_mem.c). */
#ifndef CPU_A64_DISASM_INTERNAL_H
#define CPU_A64_DISASM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu/a64_decode.h"
#include "cpu/a64_disasm.h"

struct dis_out {
    char *buf;
    size_t size, len;
};

void dis_put(struct dis_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* x0..x30/xzr, w0..w30/wzr; 31 is sp/wsp when sp. */
const char *dis_reg(unsigned n, bool sf, bool sp);
const char *dis_cond(unsigned cond);
const char *dis_extend(unsigned ext);
void dis_cond_comment(struct dis_out *o, unsigned cond);
void dis_bcond_comment(struct dis_out *o, unsigned cond);

void dis_branch_system(struct dis_out *o, const struct a64_insn *i, uint64_t pc);
void dis_memory(struct dis_out *o, const struct a64_insn *i, uint64_t pc);

#endif
