/* Exceptions of the A64 core: entry to EL1 (D1.3.x, the AArch64.TakeException()
 * pseudocode), the syndromes of aborts (D24.2.x ESR_ELx, "ISS encoding for an exception from a
 * Data Abort" / "Instruction Abort"), what is reported to the caller for EL2 or EL3, and the
 * interrupts the caller injects. */
#include "a64_internal.h"

#define ESR_IL (1u << 25)

/* Entry to EL1 at vector offset `type` (0 for synchronous). */
static void enter_el1(struct a64_core *c, uint64_t type, uint64_t esr, bool esr_valid, uint64_t far,
                      bool far_valid, uint64_t elr)
{
    /* Vector offset (D1.3.x Table "Vector offsets from vector table base address"): current EL
     * with SP_EL0 0x000, current EL with SP_ELx 0x200, lower EL using AArch64 0x400. */
    uint64_t offset = (c->el == 0 ? 0x400 : (c->spsel ? 0x200 : 0x000)) + type;
    c->sys[A64_SPSR_EL1] = a64_pstate_to_spsr(c) | (c->illegal ? 1ull << 20 : 0);
    c->illegal = false;
    c->sys[A64_ELR_EL1] = elr;
    if (esr_valid)
        c->sys[A64_ESR_EL1] = esr;
    if (far_valid)
        c->sys[A64_FAR_EL1] = far;
    c->el = 1;
    c->spsel = true;
    c->daif = 0xF << 6;
    c->pc = (c->sys[A64_VBAR_EL1] & ~0x7FFull) + offset;
}

void a64_take_sync_el1(struct a64_core *c, uint64_t esr, uint64_t far, bool far_valid, uint64_t elr)
{
    enter_el1(c, 0, esr, true, far, far_valid, elr);
}

bool a64_take_interrupt(struct a64_core *c, enum a64_interrupt type, uint64_t esr)
{
    unsigned mask = type == A64_IRQ ? 1u << 7 : type == A64_FIQ ? 1u << 6 : 1u << 8;
    if (c->daif & mask)
        return false;
    c->event_register = true; /* an interrupt is a WFE wake-up event */
    enter_el1(c, type, esr, type == A64_SERROR, 0, false, c->pc);
    return true;
}

void a64_exc_el1(struct a64_core *c, struct a64_result *st, unsigned ec, uint32_t iss,
                 bool far_valid, uint64_t far, uint64_t elr)
{
    st->outcome = A64_EXCEPTION_TAKEN;
    st->esr = ((uint64_t)ec << 26) | ESR_IL | (iss & 0x1FFFFFF);
    st->far = far;
    st->far_valid = far_valid;
    st->elr = elr;
    a64_take_sync_el1(c, st->esr, far, far_valid, elr);
}

/* D24.2.x: "Unknown reason": EC 0x00, IL 1, ISS 0; the preferred return is the instruction. */
void a64_exc_undefined(struct a64_core *c, struct a64_result *st)
{
    a64_exc_el1(c, st, A64_EC_UNKNOWN, 0, false, 0, c->pc);
}

void a64_exc_trap_el2(struct a64_core *c, struct a64_result *st, unsigned ec, uint32_t iss,
                      uint64_t elr)
{
    (void)c;
    st->outcome = A64_TRAP_EL2;
    st->esr = ((uint64_t)ec << 26) | ESR_IL | (iss & 0x1FFFFFF);
    st->elr = elr;
}

/* An abort: the caller's MMU said where it goes. The instruction syndrome (data_iss: ISV, SAS,
 * SSE, SRT, SF, AR, and WnR/CM) is given only to a stage-2 abort on the access itself taken to
 * EL2 (not on a stage-1 walk, not a GPF), as the Arm ARM restricts ISV (and QEMU's
 * merge_syn_data_abort(), target/arm/tcg/tlb_helper.c, since v8.0, does); faults to EL1 keep WnR
 * and CM only. */
void a64_exc_abort(struct a64_core *c, struct a64_result *st, const struct a64_fault *f,
                   uint64_t va, bool fetch, uint32_t data_iss)
{
    uint32_t iss = (f->fsc & 0x3F) | (f->ea ? 1u << 9 : 0) | (f->s1ptw ? 1u << 7 : 0);
    const uint32_t wnr_cm = (1u << 6) | (1u << 8);
    if (!fetch) {
        if (f->target_el == 2 && !f->no_syndrome && !f->s1ptw)
            iss |= data_iss;
        else
            iss |= data_iss & wnr_cm;
        if (f->s1ptw)
            iss &= ~(1u << 6); /* WnR is 0 for a stage-2 fault on a stage-1 walk */
    }
    iss |= f->iss_bits;
    bool lower = c->el < f->target_el;
    unsigned ec = f->ec;
    if (!ec) {
        if (fetch)
            ec = lower ? A64_EC_IABT_LOWER : A64_EC_IABT_CUR;
        else
            ec = lower ? A64_EC_DABT_LOWER : A64_EC_DABT_CUR;
    }
    if (f->target_el <= 1) {
        a64_exc_el1(c, st, ec, iss, true, va, c->pc);
        return;
    }
    st->outcome = f->target_el == 2 ? A64_TRAP_EL2 : A64_TRAP_EL3;
    st->esr = ((uint64_t)ec << 26) | ESR_IL | iss;
    st->far = va;
    st->far_valid = true;
    st->elr = c->pc;
    st->ipa_valid = f->ipa_valid;
    st->ipa = f->ipa;
}
