/* RMI_DATA_CREATE (B4.3.1), RMI_DATA_CREATE_UNKNOWN (B4.3.2) and RMI_DATA_DESTROY (B4.3.3). */
#include <stdlib.h>

#include "measurement.h"
#include "rmi_handlers.h"

uint64_t rtt_skip_non_live(struct rmm *rmm, const struct rtt_walk *w, uint64_t ipa);

/* The checks the two CREATE commands share after their own: data, rd, ipa, and the walk. On
 * success *w is the UNASSIGNED level-3 entry to fill. */
static uint64_t data_target(struct rmm *rmm, const uint64_t in[8], bool measured,
                            struct granule **data, struct rmm_realm **realm, struct rtt_walk *w)
{
    uint64_t rd = in[1], pa = in[2], ipa = in[3];
    *data = granule_checked(rmm, pa, GRANULE_DELEGATED);
    if (!*data) /* data_align, data_bound, data_state */
        return INPUT;
    struct rmm_realm *r = *realm = realm_of(rmm, rd);
    if (!r) /* rd_align, rd_bound, rd_state */
        return INPUT;
    if (measured && r->state != REALM_NEW) /* realm_state (DATA_CREATE only) */
        return REALM_ERR(0);
    if ((ipa & (GRANULE_SIZE - 1)) || !ipa_is_protected(r, ipa)) /* ipa_align, ipa_bound */
        return INPUT;
    rtt_walk(rmm, r, ipa, RTT_PAGE_LEVEL, w);
    if (w->level < RTT_PAGE_LEVEL) /* rtt_walk */
        return RTT_ERR(w->level);
    if (s2tte_kind(w->entry, w->level) != S2TTE_UNASSIGNED) /* rtte_state */
        return RTT_ERR(RTT_PAGE_LEVEL);
    return SUCCESS;
}

static void data_map(struct rmm *rmm, struct granule *g, const struct rtt_walk *w, uint64_t pa,
                     enum rmi_ripas ripas)
{
    rtt_write(rmm, w->rtt, w->idx, s2tte_assigned(pa, RTT_PAGE_LEVEL, ripas));
    granule_find(&rmm->granules, w->rtt)->refcount++;
    g->state = GRANULE_DATA;
}

void rmi_data_create(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t src = in[4], flags = in[5];
    if (flags & ~RMI_DATA_MEASURE_CONTENT) { /* reserved encoding (B4.2) */
        out[0] = INPUT;
        return;
    }
    if (!ns_granule_ok(rmm, src)) { /* src_align, src_bound */
        out[0] = INPUT;
        return;
    }
    struct granule *g;
    struct rmm_realm *r;
    struct rtt_walk w;
    out[0] = data_target(rmm, in, true, &g, &r, &w);
    if (out[0] != SUCCESS)
        return;
    /* not static: another core's RMM may run while this copy waits for memory */
    uint8_t *content = malloc(GRANULE_SIZE);
    if (!content || !rmm_copy_ns(rmm, in[2], src, content)) { /* src_pas: a GPF */
        free(content);
        rmm_wipe(rmm, in[2]);
        out[0] = INPUT;
        return;
    }
    /* B4.3.1.4: the RIM takes the IPA, the flags and, if asked, the contents */
    measure_data(r->hash_algo, r->measurements[0], in[3], flags,
                 (flags & RMI_DATA_MEASURE_CONTENT) ? content : NULL);
    free(content);
    data_map(rmm, g, &w, in[2], RMI_RIPAS_RAM);
}

void rmi_data_create_unknown(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    struct granule *g;
    struct rmm_realm *r;
    struct rtt_walk w;
    out[0] = data_target(rmm, in, false, &g, &r, &w);
    if (out[0] != SUCCESS)
        return;
    /* the granule is already wiped (every path into DELEGATED wipes); RIPAS is unchanged */
    data_map(rmm, g, &w, in[2], s2tte_ripas(w.entry));
}

void rmi_data_destroy(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t rd = in[1], ipa = in[2];
    struct rmm_realm *r = realm_of(rmm, rd);
    if (!r || (ipa & (GRANULE_SIZE - 1)) || !ipa_is_protected(r, ipa)) {
        out[0] = INPUT; /* rd_*, ipa_align, ipa_bound */
        return;
    }
    struct rtt_walk w;
    rtt_walk(rmm, r, ipa, RTT_PAGE_LEVEL, &w);
    if (w.level < RTT_PAGE_LEVEL || s2tte_kind(w.entry, w.level) != S2TTE_ASSIGNED) {
        out[0] = RTT_ERR(w.level); /* rtt_walk, rtte_state */
        out[2] = rtt_skip_non_live(rmm, &w, ipa);
        return;
    }
    uint64_t pa = s2tte_oa(w.entry, RTT_PAGE_LEVEL);
    enum rmi_ripas ripas = s2tte_ripas(w.entry);
    /* A5.2.5: destroying RAM leaves DESTROYED, so the realm cannot be fed a fresh page */
    w.entry = s2tte_unassigned(ripas == RMI_RIPAS_RAM ? RMI_RIPAS_DESTROYED : ripas);
    rtt_write(rmm, w.rtt, w.idx, w.entry);
    rmm_tlbi_ipa(rmm, r, ipa);
    granule_find(&rmm->granules, w.rtt)->refcount--;
    rmm_wipe(rmm, pa);
    granule_find(&rmm->granules, pa)->state = GRANULE_DELEGATED;
    out[0] = SUCCESS;
    out[1] = pa;
    out[2] = rtt_skip_non_live(rmm, &w, ipa);
}
