#include "gpc/report.h"

#include <string.h>

unsigned gpc_fsc(bool on_walk, int walk_level)
{
    if (!on_walk)
        return 0x28;
    return walk_level < 0 ? 0x23 : 0x24 + (unsigned)walk_level;
}

uint64_t gpc_mfar(uint64_t pa, enum rme_pas pas)
{
    uint64_t ns = (uint64_t)pas & 1, nse = ((uint64_t)pas >> 1) & 1;
    return (pa & 0x000FFFFFFFFFF000ull) | (ns << 63) | (nse << 62);
}

/* GPCSC (ESR_EL3.ISS[19:14]) by fault kind and GPT level. */
static unsigned gpcsc(enum gpc_fault_kind kind, unsigned level)
{
    switch (kind) {
    case GPC_FAULT_ADDR_SIZE:
        return 0x00;
    case GPC_FAULT_WALK:
        return 0x04 | level;
    case GPC_FAULT_GPF:
        return 0x0C | level;
    case GPC_FAULT_EABT:
        return 0x14 | level;
    default:
        return 0;
    }
}

void gpc_report(const struct gpc_fault_context *c, struct gpc_fault_report *out)
{
    memset(out, 0, sizeof(*out));
    out->fsc = gpc_fsc(c->on_walk, c->walk_level);
    out->far = c->va;
    bool gpf = c->result.kind == GPC_FAULT_GPF;
    /* Walk faults, address-size faults and external aborts on GPT fetches always go to EL3 as
     * GPC exceptions; so does a GPF below EL3 when SCR_EL3.GPF is set. */
    if (!gpf || (c->current_el < 3 && c->scr_gpf)) {
        out->gpc_exception = true;
        out->target_el = 3;
        out->ec = 0x1E;
        out->gpcsc = gpcsc(c->result.kind, c->result.gpt_level);
        uint64_t iss = ((uint64_t)(c->s2_walk ? 1 : 0) << 21) |
                       ((uint64_t)(c->instruction ? 1 : 0) << 20) | ((uint64_t)out->gpcsc << 14) |
                       ((uint64_t)(c->s1ptw ? 1 : 0) << 7) |
                       ((uint64_t)(c->write && !c->instruction ? 1 : 0) << 6) | out->fsc;
        out->esr = (0x1Eull << 26) | (1ull << 25) | iss;
        out->mfar_valid = true;
        out->mfar = gpc_mfar(c->pa, c->pas);
        if (c->s2_walk) {
            out->hpfar_valid = true;
            out->hpfar = (c->ipa >> 12) << 4; /* HPFAR_EL2.FIPA: IPA[51:12] in [43:4] */
        }
        return;
    }
    /* An ordinary abort whose FSC says GPF. EL3 takes its own; below EL3 the target is EL2 for
     * EL2, for a stage-2 walk, or when HCR_EL2.{TGE,GPF} is not {0,0}; else EL1. */
    unsigned target;
    if (c->current_el == 3)
        target = 3;
    else if (c->current_el == 2 || c->s2_walk || c->hcr_tge || c->hcr_gpf)
        target = 2;
    else
        target = 1;
    if (target < c->current_el)
        target = c->current_el;
    bool same = target == c->current_el;
    out->target_el = target;
    out->ec = c->instruction ? (same ? 0x21 : 0x20) : (same ? 0x25 : 0x24);
    uint64_t iss = ((uint64_t)(c->s1ptw ? 1 : 0) << 7) |
                   ((uint64_t)(c->write && !c->instruction ? 1 : 0) << 6) | out->fsc;
    out->esr = ((uint64_t)out->ec << 26) | (1ull << 25) | iss;
    if (target == 2 && (c->s2_walk || c->s1ptw)) { /* HPFAR holds the IPA of the walk */
        out->hpfar_valid = true;
        out->hpfar = (c->ipa >> 12) << 4;
    }
}
