/* Internal: one function per RMI command, each reading like the specification's list of failure
 * conditions, checked in the order docs/rmm.md records. */
#ifndef RMM_RMI_HANDLERS_H
#define RMM_RMI_HANDLERS_H

#include "rmm/rmm.h"
#include "rmm_mem.h"
#include "s2tt.h"

typedef void rmi_fn(struct rmm *rmm, const uint64_t in[8], uint64_t out[8]);

rmi_fn rmi_version, rmi_features, rmi_granule_delegate, rmi_granule_undelegate;
rmi_fn rmi_realm_create, rmi_realm_activate, rmi_realm_destroy, rmi_rec_aux_count;
rmi_fn rmi_rec_create, rmi_rec_destroy, rmi_rec_enter;
rmi_fn rmi_rtt_create, rmi_rtt_destroy, rmi_rtt_read_entry, rmi_rtt_map_unprotected,
    rmi_rtt_unmap_unprotected, rmi_rtt_init_ripas, rmi_rtt_set_ripas, rmi_rtt_fold;
rmi_fn rmi_data_create, rmi_data_create_unknown, rmi_data_destroy;
rmi_fn rmi_psci_complete;

/* A granule argument's three common checks, in the spec's order: _align, _bound, _state. */
static inline struct granule *granule_checked(struct rmm *rmm, uint64_t pa, enum granule_state want)
{
    if (pa & (GRANULE_SIZE - 1))
        return NULL;
    struct granule *g = granule_find(&rmm->granules, pa);
    if (!g || g->state != want)
        return NULL;
    return g;
}

/* An NS granule argument (params_ptr, run_ptr, src): _align, _bound (delegable memory the host
 * owns) and _pas (its GPI lets the NS PAS in; the read itself finds out). */
static inline bool ns_granule_ok(struct rmm *rmm, uint64_t pa)
{
    return granule_checked(rmm, pa, GRANULE_UNDELEGATED) != NULL;
}

static inline struct rmm_realm *realm_of(struct rmm *rmm, uint64_t rd)
{
    struct granule *g = granule_checked(rmm, rd, GRANULE_RD);
    return g ? (struct rmm_realm *)g->obj : NULL;
}

static inline void rmm_tlbi_ipa(struct rmm *rmm, const struct rmm_realm *r, uint64_t ipa)
{
    if (rmm->env.tlbi_s2)
        rmm->env.tlbi_s2(rmm->env.ctx, r->vmid, ipa, false);
}

void rmm_vmid_release(struct rmm *rmm, uint16_t vmid);

#define INPUT rmi_pack(RMI_ERROR_INPUT, 0)
#define REALM_ERR(i) rmi_pack(RMI_ERROR_REALM, (i))
#define REC_ERR rmi_pack(RMI_ERROR_REC, 0)
#define RTT_ERR(l) rmi_pack(RMI_ERROR_RTT, (unsigned)(l))
#define SUCCESS rmi_pack(RMI_SUCCESS, 0)

#endif
