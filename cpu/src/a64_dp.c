/* Data processing, immediate and register (C6.2: ADD/SUB in their three forms, ADC/SBC, logical,
 * MOVN/MOVZ/MOVK, ADR/ADRP, SBFM/BFM/UBFM, EXTR, CCMP/CCMN, CSEL and its variants, RBIT, REV*,
 * CLZ, CLS, UDIV/SDIV, shifts by register, CRC32*, MADD and the long and high multiplies). */
#include "a64_internal.h"

static uint64_t mask_of(bool sf)
{
    return sf ? ~0ull : 0xFFFFFFFFull;
}

/* J1.x AddWithCarry(): the sum and its NZCV for a 32- or 64-bit operation. */
static uint64_t add_with_carry(uint64_t x, uint64_t y, unsigned cin, bool sf, uint32_t *nzcv)
{
    uint64_t r;
    bool c, v, n;
    if (sf) {
        r = x + y + cin;
        c = cin ? r <= x : r < x;
        v = ((~(x ^ y) & (x ^ r)) >> 63) & 1;
        n = r >> 63;
    } else {
        x = (uint32_t)x;
        y = (uint32_t)y;
        uint64_t wide = x + y + cin;
        r = (uint32_t)wide;
        c = wide >> 32;
        v = ((~(x ^ y) & (x ^ r)) >> 31) & 1;
        n = (r >> 31) & 1;
    }
    *nzcv = (n ? A64_N : 0) | (r == 0 ? A64_Z : 0) | (c ? A64_C : 0) | (v ? A64_V : 0);
    return r;
}

static uint64_t ror(uint64_t x, unsigned r, bool sf)
{
    unsigned n = sf ? 64 : 32;
    x &= mask_of(sf);
    r %= n;
    if (!r)
        return x;
    return ((x >> r) | (x << (n - r))) & mask_of(sf);
}

/* ShiftReg() (C6.2.x shifted register forms). */
static uint64_t shift_reg(uint64_t x, unsigned type, unsigned amount, bool sf)
{
    x &= mask_of(sf);
    switch (type) {
    case A64_LSL:
        return amount >= 64 ? 0 : (x << amount) & mask_of(sf);
    case A64_LSR:
        return amount >= 64 ? 0 : x >> amount;
    case A64_ASR: {
        int64_t s = sf ? (int64_t)x : (int64_t)(int32_t)x;
        return (uint64_t)(s >> (amount > 63 ? 63 : amount)) & mask_of(sf);
    }
    default:
        return ror(x, amount, sf);
    }
}

static uint32_t logic_flags(uint64_t r, bool sf)
{
    bool n = sf ? (r >> 63) & 1 : (r >> 31) & 1;
    return (n ? A64_N : 0) | (r == 0 ? A64_Z : 0);
}

static uint64_t logic(struct a64_core *c, unsigned opc, uint64_t a, uint64_t b, bool sf)
{
    uint64_t r;
    switch (opc) {
    case 0:
    case 3:
        r = a & b;
        break;
    case 1:
        r = a | b;
        break;
    default:
        r = a ^ b;
        break;
    }
    r &= mask_of(sf);
    if (opc == 3)
        c->nzcv = logic_flags(r, sf);
    return r;
}

/* C6.2.x SBFM, BFM, UBFM (the shared bitfield pseudocode). */
static uint64_t bitfield(struct a64_core *c, const struct a64_insn *i)
{
    uint64_t wmask, tmask;
    unsigned size = i->sf ? 64 : 32;
    a64_decode_bit_masks(i->sf, i->imms, i->immr, false, size, &wmask, &tmask);
    wmask &= mask_of(i->sf);
    tmask &= mask_of(i->sf);
    uint64_t src = a64_xreg(c, i->rn, false) & mask_of(i->sf);
    uint64_t dst = i->opc == 1 ? a64_xreg(c, i->rd, false) : 0;
    uint64_t bot = (dst & ~wmask) | (ror(src, i->immr, i->sf) & wmask);
    uint64_t top = dst;
    if (i->opc == 0) /* SBFM: replicate src<S> */
        top = ((src >> i->imms) & 1) ? ~0ull : 0;
    return ((top & ~tmask) | (bot & tmask)) & mask_of(i->sf);
}

static uint64_t reverse_bytes_in(uint64_t x, unsigned container_bytes)
{
    uint64_t r = 0;
    for (unsigned base = 0; base < 8; base += container_bytes)
        for (unsigned b = 0; b < container_bytes; b++)
            r |= ((x >> (8 * (base + b))) & 0xFF) << (8 * (base + container_bytes - 1 - b));
    return r;
}

static unsigned clz(uint64_t x, unsigned bits)
{
    unsigned n = 0;
    for (int b = (int)bits - 1; b >= 0 && !((x >> b) & 1); b--)
        n++;
    return n;
}

static uint64_t dp1(const struct a64_insn *i, uint64_t x)
{
    unsigned bits = i->sf ? 64 : 32;
    x &= mask_of(i->sf);
    switch (i->opc) {
    case A64_RBIT: {
        uint64_t r = 0;
        for (unsigned b = 0; b < bits; b++)
            if ((x >> b) & 1)
                r |= 1ull << (bits - 1 - b);
        return r;
    }
    case A64_REV16:
        return reverse_bytes_in(x, 2) & mask_of(i->sf);
    case A64_REV32: /* 64-bit only */
        return reverse_bytes_in(x, 4);
    case A64_REV:
        return i->sf ? reverse_bytes_in(x, 8) : reverse_bytes_in(x, 4) & 0xFFFFFFFFull;
    case A64_CLZ:
        return clz(x, bits);
    default: /* CLS: CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>) */
        return clz(((x >> 1) ^ x) & (mask_of(i->sf) >> 1), bits - 1);
    }
}

/* C6.2.x CRC32B..CRC32CX: the reflected CRC of Xm's low 8 << size bits onto Wn. */
static uint64_t crc32(uint32_t acc, uint64_t val, unsigned size, bool castagnoli)
{
    uint32_t poly = castagnoli ? 0x82F63B78u : 0xEDB88320u; /* 0x1EDC6F41, 0x04C11DB7 reflected */
    for (unsigned byte = 0; byte < (1u << size); byte++) {
        acc ^= (val >> (8 * byte)) & 0xFF;
        for (int k = 0; k < 8; k++)
            acc = (acc >> 1) ^ ((acc & 1) ? poly : 0);
    }
    return acc;
}

static uint64_t dp2(const struct a64_insn *i, uint64_t n, uint64_t m)
{
    bool sf = i->sf;
    n &= mask_of(sf);
    m &= mask_of(sf);
    switch (i->opc) {
    case A64_UDIV:
        return m ? n / m : 0;
    case A64_SDIV: {
        int64_t a = sf ? (int64_t)n : (int32_t)n, b = sf ? (int64_t)m : (int32_t)m;
        if (b == 0)
            return 0;
        if (b == -1) /* RoundTowardsZero(INT_MIN / -1) wraps to INT_MIN */
            return (0 - (uint64_t)a) & mask_of(sf);
        return (uint64_t)(a / b) & mask_of(sf);
    }
    case A64_LSLV:
    case A64_LSRV:
    case A64_ASRV:
    case A64_RORV:
        return shift_reg(n, i->opc - A64_LSLV, m % (sf ? 64 : 32), sf);
    default:
        return crc32((uint32_t)n, m, i->size, i->opc == A64_CRC32C);
    }
}

static uint64_t dp3(const struct a64_insn *i, uint64_t n, uint64_t m, uint64_t a)
{
    __extension__ typedef __int128 s128;
    __extension__ typedef unsigned __int128 u128;
    switch (i->opc) {
    case A64_MADD:
        return a + n * m;
    case A64_MSUB:
        return a - n * m;
    case A64_SMADDL:
        return a + (uint64_t)((int64_t)(int32_t)n * (int64_t)(int32_t)m);
    case A64_SMSUBL:
        return a - (uint64_t)((int64_t)(int32_t)n * (int64_t)(int32_t)m);
    case A64_UMADDL:
        return a + (uint64_t)(uint32_t)n * (uint32_t)m;
    case A64_UMSUBL:
        return a - (uint64_t)(uint32_t)n * (uint32_t)m;
    case A64_SMULH:
        return (uint64_t)((u128)((s128)(int64_t)n * (s128)(int64_t)m) >> 64);
    default:
        return (uint64_t)(((u128)n * (u128)m) >> 64);
    }
}

static enum a64_exec addsub(struct a64_core *c, const struct a64_insn *i, uint64_t a, uint64_t b,
                            bool rd_sp)
{
    uint32_t flags;
    uint64_t r = add_with_carry(a, i->sub ? ~b : b, i->sub, i->sf, &flags);
    if (i->setflags)
        c->nzcv = flags;
    a64_set_xreg(c, i->rd, r, i->sf, rd_sp && !i->setflags);
    return A64_EXEC_NEXT;
}

enum a64_exec a64_exec_dp(struct a64_core *c, const struct a64_insn *i)
{
    bool sf = i->sf;
    uint64_t n = a64_xreg(c, i->rn, false), m = a64_xreg(c, i->rm, false);
    uint64_t r;
    switch (i->op) {
    case A64_OP_ADR: /* C6.2.x ADR, ADRP */
        r = (i->opc ? c->pc & ~0xFFFull : c->pc) + (uint64_t)i->imm;
        break;
    case A64_OP_ADDSUB_IMM: /* C6.2.x ADD/ADDS/SUB/SUBS (immediate): Rn is SP-capable */
        return addsub(c, i, a64_xreg(c, i->rn, true), (uint64_t)i->imm, true);
    case A64_OP_ADDSUB_SHIFT: /* (shifted register) */
        return addsub(c, i, n, shift_reg(m, i->shift, i->amount, sf), false);
    case A64_OP_ADDSUB_EXT: /* (extended register) */
        return addsub(c, i, a64_xreg(c, i->rn, true), a64_extend_reg(m, i->ext, i->amount), true);
    case A64_OP_LOGIC_IMM: /* C6.2.x AND/ORR/EOR/ANDS (immediate): Rd is SP unless ANDS */
        r = logic(c, i->opc, n, (uint64_t)i->imm, sf);
        a64_set_xreg(c, i->rd, r, sf, i->opc != 3);
        return A64_EXEC_NEXT;
    case A64_OP_LOGIC_REG: {
        uint64_t b = shift_reg(m, i->shift, i->amount, sf);
        r = logic(c, i->opc, n, i->invert ? ~b : b, sf);
        break;
    }
    case A64_OP_MOVW: {
        uint64_t v = (uint64_t)i->imm << i->amount;
        if (i->opc == 0)
            r = ~v;
        else if (i->opc == 2)
            r = v;
        else
            r = (a64_xreg(c, i->rd, false) & ~(0xFFFFull << i->amount)) | v;
        break;
    }
    case A64_OP_BITFIELD:
        r = bitfield(c, i);
        break;
    case A64_OP_EXTR: /* C6.2.x EXTR: (Rn:Rm) >> lsb */
        if (!i->amount)
            r = m;
        else if (sf)
            r = (m >> i->amount) | (n << (64 - i->amount));
        else
            r = ((uint32_t)m >> i->amount) | ((uint64_t)(uint32_t)n << (32 - i->amount));
        break;
    case A64_OP_ADC: {
        uint32_t flags;
        r = add_with_carry(n, i->sub ? ~m : m, (c->nzcv & A64_C) ? 1 : 0, sf, &flags);
        if (i->setflags)
            c->nzcv = flags;
        break;
    }
    case A64_OP_CCMP: { /* C6.2.x CCMN, CCMP: the flags of the compare, or #nzcv */
        uint64_t b = i->use_imm ? i->rm : m;
        uint32_t flags;
        if (a64_cond_holds(c->nzcv, i->cond))
            add_with_carry(n, i->sub ? ~b : b, i->sub, sf, &flags);
        else
            flags = (uint32_t)i->nzcv << 28;
        c->nzcv = flags;
        return A64_EXEC_NEXT;
    }
    case A64_OP_CSEL:
        if (a64_cond_holds(c->nzcv, i->cond))
            r = n;
        else if (i->opc == 0)
            r = m;
        else if (i->opc == 1)
            r = m + 1;
        else if (i->opc == 2)
            r = ~m;
        else
            r = 0 - m;
        break;
    case A64_OP_DP1:
        r = dp1(i, n);
        break;
    case A64_OP_DP2:
        r = dp2(i, n, m);
        break;
    default:
        r = dp3(i, n, m, a64_xreg(c, i->ra, false));
        break;
    }
    a64_set_xreg(c, i->rd, r, sf, false);
    return A64_EXEC_NEXT;
}
