/* A64 decoder: C4.1.90 Loads and Stores (op0 x1x0). Bit 26 (V) selects the SIMD&FP register
 * file: every such encoding is UNDEFINED here (no FP/SIMD, cpu/a64.h). */
#include "a64_internal.h"

/* Compare and swap, load/store exclusive, load-acquire/store-release: bits [29:24] = 001000. */
static bool decode_exclusive(uint32_t w, struct a64_insn *i)
{
    unsigned size = a64_bits(w, 31, 30), o2 = (w >> 23) & 1, l = (w >> 22) & 1;
    unsigned o1 = (w >> 21) & 1, o0 = (w >> 15) & 1;
    i->rs = a64_bits(w, 20, 16);
    i->ra = a64_bits(w, 14, 10);
    i->size = size;
    /* Should-be-one fields (Rt2 unless a pair; Rs of a load or of LDAR/STLR) that are not ones
     * are CONSTRAINED UNPREDICTABLE; this core chooses UNDEFINED, as objdump reads them. */
    bool excl_pair = !o2 && o1 && (size & 2), loads_rs = (!o2 && l && (!o1 || excl_pair));
    if ((!excl_pair && i->ra != 31) || ((loads_rs || (o2 && !o1)) && i->rs != 31))
        return false;
    i->sf = size == 3;
    i->load = l;
    if (!o2 && !o1) { /* LDXR, LDAXR, STXR, STLXR */
        i->op = A64_OP_LDEX;
        i->exclusive = true;
        i->acquire = l && o0;
        i->release = !l && o0;
        return true;
    }
    if (!o2 && o1 && (size & 2)) { /* LDXP, LDAXP, STXP, STLXP */
        i->op = A64_OP_LDEX;
        i->exclusive = i->pair = true;
        i->size = 2 + (size & 1);
        i->sf = size & 1;
        i->acquire = l && o0;
        i->release = !l && o0;
        return true;
    }
    if (!o2 && o1) { /* CASP{A,L,AL}: Rs and Rt even (C6.2.x CASP) */
        if ((i->rs & 1) || (i->rd & 1))
            return false;
        i->op = A64_OP_CAS;
        i->pair = true;
        i->size = 2 + (size & 1);
        i->sf = size & 1;
        i->acquire = l;
        i->release = o0;
        return true;
    }
    if (o2 && !o1) { /* LDAR, STLR; LDLAR/STLLR (FEAT_LOR) are not implemented */
        if (!o0)
            return false;
        i->op = A64_OP_LDEX;
        i->acquire = l;
        i->release = !l;
        return true;
    }
    /* CAS{A,L,AL}{B,H} */
    i->op = A64_OP_CAS;
    i->acquire = l;
    i->release = o0;
    return true;
}

static bool decode_literal(uint32_t w, struct a64_insn *i)
{
    unsigned opc = a64_bits(w, 31, 30);
    i->op = A64_OP_LDLIT;
    i->load = true;
    i->imm = a64_sext(a64_bits(w, 23, 5), 19) * 4;
    i->size = opc == 1 ? 3 : 2;
    i->sf = opc != 0;
    i->sign = opc == 2;
    i->prefetch = opc == 3;
    return true;
}

static bool decode_pair(uint32_t w, struct a64_insn *i)
{
    static const uint8_t modes[4] = {A64_AM_OFFSET, A64_AM_POST, A64_AM_OFFSET, A64_AM_PRE};
    unsigned opc = a64_bits(w, 31, 30), mode = a64_bits(w, 24, 23), l = (w >> 22) & 1;
    if (opc == 3 || (opc == 1 && (!l || mode == 0))) /* STGP is FEAT_MTE; no LDNPSW */
        return false;
    i->op = A64_OP_LDP;
    i->pair = true;
    i->load = l;
    i->ra = a64_bits(w, 14, 10);
    i->mode = modes[mode];
    i->size = opc == 2 ? 3 : 2;
    i->sf = opc != 0;
    i->sign = opc == 1;
    i->imm = a64_sext(a64_bits(w, 21, 15), 7) * (1 << i->size);
    /* LDPSW into one register twice, or writing back into a loaded register, is CONSTRAINED
     * UNPREDICTABLE; this core chooses UNDEFINED for LDPSW, as objdump reads it (binutils 2.40),
     * and loads in order for LDP. */
    bool wback = i->mode != A64_AM_OFFSET;
    if (i->sign && (i->rd == i->ra || (wback && i->rn != 31 && (i->rn == i->rd || i->rn == i->ra))))
        return false;
    return true;
}

static bool decode_atomic(uint32_t w, struct a64_insn *i)
{
    unsigned o3 = (w >> 15) & 1, opc = a64_bits(w, 14, 12);
    if (o3 && opc != 0)
        return false; /* LDAPR (FEAT_LRCPC) and the rest */
    i->op = A64_OP_ATOMIC;
    i->opc = o3 ? A64_SWP : opc;
    i->size = a64_bits(w, 31, 30);
    i->sf = i->size == 3;
    i->rs = a64_bits(w, 20, 16);
    i->acquire = (w >> 23) & 1;
    i->release = (w >> 22) & 1;
    return true;
}

/* The size/opc table shared by every single-register form (C4.1.90 "Load/store register"). */
static bool single_register(uint32_t w, struct a64_insn *i, bool may_prefetch)
{
    unsigned size = a64_bits(w, 31, 30), opc = a64_bits(w, 23, 22);
    i->op = A64_OP_LDST;
    i->size = size;
    switch (opc) {
    case 0:
        i->sf = size == 3;
        return true;
    case 1:
        i->load = true;
        i->sf = size == 3;
        return true;
    case 2:
        if (size == 3) {
            i->prefetch = true;
            i->load = true;
            return may_prefetch;
        }
        i->load = i->sign = i->sf = true;
        return true;
    default:
        if (size >= 2)
            return false;
        i->load = i->sign = true;
        i->sf = false;
        return true;
    }
}

static bool decode_register(uint32_t w, struct a64_insn *i)
{
    if ((w >> 24) & 1) { /* unsigned immediate */
        if (!single_register(w, i, true))
            return false;
        i->mode = A64_AM_OFFSET;
        i->imm = (int64_t)a64_bits(w, 21, 10) << i->size;
        return true;
    }
    unsigned op4 = a64_bits(w, 11, 10);
    if (!((w >> 21) & 1)) {
        static const uint8_t modes[4] = {A64_AM_OFFSET, A64_AM_POST, A64_AM_OFFSET, A64_AM_PRE};
        /* 00 unscaled (LDUR, PRFUM), 01 post-index, 10 unprivileged (LDTR), 11 pre-index */
        if (!single_register(w, i, op4 == 0))
            return false;
        i->mode = modes[op4];
        i->unpriv = op4 == 2;
        i->imm = a64_sext(a64_bits(w, 20, 12), 9);
        return true;
    }
    if (op4 == 0)
        return decode_atomic(w, i);
    if (op4 != 2)
        return false; /* LDRAA/LDRAB (FEAT_PAuth) */
    unsigned option = a64_bits(w, 15, 13);
    if (!(option & 2))
        return false;
    if (!single_register(w, i, true))
        return false;
    i->mode = A64_AM_REG;
    i->ext = option;
    i->amount = ((w >> 12) & 1) ? i->size : 0;
    return true;
}

bool a64_decode_ldst(uint32_t w, struct a64_insn *i)
{
    if ((w >> 26) & 1)
        return false; /* SIMD&FP registers */
    switch (a64_bits(w, 29, 28)) {
    case 0:
        return !((w >> 24) & 1) && decode_exclusive(w, i);
    case 1: /* bit 24 set: LDAPR/STLUR (FEAT_LRCPC2), memory tags (FEAT_MTE) */
        return !((w >> 24) & 1) && decode_literal(w, i);
    case 2:
        return decode_pair(w, i);
    default:
        return decode_register(w, i);
    }
}
