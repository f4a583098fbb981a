/* RMI_REALM_CREATE (B4.3.9), RMI_REALM_ACTIVATE (B4.3.8), RMI_REALM_DESTROY (B4.3.10) and
 * RMI_REC_AUX_COUNT (B4.3.11). */
#include <stdlib.h>
#include <string.h>

#include "measurement.h"
#include "rmi_handlers.h"

/* RmiFeatureRegister0 values this RMM reports (rmi_system.c) and enforces here */
#define MAX_BPS 5 /* six breakpoints, encoded minus one */
#define MAX_WPS 3
#define MIN_IPA_BITS 32 /* TF-RMM's RMI_FEATURE_MIN_IPA_SIZE */

unsigned rmm_max_ipa_bits(const struct rmm *rmm)
{
    return rmm->env.pa_bits < 48 ? rmm->env.pa_bits : 48;
}

/* rtt_num_level: the IPA width, starting level and number of starting tables must agree, and
 * be what VTCR_EL2 can express for a 4KB granule without LPA2 (D8.2.6; TF-RMM
 * validate_ipa_bits_and_sl / s2_num_root_rtts). */
static bool start_geometry_ok(const struct rmm *rmm, uint64_t ipa_bits, int64_t sl, uint64_t num)
{
    if (sl < 0 || sl > 3)
        return false;
    if (sl == 0 && rmm->env.pa_bits < 44) /* SL0 = 2 needs PARange >= 44 bits */
        return false;
    unsigned levels = 3u - (unsigned)sl;
    unsigned min_bits = levels * 9 + 13, one_table = levels * 9 + 21;
    unsigned max_bits = min_bits + 8 + (sl > 0 ? 4 : 0);
    if (ipa_bits < min_bits || ipa_bits > max_bits)
        return false;
    uint64_t want = ipa_bits <= one_table ? 1 : 1ull << (ipa_bits - one_table);
    return num == want;
}

static bool vmid_in_use(const struct rmm *rmm, uint64_t v)
{
    return (rmm->vmid_used[v / 64] >> (v % 64)) & 1;
}

void rmm_vmid_release(struct rmm *rmm, uint16_t vmid)
{
    rmm->vmid_used[vmid / 64] &= ~(1ull << (vmid % 64));
}

/* Fill a starting RTT: protected IPAs UNASSIGNED with RIPAS EMPTY, unprotected UNASSIGNED_NS
 * (TF-RMM init_s2_starting_level). */
static bool init_start_rtt(struct rmm *rmm, const struct rmm_realm *r, unsigned table)
{
    uint64_t rtt = r->rtt_base + table * GRANULE_SIZE;
    for (unsigned i = 0; i < RTT_ENTRIES; i++) {
        uint64_t ipa = ((uint64_t)table * RTT_ENTRIES + i) << rtt_level_shift(r->start_level);
        uint64_t e =
            ipa_is_protected(r, ipa) ? s2tte_unassigned(RMI_RIPAS_EMPTY) : s2tte_unassigned_ns();
        if (!rtt_write(rmm, rtt, i, e))
            return false;
    }
    return true;
}

void rmi_realm_create(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t rd = in[1], params = in[2];
    if (!ns_granule_ok(rmm, params)) { /* params_align, params_bound */
        out[0] = INPUT;
        return;
    }
    static const unsigned offs[] = {RMI_REALM_PARAMS_FLAGS,        RMI_REALM_PARAMS_S2SZ,
                                    RMI_REALM_PARAMS_SVE_VL,       RMI_REALM_PARAMS_NUM_BPS,
                                    RMI_REALM_PARAMS_NUM_WPS,      RMI_REALM_PARAMS_PMU_NUM_CTRS,
                                    RMI_REALM_PARAMS_HASH_ALGO,    RMI_REALM_PARAMS_VMID,
                                    RMI_REALM_PARAMS_RTT_BASE,     RMI_REALM_PARAMS_RTT_LEVEL_START,
                                    RMI_REALM_PARAMS_RTT_NUM_START};
    uint64_t v[11];
    for (unsigned i = 0; i < 11; i++)
        if (!rmm_read(rmm, params + offs[i], RME_PAS_NS, &v[i])) { /* params_pas */
            out[0] = INPUT;
            return;
        }
    uint64_t flags = v[0], s2sz = v[1], bps = v[3], wps = v[4], hash = v[6], vmid = v[7];
    uint64_t rtt_base = v[8], num = v[10];
    int64_t sl = (int64_t)v[9];
    /* params_valid, params_supp, rtt_num_level, vmid_valid in TF-RMM's order */
    if ((flags & ~7ull) ||                                        /* reserved flag bits */
        (flags & RMI_REALM_FLAG_LPA2) ||                          /* no FEAT_LPA2 */
        s2sz < MIN_IPA_BITS || s2sz > rmm_max_ipa_bits(rmm) ||    /* IPA width */
        bps == 0 || bps > MAX_BPS || wps == 0 || wps > MAX_WPS || /* debug resources */
        (flags & RMI_REALM_FLAG_SVE) || (flags & RMI_REALM_FLAG_PMU) ||
        !start_geometry_ok(rmm, s2sz, sl, num) ||
        (hash != RMI_HASH_SHA_256 && hash != RMI_HASH_SHA_512) || vmid >= RMM_VMIDS ||
        vmid_in_use(rmm, vmid)) {
        out[0] = INPUT;
        return;
    }
    if (rd - rtt_base < num * GRANULE_SIZE) { /* alias */
        out[0] = INPUT;
        return;
    }
    struct granule *g_rd = granule_checked(rmm, rd, GRANULE_DELEGATED);
    if (!g_rd) { /* rd_align, rd_bound, rd_state */
        out[0] = INPUT;
        return;
    }
    /* rtt_align: the concatenated starting tables are one naturally aligned block (the spec;
     * TF-RMM 1.0 only checks 4KB alignment) */
    if (rtt_base % (num * GRANULE_SIZE)) {
        out[0] = INPUT;
        return;
    }
    for (uint64_t i = 0; i < num; i++)
        if (!granule_checked(rmm, rtt_base + i * GRANULE_SIZE, GRANULE_DELEGATED)) {
            out[0] = INPUT; /* rtt_state */
            return;
        }
    struct rmm_realm *r = calloc(1, sizeof(*r));
    if (!r) {
        out[0] = INPUT;
        return;
    }
    *r = (struct rmm_realm){.rd = rd,
                            .state = REALM_NEW,
                            .flags = flags,
                            .ipa_bits = (unsigned)s2sz,
                            .start_level = (int)sl,
                            .num_start = (unsigned)num,
                            .rtt_base = rtt_base,
                            .vmid = (uint16_t)vmid,
                            .hash_algo = (unsigned)hash};
    for (unsigned i = 0; i < 8; i++) { /* the RPV: reported, not measured (A2.1.3) */
        uint64_t w = 0;
        rmm_read(rmm, params + RMI_REALM_PARAMS_RPV + 8 * i, RME_PAS_NS, &w);
        for (unsigned b = 0; b < 8; b++)
            r->rpv[8 * i + b] = (uint8_t)(w >> (8 * b));
    }
    for (unsigned i = 0; i < num; i++)
        init_start_rtt(rmm, r, i);
    /* B4.3.9.4: the RIM starts as the hash of a zeroed RmiRealmParams holding only the measured
     * fields (flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, hash_algo) */
    const uint64_t measured[] = {flags, s2sz, v[2], bps, wps, v[5], hash};
    measure_realm_params((unsigned)hash, measured, r->measurements[0]);
    for (uint64_t i = 0; i < num; i++)
        granule_find(&rmm->granules, rtt_base + i * GRANULE_SIZE)->state = GRANULE_RTT;
    rmm->vmid_used[vmid / 64] |= 1ull << (vmid % 64);
    g_rd->state = GRANULE_RD;
    g_rd->obj = r;
    g_rd->refcount = 0;
    out[0] = SUCCESS;
}

void rmi_realm_activate(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    struct rmm_realm *r = realm_of(rmm, in[1]);
    if (!r) { /* rd_align, rd_bound, rd_state */
        out[0] = INPUT;
        return;
    }
    if (r->state != REALM_NEW) { /* realm_state */
        out[0] = REALM_ERR(0);
        return;
    }
    r->state = REALM_ACTIVE;
    out[0] = SUCCESS;
}

void rmi_realm_destroy(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    struct rmm_realm *r = realm_of(rmm, in[1]);
    if (!r) {
        out[0] = INPUT;
        return;
    }
    /* realm_live (A2.1.4): a REC, or a live starting RTT (an ASSIGNED or TABLE entry) */
    struct granule *g_rd = granule_find(&rmm->granules, r->rd);
    bool live = g_rd->refcount != 0;
    for (unsigned i = 0; i < r->num_start; i++)
        live |= granule_find(&rmm->granules, r->rtt_base + i * GRANULE_SIZE)->refcount != 0;
    if (live) {
        out[0] = REALM_ERR(0);
        return;
    }
    for (unsigned i = 0; i < r->num_start; i++) {
        uint64_t pa = r->rtt_base + i * GRANULE_SIZE;
        rmm_wipe(rmm, pa);
        granule_find(&rmm->granules, pa)->state = GRANULE_DELEGATED;
    }
    if (rmm->env.tlbi_s2)
        rmm->env.tlbi_s2(rmm->env.ctx, r->vmid, 0, true);
    rmm_vmid_release(rmm, r->vmid);
    rmm_wipe(rmm, r->rd);
    g_rd->state = GRANULE_DELEGATED;
    g_rd->obj = NULL;
    free(r);
    out[0] = SUCCESS;
}

void rmi_rec_aux_count(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    if (!realm_of(rmm, in[1])) { /* rd_align, rd_bound, rd_state */
        out[0] = INPUT;
        return;
    }
    out[0] = SUCCESS;
    out[1] = RMI_REC_AUX_GRANULES;
}
