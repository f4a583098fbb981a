/* A64 decoder: C4.1.87 Branches, Exception Generating and System instructions
 * (op0 [31:29], op1 [25:12], op2 [4:0]). */
#include <stddef.h>

#include "a64_internal.h"

static const struct a64_sys_op sys_ops[] = {
#define SYSOP(op1, crn, crm, op2) (((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
    {SYSOP(0, 7, 6, 1), "dc", "ivac", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 7, 6, 2), "dc", "isw", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 7, 10, 2), "dc", "csw", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 7, 14, 2), "dc", "cisw", true, A64_SYS_EL1_ONLY},
    {SYSOP(3, 7, 4, 1), "dc", "zva", true, A64_SYS_EL0_DZE},
    {SYSOP(3, 7, 10, 1), "dc", "cvac", true, A64_SYS_EL0_UCI},
    {SYSOP(3, 7, 11, 1), "dc", "cvau", true, A64_SYS_EL0_UCI},
    {SYSOP(3, 7, 12, 1), "dc", "cvap", true, A64_SYS_EL0_UCI},
    {SYSOP(3, 7, 13, 1), "dc", "cvadp", true, A64_SYS_EL0_UCI},
    {SYSOP(3, 7, 14, 1), "dc", "civac", true, A64_SYS_EL0_UCI},
    {SYSOP(0, 7, 1, 0), "ic", "ialluis", false, A64_SYS_EL1_ONLY},
    {SYSOP(0, 7, 5, 0), "ic", "iallu", false, A64_SYS_EL1_ONLY},
    {SYSOP(3, 7, 5, 1), "ic", "ivau", true, A64_SYS_EL0_UCI},
    {SYSOP(0, 7, 8, 0), "at", "s1e1r", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 7, 8, 1), "at", "s1e1w", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 7, 8, 2), "at", "s1e0r", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 7, 8, 3), "at", "s1e0w", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 3, 0), "tlbi", "vmalle1is", false, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 3, 1), "tlbi", "vae1is", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 3, 2), "tlbi", "aside1is", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 3, 3), "tlbi", "vaae1is", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 3, 5), "tlbi", "vale1is", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 3, 7), "tlbi", "vaale1is", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 7, 0), "tlbi", "vmalle1", false, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 7, 1), "tlbi", "vae1", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 7, 2), "tlbi", "aside1", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 7, 3), "tlbi", "vaae1", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 7, 5), "tlbi", "vale1", true, A64_SYS_EL1_ONLY},
    {SYSOP(0, 8, 7, 7), "tlbi", "vaale1", true, A64_SYS_EL1_ONLY},
#undef SYSOP
};

const struct a64_sys_op *a64_sys_op_find(unsigned enc)
{
    for (unsigned k = 0; k < sizeof(sys_ops) / sizeof(sys_ops[0]); k++)
        if (sys_ops[k].enc == enc)
            return &sys_ops[k];
    return NULL;
}

static bool decode_system(uint32_t w, struct a64_insn *i)
{
    /* 1101 0101 00 L op0(2) op1(3) CRn CRm op2 Rt */
    unsigned l = (w >> 21) & 1, op0 = a64_bits(w, 20, 19), op1 = a64_bits(w, 18, 16);
    unsigned crn = a64_bits(w, 15, 12), crm = a64_bits(w, 11, 8), op2 = a64_bits(w, 7, 5);
    unsigned rt = w & 31;
    if (op0 >= 2) { /* C5.2 MRS / MSR (register) */
        i->op = l ? A64_OP_MRS : A64_OP_MSR;
        i->imm = a64_bits(w, 19, 5);
        return true;
    }
    if (op0 == 1) { /* C5.3 SYS; SYSL is unallocated for every encoding this core knows */
        if (l)
            return false;
        i->op = A64_OP_SYS;
        i->imm = a64_bits(w, 18, 5);
        return a64_sys_op_find((unsigned)i->imm) != NULL;
    }
    if (l)
        return false;
    if (crn == 2 && op1 == 3 &&
        rt == 31) { /* Hints: CRm:op2; an unallocated hint executes as a NOP */
        i->op = A64_OP_HINT;
        i->imm = (crm << 3) | op2;
        return true;
    }
    if (crn == 3 && op1 == 3 && rt == 31) { /* Barriers */
        i->op = A64_OP_BARRIER;
        i->imm = crm;
        switch (op2) {
        case 2:
            i->opc = A64_CLREX;
            return true;
        case 4:
            i->opc = A64_DSB;
            return true;
        case 5:
            i->opc = A64_DMB;
            return true;
        case 6:
            i->opc = A64_ISB;
            return true;
        default: /* SB (FEAT_SB), DSB nXS (FEAT_XS), TCOMMIT: not implemented */
            return false;
        }
    }
    if (crn == 4 && rt == 31) { /* PSTATE: MSR (immediate) */
        i->op = A64_OP_MSR_IMM;
        i->imm = crm;
        if (op1 == 0 && op2 == 5 && crm <= 1) /* SPSel takes CRm<0> */
            i->opc = A64_PSTATE_SPSEL;
        else if (op1 == 3 && op2 == 6)
            i->opc = A64_PSTATE_DAIFSET;
        else if (op1 == 3 && op2 == 7)
            i->opc = A64_PSTATE_DAIFCLR;
        else /* UAO, PAN, SSBS, DIT, TCO, ...: features not implemented */
            return false;
        return true;
    }
    return false;
}

static bool decode_exception(uint32_t w, struct a64_insn *i)
{
    /* 1101 0100 opc(3) imm16 op2(3) LL(2) */
    unsigned opc = a64_bits(w, 23, 21), op2 = a64_bits(w, 4, 2), ll = a64_bits(w, 1, 0);
    if (op2 != 0)
        return false;
    i->op = A64_OP_EXC;
    i->imm = a64_bits(w, 20, 5);
    if (opc == 0 && ll != 0) {
        i->opc = A64_SVC + ll - 1; /* SVC, HVC, SMC */
        return true;
    }
    if (opc == 1 && ll == 0) {
        i->opc = A64_BRK;
        return true;
    }
    return false; /* HLT (halting debug disabled), DCPS1..3: UNDEFINED */
}

static bool decode_branch_reg(uint32_t w, struct a64_insn *i)
{
    /* 1101 011 opc(4) op2(5) op3(6) Rn op4(5) */
    unsigned opc = a64_bits(w, 24, 21), op2 = a64_bits(w, 20, 16), op3 = a64_bits(w, 15, 10);
    unsigned op4 = w & 31;
    if (op2 != 31 || op3 != 0 || op4 != 0)
        return false; /* pointer-authenticated branches (FEAT_PAuth) among them */
    if (opc <= 2) {
        i->op = A64_OP_BR;
        i->opc = opc;
        return true;
    }
    if (opc == 4 && i->rn == 31) {
        i->op = A64_OP_ERET;
        return true;
    }
    return false; /* DRPS (Debug state only) and the rest */
}

bool a64_decode_branch_sys(uint32_t w, struct a64_insn *i)
{
    unsigned op0 = a64_bits(w, 31, 29);
    unsigned top = a64_bits(w, 31, 24);
    switch (op0 & 3) {
    case 0: /* x00: B, BL (C6.2.x B, BL) */
        i->op = A64_OP_B;
        i->link = op0 >> 2;
        i->imm = a64_sext(a64_bits(w, 25, 0), 26) * 4;
        return true;
    case 1: /* x01: compare and branch (bit 25 = 0), test and branch (bit 25 = 1) */
        i->rd = w & 31;
        i->sf = w >> 31;
        if (!((w >> 25) & 1)) {
            i->op = A64_OP_CBZ;
            i->opc = (w >> 24) & 1;
            i->imm = a64_sext(a64_bits(w, 23, 5), 19) * 4;
        } else {
            i->op = A64_OP_TBZ;
            i->opc = (w >> 24) & 1;
            i->amount = ((w >> 31) << 5) | a64_bits(w, 23, 19);
            i->imm = a64_sext(a64_bits(w, 18, 5), 14) * 4;
        }
        return true;
    default:
        break;
    }
    if (top == 0x54) { /* 0101 0100: B.cond; o1 [24] = 0, o0 [4] = 0 (BC.cond is FEAT_HBC) */
        if ((w >> 4) & 1)
            return false;
        i->op = A64_OP_BCOND;
        i->cond = w & 0xF;
        i->imm = a64_sext(a64_bits(w, 23, 5), 19) * 4;
        return true;
    }
    if (top == 0xD4)
        return decode_exception(w, i);
    if (a64_bits(w, 31, 22) == 0x354)
        return decode_system(w, i);
    if (a64_bits(w, 31, 25) == 0x6B)
        return decode_branch_reg(w, i);
    return false;
}
