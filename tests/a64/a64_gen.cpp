// The random sequence generator (a64_gen.hpp). Encodings: Arm ARM C4.1 (each builder names its
// class); every field is drawn at random within the allocated encodings, and the operands are
// constrained only where the architecture makes a choice CONSTRAINED UNPREDICTABLE (a load into
// its written-back base, LDP into one register twice, a store exclusive's status register
// overlapping its operands).
#include "a64_gen.hpp"

extern "C" {
#include "cpu/a64_decode.h"
}

namespace a64test
{
namespace
{

constexpr unsigned kBase = 27, kBuf = 28;

struct Group {
    std::vector<uint32_t> words;
    int fix_word = -1; // a word whose offset is resolved when the body is laid out
    enum { NONE, BRANCH, ADR, LITERAL } fix = NONE;
    unsigned target = 0; // BRANCH/ADR: a later group (groups.size() means the end)
    unsigned pool_word = 0;
};

struct Gen {
    std::mt19937_64 &rng;
    uint32_t bits(unsigned n)
    {
        return n >= 32 ? (uint32_t)rng() : (uint32_t)(rng() & ((1u << n) - 1));
    }
    unsigned below(unsigned n) { return (unsigned)(rng() % n); }
    bool coin() { return rng() & 1; }

    // A destination: any register but X28 (and the ones in `avoid`); 31 (ZR) when allowed.
    unsigned dst(bool zr_ok, uint32_t avoid = 0)
    {
        for (;;) {
            unsigned r = below(32);
            if (r == kBuf || (avoid >> r & 1) || (r == 31 && !zr_ok))
                continue;
            return r;
        }
    }
    unsigned src() { return below(32); }

    uint32_t dp_imm(uint32_t avoid);
    uint32_t dp_reg(uint32_t avoid);
    uint32_t dp(uint32_t avoid) { return coin() ? dp_imm(avoid) : dp_reg(avoid); }
    uint32_t random_dp();
    void base_setup(Group &g, int64_t rel);
    Group memory();
    Group single();
    Group pair();
    Group exclusive();
    Group atomic();
    Group system();
    Group sp_write();
};

// C4.1.86 Data Processing -- Immediate.
uint32_t Gen::dp_imm(uint32_t avoid)
{
    uint32_t sf = coin();
    for (;;) {
        switch (below(6)) {
        case 0: { // ADR, ADRP
            uint32_t imm = bits(21);
            return (bits(1) << 31) | ((imm & 3) << 29) | (0x10u << 24) | ((imm >> 2) << 5) |
                   dst(true, avoid);
        }
        case 1: { // ADD/ADDS/SUB/SUBS (immediate): Rd 31 is SP unless S
            uint32_t s = coin();
            return (sf << 31) | (bits(1) << 30) | (s << 29) | (0x22u << 23) | (bits(1) << 22) |
                   (bits(12) << 10) | (src() << 5) | dst(s, avoid);
        }
        case 2: { // AND/ORR/EOR/ANDS (immediate)
            uint32_t n = sf ? bits(1) : 0, immr = bits(6), imms = bits(6), opc = bits(2);
            uint64_t w, t;
            if (!sf && (immr >= 32 || imms >= 32))
                continue;
            if (!a64_decode_bit_masks(n, imms, immr, true, sf ? 64 : 32, &w, &t))
                continue;
            return (sf << 31) | (opc << 29) | (0x24u << 23) | (n << 22) | (immr << 16) |
                   (imms << 10) | (src() << 5) | dst(opc == 3, avoid);
        }
        case 3: { // MOVN/MOVZ/MOVK
            static const uint32_t opcs[3] = {0, 2, 3};
            return (sf << 31) | (opcs[below(3)] << 29) | (0x25u << 23) | (below(sf ? 4 : 2) << 21) |
                   (bits(16) << 5) | dst(true, avoid);
        }
        case 4: { // SBFM/BFM/UBFM
            unsigned width = sf ? 64 : 32;
            return (sf << 31) | (below(3) << 29) | (0x26u << 23) | (sf << 22) |
                   (below(width) << 16) | (below(width) << 10) | (src() << 5) | dst(true, avoid);
        }
        default: // EXTR
            return (sf << 31) | (0x27u << 23) | (sf << 22) | (src() << 16) |
                   (below(sf ? 64 : 32) << 10) | (src() << 5) | dst(true, avoid);
        }
    }
}

// C4.1.88 Data Processing -- Register.
uint32_t Gen::dp_reg(uint32_t avoid)
{
    uint32_t sf = coin();
    uint32_t rm = src() << 16, rn = src() << 5;
    switch (below(9)) {
    case 0: // logical (shifted register)
        return (sf << 31) | (bits(2) << 29) | (0x0Au << 24) | (bits(2) << 22) | (bits(1) << 21) |
               rm | (below(sf ? 64 : 32) << 10) | rn | dst(true, avoid);
    case 1: // add/subtract (shifted register)
        return (sf << 31) | (bits(2) << 29) | (0x0Bu << 24) | (below(3) << 22) | rm |
               (below(sf ? 64 : 32) << 10) | rn | dst(true, avoid);
    case 2: { // add/subtract (extended register): Rd 31 is SP unless S
        uint32_t s = coin();
        return (sf << 31) | (bits(1) << 30) | (s << 29) | (0x0Bu << 24) | (1u << 21) | rm |
               (bits(3) << 13) | (below(5) << 10) | rn | dst(s, avoid);
    }
    case 3: // ADC/ADCS/SBC/SBCS
        return (sf << 31) | (bits(2) << 29) | (0xD0u << 21) | rm | rn | dst(true, avoid);
    case 4: // CCMN/CCMP (register or immediate)
        return (sf << 31) | (bits(1) << 30) | (1u << 29) | (0xD2u << 21) | rm | (bits(4) << 12) |
               (bits(1) << 11) | rn | bits(4);
    case 5: // CSEL/CSINC/CSINV/CSNEG
        return (sf << 31) | (bits(1) << 30) | (0xD4u << 21) | rm | (bits(4) << 12) |
               (bits(1) << 10) | rn | dst(true, avoid);
    case 6: { // RBIT, REV16, REV32/REV, REV, CLZ, CLS
        uint32_t op = below(6);
        if (op == 3 && !sf)
            op = 2;
        return (sf << 31) | (1u << 30) | (0xD6u << 21) | (op << 10) | rn | dst(true, avoid);
    }
    case 7: { // UDIV, SDIV, LSLV, LSRV, ASRV, RORV, CRC32*
        static const uint32_t ops[6] = {2, 3, 8, 9, 10, 11};
        uint32_t op = ops[below(6)];
        if (below(4) == 0) { // CRC32{B,H,W,X}, CRC32C{...}: the X forms are sf 1
            uint32_t sz = below(4);
            sf = sz == 3;
            op = 0x10 | (bits(1) << 2) | sz;
        }
        return (sf << 31) | (0xD6u << 21) | rm | (op << 10) | rn | dst(true, avoid);
    }
    default: { // MADD, MSUB, SMADDL, SMSUBL, SMULH, UMADDL, UMSUBL, UMULH
        static const uint32_t op31o0[8][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1},
                                              {2, 0}, {5, 0}, {5, 1}, {6, 0}};
        unsigned k = below(8);
        if (k >= 2)
            sf = 1;
        uint32_t ra = (op31o0[k][0] == 2 || op31o0[k][0] == 6) ? 31 : src();
        return (sf << 31) | (0x1Bu << 24) | (op31o0[k][0] << 21) | rm | (op31o0[k][1] << 15) |
               (ra << 10) | rn | dst(true, avoid);
    }
    }
}

// Any 32-bit word the decoder reads as data processing, except one writing X28 or SP: this
// checks the decoder's idea of which data-processing encodings are allocated against QEMU's (a
// word QEMU finds unallocated ends the program with SIGILL; the reverse is a mismatch).
uint32_t Gen::random_dp()
{
    for (;;) {
        uint32_t w = (uint32_t)rng();
        a64_insn i;
        if (!a64_decode(w, &i) || i.op < A64_OP_ADR || i.op > A64_OP_DP3 || i.rd == kBuf)
            continue;
        bool sp_dest = (i.op == A64_OP_ADDSUB_IMM || i.op == A64_OP_ADDSUB_EXT) && !i.setflags;
        sp_dest = sp_dest || (i.op == A64_OP_LOGIC_IMM && i.opc != 3);
        if (sp_dest && i.rd == 31)
            continue;
        return w;
    }
}

// ADD/SUB X27, X28, #|rel|: the base register of the next access.
void Gen::base_setup(Group &g, int64_t rel)
{
    uint32_t op = rel < 0 ? 0xD1000000u : 0x91000000u;
    uint64_t mag = (uint64_t)(rel < 0 ? -rel : rel);
    g.words.push_back(op | (uint32_t)(mag << 10) | (kBuf << 5) | kBase);
}

// A target offset in the buffer for an access of `bytes`, aligned to `align`.
static int64_t pick_target(Gen &g, unsigned bytes, unsigned align)
{
    return (int64_t)(g.below((kBufSize - bytes) / align + 1) * align);
}

// One register: unsigned offset, unscaled, pre/post-index, unprivileged, register offset;
// or an SP-based unsigned/unscaled offset; or LDR (literal), PRFM.
Group Gen::single()
{
    Group g;
    for (;;) {
        uint32_t size = bits(2), opc = bits(2);
        if ((opc == 3 && size >= 2))
            continue;
        bool load = opc != 0, prefetch = opc == 2 && size == 3;
        unsigned bytes = 1u << size;
        unsigned form = below(7); // 0 uimm, 1 unscaled, 2 post, 3 pre, 4 unpriv, 5 reg, 6 SP
        if (prefetch && (form == 2 || form == 3 || form == 4))
            continue;
        bool wback = form == 2 || form == 3;
        uint32_t rt = load ? dst(true, wback ? 1u << kBase : 0) : src();
        if (prefetch)
            rt = bits(5) & ~0x18u; // PLD/PLI/PST types; values are hints
        int64_t t = pick_target(*this, bytes, 1), imm = 0, rel;
        uint32_t w = (size << 30) | (opc << 22) | rt;
        if (form == 6) { // SP base: offset from kSpOffset, no writeback
            if (coin()) {
                uint32_t imm12 = below((kBufSize - kSpOffset - bytes) / bytes + 1);
                g.words.push_back(w | (0x39u << 24) | (imm12 << 10) | (31u << 5));
            } else {
                int32_t imm9 = (int32_t)below(512) - 256;
                g.words.push_back(w | (0x38u << 24) | (((uint32_t)imm9 & 0x1FF) << 12) |
                                  (31u << 5));
            }
            return g;
        }
        if (form == 0) {
            uint32_t imm12 = below(std::min(4096u, (6000u >> size) + 1));
            imm = (int64_t)imm12 << size;
            w |= (0x39u << 24) | (imm12 << 10);
        } else if (form <= 4) {
            static const uint32_t op4[5] = {0, 0, 1, 3, 2};
            int32_t imm9 = (int32_t)below(512) - 256;
            imm = form == 2 ? 0 : imm9;
            w |= (0x38u << 24) | (((uint32_t)imm9 & 0x1FF) << 12) | (op4[form] << 10);
        } else {
            static const uint32_t options[4] = {2, 3, 6, 7}; // UXTW, LSL, SXTW, SXTX
            uint32_t option = options[below(4)], s = coin();
            uint32_t rm = dst(false, (1u << kBase) | (load ? 1u << rt : 0));
            int64_t v = below(200);
            if (option != 2 && coin()) { // MOVN: -(v + 1)
                g.words.push_back(0x92800000u | ((uint32_t)v << 5) | rm);
                v = -(v + 1);
            } else {
                g.words.push_back(0xD2800000u | ((uint32_t)v << 5) | rm);
            }
            imm = v * (s ? (int64_t)bytes : 1);
            w |= (0x38u << 24) | (1u << 21) | (rm << 16) | (option << 13) | (s << 12) | (2u << 10);
        }
        rel = t - (int64_t)kBaseOffset - imm;
        if (rel < -4095 || rel > 4095) {
            g.words.clear();
            continue;
        }
        g.words.insert(g.words.begin(), 0); // base set-up first
        Group b;
        base_setup(b, rel);
        g.words[0] = b.words[0];
        g.words.push_back(w | (kBase << 5));
        return g;
    }
}

// LDP/STP/LDPSW/LDNP/STNP in every mode.
Group Gen::pair()
{
    Group g;
    for (;;) {
        uint32_t opc = below(3), l = coin(), mode = below(4);
        if (opc == 1 && (!l || mode == 0))
            continue;
        unsigned bytes = opc == 2 ? 8 : 4;
        bool wback = mode == 1 || mode == 3;
        uint32_t avoid = wback ? 1u << kBase : 0;
        uint32_t rt = l ? dst(true, avoid) : src();
        uint32_t rt2 = l ? dst(true, avoid | (1u << rt)) : src();
        if (!l && wback && (rt == kBase || rt2 == kBase))
            continue;
        int32_t imm7 = (int32_t)below(128) - 64;
        int64_t t = pick_target(*this, 2 * bytes, 1);
        int64_t rel = t - (int64_t)kBaseOffset - (mode == 1 ? 0 : imm7 * (int64_t)bytes);
        if (rel < -4095 || rel > 4095)
            continue;
        base_setup(g, rel);
        g.words.push_back((opc << 30) | (0x5u << 27) | (mode << 23) | (l << 22) |
                          (((uint32_t)imm7 & 0x7F) << 15) | (rt2 << 10) | (kBase << 5) | rt);
        return g;
    }
}

// LDXR/LDAXR + STXR/STLXR (or the pairs) at one address, some data processing between; a lone
// store exclusive (which fails: the monitor is always open between groups); LDAR/STLR.
Group Gen::exclusive()
{
    Group g;
    uint32_t size = bits(2);
    unsigned kind = below(4);
    bool pair = kind == 1 && size >= 2;
    unsigned total = pair ? 2u << size : 1u << size;
    base_setup(g, pick_target(*this, total, total) - (int64_t)kBaseOffset);
    uint32_t o2 = 0, o1 = pair ? 1 : 0, sz = pair ? 2 | (size & 1) : size;
    uint32_t base = (sz << 30) | (0x08u << 24) | (o1 << 21) | (kBase << 5);
    if (kind == 3) { // LDAR / STLR
        uint32_t l = coin();
        o2 = 1;
        uint32_t rt = l ? dst(true) : src();
        g.words.push_back(base | (o2 << 23) | (l << 22) | (31u << 16) | (1u << 15) | (31u << 10) |
                          rt);
        return g;
    }
    uint32_t t1 = dst(true, 1u << kBase), t2 = pair ? dst(true, (1u << kBase) | (1u << t1)) : 31;
    if (kind != 2) { // the load exclusive, then 0..2 data-processing instructions
        g.words.push_back(base | (1u << 22) | (31u << 16) | (bits(1) << 15) | (t2 << 10) | t1);
        for (unsigned k = below(3); k > 0; k--)
            g.words.push_back(dp(1u << kBase));
    }
    uint32_t s1 = src(), s2 = pair ? src() : 31;
    uint32_t ws = dst(true, (1u << kBase) | (1u << s1) | (pair ? 1u << s2 : 0));
    g.words.push_back(base | (ws << 16) | (bits(1) << 15) | (s2 << 10) | s1);
    return g;
}

// LDADD..LDUMIN, SWP (and ST* aliases with Rt = 31), CAS, CASP.
Group Gen::atomic()
{
    Group g;
    uint32_t size = bits(2), a = coin(), r = coin();
    unsigned kind = below(4);
    if (kind == 3) { // CASP: Rs and Rt even; a 32- or 64-bit pair
        uint32_t sz = coin(), rs;
        do
            rs = below(16) * 2;
        while (rs == kBuf);
        uint32_t rt = below(16) * 2;
        unsigned total = 2u << (2 + sz);
        base_setup(g, pick_target(*this, total, total) - (int64_t)kBaseOffset);
        g.words.push_back((sz << 30) | (0x08u << 24) | (a << 22) | (1u << 21) | (rs << 16) |
                          (r << 15) | (31u << 10) | (kBase << 5) | rt);
        return g;
    }
    base_setup(g, pick_target(*this, 1u << size, 1u << size) - (int64_t)kBaseOffset);
    if (kind == 2) { // CAS
        g.words.push_back((size << 30) | (0x08u << 24) | (1u << 23) | (a << 22) | (1u << 21) |
                          (dst(true) << 16) | (r << 15) | (31u << 10) | (kBase << 5) | src());
        return g;
    }
    uint32_t o3 = below(9) == 8, opc = o3 ? 0 : bits(3);
    g.words.push_back((size << 30) | (0x38u << 24) | (a << 23) | (r << 22) | (1u << 21) |
                      (src() << 16) | (o3 << 15) | (opc << 12) | (kBase << 5) | dst(true));
    return g;
}

Group Gen::memory()
{
    switch (below(8)) {
    case 0:
    case 1:
    case 2:
        return single();
    case 3:
        return pair();
    case 4:
        return exclusive();
    case 5:
        return atomic();
    case 6: { // LDR/LDRSW/PRFM (literal): the offset is fixed up at layout
        Group g;
        g.fix = Group::LITERAL;
        g.fix_word = 0;
        uint32_t opc = bits(2);
        g.pool_word = below(kPoolWords - 1);
        g.words.push_back((opc << 30) | (0x18u << 24) | dst(true));
        return g;
    }
    default: { // DC ZVA
        Group g;
        base_setup(g, pick_target(*this, 1, 1) - (int64_t)kBaseOffset);
        g.words.push_back(0xD50B7420u | kBase);
        return g;
    }
    }
}

// SP as a destination: MOV X27, SP; one instruction writing SP (ADD/SUB immediate or extended
// register, AND/ORR/EOR immediate, 32- or 64-bit); MOV Xd, SP; MOV SP, X27.
Group Gen::sp_write()
{
    Group g;
    uint32_t sf = below(4) != 0, w;
    g.words.push_back(0x910003E0u | kBase);
    switch (below(3)) {
    case 0:
        w = (sf << 31) | (bits(1) << 30) | (0x22u << 23) | (bits(1) << 22) | (bits(12) << 10) |
            (src() << 5);
        break;
    case 1: {
        uint32_t n, immr, imms;
        uint64_t wm, tm;
        do {
            n = sf ? bits(1) : 0;
            immr = bits(sf ? 6 : 5);
            imms = bits(sf ? 6 : 5);
        } while (!a64_decode_bit_masks(n, imms, immr, true, sf ? 64 : 32, &wm, &tm));
        w = (sf << 31) | (below(3) << 29) | (0x24u << 23) | (n << 22) | (immr << 16) |
            (imms << 10) | (src() << 5);
        break;
    }
    default:
        w = (sf << 31) | (bits(1) << 30) | (0x0Bu << 24) | (1u << 21) | (src() << 16) |
            (bits(3) << 13) | (below(5) << 10) | (src() << 5);
        break;
    }
    g.words.push_back(w | 31);
    g.words.push_back(0x910003E0u | dst(false, 1u << kBase));
    g.words.push_back(0x9100001Fu | (kBase << 5));
    return g;
}

Group Gen::system()
{
    static const uint32_t fixed[] = {0xD503201Fu, 0xD503203Fu, 0xD50320BFu,
                                     0xD5033BBFu, 0xD5033F9Fu, 0xD5033FDFu};
    Group g;
    switch (below(7)) {
    case 6: // MRS Xt, DCZID_EL0 / CTR_EL0 (SCTLR_EL1.UCT is set for EL0, as Linux sets it)
        g.words.push_back((coin() ? 0xD53B00E0u : 0xD53B0020u) | dst(true));
        break;
    case 5:
        return sp_write();
    case 0:
        g.words.push_back(0xD51B4200u | src()); // MSR NZCV, Xt
        break;
    case 1:
        g.words.push_back(0xD53B4200u | dst(true)); // MRS Xt, NZCV
        break;
    case 2:
        g.words.push_back(0xD51BD040u | src()); // MSR TPIDR_EL0, Xt
        break;
    case 3:
        g.words.push_back(0xD53BD040u | dst(true)); // MRS Xt, TPIDR_EL0
        break;
    default: // NOP, YIELD, SEVL, DMB ISH, DSB SY, ISB
        g.words.push_back(fixed[below(6)]);
        break;
    }
    return g;
}

} // namespace

Sequence generate(std::mt19937_64 &rng, unsigned length)
{
    Gen gen{rng};
    Sequence s;
    for (auto &r : s.regs) {
        switch (gen.below(4)) { // small, negative, huge, random values
        case 0:
            r = gen.below(256);
            break;
        case 1:
            r = (uint64_t) - (int64_t)gen.below(256);
            break;
        case 2:
            r = gen.coin() ? 0x8000000000000000ull : 0x7FFFFFFFFFFFFFFFull;
            break;
        default:
            r = rng();
            break;
        }
    }
    s.nzcv = gen.bits(4) << 28;
    for (auto &w : s.pool)
        w = (uint32_t)rng();
    std::vector<Group> groups;
    unsigned words = 0;
    while (words < length) {
        Group g;
        unsigned k = gen.below(20);
        if (k == 0) {
            g.words.push_back(gen.random_dp());
        } else if (k < 10) {
            g.words.push_back(gen.dp(0));
        } else if (k < 16) {
            g = gen.memory();
        } else if (k < 19) {
            g.fix = Group::BRANCH;
            g.fix_word = 0;
            g.words.push_back(0);
        } else {
            g = gen.system();
        }
        words += (unsigned)g.words.size();
        groups.push_back(std::move(g));
    }
    // Branches: B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, or ADR + BR/BLR/RET, to a later group.
    std::vector<unsigned> start(groups.size() + 1);
    for (size_t k = 0; k < groups.size(); k++) {
        Group &g = groups[k];
        if (g.fix == Group::BRANCH) {
            unsigned ahead = (unsigned)(groups.size() - k); // later groups and the end
            if (ahead > 4 && gen.below(5) != 0)
                ahead = 4; // mostly short skips, so most of the body runs
            g.target = (unsigned)(k + 1 + gen.below(ahead));
            if (gen.below(5) == 0) {
                g.fix = Group::ADR;
                g.words.push_back(0);
            }
        }
    }
    unsigned at = 0;
    for (size_t k = 0; k < groups.size(); k++) {
        start[k] = at;
        at += (unsigned)groups[k].words.size();
    }
    start[groups.size()] = at;
    for (size_t k = 0; k < groups.size(); k++) {
        Group &g = groups[k];
        unsigned pc = start[k] + (unsigned)g.fix_word;
        int32_t off = (int32_t)start[g.target] - (int32_t)pc; // in words
        if (g.fix == Group::BRANCH) {
            uint32_t rt = gen.src();
            switch (gen.below(5)) {
            case 0:
                g.words[0] = (gen.coin() ? 0x94000000u : 0x14000000u) | ((uint32_t)off & 0x3FFFFFF);
                break;
            case 1:
                g.words[0] = 0x54000000u | (((uint32_t)off & 0x7FFFF) << 5) | gen.bits(4);
                break;
            case 2:
            case 3:
                g.words[0] = (gen.bits(1) << 31) | 0x34000000u | (gen.bits(1) << 24) |
                             (((uint32_t)off & 0x7FFFF) << 5) | rt;
                break;
            default:
                g.words[0] = (gen.bits(1) << 31) | 0x36000000u | (gen.bits(1) << 24) |
                             (gen.bits(5) << 19) | (((uint32_t)off & 0x3FFF) << 5) | rt;
                break;
            }
        } else if (g.fix == Group::ADR) {
            uint32_t rn = gen.dst(false), bytes = (uint32_t)(off * 4);
            static const uint32_t br[3] = {0xD61F0000u, 0xD63F0000u, 0xD65F0000u};
            g.words[0] = ((bytes & 3) << 29) | 0x10000000u | (((bytes >> 2) & 0x7FFFF) << 5) | rn;
            g.words[1] = br[gen.below(3)] | (rn << 5);
        } else if (g.fix == Group::LITERAL) {
            int32_t words_off = -(int32_t)kPoolWords + (int32_t)g.pool_word - (int32_t)pc;
            g.words[0] |= ((uint32_t)words_off & 0x7FFFF) << 5;
        }
    }
    for (auto &g : groups)
        s.body.insert(s.body.end(), g.words.begin(), g.words.end());
    return s;
}

} // namespace a64test
