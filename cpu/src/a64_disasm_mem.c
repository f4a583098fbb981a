/* Disassembly of loads and stores: objdump's mnemonics by size, sign and form (LDR/LDUR/LDTR,
 * the exclusives and ordered forms, CAS, the LSE atomics and their ST* aliases), addresses as
 * "[xn{, #imm}]", "[xn, #imm]!", "[xn], #imm", "[xn, xm{, extend {#amount}}]". */
#include "a64_disasm_internal.h"

static const char sizes[4] = {'b', 'h', 0, 0};

static void prfop(struct dis_out *o, unsigned rt)
{
    static const char *const type[3] = {"pld", "pli", "pst"};
    unsigned t = rt >> 3, target = (rt >> 1) & 3;
    if (t < 3 && target < 3)
        dis_put(o, "%sl%u%s", type[t], target + 1, (rt & 1) ? "strm" : "keep");
    else
        dis_put(o, "#0x%02x", rt);
}

static void address(struct dis_out *o, const struct a64_insn *i)
{
    const char *rn = dis_reg(i->rn, true, true);
    switch (i->mode) {
    case A64_AM_OFFSET:
        if (i->imm)
            dis_put(o, "[%s, #%lld]", rn, (long long)i->imm);
        else
            dis_put(o, "[%s]", rn);
        break;
    case A64_AM_PRE:
        dis_put(o, "[%s, #%lld]!", rn, (long long)i->imm);
        break;
    case A64_AM_POST:
        dis_put(o, "[%s], #%lld", rn, (long long)i->imm);
        break;
    default: {
        bool s = (i->raw >> 12) & 1;
        dis_put(o, "[%s, %s", rn, dis_reg(i->rm, (i->ext & 3) == 3, false));
        if (i->ext == A64_UXTX) {
            if (s)
                dis_put(o, ", lsl #%u", i->amount);
        } else {
            dis_put(o, ", %s", dis_extend(i->ext));
            if (s)
                dis_put(o, " #%u", i->amount);
        }
        dis_put(o, "]");
        break;
    }
    }
}

static void single(struct dis_out *o, const struct a64_insn *i)
{
    unsigned op4 = (i->raw >> 10) & 3;
    bool unscaled = !((i->raw >> 24) & 1) && !((i->raw >> 21) & 1) && op4 == 0;
    const char *form = i->unpriv ? "t" : unscaled ? "u" : "";
    if (i->prefetch) {
        dis_put(o, "prf%sm\t", unscaled ? "u" : "");
        prfop(o, i->rd);
        dis_put(o, ", ");
        address(o, i);
        return;
    }
    char suffix[2] = {sizes[i->size], 0};
    if (i->sign && i->size == 2)
        suffix[0] = 'w';
    dis_put(o, "%s%sr%s%s\t%s, ", i->load ? "ld" : "st", form, i->sign ? "s" : "", suffix,
            dis_reg(i->rd, i->sf, false));
    address(o, i);
}

static void exclusive(struct dis_out *o, const struct a64_insn *i)
{
    char size[2] = {i->pair ? 0 : sizes[i->size], 0};
    const char *rn = dis_reg(i->rn, true, true);
    const char *t1 = dis_reg(i->rd, i->sf, false), *t2 = dis_reg(i->ra, i->sf, false);
    if (!i->exclusive) {
        dis_put(o, "%s%s\t%s, [%s]", i->load ? "ldar" : "stlr", size, t1, rn);
        return;
    }
    const char *order = i->load ? (i->acquire ? "a" : "") : (i->release ? "l" : "");
    const char *kind = i->pair ? "p" : "r";
    if (i->load) {
        dis_put(o, "ld%sx%s%s\t%s, ", order, kind, size, t1);
    } else {
        dis_put(o, "st%sx%s%s\t%s, %s, ", order, kind, size, dis_reg(i->rs, false, false), t1);
    }
    if (i->pair)
        dis_put(o, "%s, ", t2);
    dis_put(o, "[%s]", rn);
}

static void atomic(struct dis_out *o, const struct a64_insn *i)
{
    static const char *const ops[9] = {"add",  "clr",  "eor",  "set", "smax",
                                       "smin", "umax", "umin", "swp"};
    char size[2] = {i->pair ? 0 : sizes[i->size], 0};
    const char *a = i->acquire ? "a" : "", *l = i->release ? "l" : "";
    const char *rn = dis_reg(i->rn, true, true);
    if (i->op == A64_OP_CAS) {
        dis_put(o, "cas%s%s%s%s\t%s, ", i->pair ? "p" : "", a, l, size,
                dis_reg(i->rs, i->sf, false));
        if (i->pair)
            dis_put(o, "%s, ", dis_reg(i->rs + 1, i->sf, false));
        dis_put(o, "%s, ", dis_reg(i->rd, i->sf, false));
        if (i->pair)
            dis_put(o, "%s, ", dis_reg(i->rd + 1, i->sf, false));
        dis_put(o, "[%s]", rn);
        return;
    }
    const char *rs = dis_reg(i->rs, i->sf, false);
    if (i->opc != A64_SWP && i->rd == 31 && !i->acquire) {
        dis_put(o, "st%s%s%s\t%s, [%s]", ops[i->opc], l, size, rs, rn);
        return;
    }
    dis_put(o, "%s%s%s%s%s\t%s, %s, [%s]", i->opc == A64_SWP ? "" : "ld", ops[i->opc], a, l, size,
            rs, dis_reg(i->rd, i->sf, false), rn);
}

void dis_memory(struct dis_out *o, const struct a64_insn *i, uint64_t pc)
{
    switch (i->op) {
    case A64_OP_LDST:
        single(o, i);
        break;
    case A64_OP_LDP: {
        bool nontemporal = !((i->raw >> 23) & 3);
        bool sf = i->sf || i->sign;
        dis_put(o, "%s%s%s\t%s, %s, ", i->load ? "ld" : "st", nontemporal ? "np" : "p",
                i->sign ? "sw" : "", dis_reg(i->rd, sf, false), dis_reg(i->ra, sf, false));
        address(o, i);
        break;
    }
    case A64_OP_LDLIT:
        if (i->prefetch) {
            dis_put(o, "prfm\t");
            prfop(o, i->rd);
            dis_put(o, ", %llx", (unsigned long long)(pc + (uint64_t)i->imm));
        } else {
            dis_put(o, "ldr%s\t%s, %llx", i->sign ? "sw" : "", dis_reg(i->rd, i->sf, false),
                    (unsigned long long)(pc + (uint64_t)i->imm));
        }
        break;
    case A64_OP_LDEX:
        exclusive(o, i);
        break;
    default:
        atomic(o, i);
        break;
    }
}
