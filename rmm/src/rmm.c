#include "rmm/rmm.h"

#include <stdlib.h>
#include <string.h>

#include "rmi_handlers.h"

/* The commands this build implements, by FID (B4.3). */
static const struct {
    uint64_t fid;
    rmi_fn *fn;
} handlers[] = {
    {RMI_VERSION, rmi_version},
    {RMI_FEATURES, rmi_features},
    {RMI_GRANULE_DELEGATE, rmi_granule_delegate},
    {RMI_GRANULE_UNDELEGATE, rmi_granule_undelegate},
    {RMI_REALM_CREATE, rmi_realm_create},
    {RMI_REALM_ACTIVATE, rmi_realm_activate},
    {RMI_REALM_DESTROY, rmi_realm_destroy},
    {RMI_REC_AUX_COUNT, rmi_rec_aux_count},
    {RMI_REC_CREATE, rmi_rec_create},
    {RMI_REC_DESTROY, rmi_rec_destroy},
    {RMI_REC_ENTER, rmi_rec_enter},
    {RMI_RTT_CREATE, rmi_rtt_create},
    {RMI_RTT_DESTROY, rmi_rtt_destroy},
    {RMI_RTT_READ_ENTRY, rmi_rtt_read_entry},
    {RMI_RTT_MAP_UNPROTECTED, rmi_rtt_map_unprotected},
    {RMI_RTT_UNMAP_UNPROTECTED, rmi_rtt_unmap_unprotected},
    {RMI_RTT_INIT_RIPAS, rmi_rtt_init_ripas},
    {RMI_RTT_SET_RIPAS, rmi_rtt_set_ripas},
    {RMI_RTT_FOLD, rmi_rtt_fold},
    {RMI_DATA_CREATE, rmi_data_create},
    {RMI_DATA_CREATE_UNKNOWN, rmi_data_create_unknown},
    {RMI_DATA_DESTROY, rmi_data_destroy},
    {RMI_PSCI_COMPLETE, rmi_psci_complete},
};

bool rmm_init(struct rmm *rmm, const struct rmm_env *env, const struct pa_range *dram, size_t n)
{
    memset(rmm, 0, sizeof(*rmm));
    rmm->env = *env;
    return granule_table_init(&rmm->granules, dram, n);
}

/* Free the realm objects the granule table points at, then the table. */
void rmm_fini(struct rmm *rmm)
{
    struct granule_table *t = &rmm->granules;
    for (size_t i = 0; i < t->n_ranges; i++) {
        if (!t->chunks[i])
            continue;
        uint64_t chunks = (t->ranges[i].size + (2ull << 20) - 1) / (2ull << 20);
        for (uint64_t c = 0; c < chunks; c++)
            for (unsigned j = 0; t->chunks[i][c] && j < 512; j++) {
                struct granule *g = &t->chunks[i][c][j];
                if (g->state == GRANULE_REC && g->obj)
                    free(((struct rmm_rec *)g->obj)->attest_token);
                if (g->state == GRANULE_RD || g->state == GRANULE_REC)
                    free(g->obj);
            }
    }
    granule_table_free(t);
}

uint64_t rmm_count_granules(struct rmm *rmm, enum granule_state state)
{
    struct granule_table *t = &rmm->granules;
    uint64_t n = 0;
    for (size_t i = 0; i < t->n_ranges; i++) {
        if (!t->chunks[i])
            continue; /* never touched: all UNDELEGATED */
        uint64_t chunks = (t->ranges[i].size + (2ull << 20) - 1) / (2ull << 20);
        for (uint64_t c = 0; c < chunks; c++)
            for (unsigned j = 0; t->chunks[i][c] && j < 512; j++)
                n += t->chunks[i][c][j].state == state;
    }
    if (state == GRANULE_UNDELEGATED)
        return 0; /* not counted: untouched chunks are not allocated */
    return n;
}

bool rmm_implements(uint64_t fid)
{
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (handlers[i].fid == fid)
            return true;
    return false;
}

void rmm_handle_rmi(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    memset(out, 0, 8 * sizeof(uint64_t));
    if (rmm->env.cycles)
        *rmm->env.cycles += rmm->env.handler_cycles;
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (handlers[i].fid == in[0]) {
            handlers[i].fn(rmm, in, out);
            return;
        }
    out[0] = SMC_UNKNOWN;
}

struct rmm_realm *rmm_realm_at(struct rmm *rmm, uint64_t rd)
{
    return realm_of(rmm, rd);
}

struct rmm_rec *rmm_rec_at(struct rmm *rmm, uint64_t rec)
{
    struct granule *g = granule_checked(rmm, rec, GRANULE_REC);
    return g ? g->obj : NULL;
}

bool rmm_rtt_entry(struct rmm *rmm, uint64_t rd, uint64_t ipa, int level,
                   struct rtt_entry_info *out)
{
    struct rmm_realm *r = realm_of(rmm, rd);
    if (!r || level < r->start_level || level > RTT_PAGE_LEVEL || !ipa_in_realm(r, ipa))
        return false;
    struct rtt_walk w;
    if (!rtt_walk(rmm, r, ipa & ~(rtt_entry_size(level) - 1), level, &w))
        return false;
    rtt_entry_decode(w.entry, w.level, out);
    out->rtt = w.rtt;
    return true;
}

const char *realm_state_name(enum realm_state s)
{
    static const char *const names[] = {"NEW", "ACTIVE", "SYSTEM_OFF"};
    return (unsigned)s < 3 ? names[s] : "?";
}
