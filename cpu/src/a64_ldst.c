/* Loads and stores (C6.2.x LDR/STR in every size and addressing mode, LDRS*, LDUR/STUR, LDTR/
 * STTR, LDP/STP/LDPSW/LDNP/STNP, LDR (literal), PRFM; LDXR/STXR/LDAXR/STLXR, their pairs, LDAR/
 * STLR) with the local exclusive monitor (B2.9.x) and alignment checking (B2.5.x, D1.x SP
 * alignment). Every access is made before any register changes, so a faulting instruction
 * leaves the core as it found it. Shared helpers for the atomics (a64_atomic.c) are here too. */
#include "a64_ldst.h"

#define SCTLR_A (1ull << 1)
#define SCTLR_SA (1ull << 3)
#define SCTLR_SA0 (1ull << 4)

bool a64_mem_read(struct a64_core *c, struct a64_result *st, uint64_t va, unsigned size,
                  unsigned kind, uint64_t *v, uint32_t iss)
{
    struct a64_fault f = {0};
    st->reads++;
    if (c->mem->read(c->ctx, va, size, kind, v, &f))
        return true;
    a64_exc_abort(c, st, &f, va, false, iss);
    return false;
}

bool a64_mem_write(struct a64_core *c, struct a64_result *st, uint64_t va, unsigned size,
                   unsigned kind, uint64_t v, uint32_t iss)
{
    struct a64_fault f = {0};
    st->writes++;
    if (size < 8)
        v &= (1ull << (8 * size)) - 1;
    if (c->mem->write(c->ctx, va, size, kind, v, &f))
        return true;
    a64_exc_abort(c, st, &f, va, false, iss | (1u << 6));
    return false;
}

/* An alignment fault (DFSC 0x21) when va is not a multiple of align, or when SCTLR_EL1.A is set
 * and it is not a multiple of size. Returns false when the fault was taken. */
bool a64_check_alignment(struct a64_core *c, struct a64_result *st, uint64_t va, unsigned size,
                         unsigned align, bool write)
{
    if ((c->sys[A64_SCTLR_EL1] & SCTLR_A) && size > align)
        align = size;
    if (!(va & (align - 1)))
        return true;
    struct a64_fault f = {.target_el = 1, .fsc = A64_FSC_ALIGNMENT};
    a64_exc_abort(c, st, &f, va, false, write ? 1u << 6 : 0);
    return false;
}

/* The base register: SP when n is 31, with SP alignment checking (D1.x, SCTLR_EL1.SA0/SA). */
bool a64_base(struct a64_core *c, struct a64_result *st, unsigned n, uint64_t *base)
{
    if (n != 31) {
        *base = c->x[n];
        return true;
    }
    *base = *a64_sp(c);
    uint64_t check = c->el == 0 ? SCTLR_SA0 : SCTLR_SA;
    if ((*base & 15) && (c->sys[A64_SCTLR_EL1] & check)) {
        a64_exc_el1(c, st, A64_EC_SP_ALIGN, 0, false, 0, c->pc);
        return false;
    }
    return true;
}

uint64_t a64_load_extend(uint64_t v, unsigned size, bool sign, bool sf)
{
    if (size < 3)
        v = sign ? (uint64_t)a64_sext(v, 8u << size) : v & ((1ull << (8u << size)) - 1);
    return sf ? v : (uint32_t)v;
}

/* ISS instruction syndrome of a single-register access (ISV, SAS, SSE, SRT, SF, AR). */
static uint32_t syndrome(const struct a64_insn *i)
{
    return (1u << 24) | ((uint32_t)i->size << 22) | ((i->sign ? 1u : 0) << 21) |
           ((uint32_t)i->rd << 16) | ((i->sf ? 1u : 0) << 15) |
           ((i->acquire || i->release) ? 1u << 14 : 0);
}

static enum a64_exec single(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    uint64_t base, va, v;
    if (!a64_base(c, st, i->rn, &base))
        return A64_EXEC_EXCEPTION;
    if (i->mode == A64_AM_REG)
        va = base + a64_extend_reg(a64_xreg(c, i->rm, false), i->ext, i->amount);
    else
        va = i->mode == A64_AM_POST ? base : base + (uint64_t)i->imm;
    if (i->prefetch)
        return A64_EXEC_NEXT; /* PRFM: a hint, never a fault */
    bool wback = i->mode == A64_AM_PRE || i->mode == A64_AM_POST;
    uint32_t iss = wback ? 0 : syndrome(i);
    unsigned bytes = 1u << i->size;
    /* LDTR/STTR at EL1 are checked as EL0 accesses (C6.2.x LDTR): the caller sees the flag */
    unsigned kind = A64_ACC_DATA | (i->unpriv && c->el == 1 ? A64_ACC_UNPRIV : 0);
    if (!a64_check_alignment(c, st, va, bytes, 1, !i->load))
        return A64_EXEC_EXCEPTION;
    if (i->load) {
        if (!a64_mem_read(c, st, va, bytes, kind, &v, iss))
            return A64_EXEC_EXCEPTION;
    } else if (!a64_mem_write(c, st, va, bytes, kind, a64_xreg(c, i->rd, false), iss)) {
        return A64_EXEC_EXCEPTION;
    }
    if (wback) /* a load into the base register keeps the loaded value (after writeback) */
        a64_set_xreg(c, i->rn, base + (uint64_t)i->imm, true, true);
    if (i->load)
        a64_set_xreg(c, i->rd, a64_load_extend(v, i->size, i->sign, i->sf), true, false);
    return A64_EXEC_NEXT;
}

static enum a64_exec pair(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    uint64_t base, v1, v2;
    if (!a64_base(c, st, i->rn, &base))
        return A64_EXEC_EXCEPTION;
    uint64_t va = i->mode == A64_AM_POST ? base : base + (uint64_t)i->imm;
    unsigned bytes = 1u << i->size;
    if (!a64_check_alignment(c, st, va, bytes, 1, !i->load) ||
        !a64_check_alignment(c, st, va + bytes, bytes, 1, !i->load))
        return A64_EXEC_EXCEPTION;
    if (i->load) {
        if (!a64_mem_read(c, st, va, bytes, A64_ACC_DATA, &v1, 0) ||
            !a64_mem_read(c, st, va + bytes, bytes, A64_ACC_DATA, &v2, 0))
            return A64_EXEC_EXCEPTION;
    } else {
        uint64_t t1 = a64_xreg(c, i->rd, false), t2 = a64_xreg(c, i->ra, false);
        if (!a64_mem_write(c, st, va, bytes, A64_ACC_DATA, t1, 0) ||
            !a64_mem_write(c, st, va + bytes, bytes, A64_ACC_DATA, t2, 0))
            return A64_EXEC_EXCEPTION;
    }
    if (i->mode != A64_AM_OFFSET)
        a64_set_xreg(c, i->rn, base + (uint64_t)i->imm, true, true);
    if (i->load) {
        bool sf = i->sf || i->sign; /* LDPSW writes X registers */
        a64_set_xreg(c, i->rd, a64_load_extend(v1, i->size, i->sign, sf), true, false);
        a64_set_xreg(c, i->ra, a64_load_extend(v2, i->size, i->sign, sf), true, false);
    }
    return A64_EXEC_NEXT;
}

static enum a64_exec literal(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    uint64_t va = c->pc + (uint64_t)i->imm, v;
    unsigned bytes = 1u << i->size;
    if (i->prefetch)
        return A64_EXEC_NEXT;
    if (!a64_check_alignment(c, st, va, bytes, 1, false) ||
        !a64_mem_read(c, st, va, bytes, A64_ACC_DATA, &v, syndrome(i)))
        return A64_EXEC_EXCEPTION;
    a64_set_xreg(c, i->rd, a64_load_extend(v, i->size, i->sign, i->sf), true, false);
    return A64_EXEC_NEXT;
}

/* LDXR/LDAXR/LDXP/LDAXP, STXR/STLXR/STXP/STLXP, LDAR, STLR. A store exclusive succeeds when the
 * monitor holds exactly the address and size the load exclusive marked (a mismatch is CONSTRAINED
 * UNPREDICTABLE, B2.9.x; this core fails it and makes no access), then the monitor is open. */
static enum a64_exec exclusive(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    uint64_t va, v1 = 0, v2 = 0;
    if (!a64_base(c, st, i->rn, &va))
        return A64_EXEC_EXCEPTION;
    unsigned bytes = 1u << i->size, total = i->pair ? 2 * bytes : bytes;
    unsigned kind = A64_ACC_DATA | (i->exclusive ? A64_ACC_EXCLUSIVE : 0) |
                    (i->acquire ? A64_ACC_ACQUIRE : 0) | (i->release ? A64_ACC_RELEASE : 0);
    uint32_t iss = i->exclusive ? 0 : syndrome(i);
    if (!a64_check_alignment(c, st, va, total, total, !i->load))
        return A64_EXEC_EXCEPTION;
    if (i->load) {
        if (!a64_mem_read(c, st, va, bytes, kind, &v1, iss) ||
            (i->pair && !a64_mem_read(c, st, va + bytes, bytes, kind, &v2, iss)))
            return A64_EXEC_EXCEPTION;
        if (i->exclusive) {
            c->excl_valid = true;
            c->excl_addr = va;
            c->excl_size = total;
        }
        a64_set_xreg(c, i->rd, a64_load_extend(v1, i->size, false, i->sf), true, false);
        if (i->pair)
            a64_set_xreg(c, i->ra, a64_load_extend(v2, i->size, false, i->sf), true, false);
        return A64_EXEC_NEXT;
    }
    bool pass = !i->exclusive || (c->excl_valid && c->excl_addr == va && c->excl_size == total);
    if (i->exclusive && pass && c->mem->exclusive_global)
        pass = c->mem->exclusive_global(c->ctx, va, total);
    if (!pass) {
        c->excl_valid = false;
        a64_set_xreg(c, i->rs, 1, false, false);
        return A64_EXEC_NEXT;
    }
    uint64_t t1 = a64_xreg(c, i->rd, false), t2 = a64_xreg(c, i->ra, false);
    if (!a64_mem_write(c, st, va, bytes, kind, t1, iss) ||
        (i->pair && !a64_mem_write(c, st, va + bytes, bytes, kind, t2, iss)))
        return A64_EXEC_EXCEPTION;
    if (i->exclusive) {
        c->excl_valid = false;
        a64_set_xreg(c, i->rs, 0, false, false);
    }
    return A64_EXEC_NEXT;
}

enum a64_exec a64_exec_ldst(struct a64_core *c, const struct a64_insn *i, struct a64_result *st)
{
    switch (i->op) {
    case A64_OP_LDST:
        return single(c, i, st);
    case A64_OP_LDP:
        return pair(c, i, st);
    case A64_OP_LDLIT:
        return literal(c, i, st);
    default:
        return exclusive(c, i, st);
    }
}
