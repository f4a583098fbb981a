/* A64 decoder: the top-level groups (C4.1 "A64 instruction set encoding", op0 in bits [28:25])
 * and the data-processing groups (C4.1.86 immediate, C4.1.88 register). Loads and stores are in
 * a64_decode_ldst.c, branches and system instructions in a64_decode_sys.c. */
#include <string.h>

#include "a64_internal.h"

bool a64_decode(uint32_t w, struct a64_insn *insn)
{
    memset(insn, 0, sizeof(*insn));
    insn->raw = w;
    insn->rd = w & 31;
    insn->rn = (w >> 5) & 31;
    insn->rm = (w >> 16) & 31;
    unsigned op0 = a64_bits(w, 28, 25);
    bool ok;
    if ((op0 & 0xE) == 0x8) /* 100x */
        ok = a64_decode_dp_imm(w, insn);
    else if ((op0 & 0xE) == 0xA) /* 101x */
        ok = a64_decode_branch_sys(w, insn);
    else if ((op0 & 0x5) == 0x4) /* x1x0 */
        ok = a64_decode_ldst(w, insn);
    else if ((op0 & 0x7) == 0x5) /* x101 */
        ok = a64_decode_dp_reg(w, insn);
    else /* 0000 reserved (UDF), 0010 SVE, 0001/0011 unallocated, x111 SIMD and FP */
        ok = false;
    if (!ok)
        insn->op = A64_OP_UNDEF;
    return ok;
}

/* J1.1 shared pseudocode, DecodeBitMasks(). */
bool a64_decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate,
                          unsigned datasize, uint64_t *wmask, uint64_t *tmask)
{
    unsigned combined = (n << 6) | (~imms & 0x3F);
    int len = -1;
    for (int b = 6; b >= 0; b--) {
        if (combined & (1u << b)) {
            len = b;
            break;
        }
    }
    if (len < 1)
        return false;
    unsigned esize = 1u << len;
    if (esize > datasize)
        return false;
    unsigned levels = esize - 1;
    if (immediate && (imms & levels) == levels)
        return false;
    unsigned s = imms & levels, r = immr & levels;
    unsigned d = (s - r) & levels;
    uint64_t emask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    uint64_t welem = s + 1 == 64 ? ~0ull : (1ull << (s + 1)) - 1;
    uint64_t telem = d + 1 == 64 ? ~0ull : (1ull << (d + 1)) - 1;
    if (r)
        welem = ((welem >> r) | (welem << (esize - r))) & emask;
    uint64_t wm = 0, tm = 0;
    for (unsigned i = 0; i < datasize; i += esize) {
        wm |= welem << i;
        tm |= telem << i;
    }
    *wmask = wm;
    *tmask = tm;
    return true;
}

/* C4.1.86 Data Processing -- Immediate: op0 in bits [25:23]. */
bool a64_decode_dp_imm(uint32_t w, struct a64_insn *i)
{
    unsigned op0 = a64_bits(w, 25, 23);
    i->sf = w >> 31;
    switch (op0) {
    case 0:
    case 1: { /* C4.1.86.1 PC-rel. addressing: ADR, ADRP */
        int64_t imm = a64_sext((a64_bits(w, 23, 5) << 2) | a64_bits(w, 30, 29), 21);
        i->op = A64_OP_ADR;
        i->opc = w >> 31;
        i->sf = true;
        i->imm = i->opc ? (int64_t)((uint64_t)imm << 12) : imm;
        return true;
    }
    case 2: /* C4.1.86.2 Add/subtract (immediate) */
        i->op = A64_OP_ADDSUB_IMM;
        i->sub = (w >> 30) & 1;
        i->setflags = (w >> 29) & 1;
        i->imm = (int64_t)a64_bits(w, 21, 10) << (((w >> 22) & 1) ? 12 : 0);
        return true;
    case 4: { /* C4.1.86.4 Logical (immediate) */
        unsigned n = (w >> 22) & 1;
        uint64_t wmask, tmask;
        if (!i->sf && n)
            return false;
        i->immr = a64_bits(w, 21, 16);
        i->imms = a64_bits(w, 15, 10);
        if (!a64_decode_bit_masks(n, i->imms, i->immr, true, i->sf ? 64 : 32, &wmask, &tmask))
            return false;
        i->op = A64_OP_LOGIC_IMM;
        i->opc = a64_bits(w, 30, 29);
        i->imm = (int64_t)wmask;
        return true;
    }
    case 5: { /* C4.1.86.5 Move wide (immediate) */
        unsigned opc = a64_bits(w, 30, 29), hw = a64_bits(w, 22, 21);
        if (opc == 1 || (!i->sf && hw >= 2))
            return false;
        i->op = A64_OP_MOVW;
        i->opc = opc;
        i->imm = a64_bits(w, 20, 5);
        i->amount = hw * 16;
        return true;
    }
    case 6: { /* C4.1.86.6 Bitfield */
        unsigned opc = a64_bits(w, 30, 29), n = (w >> 22) & 1;
        i->immr = a64_bits(w, 21, 16);
        i->imms = a64_bits(w, 15, 10);
        if (opc == 3 || (i->sf && !n))
            return false;
        if (!i->sf && (n || (i->immr & 0x20) || (i->imms & 0x20)))
            return false;
        i->op = A64_OP_BITFIELD;
        i->opc = opc;
        return true;
    }
    case 7: { /* C4.1.86.7 Extract */
        unsigned op21 = a64_bits(w, 30, 29), n = (w >> 22) & 1, o0 = (w >> 21) & 1;
        i->imms = a64_bits(w, 15, 10);
        if (op21 != 0 || o0 || n != (unsigned)i->sf || (!i->sf && (i->imms & 0x20)))
            return false;
        i->op = A64_OP_EXTR;
        i->amount = i->imms;
        return true;
    }
    default: /* 011: add/subtract (immediate, with tags), FEAT_MTE */
        return false;
    }
}

static bool decode_dp2(uint32_t w, struct a64_insn *i)
{
    unsigned opcode = a64_bits(w, 15, 10);
    if ((w >> 29) & 1) /* S */
        return false;
    i->op = A64_OP_DP2;
    switch (opcode) {
    case 0x02:
        i->opc = A64_UDIV;
        return true;
    case 0x03:
        i->opc = A64_SDIV;
        return true;
    case 0x08:
    case 0x09:
    case 0x0A:
    case 0x0B:
        i->opc = A64_LSLV + (opcode & 3);
        return true;
    default:
        break;
    }
    if ((opcode & 0x38) == 0x10) { /* 010xxx: CRC32{B,H,W,X}, CRC32C{B,H,W,X} (C6.2.x CRC32) */
        i->size = opcode & 3;
        if ((i->size == 3) != i->sf)
            return false;
        i->opc = (opcode & 4) ? A64_CRC32C : A64_CRC32;
        return true;
    }
    return false;
}

static bool decode_dp1(uint32_t w, struct a64_insn *i)
{
    unsigned opcode = a64_bits(w, 15, 10);
    if (((w >> 29) & 1) || a64_bits(w, 20, 16) != 0 || opcode > 5)
        return false;
    i->op = A64_OP_DP1;
    i->opc = opcode;
    if (opcode == 3 && !i->sf) /* REV (64-bit) only */
        return false;
    if (opcode == 2 && !i->sf)
        i->opc = A64_REV; /* 32-bit REV is opcode 000010 */
    return true;
}

static bool decode_dp3(uint32_t w, struct a64_insn *i)
{
    unsigned op54 = a64_bits(w, 30, 29), op31 = a64_bits(w, 23, 21), o0 = (w >> 15) & 1;
    static const int8_t ops[8][2] = {
        {A64_MADD, A64_MSUB},     {A64_SMADDL, A64_SMSUBL}, {A64_SMULH, -1}, {-1, -1}, {-1, -1},
        {A64_UMADDL, A64_UMSUBL}, {A64_UMULH, -1},          {-1, -1},
    };
    if (op54 != 0 || ops[op31][o0] < 0 || (!i->sf && op31 != 0))
        return false;
    i->op = A64_OP_DP3;
    i->opc = (uint8_t)ops[op31][o0];
    i->ra = a64_bits(w, 14, 10);
    return true;
}

/* C4.1.88 Data Processing -- Register: op0 [30], op1 [28], op2 [24:21], op3 [15:10]. */
bool a64_decode_dp_reg(uint32_t w, struct a64_insn *i)
{
    unsigned op1 = (w >> 28) & 1, op2 = a64_bits(w, 24, 21), op3 = a64_bits(w, 15, 10);
    i->sf = w >> 31;
    if (!op1) {
        i->amount = a64_bits(w, 15, 10);
        i->shift = a64_bits(w, 23, 22);
        if (!(op2 & 8)) { /* C4.1.88.x Logical (shifted register) */
            if (!i->sf && (i->amount & 0x20))
                return false;
            i->op = A64_OP_LOGIC_REG;
            i->opc = a64_bits(w, 30, 29);
            i->invert = (w >> 21) & 1;
            return true;
        }
        i->sub = (w >> 30) & 1;
        i->setflags = (w >> 29) & 1;
        if (!(op2 & 1)) { /* Add/subtract (shifted register) */
            if (i->shift == 3 || (!i->sf && (i->amount & 0x20)))
                return false;
            i->op = A64_OP_ADDSUB_SHIFT;
            return true;
        }
        /* Add/subtract (extended register) */
        i->ext = a64_bits(w, 15, 13);
        i->amount = a64_bits(w, 12, 10);
        if (a64_bits(w, 23, 22) != 0 || i->amount > 4)
            return false;
        i->op = A64_OP_ADDSUB_EXT;
        i->shift = 0;
        return true;
    }
    if (op2 & 8)
        return decode_dp3(w, i);
    switch (op2) {
    case 0: /* Add/subtract (with carry); rotate/evaluate into flags (FEAT_FlagM) undefined */
        if (op3 != 0)
            return false;
        i->op = A64_OP_ADC;
        i->sub = (w >> 30) & 1;
        i->setflags = (w >> 29) & 1;
        return true;
    case 2: /* Conditional compare (register / immediate) */
        if (!((w >> 29) & 1) || ((w >> 10) & 1) || ((w >> 4) & 1))
            return false;
        i->op = A64_OP_CCMP;
        i->sub = (w >> 30) & 1;
        i->use_imm = (w >> 11) & 1;
        i->cond = a64_bits(w, 15, 12);
        i->nzcv = w & 0xF;
        return true;
    case 4: /* Conditional select */
        if (((w >> 29) & 1) || a64_bits(w, 11, 10) > 1)
            return false;
        i->op = A64_OP_CSEL;
        i->opc = (((w >> 30) & 1) << 1) | a64_bits(w, 11, 10);
        i->cond = a64_bits(w, 15, 12);
        return true;
    case 6:
        return ((w >> 30) & 1) ? decode_dp1(w, i) : decode_dp2(w, i);
    default:
        return false;
    }
}
