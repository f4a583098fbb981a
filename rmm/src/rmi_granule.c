/* RMI_GRANULE_DELEGATE (B4.3.5) and RMI_GRANULE_UNDELEGATE (B4.3.6). The specification gives
 * their failure conditions no order; they are checked in TF-RMM 1.0's order: alignment, bound
 * (PaIsDelegable), state, then EL3's answer. */
#include "rmi_handlers.h"

void rmi_granule_delegate(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t addr = in[1];
    if (addr & (GRANULE_SIZE - 1)) { /* gran_align */
        out[0] = rmi_pack(RMI_ERROR_INPUT, 0);
        return;
    }
    struct granule *g = granule_find(&rmm->granules, addr);
    if (!g || g->state != GRANULE_UNDELEGATED) { /* gran_bound, gran_state */
        out[0] = rmi_pack(RMI_ERROR_INPUT, 0);
        return;
    }
    /* gran_gpt: EL3 refuses a granule that is not NS in the GPT */
    if (rmm->env.gtsi_delegate(rmm->env.ctx, addr) != 0) {
        out[0] = rmi_pack(RMI_ERROR_INPUT, 0);
        return;
    }
    if (!rmm_wipe(rmm, addr)) { /* cannot happen after a successful transition: report it */
        out[0] = rmi_pack(RMI_ERROR_INPUT, 0);
        return;
    }
    g->state = GRANULE_DELEGATED;
    out[0] = rmi_pack(RMI_SUCCESS, 0);
}

void rmi_granule_undelegate(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t addr = in[1];
    if (addr & (GRANULE_SIZE - 1)) { /* gran_align */
        out[0] = rmi_pack(RMI_ERROR_INPUT, 0);
        return;
    }
    struct granule *g = granule_find(&rmm->granules, addr);
    if (!g || g->state != GRANULE_DELEGATED) { /* gran_bound, gran_state */
        out[0] = rmi_pack(RMI_ERROR_INPUT, 0);
        return;
    }
    /* A delegated granule is already zero (the invariant the wipe keeps), so it can go back to
     * NS without copying anything out. TF-RMM treats an EL3 refusal here as fatal; the model
     * reports ERROR_INPUT and keeps the granule DELEGATED. */
    if (rmm->env.gtsi_undelegate(rmm->env.ctx, addr) != 0) {
        out[0] = rmi_pack(RMI_ERROR_INPUT, 0);
        return;
    }
    g->state = GRANULE_UNDELEGATED;
    out[0] = rmi_pack(RMI_SUCCESS, 0);
}
