/* FEAT_LSE atomics (C6.2.x LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN, SWP and
 * their ST* aliases; CAS, CASP), each a read and a conditional write made as one step. Accesses
 * must be naturally aligned (of the pair, for CASP): this core has no FEAT_LSE2. A write that
 * faults after the read leaves the registers as they were. A fault on either access reports
 * WnR 1, as for a write (QEMU looks the page up for a store for its atomics too). */
#include "a64_ldst.h"

#define RMW_WNR (1u << 6)

static uint64_t atomic_op(unsigned opc, uint64_t old, uint64_t s, unsigned size)
{
    unsigned bits = 8u << size;
    int64_t so = bits == 64 ? (int64_t)old : a64_sext(old, bits);
    int64_t ss = bits == 64 ? (int64_t)s : a64_sext(s, bits);
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint64_t uo = old & mask, us = s & mask;
    switch (opc) {
    case A64_LDADD:
        return old + s;
    case A64_LDCLR:
        return old & ~s;
    case A64_LDEOR:
        return old ^ s;
    case A64_LDSET:
        return old | s;
    case A64_LDSMAX:
        return so > ss ? old : s;
    case A64_LDSMIN:
        return so > ss ? s : old;
    case A64_LDUMAX:
        return uo > us ? old : s;
    case A64_LDUMIN:
        return uo > us ? s : old;
    default: /* SWP */
        return s;
    }
}

static unsigned kind_of(const struct a64_insn *i)
{
    return A64_ACC_DATA | A64_ACC_ATOMIC | (i->acquire ? A64_ACC_ACQUIRE : 0) |
           (i->release ? A64_ACC_RELEASE : 0);
}

static enum a64_exec ldop(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    uint64_t va, old;
    unsigned bytes = 1u << i->size;
    if (!a64_base(c, st, i->rn, &va) || !a64_check_alignment(c, st, va, bytes, bytes, true))
        return A64_EXEC_EXCEPTION;
    uint64_t s = a64_xreg(c, i->rs, false);
    if (!a64_mem_read(c, st, va, bytes, kind_of(i), &old, RMW_WNR))
        return A64_EXEC_EXCEPTION;
    if (!a64_mem_write(c, st, va, bytes, kind_of(i), atomic_op(i->opc, old, s, i->size), 0))
        return A64_EXEC_EXCEPTION;
    a64_set_xreg(c, i->rd, a64_load_extend(old, i->size, false, i->sf), true, false);
    return A64_EXEC_NEXT;
}

/* CAS: Xs is compared with memory, Xt written when equal; Xs receives the old value. CASP does
 * the same for the pairs <Xs, Xs+1> and <Xt, Xt+1>. */
static enum a64_exec cas(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    uint64_t va, old[2] = {0, 0};
    unsigned bytes = 1u << i->size, n = i->pair ? 2 : 1;
    if (!a64_base(c, st, i->rn, &va) || !a64_check_alignment(c, st, va, n * bytes, n * bytes, true))
        return A64_EXEC_EXCEPTION;
    uint64_t mask = bytes == 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
    bool equal = true;
    for (unsigned k = 0; k < n; k++) {
        if (!a64_mem_read(c, st, va + k * bytes, bytes, kind_of(i), &old[k], RMW_WNR))
            return A64_EXEC_EXCEPTION;
        if ((old[k] & mask) != (a64_xreg(c, i->rs + k, false) & mask))
            equal = false;
    }
    if (equal) {
        for (unsigned k = 0; k < n; k++)
            if (!a64_mem_write(c, st, va + k * bytes, bytes, kind_of(i),
                               a64_xreg(c, i->rd + k, false), 0))
                return A64_EXEC_EXCEPTION;
    }
    for (unsigned k = 0; k < n; k++)
        a64_set_xreg(c, i->rs + k, a64_load_extend(old[k], i->size, false, i->sf), true, false);
    return A64_EXEC_NEXT;
}

enum a64_exec a64_exec_atomic(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    return i->op == A64_OP_CAS ? cas(c, i, st) : ldop(c, i, st);
}
