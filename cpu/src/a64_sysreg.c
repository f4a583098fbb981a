/* MRS and MSR (register) for the EL0/EL1 system registers the core keeps (encodings: Arm ARM
 * D24.2, one register a section; EL0 access controls as each register's "Accessibility"
 * pseudocode says for EL0 when EL2 does not trap). Registers of features not implemented (FP,
 * SVE, PAuth keys, MTE, ...) are UNDEFINED, as unallocated encodings are. */
#include <stddef.h>

#include "a64_internal.h"
#include "cpu/a64_disasm.h"

#define ENC(op0, op1, crn, crm, op2)                                                               \
    ((((op0)-2) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

enum el0_access {
    EL0_NONE, /* UNDEFINED at EL0 */
    EL0_RW,   /* read and written at EL0 */
    EL0_RO,   /* read at EL0, written at EL1 */
    EL0_UCT,  /* read at EL0 when SCTLR_EL1.UCT, else trapped to EL1 */
    EL0_UMA,  /* read and written at EL0 when SCTLR_EL1.UMA, else trapped */
    EL0_VCT,  /* read at EL0 when CNTKCTL_EL1.EL0VCTEN, else trapped */
    EL0_PCT,  /* read at EL0 when CNTKCTL_EL1.EL0PCTEN, else trapped */
    EL0_VT,   /* read and written at EL0 when CNTKCTL_EL1.EL0VTEN, else trapped */
    EL0_FRQ,  /* read at EL0 when CNTKCTL_EL1.EL0PCTEN or EL0VCTEN, else trapped */
};

enum special {
    STORED, /* c->sys[reg] */
    ID,     /* read-only identification, from c->id (offset) */
    RAZ_ID, /* reserved ID space: reads as zero */
    NZCV,
    DAIF,
    SPSEL,
    CURRENT_EL,
    SP_EL0,
    COUNTER,
};

struct sysreg_desc {
    unsigned enc;
    enum special kind;
    int reg; /* enum a64_sysreg for STORED; the byte offset in a64_id_regs for ID */
    enum el0_access el0;
    bool read_only;   /* at every EL */
    const char *name; /* as objdump prints it */
};

#define IDREG(field) ((int)offsetof(struct a64_id_regs, field))

static const struct sysreg_desc table[] = {
    {ENC(3, 0, 1, 0, 0), STORED, A64_SCTLR_EL1, EL0_NONE, false, "sctlr_el1"},
    {ENC(3, 0, 1, 0, 1), STORED, A64_ACTLR_EL1, EL0_NONE, false, "actlr_el1"},
    {ENC(3, 0, 1, 0, 2), STORED, A64_CPACR_EL1, EL0_NONE, false, "cpacr_el1"},
    {ENC(3, 0, 2, 0, 0), STORED, A64_TTBR0_EL1, EL0_NONE, false, "ttbr0_el1"},
    {ENC(3, 0, 2, 0, 1), STORED, A64_TTBR1_EL1, EL0_NONE, false, "ttbr1_el1"},
    {ENC(3, 0, 2, 0, 2), STORED, A64_TCR_EL1, EL0_NONE, false, "tcr_el1"},
    {ENC(3, 0, 4, 0, 0), STORED, A64_SPSR_EL1, EL0_NONE, false, "spsr_el1"},
    {ENC(3, 0, 4, 0, 1), STORED, A64_ELR_EL1, EL0_NONE, false, "elr_el1"},
    {ENC(3, 0, 4, 1, 0), SP_EL0, 0, EL0_NONE, false, "sp_el0"},
    {ENC(3, 0, 4, 2, 0), SPSEL, 0, EL0_NONE, false, "spsel"},
    {ENC(3, 0, 4, 2, 2), CURRENT_EL, 0, EL0_NONE, true, "currentel"},
    {ENC(3, 0, 5, 1, 0), STORED, A64_AFSR0_EL1, EL0_NONE, false, "afsr0_el1"},
    {ENC(3, 0, 5, 1, 1), STORED, A64_AFSR1_EL1, EL0_NONE, false, "afsr1_el1"},
    {ENC(3, 0, 5, 2, 0), STORED, A64_ESR_EL1, EL0_NONE, false, "esr_el1"},
    {ENC(3, 0, 6, 0, 0), STORED, A64_FAR_EL1, EL0_NONE, false, "far_el1"},
    {ENC(3, 0, 7, 4, 0), STORED, A64_PAR_EL1, EL0_NONE, false, "par_el1"},
    {ENC(3, 0, 10, 2, 0), STORED, A64_MAIR_EL1, EL0_NONE, false, "mair_el1"},
    {ENC(3, 0, 10, 3, 0), STORED, A64_AMAIR_EL1, EL0_NONE, false, "amair_el1"},
    {ENC(3, 0, 12, 0, 0), STORED, A64_VBAR_EL1, EL0_NONE, false, "vbar_el1"},
    {ENC(3, 0, 13, 0, 1), STORED, A64_CONTEXTIDR_EL1, EL0_NONE, false, "contextidr_el1"},
    {ENC(3, 0, 13, 0, 4), STORED, A64_TPIDR_EL1, EL0_NONE, false, "tpidr_el1"},
    {ENC(3, 0, 14, 1, 0), STORED, A64_CNTKCTL_EL1, EL0_NONE, false, "cntkctl_el1"},
    {ENC(2, 0, 0, 2, 2), STORED, A64_MDSCR_EL1, EL0_NONE, false, "mdscr_el1"},
    {ENC(3, 3, 4, 2, 0), NZCV, 0, EL0_RW, false, "nzcv"},
    {ENC(3, 3, 4, 2, 1), DAIF, 0, EL0_UMA, false, "daif"},
    {ENC(3, 3, 13, 0, 2), STORED, A64_TPIDR_EL0, EL0_RW, false, "tpidr_el0"},
    {ENC(3, 3, 13, 0, 3), STORED, A64_TPIDRRO_EL0, EL0_RO, false, "tpidrro_el0"},
    {ENC(3, 3, 14, 3, 1), STORED, A64_CNTV_CTL_EL0, EL0_VT, false, "cntv_ctl_el0"},
    {ENC(3, 3, 14, 3, 2), STORED, A64_CNTV_CVAL_EL0, EL0_VT, false, "cntv_cval_el0"},
    {ENC(3, 3, 14, 0, 0), ID, IDREG(cntfrq), EL0_FRQ, true, "cntfrq_el0"},
    {ENC(3, 3, 14, 0, 1), COUNTER, 0, EL0_PCT, true, "cntpct_el0"},
    {ENC(3, 3, 14, 0, 2), COUNTER, 0, EL0_VCT, true, "cntvct_el0"},
    {ENC(3, 3, 0, 0, 1), ID, IDREG(ctr), EL0_UCT, true, "ctr_el0"},
    {ENC(3, 3, 0, 0, 7), ID, IDREG(dczid), EL0_RO, true, "dczid_el0"},
    {ENC(3, 0, 0, 0, 0), ID, IDREG(midr), EL0_NONE, true, "midr_el1"},
    {ENC(3, 0, 0, 0, 5), ID, IDREG(mpidr), EL0_NONE, true, "mpidr_el1"},
    {ENC(3, 0, 0, 0, 6), ID, IDREG(revidr), EL0_NONE, true, "revidr_el1"},
    {ENC(3, 0, 0, 4, 0), ID, IDREG(aa64pfr0), EL0_NONE, true, "id_aa64pfr0_el1"},
    {ENC(3, 0, 0, 4, 1), ID, IDREG(aa64pfr1), EL0_NONE, true, "id_aa64pfr1_el1"},
    {ENC(3, 0, 0, 5, 0), ID, IDREG(aa64dfr0), EL0_NONE, true, "id_aa64dfr0_el1"},
    {ENC(3, 0, 0, 5, 4), ID, IDREG(aa64afr0), EL0_NONE, true, "id_aa64afr0_el1"},
    {ENC(3, 0, 0, 6, 0), ID, IDREG(aa64isar0), EL0_NONE, true, "id_aa64isar0_el1"},
    {ENC(3, 0, 0, 6, 1), ID, IDREG(aa64isar1), EL0_NONE, true, "id_aa64isar1_el1"},
    {ENC(3, 0, 0, 6, 2), ID, IDREG(aa64isar2), EL0_NONE, true, "id_aa64isar2_el1"},
    {ENC(3, 0, 0, 7, 0), ID, IDREG(aa64mmfr0), EL0_NONE, true, "id_aa64mmfr0_el1"},
    {ENC(3, 0, 0, 7, 1), ID, IDREG(aa64mmfr1), EL0_NONE, true, "id_aa64mmfr1_el1"},
    {ENC(3, 0, 0, 7, 2), ID, IDREG(aa64mmfr2), EL0_NONE, true, "id_aa64mmfr2_el1"},
};

/* SCTLR_EL1.UCT, UMA; CNTKCTL_EL1.EL0PCTEN, EL0VCTEN, EL0VTEN (D24.2.x) */
#define SCTLR_UMA (1ull << 9)
#define SCTLR_UCT (1ull << 15)
#define CNTKCTL_EL0PCTEN (1ull << 0)
#define CNTKCTL_EL0VCTEN (1ull << 1)
#define CNTKCTL_EL0VTEN (1ull << 8)

static const struct sysreg_desc *lookup(unsigned enc, struct sysreg_desc *raz)
{
    for (unsigned k = 0; k < sizeof(table) / sizeof(table[0]); k++)
        if (table[k].enc == enc)
            return &table[k];
    /* op0 3, op1 0, CRn 0, CRm 1..7: the ID register space, reserved encodings RAZ */
    unsigned crm = (enc >> 3) & 0xF;
    if ((enc >> 7) == ENC(3, 0, 0, 0, 0) >> 7 && crm >= 1 && crm <= 7) {
        *raz = (struct sysreg_desc){enc, RAZ_ID, 0, EL0_NONE, true, NULL};
        return raz;
    }
    return NULL;
}

static enum a64_sysreg_access el0_check(const struct a64_core *c, const struct sysreg_desc *d,
                                        bool write)
{
    uint64_t sctlr = c->sys[A64_SCTLR_EL1], kctl = c->sys[A64_CNTKCTL_EL1];
    bool allowed;
    switch (d->el0) {
    case EL0_NONE:
        return A64_SYSREG_UNDEF;
    case EL0_RW:
        return A64_SYSREG_OK;
    case EL0_RO:
        return write ? A64_SYSREG_UNDEF : A64_SYSREG_OK;
    case EL0_UCT:
        allowed = sctlr & SCTLR_UCT;
        break;
    case EL0_UMA:
        allowed = sctlr & SCTLR_UMA;
        break;
    case EL0_VCT:
        allowed = kctl & CNTKCTL_EL0VCTEN;
        break;
    case EL0_PCT:
        allowed = kctl & CNTKCTL_EL0PCTEN;
        break;
    case EL0_VT:
        allowed = kctl & CNTKCTL_EL0VTEN;
        break;
    default:
        allowed = kctl & (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN);
        break;
    }
    if (write && d->read_only)
        return A64_SYSREG_UNDEF;
    return allowed ? A64_SYSREG_OK : A64_SYSREG_TRAP_EL1;
}

static enum a64_sysreg_access access(struct a64_core *c, unsigned enc, bool write,
                                     const struct sysreg_desc **out, struct sysreg_desc *raz)
{
    const struct sysreg_desc *d = lookup(enc, raz);
    *out = d;
    if (!d)
        return A64_SYSREG_UNDEF;
    if (c->el == 0)
        return el0_check(c, d, write);
    if (write && d->read_only)
        return A64_SYSREG_UNDEF;
    /* SP_EL0 is UNDEFINED at EL1 while it is the current stack pointer (D24.2.x SP_EL0) */
    if (d->kind == SP_EL0 && !c->spsel)
        return A64_SYSREG_UNDEF;
    return A64_SYSREG_OK;
}

enum a64_sysreg_access a64_sysreg_read(struct a64_core *c, unsigned enc, uint64_t *value)
{
    const struct sysreg_desc *d;
    struct sysreg_desc raz;
    enum a64_sysreg_access r = access(c, enc, false, &d, &raz);
    if (r != A64_SYSREG_OK)
        return r;
    switch (d->kind) {
    case STORED:
        *value = c->sys[d->reg];
        break;
    case ID:
        *value = *(const uint64_t *)((const char *)&c->id + d->reg);
        if (enc == ENC(3, 3, 0, 0, 7) && c->el == 0 && !(c->sys[A64_SCTLR_EL1] & (1ull << 14)))
            *value |= 1u << 4; /* DCZID_EL0.DZP: DC ZVA prohibited at EL0 without SCTLR.DZE */
        break;
    case RAZ_ID:
        *value = 0;
        break;
    case NZCV:
        *value = c->nzcv;
        break;
    case DAIF:
        *value = c->daif;
        break;
    case SPSEL:
        *value = c->spsel;
        break;
    case CURRENT_EL:
        *value = (uint64_t)c->el << 2;
        break;
    case SP_EL0:
        *value = c->sp_el0;
        break;
    default:
        *value = c->mem->counter ? c->mem->counter(c->ctx) : 0;
        break;
    }
    return A64_SYSREG_OK;
}

enum a64_sysreg_access a64_sysreg_write(struct a64_core *c, unsigned enc, uint64_t value)
{
    const struct sysreg_desc *d;
    struct sysreg_desc raz;
    enum a64_sysreg_access r = access(c, enc, true, &d, &raz);
    if (r != A64_SYSREG_OK)
        return r;
    switch (d->kind) {
    case NZCV:
        c->nzcv = (uint32_t)value & 0xF0000000u;
        break;
    case DAIF:
        c->daif = (unsigned)value & (0xF << 6);
        break;
    case SPSEL:
        c->spsel = value & 1;
        break;
    case SP_EL0:
        c->sp_el0 = value;
        break;
    default:
        c->sys[d->reg] = value;
        if (c->mem->sysreg_written)
            c->mem->sysreg_written(c->ctx, (enum a64_sysreg)d->reg, value);
        break;
    }
    return A64_SYSREG_OK;
}

const char *a64_sysreg_name(unsigned enc)
{
    for (unsigned k = 0; k < sizeof(table) / sizeof(table[0]); k++)
        if (table[k].enc == enc)
            return table[k].name;
    return NULL;
}
