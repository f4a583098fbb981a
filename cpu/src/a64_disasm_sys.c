/* Disassembly of branches, exception-generating and system instructions (objdump's names for
 * hints, barrier options, PSTATE fields, system registers and the DC/IC/AT/TLBI operations). */
#include "a64_disasm_internal.h"

static const char *hint_name(unsigned imm)
{
    static const struct {
        unsigned imm;
        const char *name;
    } hints[] = {{0, "nop"},         {1, "yield"},       {2, "wfe"},        {3, "wfi"},
                 {4, "sev"},         {5, "sevl"},        {7, "xpaclri"},    {8, "pacia1716"},
                 {10, "pacib1716"},  {12, "autia1716"},  {14, "autib1716"}, {16, "esb"},
                 {17, "psb\tcsync"}, {18, "tsb\tcsync"}, {20, "csdb"},      {22, "clearbhb"},
                 {24, "paciaz"},     {25, "paciasp"},    {26, "pacibz"},    {27, "pacibsp"},
                 {28, "autiaz"},     {29, "autiasp"},    {30, "autibz"},    {31, "autibsp"},
                 {32, "bti"},        {34, "bti\tc"},     {36, "bti\tj"},    {38, "bti\tjc"}};
    for (unsigned k = 0; k < sizeof(hints) / sizeof(hints[0]); k++)
        if (hints[k].imm == imm)
            return hints[k].name;
    return NULL;
}

static void barrier(struct dis_out *o, const struct a64_insn *i)
{
    static const char *const options[16] = {NULL,    "oshld", "oshst", "osh",   NULL,    "nshld",
                                            "nshst", "nsh",   NULL,    "ishld", "ishst", "ish",
                                            NULL,    "ld",    "st",    "sy"};
    unsigned crm = (unsigned)i->imm;
    switch (i->opc) {
    case A64_CLREX:
    case A64_ISB:
        dis_put(o, "%s", i->opc == A64_CLREX ? "clrex" : "isb");
        if (crm != 15)
            dis_put(o, "\t#0x%x", crm);
        return;
    default:
        if (i->opc == A64_DSB && (crm == 0 || crm == 4)) {
            dis_put(o, "%s", crm ? "pssbb" : "ssbb");
            return;
        }
        dis_put(o, "%s\t", i->opc == A64_DSB ? "dsb" : "dmb");
        if (options[crm])
            dis_put(o, "%s", options[crm]);
        else
            dis_put(o, "#0x%02x", crm);
    }
}

static void sys(struct dis_out *o, const struct a64_insn *i)
{
    const struct a64_sys_op *op = a64_sys_op_find((unsigned)i->imm);
    dis_put(o, "%s\t%s", op->insn, op->op);
    if (op->reg)
        dis_put(o, ", %s", dis_reg(i->rd, true, false));
}

static void sysreg(struct dis_out *o, unsigned enc)
{
    const char *name = a64_sysreg_name(enc);
    if (name)
        dis_put(o, "%s", name);
    else
        dis_put(o, "s%u_%u_c%u_c%u_%u", 2 + (enc >> 14), (enc >> 11) & 7, (enc >> 7) & 15,
                (enc >> 3) & 15, enc & 7);
}

void dis_branch_system(struct dis_out *o, const struct a64_insn *i, uint64_t pc)
{
    unsigned long long target = pc + (uint64_t)i->imm;
    static const char *const exc[4] = {"svc", "hvc", "smc", "brk"};
    static const char *const pstate[3] = {"spsel", "daifset", "daifclr"};
    static const char *const br[3] = {"br", "blr", "ret"};
    const char *name;
    switch (i->op) {
    case A64_OP_B:
        dis_put(o, "%s\t%llx", i->link ? "bl" : "b", target);
        break;
    case A64_OP_BCOND:
        dis_put(o, "b.%s\t%llx", dis_cond(i->cond), target);
        dis_bcond_comment(o, i->cond);
        break;
    case A64_OP_CBZ:
        dis_put(o, "%s\t%s, %llx", i->opc ? "cbnz" : "cbz", dis_reg(i->rd, i->sf, false), target);
        break;
    case A64_OP_TBZ:
        dis_put(o, "%s\t%s, #%u, %llx", i->opc ? "tbnz" : "tbz",
                dis_reg(i->rd, i->amount >= 32, false), i->amount, target);
        break;
    case A64_OP_BR:
        if (i->opc == 2 && i->rn == 30)
            dis_put(o, "ret");
        else
            dis_put(o, "%s\t%s", br[i->opc], dis_reg(i->rn, true, false));
        break;
    case A64_OP_ERET:
        dis_put(o, "eret");
        break;
    case A64_OP_EXC:
        dis_put(o, "%s\t#0x%llx", exc[i->opc], (unsigned long long)i->imm);
        break;
    case A64_OP_HINT:
        name = hint_name((unsigned)i->imm);
        if (name)
            dis_put(o, "%s", name);
        else
            dis_put(o, "hint\t#0x%llx", (unsigned long long)i->imm);
        break;
    case A64_OP_BARRIER:
        barrier(o, i);
        break;
    case A64_OP_MSR_IMM:
        dis_put(o, "msr\t%s, #0x%llx", pstate[i->opc], (unsigned long long)i->imm);
        break;
    case A64_OP_SYS:
        sys(o, i);
        break;
    case A64_OP_MRS:
        dis_put(o, "mrs\t%s, ", dis_reg(i->rd, true, false));
        sysreg(o, (unsigned)i->imm);
        break;
    default: /* MSR (register) */
        dis_put(o, "msr\t");
        sysreg(o, (unsigned)i->imm);
        dis_put(o, ", %s", dis_reg(i->rd, true, false));
        break;
    }
}
