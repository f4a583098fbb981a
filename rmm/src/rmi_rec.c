/* RMI_REC_CREATE (B4.3.12) and RMI_REC_DESTROY (B4.3.13). */
#include <stdlib.h>
#include <string.h>

#include "esr.h"
#include "measurement.h"
#include "rmi_handlers.h"

#define MAX_RECS_ORDER 8 /* RmiFeatureRegister0.MAX_RECS_ORDER: 255 RECs per realm */

/* B3.38 / A2.3.3: MPIDR fields aff0[3:0], aff1, aff2, aff3; [7:4] and [63:32] SBZ */
static bool mpidr_index(uint64_t mpidr, uint64_t *index)
{
    if (mpidr & 0xFFFFFFFF000000F0ull)
        return false;
    *index = (mpidr & 0xF) + 16 * ((mpidr >> 8) & 0xFF) + 4096 * ((mpidr >> 16) & 0xFF) +
             1048576 * ((mpidr >> 24) & 0xFF);
    return true;
}

void rmi_rec_create(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t rd = in[1], rec = in[2], params = in[3];
    uint64_t flags, mpidr, pc, gprs[8], num_aux, aux[16] = {0};
    bool ok = ns_granule_ok(rmm, params); /* params_align, params_bound */
    ok = ok && rmm_read(rmm, params + RMI_REC_PARAMS_FLAGS, RME_PAS_NS, &flags) &&
         rmm_read(rmm, params + RMI_REC_PARAMS_MPIDR, RME_PAS_NS, &mpidr) &&
         rmm_read(rmm, params + RMI_REC_PARAMS_PC, RME_PAS_NS, &pc) &&
         rmm_read(rmm, params + RMI_REC_PARAMS_NUM_AUX, RME_PAS_NS, &num_aux);
    for (unsigned i = 0; ok && i < 8; i++)
        ok = rmm_read(rmm, params + RMI_REC_PARAMS_GPRS + 8 * i, RME_PAS_NS, &gprs[i]);
    if (!ok || (flags & ~RMI_REC_RUNNABLE) || num_aux > 16) { /* params_pas, params_valid */
        out[0] = INPUT;
        return;
    }
    for (unsigned i = 0; i < num_aux; i++) {
        if (!rmm_read(rmm, params + RMI_REC_PARAMS_AUX + 8 * i, RME_PAS_NS, &aux[i]) ||
            !granule_checked(rmm, aux[i], GRANULE_DELEGATED)) { /* aux_align, aux_state */
            out[0] = INPUT;
            return;
        }
        for (unsigned j = 0; j < i; j++)
            if (aux[j] == aux[i]) { /* aux_alias */
                out[0] = INPUT;
                return;
            }
        if (aux[i] == rec) {
            out[0] = INPUT;
            return;
        }
    }
    struct granule *g_rec = granule_checked(rmm, rec, GRANULE_DELEGATED);
    struct rmm_realm *r = realm_of(rmm, rd);
    if (!g_rec || !r) { /* rec_align, rec_bound, rec_state, rd_align, rd_bound, rd_state */
        out[0] = INPUT;
        return;
    }
    if (r->num_recs >= (1u << MAX_RECS_ORDER) - 1) { /* num_recs */
        out[0] = REALM_ERR(0);
        return;
    }
    if (r->state != REALM_NEW) { /* realm_state */
        out[0] = REALM_ERR(0);
        return;
    }
    uint64_t index;
    if (!mpidr_index(mpidr, &index) || index != r->rec_index) { /* mpidr_index */
        out[0] = INPUT;
        return;
    }
    if (num_aux != RMI_REC_AUX_GRANULES) { /* num_aux */
        out[0] = INPUT;
        return;
    }
    struct rmm_rec *c = calloc(1, sizeof(*c));
    if (!c) {
        out[0] = INPUT;
        return;
    }
    c->addr = rec;
    c->rd = rd;
    c->realm = r;
    c->mpidr = mpidr;
    c->index = index;
    c->runnable = flags & RMI_REC_RUNNABLE;
    c->pc = pc;
    memcpy(c->gprs, gprs, sizeof(gprs));
    c->num_aux = (unsigned)num_aux;
    memcpy(c->aux, aux, sizeof(aux));
    c->pstate = SPSR_EL1H_DAIF; /* the realm starts at EL1h, DAIF masked, MMU off (B4.3.12.4) */
    if (c->runnable) {          /* B4.3.12.4: the RIM takes the REC's flags, PC and X0..X7 */
        measure_rec(r->hash_algo, r->measurements[0], flags, pc, gprs);
    }
    for (unsigned i = 0; i < num_aux; i++)
        granule_find(&rmm->granules, aux[i])->state = GRANULE_REC_AUX;
    g_rec->state = GRANULE_REC;
    g_rec->obj = c;
    granule_find(&rmm->granules, rd)->refcount++;
    r->num_recs++;
    r->rec_index++;
    out[0] = SUCCESS;
}

void rmi_rec_destroy(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    struct granule *g = granule_checked(rmm, in[1], GRANULE_REC);
    if (!g) { /* rec_align, rec_bound, rec_gran_state */
        out[0] = INPUT;
        return;
    }
    struct rmm_rec *c = g->obj;
    if (c->running) { /* rec_state */
        out[0] = REC_ERR;
        return;
    }
    for (unsigned i = 0; i < c->num_aux; i++) {
        rmm_wipe(rmm, c->aux[i]);
        granule_find(&rmm->granules, c->aux[i])->state = GRANULE_DELEGATED;
    }
    rmm_wipe(rmm, c->addr);
    granule_find(&rmm->granules, c->rd)->refcount--;
    c->realm->num_recs--;
    g->state = GRANULE_DELEGATED;
    g->obj = NULL;
    free(c->attest_token);
    free(c);
    out[0] = SUCCESS;
}
