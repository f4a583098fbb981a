/* Private to the A64 core: the decoder's parts, the executor's parts and their helpers. */
#ifndef CPU_A64_INTERNAL_H
#define CPU_A64_INTERNAL_H

#include "cpu/a64.h"
#include "cpu/a64_decode.h"

/* Bits [hi:lo] of x. */
static inline uint32_t a64_bits(uint32_t x, unsigned hi, unsigned lo)
{
    return (x >> lo) & ((hi - lo == 31) ? 0xFFFFFFFFu : ((1u << (hi - lo + 1)) - 1));
}

static inline int64_t a64_sext(uint64_t x, unsigned bits)
{
    return (int64_t)(x << (64 - bits)) >> (64 - bits);
}

/* ExtendReg() (J1.x): the low 8/16/32/64 bits of x extended as ext says, shifted left. */
static inline uint64_t a64_extend_reg(uint64_t x, unsigned ext, unsigned shift)
{
    unsigned len = 8u << (ext & 3);
    uint64_t v = x;
    if (len < 64)
        v = (ext & 4) ? (uint64_t)a64_sext(x, len) : x & ((1ull << len) - 1);
    return v << shift;
}

/* Decoder groups (C4.1). Each fills insn and returns false for an UNDEFINED encoding. */
bool a64_decode_dp_imm(uint32_t w, struct a64_insn *insn);
bool a64_decode_dp_reg(uint32_t w, struct a64_insn *insn);
bool a64_decode_branch_sys(uint32_t w, struct a64_insn *insn);
bool a64_decode_ldst(uint32_t w, struct a64_insn *insn);

/* Executor: how an instruction ended, before a64_step turns it into its outcome. */
enum a64_exec {
    A64_EXEC_NEXT,      /* PC += 4 */
    A64_EXEC_BRANCH,    /* PC already set */
    A64_EXEC_EXCEPTION, /* exception taken or trap reported: st filled, PC set if taken */
    A64_EXEC_UNDEF,
    A64_EXEC_WFI,
    A64_EXEC_WFE,
};

/* Register access: n = 31 is XZR unless sp says it is the stack pointer. */
static inline uint64_t a64_xreg(struct a64_core *c, unsigned n, bool sp)
{
    if (n == 31)
        return sp ? *a64_sp(c) : 0;
    return c->x[n];
}

static inline void a64_set_xreg(struct a64_core *c, unsigned n, uint64_t v, bool sf, bool sp)
{
    if (!sf)
        v = (uint32_t)v;
    if (n == 31) {
        if (sp)
            *a64_sp(c) = v;
        return;
    }
    c->x[n] = v;
}

bool a64_cond_holds(uint32_t nzcv, unsigned cond);

/* a64_decode()'s answer for word, remembered (a64_decode_memo.c): valid until the next call
 * on this thread */
const struct a64_insn *a64_decode_memo(uint32_t word);
enum a64_exec a64_exec_dp(struct a64_core *c, const struct a64_insn *i);
enum a64_exec a64_exec_branch(struct a64_core *c, const struct a64_insn *i);
enum a64_exec a64_exec_system(struct a64_core *c, const struct a64_insn *i, struct a64_result *st);
enum a64_exec a64_exec_ldst(struct a64_core *c, const struct a64_insn *i, struct a64_result *st);
enum a64_exec a64_exec_atomic(struct a64_core *c, const struct a64_insn *i, struct a64_result *st);

/* Exceptions (a64_exception.c). Each fills st and takes the exception or reports the trap. */
void a64_exc_undefined(struct a64_core *c, struct a64_result *st);
void a64_exc_el1(struct a64_core *c, struct a64_result *st, unsigned ec, uint32_t iss,
                 bool far_valid, uint64_t far, uint64_t elr);
/* A fault from the caller's memory (or an alignment fault built here) for the access at va. */
void a64_exc_abort(struct a64_core *c, struct a64_result *st, const struct a64_fault *f,
                   uint64_t va, bool fetch, uint32_t data_iss);
void a64_exc_trap_el2(struct a64_core *c, struct a64_result *st, unsigned ec, uint32_t iss,
                      uint64_t elr);

/* System registers (a64_sysreg.c): MRS/MSR at the current EL. */
enum a64_sysreg_access { A64_SYSREG_OK, A64_SYSREG_UNDEF, A64_SYSREG_TRAP_EL1 };
enum a64_sysreg_access a64_sysreg_read(struct a64_core *c, unsigned enc, uint64_t *value);
enum a64_sysreg_access a64_sysreg_write(struct a64_core *c, unsigned enc, uint64_t value);
/* The ISS of EC 0x18 (D24.2.x "ISS encoding for an exception from MSR, MRS, or System
 * instruction execution in AArch64 state"): Op0, Op2, Op1, CRn, Rt, CRm, Direction (1: read). */
uint32_t a64_sys_iss(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                     unsigned rt, bool read);

/* Fault status codes the core builds itself (D24.2.x ISS encoding for a Data Abort, DFSC). */
#define A64_FSC_ALIGNMENT 0x21

/* Exception classes (D24.2.x ESR_ELx.EC). */
#define A64_EC_UNKNOWN 0x00
#define A64_EC_WFX 0x01
#define A64_EC_ILLEGAL 0x0E
#define A64_EC_SVC64 0x15
#define A64_EC_HVC64 0x16
#define A64_EC_SMC64 0x17
#define A64_EC_SYS64 0x18
#define A64_EC_IABT_LOWER 0x20
#define A64_EC_IABT_CUR 0x21
#define A64_EC_PC_ALIGN 0x22
#define A64_EC_DABT_LOWER 0x24
#define A64_EC_DABT_CUR 0x25
#define A64_EC_SP_ALIGN 0x26
#define A64_EC_BRK64 0x3C

#endif
