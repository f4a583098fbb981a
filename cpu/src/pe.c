#include "cpu/pe.h"

#include <string.h>

static const enum sysreg esr_of[4] = {ESR_EL1, ESR_EL1, ESR_EL2, ESR_EL3};
static const enum sysreg far_of[4] = {FAR_EL1, FAR_EL1, FAR_EL2, FAR_EL3};
static const enum sysreg elr_of[4] = {ELR_EL1, ELR_EL1, ELR_EL2, ELR_EL3};
static const enum sysreg spsr_of[4] = {SPSR_EL1, SPSR_EL1, SPSR_EL2, SPSR_EL3};
static const enum sysreg vbar_of[4] = {VBAR_EL1, VBAR_EL1, VBAR_EL2, VBAR_EL3};

void pe_reset(struct pe *pe, unsigned index)
{
    memset(pe, 0, sizeof(*pe));
    pe->index = index;
    pe->el = 3; /* cold reset enters the highest EL, in Root state */
    pe->sp_elx = true;
    pe->regs[SCR_EL3] = SCR_EL3_RW; /* lower ELs AArch64, Secure until firmware says otherwise */
}

static enum rme_sec_state from_scr(uint64_t scr)
{
    bool nse = scr & SCR_EL3_NSE, ns = scr & SCR_EL3_NS;
    if (nse && ns)
        return RME_SS_REALM;
    if (ns)
        return RME_SS_NS;
    return RME_SS_SECURE; /* {NSE,NS} = 10 is reserved (D24.2.169); never programmed here */
}

enum rme_sec_state pe_security_state(const struct pe *pe)
{
    return pe->el == 3 ? RME_SS_ROOT : from_scr(pe->regs[SCR_EL3]);
}

enum rme_sec_state pe_lower_security_state(const struct pe *pe)
{
    return from_scr(pe->regs[SCR_EL3]);
}

/* SPSR.M[3:0] for AArch64: EL in [3:2], SP selection in [0] (C5.2.18). */
static uint64_t spsr_mode(unsigned el, bool sp_elx)
{
    return ((uint64_t)el << 2) | (sp_elx ? 1 : 0);
}

void pe_take_exception(struct pe *pe, unsigned target_el, enum pe_exception_type type, uint64_t esr,
                       uint64_t far, bool hpfar_valid, uint64_t hpfar, bool mfar_valid,
                       uint64_t mfar)
{
    unsigned from = pe->el;
    /* Vector group (D1.3.1): current EL with SP_EL0 0x000, current EL with SP_ELx 0x200,
     * lower EL using AArch64 0x400. */
    uint64_t group = target_el > from ? 0x400 : (pe->sp_elx ? 0x200 : 0x000);
    pe->regs[spsr_of[target_el]] = spsr_mode(from, pe->sp_elx) | (0xFull << 6); /* DAIF masked */
    pe->regs[elr_of[target_el]] = pe->pc;
    if (type == EXC_SYNC || type == EXC_SERROR) {
        pe->regs[esr_of[target_el]] = esr;
        pe->regs[far_of[target_el]] = far;
    }
    if (hpfar_valid)
        pe->regs[HPFAR_EL2] = hpfar;
    if (mfar_valid)
        pe->regs[MFAR_EL3] = mfar;
    pe->el = target_el;
    pe->sp_elx = true;
    pe->pc = pe->regs[vbar_of[target_el]] + group + type;
    pe->last_exception = (struct pe_exception){
        .taken = true,
        .from_el = from,
        .to_el = target_el,
        .type = type,
        .esr = esr,
        .far = far,
        .hpfar = hpfar_valid ? hpfar : 0,
        .mfar = mfar_valid ? mfar : 0,
        .vector = pe->pc,
    };
    pe->exceptions_taken++;
}

void pe_eret(struct pe *pe)
{
    uint64_t spsr = pe->regs[spsr_of[pe->el]];
    uint64_t elr = pe->regs[elr_of[pe->el]];
    pe->el = (unsigned)((spsr >> 2) & 3);
    pe->sp_elx = spsr & 1;
    pe->pc = elr;
}

unsigned pe_smc_target_el(const struct pe *pe)
{
    /* SMC at EL1 traps to EL2 when HCR_EL2.TSC is set and EL2 is enabled (D1.3.3). */
    if (pe->el == 1 && (pe->regs[HCR_EL2] & HCR_EL2_TSC))
        return 2;
    return 3;
}
