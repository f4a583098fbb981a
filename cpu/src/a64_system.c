/* System instructions: SVC/HVC/SMC/BRK (C6.2.x), hints (NOP, YIELD, WFE, WFI, SEV, SEVL),
 * barriers and CLREX, MSR (immediate) to SPSel/DAIFSet/DAIFClr, SYS (DC, IC, TLBI, AT), MRS and
 * MSR (register), ERET (D1.x exception return). EL2 is assumed present and HVC enabled; an SMC at
 * EL1 is reported as trapped to EL2 (EC 0x17), as with HCR_EL2.TSC = 1, which the RMM sets for
 * realms (TF-RMM lib/arch/include/arch.h HCR_REALM_FLAGS, v0.5); the caller decides otherwise. */
#include "a64_internal.h"

/* SCTLR_EL1 EL0 controls (D24.2.x SCTLR_EL1) */
#define SCTLR_UMA (1ull << 9)
#define SCTLR_DZE (1ull << 14)
#define SCTLR_NTWI (1ull << 16)
#define SCTLR_NTWE (1ull << 18)
#define SCTLR_UCI (1ull << 26)

uint32_t a64_sys_iss(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                     unsigned rt, bool read)
{
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) |
           (read ? 1 : 0);
}

static enum a64_exec trap_sys(struct a64_core *c, struct a64_result *st, uint32_t iss)
{
    a64_exc_el1(c, st, A64_EC_SYS64, iss, false, 0, c->pc);
    return A64_EXEC_EXCEPTION;
}

static enum a64_exec exception_generating(struct a64_core *c, const struct a64_insn *i,
                                          struct a64_result *st)
{
    uint32_t imm16 = (uint32_t)i->imm;
    switch (i->opc) {
    case A64_SVC: /* preferred return: the next instruction */
        a64_exc_el1(c, st, A64_EC_SVC64, imm16, false, 0, c->pc + 4);
        return A64_EXEC_EXCEPTION;
    case A64_HVC:
        if (c->el == 0)
            return A64_EXEC_UNDEF;
        a64_exc_trap_el2(c, st, A64_EC_HVC64, imm16, c->pc + 4);
        return A64_EXEC_EXCEPTION;
    case A64_SMC: /* trapped: the preferred return is the SMC itself */
        if (c->el == 0)
            return A64_EXEC_UNDEF;
        a64_exc_trap_el2(c, st, A64_EC_SMC64, imm16, c->pc);
        return A64_EXEC_EXCEPTION;
    default: /* BRK: a Breakpoint Instruction exception to EL1, return to the BRK */
        a64_exc_el1(c, st, A64_EC_BRK64, imm16, false, 0, c->pc);
        return A64_EXEC_EXCEPTION;
    }
}

/* WFI/WFE: trapped to EL1 from EL0 unless SCTLR_EL1.nTWI/nTWE; otherwise the step's outcome,
 * which carries the EC 0x01 syndrome (CV 1, COND 0xE, TI) for a caller that traps it to EL2. */
static enum a64_exec wait(struct a64_core *c, struct a64_result *st, bool wfe)
{
    uint32_t iss = (1u << 24) | (0xEu << 20) | (wfe ? 1 : 0);
    if (c->el == 0 && !(c->sys[A64_SCTLR_EL1] & (wfe ? SCTLR_NTWE : SCTLR_NTWI))) {
        a64_exc_el1(c, st, A64_EC_WFX, iss, false, 0, c->pc);
        return A64_EXEC_EXCEPTION;
    }
    st->esr = ((uint64_t)A64_EC_WFX << 26) | (1u << 25) | iss;
    st->elr = c->pc;
    return wfe ? A64_EXEC_WFE : A64_EXEC_WFI;
}

static enum a64_exec hint(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    switch (i->imm) {
    case 2: /* WFE: returns at once when the event register is set, clearing it */
        if (c->event_register) {
            c->event_register = false;
            return A64_EXEC_NEXT;
        }
        return wait(c, st, true);
    case 3:
        return wait(c, st, false);
    case 4: /* SEV: the caller signals other cores from the step's instruction word */
    case 5: /* SEVL */
        c->event_register = true;
        return A64_EXEC_NEXT;
    default: /* NOP, YIELD, and every unallocated hint */
        return A64_EXEC_NEXT;
    }
}

static enum a64_exec msr_imm(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    unsigned crm = (unsigned)i->imm;
    if (i->opc == A64_PSTATE_SPSEL) {
        if (c->el == 0)
            return A64_EXEC_UNDEF;
        c->spsel = crm & 1;
        return A64_EXEC_NEXT;
    }
    if (c->el == 0 && !(c->sys[A64_SCTLR_EL1] & SCTLR_UMA))
        return trap_sys(c, st,
                        a64_sys_iss(0, 3, 4, crm, i->opc == A64_PSTATE_DAIFSET ? 6 : 7, 31, false));
    if (i->opc == A64_PSTATE_DAIFSET)
        c->daif |= (crm & 0xF) << 6;
    else
        c->daif &= ~((crm & 0xF) << 6);
    return A64_EXEC_NEXT;
}

/* DC ZVA (C5.3.x): zero the DCZID_EL0-sized block holding Xt. */
static enum a64_exec dc_zva(struct a64_core *c, uint64_t va, struct a64_result *st)
{
    unsigned bytes = 4u << (c->id.dczid & 0xF);
    uint64_t base = va & ~(uint64_t)(bytes - 1);
    struct a64_fault f = {0};
    st->writes++;
    if (!c->mem->write(c->ctx, base, bytes, A64_ACC_DATA | A64_ACC_DC_ZVA, 0, &f)) {
        a64_exc_abort(c, st, &f, va, false, 1u << 6);
        return A64_EXEC_EXCEPTION;
    }
    return A64_EXEC_NEXT;
}

/* DC, IC, AT, TLBI (the decoder admits only the operations of a64_sys_op_find()); DC ZVA is
 * made here, the others are the caller's (sys_op). */
static enum a64_exec sys(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    unsigned enc = (unsigned)i->imm;
    const struct a64_sys_op *op = a64_sys_op_find(enc);
    uint64_t xt = a64_xreg(c, i->rd, false);
    if (c->el == 0) {
        if (op->el0 == A64_SYS_EL1_ONLY)
            return A64_EXEC_UNDEF;
        if (!(c->sys[A64_SCTLR_EL1] & (op->el0 == A64_SYS_EL0_DZE ? SCTLR_DZE : SCTLR_UCI)))
            return trap_sys(c, st,
                            a64_sys_iss(1, enc >> 11, (enc >> 7) & 0xF, (enc >> 3) & 0xF, enc & 7,
                                        i->rd, false));
    }
    if (op->el0 == A64_SYS_EL0_DZE)
        return dc_zva(c, xt, st);
    if (c->mem->sys_op)
        c->mem->sys_op(c->ctx, enc, xt);
    return A64_EXEC_NEXT;
}

static enum a64_exec mrs_msr(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    unsigned enc = (unsigned)i->imm;
    bool read = i->op == A64_OP_MRS;
    enum a64_sysreg_access r;
    if (read) {
        uint64_t v;
        r = a64_sysreg_read(c, enc, &v);
        if (r == A64_SYSREG_OK)
            a64_set_xreg(c, i->rd, v, true, false);
    } else {
        r = a64_sysreg_write(c, enc, a64_xreg(c, i->rd, false));
    }
    if (r == A64_SYSREG_UNDEF)
        return A64_EXEC_UNDEF;
    if (r == A64_SYSREG_TRAP_EL1)
        return trap_sys(c, st,
                        a64_sys_iss(2 + (enc >> 14), (enc >> 11) & 7, (enc >> 7) & 0xF,
                                    (enc >> 3) & 0xF, enc & 7, i->rd, read));
    return A64_EXEC_NEXT;
}

/* D1.x Exception return (AArch64.ExceptionReturn()): PSTATE from SPSR_EL1, PC from ELR_EL1. An
 * SPSR naming AArch32, EL2/EL3 or EL0 with SP_EL1 is an illegal return: PC is restored, the EL
 * is kept and PSTATE.IL is set, so the next instruction takes an Illegal Execution state
 * exception. The local monitor is cleared (B2.9.x). */
static enum a64_exec eret(struct a64_core *c)
{
    if (c->el == 0)
        return A64_EXEC_UNDEF;
    uint64_t spsr = c->sys[A64_SPSR_EL1];
    unsigned m = spsr & 0x1F;
    bool legal = m == 0x0 || m == 0x4 || m == 0x5;
    c->nzcv = (uint32_t)spsr & 0xF0000000u;
    c->daif = (unsigned)spsr & (0xF << 6);
    c->pc = c->sys[A64_ELR_EL1];
    c->excl_valid = false;
    if (!legal) {
        c->illegal = true;
        return A64_EXEC_BRANCH;
    }
    c->illegal = (spsr >> 20) & 1;
    c->el = (m >> 2) & 3;
    c->spsel = m & 1;
    return A64_EXEC_BRANCH;
}

void a64_exception_return(struct a64_core *c)
{
    if (c->el != 0)
        (void)eret(c);
}

enum a64_exec a64_exec_system(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    switch (i->op) {
    case A64_OP_EXC:
        return exception_generating(c, i, st);
    case A64_OP_HINT:
        return hint(c, i, st);
    case A64_OP_BARRIER:
        if (i->opc == A64_CLREX)
            c->excl_valid = false;
        return A64_EXEC_NEXT; /* DSB, DMB, ISB: no reordering to order in an interpreter */
    case A64_OP_MSR_IMM:
        return msr_imm(c, i, st);
    case A64_OP_SYS:
        return sys(c, i, st);
    case A64_OP_MRS:
    case A64_OP_MSR:
        return mrs_msr(c, i, st);
    case A64_OP_ERET:
        return eret(c);
    default:
        return A64_EXEC_UNDEF;
    }
}
