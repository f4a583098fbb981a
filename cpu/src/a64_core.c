/* The A64 core's step: fetch, decode (a64_decode.c), execute by class, and the outcome. */
#include <string.h>

#include "a64_internal.h"

void a64_reset(struct a64_core *core, const struct a64_mem_ops *mem, void *ctx)
{
    memset(core, 0, sizeof(*core));
    core->el = 1;
    core->spsel = true;
    core->daif = 0xF << 6;
    core->mem = mem;
    core->ctx = ctx;
    /* SCTLR_EL1 RES1 bits of Armv8.0 (D24.2.x): 29, 28, 23, 22, 20, 11 */
    core->sys[A64_SCTLR_EL1] = 0x30D00800;
    /* What this core implements (D24.2.x ID_AA64ISAR0_EL1.Atomic = 2 (FEAT_LSE), CRC32 = 1;
     * ID_AA64PFR0_EL1: EL0/EL1 AArch64 only, FP = AdvSIMD = 0xF (not implemented)). */
    core->id.aa64isar0 = (2ull << 20) | (1ull << 16);
    core->id.aa64pfr0 = (0xFull << 20) | (0xFull << 16) | (1ull << 4) | 1ull;
    /* Cortex-A57's CTR_EL0 and 64-byte DC ZVA block, as QEMU's cortex-a57 model defines them
     * (target/arm/cpu64.c aarch64_a57_initfn, ctr 0x8444c004, dcz_blocksize 4); the platform
     * sets its own. */
    core->id.dczid = 4;
    core->id.ctr = 0x8444C004ull;
}

uint64_t *a64_sp(struct a64_core *core)
{
    return (core->el == 1 && core->spsel) ? &core->sp_el1 : &core->sp_el0;
}

uint64_t a64_pstate_to_spsr(const struct a64_core *core)
{
    return (uint64_t)core->nzcv | core->daif | ((uint64_t)core->el << 2) |
           (core->el && core->spsel ? 1 : 0);
}

/* C1.2.4 Condition code, and the shared ConditionHolds() pseudocode. */
bool a64_cond_holds(uint32_t nzcv, unsigned cond)
{
    bool n = nzcv & A64_N, z = nzcv & A64_Z, c = nzcv & A64_C, v = nzcv & A64_V;
    bool r;
    switch (cond >> 1) {
    case 0:
        r = z;
        break;
    case 1:
        r = c;
        break;
    case 2:
        r = n;
        break;
    case 3:
        r = v;
        break;
    case 4:
        r = c && !z;
        break;
    case 5:
        r = n == v;
        break;
    case 6:
        r = n == v && !z;
        break;
    default:
        r = true;
        break;
    }
    if ((cond & 1) && cond != 0xF)
        r = !r;
    return r;
}

static enum a64_exec execute(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    switch (i->op) {
    case A64_OP_UNDEF:
        return A64_EXEC_UNDEF;
    case A64_OP_ADR:
    case A64_OP_ADDSUB_IMM:
    case A64_OP_LOGIC_IMM:
    case A64_OP_MOVW:
    case A64_OP_BITFIELD:
    case A64_OP_EXTR:
    case A64_OP_LOGIC_REG:
    case A64_OP_ADDSUB_SHIFT:
    case A64_OP_ADDSUB_EXT:
    case A64_OP_ADC:
    case A64_OP_CCMP:
    case A64_OP_CSEL:
    case A64_OP_DP1:
    case A64_OP_DP2:
    case A64_OP_DP3:
        return a64_exec_dp(c, i);
    case A64_OP_B:
    case A64_OP_BCOND:
    case A64_OP_CBZ:
    case A64_OP_TBZ:
    case A64_OP_BR:
        return a64_exec_branch(c, i);
    case A64_OP_LDST:
    case A64_OP_LDP:
    case A64_OP_LDLIT:
    case A64_OP_LDEX:
        return a64_exec_ldst(c, i, st);
    case A64_OP_CAS:
    case A64_OP_ATOMIC:
        return a64_exec_atomic(c, i, st);
    default:
        return a64_exec_system(c, i, st);
    }
}

void a64_step(struct a64_core *c, struct a64_result *st)
{
    memset(st, 0, sizeof(*st));
    st->pc = c->pc;
    st->outcome = A64_OK;
    if (c->pc & 3) { /* D1.x PC alignment checking: the fetch from a misaligned PC */
        a64_exc_el1(c, st, A64_EC_PC_ALIGN, 0, true, c->pc, c->pc);
        return;
    }
    uint64_t word;
    struct a64_fault f = {0};
    if (!c->mem->read(c->ctx, c->pc, 4, A64_ACC_FETCH, &word, &f)) {
        a64_exc_abort(c, st, &f, c->pc, true, 0);
        return;
    }
    st->insn = (uint32_t)word;
    if (c->illegal) { /* D1.x Illegal Execution state: EC 0x0E before the instruction runs */
        a64_exc_el1(c, st, A64_EC_ILLEGAL, 0, false, 0, c->pc);
        return;
    }
    /* a copy: an access may yield to another core's thread (the quantum ends), whose steps
     * reuse the memo's entry */
    struct a64_insn insn = *a64_decode_memo(st->insn);
    switch (execute(c, &insn, st)) {
    case A64_EXEC_NEXT:
        c->pc += 4;
        break;
    case A64_EXEC_BRANCH:
    case A64_EXEC_EXCEPTION:
        break;
    case A64_EXEC_UNDEF:
        a64_exc_undefined(c, st);
        break;
    case A64_EXEC_WFI:
        st->outcome = A64_WFI;
        c->pc += 4;
        break;
    case A64_EXEC_WFE:
        st->outcome = A64_WFE;
        c->pc += 4;
        break;
    }
}
