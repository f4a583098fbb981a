/* RMI_REC_ENTER (B4.3.14): validate, complete what the last exit left pending (A4.2.3), run the
 * realm until something needs the host, and report it in RmiRecExit (A4.3). Realm traps the
 * RMM handles itself (RSI calls, SEA injection) resume the realm without an exit. */
#include <string.h>

#include "esr.h"
#include "rmi_handlers.h"
#include "rsi_handlers.h"
#include "vgic.h"

/* The ESR_EL1 of an SEA injected for an abort the realm took to R-EL2 with esr_el2, from the
 * PSTATE it had (A5.2.7; as TF-RMM's calc_esr_idabort): everything of ESR_EL2 is kept (IL, the
 * ISV syndrome SAS, SSE, SRT, SF, AR, SET, WnR...) but EC, which becomes the same-EL class
 * unless the realm was at EL0, FSC, which becomes SEA, FnV and S1PTW, which are cleared; EA is
 * set. */
static uint64_t sea_esr_el1(uint64_t esr_el2, uint64_t pstate)
{
    uint64_t esr = esr_el2 & ~(ESR_EC_MASK | ESR_FSC_MASK | ESR_FNV | ESR_S1PTW);
    uint64_t ec = (esr_el2 & ESR_EC_MASK) >> ESR_EC_SHIFT; /* IABT_LOWER or DABT_LOWER */
    if ((pstate & SPSR_M_MASK) != SPSR_M_EL0T)
        ec += 1; /* IABT_SAME, DABT_SAME */
    return esr | (ec << ESR_EC_SHIFT) | ESR_EA | FSC_SEA;
}

/* The synchronous vector an exception taken to EL1 enters, from the PSTATE it was taken from
 * (D1.3.1 Table D1-7; as TF-RMM's calc_vector_entry): current EL with SP_EL0 0x000,
 * current EL with SP_ELx 0x200, lower EL in AArch64 0x400 (realms are AArch64 only). */
static uint64_t sync_vector_offset(uint64_t pstate)
{
    switch (pstate & SPSR_M_MASK) {
    case SPSR_M_EL1T:
        return 0x000;
    case SPSR_M_EL0T:
        return 0x400;
    default:
        return 0x200;
    }
}

/* A5.2.7: the SEA taken by the realm at EL1 for the abort it trapped with (esr_el2, far) */
void rec_inject_sea(struct rmm_rec *rec, uint64_t esr_el2, uint64_t far)
{
    rec->el1.esr = sea_esr_el1(esr_el2, rec->pstate);
    rec->el1.far = far;
    rec->el1.elr = rec->pc;
    rec->el1.spsr = rec->pstate;
    rec->pc = rec->el1.vbar + sync_vector_offset(rec->pstate);
    rec->pstate = SPSR_EL1H_DAIF;
    rec->sea_injected = true;
}

static uint64_t fault_ipa(const struct rmm_trap *t)
{
    return ((t->hpfar >> 4) & 0xFFFFFFFFFFull) << 12; /* HPFAR_EL2.FIPA = IPA[51:12] */
}

/* Classify a stage-2 abort (A4.3.4, A5.2.3, A5.2.6, A5.2.9). True: the realm resumes (an SEA
 * was injected); false: *exit is filled for the host. */
static bool handle_abort(struct rmm *rmm, struct rmm_rec *rec, const struct rmm_trap *t,
                         struct rec_exit *exit)
{
    const struct rmm_realm *r = rec->realm;
    bool instr = t->kind == RMM_TRAP_INSTR_ABORT;
    uint64_t ipa = fault_ipa(t);
    memset(exit, 0, sizeof(*exit));
    exit->reason = RMI_EXIT_SYNC;
    exit->hpfar = t->hpfar;
    rec->last_esr = t->esr;
    rec->last_far = t->far;
    rec->last_hpfar = t->hpfar;
    rec->emulatable_abort = false;
    if (!ipa_in_realm(r, ipa)) {
        rec_inject_sea(rec, t->esr, t->far);
        return true;
    }
    if (ipa_is_protected(r, ipa)) {
        struct rtt_walk w;
        rtt_walk(rmm, r, ipa, RTT_PAGE_LEVEL, &w);
        if (s2tte_ripas(w.entry) == RMI_RIPAS_EMPTY) { /* the realm's own choice: SEA */
            rec_inject_sea(rec, t->esr, t->far);
            return true;
        }
        exit->esr = t->esr & ESR_NONEMUL_MASK; /* RAM unassigned, or DESTROYED */
        return false;
    }
    if (instr) { /* never execute from the unprotected half */
        rec_inject_sea(rec, t->esr, t->far);
        return true;
    }
    struct rtt_walk w;
    rtt_walk(rmm, r, ipa, RTT_PAGE_LEVEL, &w);
    enum s2tte_kind k = s2tte_kind(w.entry, w.level);
    bool isv = t->esr & ESR_ISV;
    bool emulatable =
        isv && (k == S2TTE_UNASSIGNED_NS ||
                (k == S2TTE_ASSIGNED_NS && esr_fsc_type(t->esr) == FSC_PERMISSION(0)));
    if (!emulatable) {
        exit->esr = (t->esr & ESR_NONEMUL_MASK) | ESR_IL;
        return false;
    }
    rec->emulatable_abort = true;
    exit->esr = t->esr & ESR_EMUL_MASK;
    exit->far = t->far & 0xFFF;
    if (t->esr & ESR_WNR) {
        unsigned srt = (unsigned)((t->esr & ESR_SRT_MASK) >> ESR_SRT_SHIFT);
        unsigned bytes = 1u << ((t->esr & ESR_SAS_MASK) >> ESR_SAS_SHIFT);
        uint64_t v = srt == 31 ? 0 : rec->gprs[srt];
        exit->gprs[0] = bytes == 8 ? v : v & ((1ull << (8 * bytes)) - 1);
    }
    return false;
}

/* A4.2.3: an emulated read's value goes to Xt, sized, sign- or zero-extended; then PC += 4 */
static void complete_mmio(struct rmm_rec *rec, uint64_t value)
{
    uint64_t esr = rec->last_esr;
    if (!(esr & ESR_WNR)) {
        unsigned srt = (unsigned)((esr & ESR_SRT_MASK) >> ESR_SRT_SHIFT);
        unsigned bits = 8u << ((esr & ESR_SAS_MASK) >> ESR_SAS_SHIFT);
        uint64_t v = bits == 64 ? value : value & ((1ull << bits) - 1);
        if ((esr & ESR_SSE) && bits < 64 && (v >> (bits - 1)) & 1)
            v |= ~0ull << bits;
        if (!(esr & ESR_SF))
            v &= 0xFFFFFFFFull;
        if (srt != 31)
            rec->gprs[srt] = v;
    }
    rec->pc += 4;
}

static bool write_exit(struct rmm *rmm, uint64_t run, const struct rec_exit *e)
{
    bool ok = rmm_write(rmm, run + RMI_EXIT_REASON, RME_PAS_NS, e->reason) &&
              rmm_write(rmm, run + RMI_EXIT_ESR, RME_PAS_NS, e->esr) &&
              rmm_write(rmm, run + RMI_EXIT_FAR, RME_PAS_NS, e->far) &&
              rmm_write(rmm, run + RMI_EXIT_HPFAR, RME_PAS_NS, e->hpfar) &&
              rmm_write(rmm, run + RMI_EXIT_RIPAS_BASE, RME_PAS_NS, e->ripas_base) &&
              rmm_write(rmm, run + RMI_EXIT_RIPAS_TOP, RME_PAS_NS, e->ripas_top) &&
              rmm_write(rmm, run + RMI_EXIT_RIPAS_VALUE, RME_PAS_NS, e->ripas_value) &&
              rmm_write(rmm, run + RMI_EXIT_IMM, RME_PAS_NS, e->imm);
    for (unsigned i = 0; ok && i < 31; i++)
        ok = rmm_write(rmm, run + RMI_EXIT_GPRS + 8 * i, RME_PAS_NS, e->gprs[i]);
    return ok;
}

void rmi_rec_enter(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t rec_pa = in[1], run = in[2];
    if (!ns_granule_ok(rmm, run)) { /* run_align, run_bound */
        out[0] = INPUT;
        return;
    }
    struct granule *g = granule_checked(rmm, rec_pa, GRANULE_REC);
    if (!g) { /* rec_align, rec_bound, rec_gran_state */
        out[0] = INPUT;
        return;
    }
    struct rmm_rec *rec = g->obj;
    if (rec->running) { /* rec_state */
        out[0] = REC_ERR;
        return;
    }
    struct rmm_vgic vgic = vgic_features(&rmm->env.vgic);
    uint64_t flags, gprs[31], gic_hcr, gic_lrs[VGIC_MAX_LRS] = {0};
    bool ok = rmm_read(rmm, run + RMI_ENTER_FLAGS, RME_PAS_NS, &flags) &&
              rmm_read(rmm, run + RMI_ENTER_GICV3_HCR, RME_PAS_NS, &gic_hcr);
    for (unsigned i = 0; ok && i < 31; i++)
        ok = rmm_read(rmm, run + RMI_ENTER_GPRS + 8 * i, RME_PAS_NS, &gprs[i]);
    for (unsigned i = 0; ok && i < vgic.list_regs; i++) /* the LRs the PE implements */
        ok = rmm_read(rmm, run + RMI_ENTER_GICV3_LRS + 8 * i, RME_PAS_NS, &gic_lrs[i]);
    if (!ok) { /* run_pas: a GPF reading RmiRecEnter */
        out[0] = INPUT;
        return;
    }
    const struct rmm_realm *r = rec->realm;
    if (r->state == REALM_NEW) { /* realm_new */
        out[0] = REALM_ERR(0);
        return;
    }
    if (r->state == REALM_SYSTEM_OFF) { /* system_off */
        out[0] = REALM_ERR(1);
        return;
    }
    if (!rec->runnable || rec->psci_pending) { /* rec_runnable, rec_psci */
        out[0] = REC_ERR;
        return;
    }
    if (!vgic_enter_state_valid(&vgic, gic_hcr, gic_lrs)) { /* rec_gicv3 */
        out[0] = REC_ERR;
        return;
    }
    /* rec_mmio keys on the REC's emulatable_abort, as the spec says (TF-RMM looks at the raw
     * ESR; docs/rmm.md) */
    if ((flags & RMI_ENTER_EMUL_MMIO) && !(flags & RMI_ENTER_INJECT_SEA) &&
        !rec->emulatable_abort) {
        out[0] = REC_ERR;
        return;
    }
    /* completions (A4.2.3), in TF-RMM's order: SEA, then MMIO */
    bool last_unprotected_da =
        (rec->last_esr >> ESR_EC_SHIFT) == ESR_EC_DABT_LOWER && rec->last_hpfar &&
        !ipa_is_protected(r, fault_ipa(&(struct rmm_trap){.hpfar = rec->last_hpfar}));
    if ((flags & RMI_ENTER_INJECT_SEA) && last_unprotected_da)
        rec_inject_sea(rec, rec->last_esr, rec->last_far);
    else if (flags & RMI_ENTER_EMUL_MMIO)
        complete_mmio(rec, gprs[0]);
    if (rec->ripas_pending) { /* A5.4: the realm learns how far the change went */
        bool rejected = (flags & RMI_ENTER_RIPAS_RESPONSE) && rec->ripas_value == RMI_RIPAS_RAM &&
                        rec->ripas_addr != rec->ripas_top;
        rec->gprs[0] = RSI_SUCCESS;
        rec->gprs[1] = rec->ripas_addr;
        rec->gprs[2] = rejected ? RSI_REJECT : RSI_ACCEPT;
        rec->ripas_pending = false;
        rec->ripas_addr = rec->ripas_top = 0;
    }
    rec->emulatable_abort = false;
    rec->last_esr = rec->last_far = rec->last_hpfar = 0;

    struct rec_exit exit;
    bool run_realm = true;
    if (rec->host_call_pending) /* A4.2.3: the host's answer into the realm's RsiHostCall */
        run_realm = rsi_host_call_complete(rmm, rec, gprs, &exit);
    rec->running = true;
    while (run_realm) {
        struct rmm_trap t = {.kind = RMM_TRAP_IRQ};
        if (rmm->env.run_rec)
            rmm->env.run_rec(rmm->env.ctx, rec, &t);
        if (t.kind == RMM_TRAP_IRQ) {
            memset(&exit, 0, sizeof(exit));
            exit.reason = RMI_EXIT_IRQ;
            break;
        }
        if (t.kind == RMM_TRAP_SMC) {
            if (rsi_handle(rmm, rec, &exit))
                continue;
            break;
        }
        if (handle_abort(rmm, rec, &t, &exit))
            continue;
        break;
    }
    rec->running = false;
    out[0] = write_exit(rmm, run, &exit) ? SUCCESS : INPUT; /* a GPF writing RmiRecExit */
}
