/* A64 disassembler (cpu/a64_disasm.h): the shared decoder's struct a64_insn printed as objdump
 * (binutils 2.40) prints it, with the Arm ARM's preferred aliases (C6.2, each instruction's
 * "Alias conditions") in objdump's order of preference. Data processing here; branches, system
 * instructions, loads and stores in a64_disasm_mem.c. */
#include <stdarg.h>
#include <stdio.h>

#include "a64_disasm_internal.h"

void dis_put(struct dis_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap); /* counts what would fit */
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

const char *dis_reg(unsigned n, bool sf, bool sp)
{
    static const char *const x[32] = {"x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",
                                      "x8",  "x9",  "x10", "x11", "x12", "x13", "x14", "x15",
                                      "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
                                      "x24", "x25", "x26", "x27", "x28", "x29", "x30", "xzr"};
    static const char *const w[32] = {"w0",  "w1",  "w2",  "w3",  "w4",  "w5",  "w6",  "w7",
                                      "w8",  "w9",  "w10", "w11", "w12", "w13", "w14", "w15",
                                      "w16", "w17", "w18", "w19", "w20", "w21", "w22", "w23",
                                      "w24", "w25", "w26", "w27", "w28", "w29", "w30", "wzr"};
    if (n == 31 && sp)
        return sf ? "sp" : "wsp";
    return sf ? x[n & 31] : w[n & 31];
}

static const char *const cond_names[16] = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
                                           "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};
/* The other names binutils knows a condition by (its comment "// cs = hs, nlast"). */
static const char *const cond_alts[16][3] = {{"none"},
                                             {"any"},
                                             {"hs", "nlast"},
                                             {"lo", "ul", "last"},
                                             {"first"},
                                             {"nfrst"},
                                             {0},
                                             {0},
                                             {"pmore"},
                                             {"plast"},
                                             {"tcont"},
                                             {"tstop"},
                                             {0},
                                             {0},
                                             {0},
                                             {0}};

const char *dis_cond(unsigned c)
{
    return cond_names[c & 15];
}

/* "\t// cs = hs, nlast" after an operand list ending in a condition. */
void dis_cond_comment(struct dis_out *o, unsigned c)
{
    if (!cond_alts[c][0])
        return;
    dis_put(o, "\t// %s = %s", cond_names[c], cond_alts[c][0]);
    for (int k = 1; k < 3 && cond_alts[c][k]; k++)
        dis_put(o, ", %s", cond_alts[c][k]);
}

/* "  // b.hs, b.nlast" after a B.cond target. */
void dis_bcond_comment(struct dis_out *o, unsigned c)
{
    if (!cond_alts[c][0])
        return;
    dis_put(o, "  // b.%s", cond_alts[c][0]);
    for (int k = 1; k < 3 && cond_alts[c][k]; k++)
        dis_put(o, ", b.%s", cond_alts[c][k]);
}

static const char *const shift_names[4] = {"lsl", "lsr", "asr", "ror"};
static const char *const extend_names[8] = {"uxtb", "uxth", "uxtw", "uxtx",
                                            "sxtb", "sxth", "sxtw", "sxtx"};

const char *dis_extend(unsigned ext)
{
    return extend_names[ext & 7];
}

static void shifted(struct dis_out *o, const struct a64_insn *i)
{
    dis_put(o, "%s", dis_reg(i->rm, i->sf, false));
    if (i->amount || i->shift != A64_LSL)
        dis_put(o, ", %s #%u", shift_names[i->shift], i->amount);
}

/* A "mov" of an immediate: the value padded as objdump pads it, and its decimal comment. */
static void mov_imm(struct dis_out *o, const struct a64_insn *i, uint64_t v, bool rd_sp)
{
    char imm[32];
    if (!i->sf)
        v = (uint32_t)v;
    snprintf(imm, sizeof imm, "#0x%llx", (unsigned long long)v);
    long long dec = i->sf ? (long long)v : (long long)(int32_t)v;
    dis_put(o, "mov\t%s, %-23s\t// #%lld", dis_reg(i->rd, i->sf, rd_sp), imm, dec);
}

/* Whether MOVZ (or, for ~v, MOVN) can write v: one 16-bit halfword holds every set bit. */
static bool wide_constant(uint64_t v, bool sf)
{
    if (!sf)
        v = (uint32_t)v;
    for (unsigned shift = 0; shift < (sf ? 64u : 32u); shift += 16)
        if (!(v & ~(0xFFFFull << shift)))
            return true;
    return false;
}

static void addsub_imm(struct dis_out *o, const struct a64_insn *i)
{
    bool sh = (i->raw >> 22) & 1;
    uint64_t imm12 = (uint64_t)i->imm >> (sh ? 12 : 0);
    const char *rn = dis_reg(i->rn, i->sf, true);
    if (!i->setflags && !i->sub && !sh && imm12 == 0 && (i->rd == 31 || i->rn == 31)) {
        dis_put(o, "mov\t%s, %s", dis_reg(i->rd, i->sf, true), rn);
        return;
    }
    if (i->setflags && i->rd == 31)
        dis_put(o, "%s\t%s", i->sub ? "cmp" : "cmn", rn);
    else
        dis_put(o, "%s%s\t%s, %s", i->sub ? "sub" : "add", i->setflags ? "s" : "",
                dis_reg(i->rd, i->sf, !i->setflags), rn);
    dis_put(o, ", #0x%llx", (unsigned long long)imm12);
    if (sh)
        dis_put(o, ", lsl #12");
}

static void logic_imm(struct dis_out *o, const struct a64_insn *i)
{
    static const char *const names[4] = {"and", "orr", "eor", "ands"};
    uint64_t v = i->sf ? (uint64_t)i->imm : (uint32_t)i->imm;
    if (i->opc == 3 && i->rd == 31) {
        dis_put(o, "tst\t%s, #0x%llx", dis_reg(i->rn, i->sf, false), (unsigned long long)v);
        return;
    }
    /* MOV (bitmask immediate) unless MOVZ/MOVN could write it (the Arm ARM's MoveWidePreferred
     * in effect; objdump decides by the value), and always for SP, which they cannot write */
    uint64_t inv = i->sf ? ~v : (uint32_t)~v;
    if (i->opc == 1 && i->rn == 31 &&
        (i->rd == 31 || !(wide_constant(v, i->sf) || wide_constant(inv, i->sf)))) {
        mov_imm(o, i, v, true);
        return;
    }
    dis_put(o, "%s\t%s, %s, #0x%llx", names[i->opc], dis_reg(i->rd, i->sf, i->opc != 3),
            dis_reg(i->rn, i->sf, false), (unsigned long long)v);
}

static void movw(struct dis_out *o, const struct a64_insn *i)
{
    static const char *const names[4] = {"movn", "", "movz", "movk"};
    uint64_t v = (uint64_t)i->imm << i->amount;
    bool alias = !(i->imm == 0 && i->amount != 0);
    if (i->opc == 0 && !i->sf && i->imm == 0xFFFF)
        alias = false;
    if (alias && i->opc != 3) {
        mov_imm(o, i, i->opc == 0 ? ~v : v, false);
        return;
    }
    dis_put(o, "%s\t%s, #0x%llx", names[i->opc], dis_reg(i->rd, i->sf, false),
            (unsigned long long)i->imm);
    if (i->amount)
        dis_put(o, ", lsl #%u", i->amount);
}

/* BFXPreferred() (C6.2.x UBFX/SBFX alias conditions). */
static bool bfx_preferred(bool sf, bool uns, unsigned imms, unsigned immr)
{
    if (imms < immr || imms == (sf ? 63u : 31u))
        return false;
    if (immr == 0) {
        if (!sf && (imms == 7 || imms == 15))
            return false;
        if (sf && !uns && (imms == 7 || imms == 15 || imms == 31))
            return false;
    }
    return true;
}

static void bitfield(struct dis_out *o, const struct a64_insn *i)
{
    static const char *const prefix[3] = {"s", "", "u"};
    unsigned width = i->sf ? 64 : 32, r = i->immr, s = i->imms;
    const char *rd = dis_reg(i->rd, i->sf, false), *rn = dis_reg(i->rn, i->sf, false);
    const char *p = prefix[i->opc];
    if (i->opc == 1) { /* BFM: BFC, BFI, BFXIL */
        if (s < r && i->rn == 31)
            dis_put(o, "bfc\t%s, #%u, #%u", rd, (width - r) % width, s + 1);
        else if (s < r)
            dis_put(o, "bfi\t%s, %s, #%u, #%u", rd, rn, (width - r) % width, s + 1);
        else
            dis_put(o, "bfxil\t%s, %s, #%u, #%u", rd, rn, r, s - r + 1);
        return;
    }
    bool uns = i->opc == 2;
    if (uns && s != width - 1 && s + 1 == r)
        dis_put(o, "lsl\t%s, %s, #%u", rd, rn, width - 1 - s);
    else if (s == width - 1)
        dis_put(o, "%s\t%s, %s, #%u", uns ? "lsr" : "asr", rd, rn, r);
    else if (s < r)
        dis_put(o, "%sbfiz\t%s, %s, #%u, #%u", p, rd, rn, (width - r) % width, s + 1);
    else if (bfx_preferred(i->sf, uns, s, r))
        dis_put(o, "%sbfx\t%s, %s, #%u, #%u", p, rd, rn, r, s - r + 1);
    else if (r == 0 && (s == 7 || s == 15 || s == 31))
        dis_put(o, "%sxt%c\t%s, %s", p,
                s == 7    ? 'b'
                : s == 15 ? 'h'
                          : 'w',
                rd, dis_reg(i->rn, false, false));
    else
        dis_put(o, "%sbfm\t%s, %s, #%u, #%u", p, rd, rn, r, s);
}

static void logic_reg(struct dis_out *o, const struct a64_insn *i)
{
    static const char *const names[4][2] = {
        {"and", "bic"}, {"orr", "orn"}, {"eor", "eon"}, {"ands", "bics"}};
    const char *rd = dis_reg(i->rd, i->sf, false), *rn = dis_reg(i->rn, i->sf, false);
    if (i->opc == 1 && !i->invert && i->rn == 31 && i->shift == A64_LSL && i->amount == 0) {
        dis_put(o, "mov\t%s, %s", rd, dis_reg(i->rm, i->sf, false));
        return;
    }
    if (i->opc == 1 && i->invert && i->rn == 31)
        dis_put(o, "mvn\t%s, ", rd);
    else if (i->opc == 3 && !i->invert && i->rd == 31)
        dis_put(o, "tst\t%s, ", rn);
    else
        dis_put(o, "%s\t%s, %s, ", names[i->opc][i->invert], rd, rn);
    shifted(o, i);
}

static void addsub_reg(struct dis_out *o, const struct a64_insn *i, bool ext)
{
    const char *op = i->sub ? "sub" : "add", *s = i->setflags ? "s" : "";
    bool rd_sp = ext && !i->setflags;
    const char *rd = dis_reg(i->rd, i->sf, rd_sp), *rn = dis_reg(i->rn, i->sf, ext);
    if (i->setflags && i->rd == 31)
        dis_put(o, "%s\t%s, ", i->sub ? "cmp" : "cmn", rn);
    else if (!ext && i->sub && i->rn == 31)
        dis_put(o, "neg%s\t%s, ", s, rd);
    else
        dis_put(o, "%s%s\t%s, %s, ", op, s, rd, rn);
    if (!ext) {
        shifted(o, i);
        return;
    }
    dis_put(o, "%s", dis_reg(i->rm, i->sf && (i->ext & 3) == 3, false));
    bool sp = (rd_sp && i->rd == 31) || i->rn == 31;
    if (sp && i->ext == (i->sf ? A64_UXTX : A64_UXTW)) {
        if (i->amount)
            dis_put(o, ", lsl #%u", i->amount);
        return;
    }
    dis_put(o, ", %s", extend_names[i->ext]);
    if (i->amount)
        dis_put(o, " #%u", i->amount);
}

static void csel(struct dis_out *o, const struct a64_insn *i)
{
    static const char *const names[4] = {"csel", "csinc", "csinv", "csneg"};
    const char *rd = dis_reg(i->rd, i->sf, false), *rn = dis_reg(i->rn, i->sf, false);
    bool alias = (i->cond & 0xE) != 0xE && i->rn == i->rm;
    unsigned inv = i->cond ^ 1;
    if (alias && i->opc == 1 && i->rn == 31)
        dis_put(o, "cset\t%s, %s", rd, cond_names[inv]);
    else if (alias && i->opc == 2 && i->rn == 31)
        dis_put(o, "csetm\t%s, %s", rd, cond_names[inv]);
    else if (alias && i->opc >= 1)
        dis_put(o, "%s\t%s, %s, %s",
                i->opc == 1   ? "cinc"
                : i->opc == 2 ? "cinv"
                              : "cneg",
                rd, rn, cond_names[inv]);
    else {
        dis_put(o, "%s\t%s, %s, %s, %s", names[i->opc], rd, rn, dis_reg(i->rm, i->sf, false),
                cond_names[i->cond]);
        dis_cond_comment(o, i->cond);
        return;
    }
    dis_cond_comment(o, inv);
}

static void dp123(struct dis_out *o, const struct a64_insn *i)
{
    const char *rd = dis_reg(i->rd, i->sf, false), *rn = dis_reg(i->rn, i->sf, false);
    const char *rm = dis_reg(i->rm, i->sf, false);
    if (i->op == A64_OP_DP1) {
        static const char *const n1[6] = {"rbit", "rev16", "rev32", "rev", "clz", "cls"};
        dis_put(o, "%s\t%s, %s", n1[i->opc], rd, rn);
    } else if (i->op == A64_OP_DP2 && i->opc >= A64_CRC32) {
        dis_put(o, "crc32%s%c\t%s, %s, %s", i->opc == A64_CRC32C ? "c" : "", "bhwx"[i->size],
                dis_reg(i->rd, false, false), dis_reg(i->rn, false, false),
                dis_reg(i->rm, i->size == 3, false));
    } else if (i->op == A64_OP_DP2) {
        static const char *const n2[6] = {"udiv", "sdiv", "lsl", "lsr", "asr", "ror"};
        dis_put(o, "%s\t%s, %s, %s", n2[i->opc], rd, rn, rm);
    } else {
        static const char *const n3[8][2] = {
            {"madd", "mul"},    {"msub", "mneg"},    {"smaddl", "smull"},  {"smsubl", "smnegl"},
            {"smulh", "smulh"}, {"umaddl", "umull"}, {"umsubl", "umnegl"}, {"umulh", "umulh"}};
        bool longm = i->opc == A64_SMADDL || i->opc == A64_SMSUBL || i->opc == A64_UMADDL ||
                     i->opc == A64_UMSUBL;
        bool high = i->opc == A64_SMULH || i->opc == A64_UMULH;
        if (longm) {
            rn = dis_reg(i->rn, false, false);
            rm = dis_reg(i->rm, false, false);
        }
        dis_put(o, "%s\t%s, %s, %s", n3[i->opc][i->ra == 31 || high], rd, rn, rm);
        if (i->ra != 31 && !high)
            dis_put(o, ", %s", dis_reg(i->ra, i->sf, false));
    }
}

static void data_processing(struct dis_out *o, const struct a64_insn *i, uint64_t pc)
{
    switch (i->op) {
    case A64_OP_ADR:
        dis_put(o, "%s\t%s, %llx", i->opc ? "adrp" : "adr", dis_reg(i->rd, true, false),
                (unsigned long long)((i->opc ? pc & ~0xFFFull : pc) + (uint64_t)i->imm));
        break;
    case A64_OP_ADDSUB_IMM:
        addsub_imm(o, i);
        break;
    case A64_OP_LOGIC_IMM:
        logic_imm(o, i);
        break;
    case A64_OP_MOVW:
        movw(o, i);
        break;
    case A64_OP_BITFIELD:
        bitfield(o, i);
        break;
    case A64_OP_EXTR:
        if (i->rn == i->rm)
            dis_put(o, "ror\t%s, %s, #%u", dis_reg(i->rd, i->sf, false),
                    dis_reg(i->rn, i->sf, false), i->amount);
        else
            dis_put(o, "extr\t%s, %s, %s, #%u", dis_reg(i->rd, i->sf, false),
                    dis_reg(i->rn, i->sf, false), dis_reg(i->rm, i->sf, false), i->amount);
        break;
    case A64_OP_LOGIC_REG:
        logic_reg(o, i);
        break;
    case A64_OP_ADDSUB_SHIFT:
    case A64_OP_ADDSUB_EXT:
        addsub_reg(o, i, i->op == A64_OP_ADDSUB_EXT);
        break;
    case A64_OP_ADC:
        if (i->sub && i->rn == 31)
            dis_put(o, "ngc%s\t%s, %s", i->setflags ? "s" : "", dis_reg(i->rd, i->sf, false),
                    dis_reg(i->rm, i->sf, false));
        else
            dis_put(o, "%s%s\t%s, %s, %s", i->sub ? "sbc" : "adc", i->setflags ? "s" : "",
                    dis_reg(i->rd, i->sf, false), dis_reg(i->rn, i->sf, false),
                    dis_reg(i->rm, i->sf, false));
        break;
    case A64_OP_CCMP:
        dis_put(o, "%s\t%s, ", i->sub ? "ccmp" : "ccmn", dis_reg(i->rn, i->sf, false));
        if (i->use_imm)
            dis_put(o, "#0x%x", i->rm);
        else
            dis_put(o, "%s", dis_reg(i->rm, i->sf, false));
        dis_put(o, ", #0x%x, %s", i->nzcv, cond_names[i->cond]);
        dis_cond_comment(o, i->cond);
        break;
    case A64_OP_CSEL:
        csel(o, i);
        break;
    default:
        dp123(o, i);
        break;
    }
}

size_t a64_disasm(uint32_t word, uint64_t pc, char *buf, size_t size)
{
    struct dis_out o = {buf, size, 0};
    struct a64_insn i;
    if (size)
        buf[0] = '\0';
    if (!a64_decode(word, &i))
        dis_put(&o, ".inst\t0x%08x", word);
    else if (i.op <= A64_OP_DP3)
        data_processing(&o, &i, pc);
    else if (i.op <= A64_OP_MSR)
        dis_branch_system(&o, &i, pc);
    else
        dis_memory(&o, &i, pc);
    return o.len;
}
