/* Branches (C6.2.x B, BL, B.cond, CBZ, CBNZ, TBZ, TBNZ, BR, BLR, RET). A misaligned target is
 * taken here and faults on the next fetch (PC alignment checking, D1.x). */
#include "a64_internal.h"

enum a64_exec a64_exec_branch(struct a64_core *c, const struct a64_insn *i)
{
    bool taken;
    uint64_t target = c->pc + (uint64_t)i->imm;
    switch (i->op) {
    case A64_OP_B:
        if (i->link)
            c->x[30] = c->pc + 4;
        taken = true;
        break;
    case A64_OP_BCOND:
        taken = a64_cond_holds(c->nzcv, i->cond);
        break;
    case A64_OP_CBZ: {
        uint64_t v = a64_xreg(c, i->rd, false);
        if (!i->sf)
            v = (uint32_t)v;
        taken = (v == 0) != (i->opc == 1);
        break;
    }
    case A64_OP_TBZ:
        taken = ((a64_xreg(c, i->rd, false) >> i->amount) & 1) == i->opc;
        break;
    default: /* BR, BLR, RET: the target is read before BLR writes X30 */
        target = a64_xreg(c, i->rn, false);
        if (i->opc == 1)
            c->x[30] = c->pc + 4;
        taken = true;
        break;
    }
    if (!taken)
        return A64_EXEC_NEXT;
    c->pc = target;
    return A64_EXEC_BRANCH;
}
