#include "host/kvm.h"

#include "kvm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "host/smccc.h"
#include "rmm/psci.h"
#include "rmm/rmi.h"

#define ESR_EC(esr) ((esr) >> 26)
#define ESR_ISV (1ull << 24)
#define ESR_WNR (1ull << 6)
#define EC_DABT_LOWER 0x24
#define EC_IABT_LOWER 0x20

/* the host's records of what it created (for teardown and for the VMM's view of memory) */
static void remember_rtt(struct kvm_realm *r, uint64_t ipa, int level, uint64_t pa);

uint64_t kvm_rmi(const struct kvm_env *env, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
                 uint64_t a4, uint64_t a5, uint64_t *out1)
{
    uint64_t in[8] = {fid, a1, a2, a3, a4, a5}, out[8] = {0};
    env->rmi(env->ctx, in, out);
    if (out1)
        *out1 = out[1];
    return out[0];
}

bool kvm_put(const struct kvm_env *env, uint64_t pa, uint64_t v)
{
    return env->access(env->ctx, pa, true, &v);
}

uint64_t kvm_get(const struct kvm_env *env, uint64_t pa)
{
    uint64_t v = 0;
    env->access(env->ctx, pa, false, &v);
    return v;
}

/* a host page handed to the RMM: RMI_GRANULE_DELEGATE (0 on failure) */
uint64_t kvm_delegated_page(const struct kvm_env *env, struct kvm_realm *r)
{
    uint64_t pa = env->alloc_page(env->ctx);
    if (!pa || kvm_rmi(env, RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL) != 0)
        return 0;
    r->granules_delegated++;
    return pa;
}

/* KVM's idiom (and tf-a-tests' host_rmi_create_rtt_levels): on ERROR_RTT at level L, create the
 * missing tables L+1 .. `level` and retry. */
uint64_t kvm_create_rtts(const struct kvm_env *env, struct kvm_realm *r, uint64_t ipa, int from,
                         int level)
{
    for (int l = from + 1; l <= level; l++) {
        uint64_t rtt = kvm_delegated_page(env, r);
        if (!rtt)
            return rmi_pack(RMI_ERROR_INPUT, 0);
        uint64_t at = ipa & ~(level_size(l - 1) - 1);
        uint64_t rc = kvm_rmi(env, RMI_RTT_CREATE, r->rd, rtt, at, (uint64_t)l, 0, NULL);
        if (rc != 0)
            return rc;
        remember_rtt(r, at, l, rtt);
    }
    return 0;
}

/* a growing array with room for one more element: the array (moved, perhaps), or NULL */
void *kvm_grow(void *array, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return array;
    size_t want = *cap ? 2 * *cap : 16;
    void *p = realloc(array, want * elem);
    if (p)
        *cap = want;
    return p;
}

void kvm_remember_private(struct kvm_realm *r, uint64_t gfn, uint64_t pa)
{
    void *p = kvm_grow(r->private_pages, &r->cap_private, r->n_private, sizeof(*r->private_pages));
    if (!p)
        return;
    r->private_pages = p;
    r->private_pages[r->n_private].gfn = gfn;
    r->private_pages[r->n_private++].pa = pa;
}

bool kvm_memslot_lookup(const struct kvm_realm *r, uint64_t ipa, enum kvm_backing want,
                        struct kvm_lookup *out)
{
    /* v12 mmu.c: the memslot is found by the GPA with the stolen bit removed
     * (kvm_gpa_stolen_bits()), whichever alias the IPA is */
    uint64_t stolen = 1ull << (r->cfg.ipa_bits - 1);
    out->gpa = ipa & ~stolen;
    out->pa = 0;
    out->attr_shared = false;
    out->shared = want == KVM_BACKING_SHARED;
    out->why = KVM_NO_MEMSLOT;
    uint64_t offset = out->gpa - r->cfg.ram_ipa;
    if (!r->vmm_ram || offset >= r->cfg.ram_size)
        return false;
    out->attr_shared = kvm_page_shared(r, out->gpa);
    if (want == KVM_BACKING_BY_ATTRIBUTE)
        out->shared = out->attr_shared;
    out->why = KVM_BACKED;
    if (out->shared) { /* the VMM's memory: there from the start */
        out->pa = r->vmm_ram + offset;
        return true;
    }
    uint64_t gfn = out->gpa >> 12;
    for (size_t i = 0; i < r->n_private; i++)
        if (r->private_pages[i].gfn == gfn) {
            out->pa = r->private_pages[i].pa + (ipa & (PAGE - 1));
            return true;
        }
    out->why = KVM_NOT_POPULATED;
    return false;
}

void kvm_realm_free(struct kvm_realm *r)
{
    free(r->shared_attr);
    r->shared_attr = NULL;
    free(r->private_pages);
    free(r->rtts);
    r->private_pages = NULL;
    r->rtts = NULL;
    r->n_private = r->cap_private = r->n_rtts = r->cap_rtts = 0;
    for (unsigned v = 0; v < KVM_MAX_VCPUS; v++) {
        free(r->pending[v]);
        r->pending[v] = NULL;
    }
}

static void remember_rtt(struct kvm_realm *r, uint64_t ipa, int level, uint64_t pa)
{
    void *p = kvm_grow(r->rtts, &r->cap_rtts, r->n_rtts, sizeof(*r->rtts));
    if (!p)
        return;
    r->rtts = p;
    r->rtts[r->n_rtts].ipa = ipa;
    r->rtts[r->n_rtts].level = level;
    r->rtts[r->n_rtts++].pa = pa;
}

/* An RMI call that needs tables down to level 3 at ipa: create what ERROR_RTT says is missing
 * and retry. */
uint64_t kvm_rmi_with_rtts(const struct kvm_env *env, struct kvm_realm *r, const uint64_t in[8],
                           uint64_t ipa, uint64_t *out1)
{
    uint64_t out[8] = {0};
    env->rmi(env->ctx, in, out);
    /* a walk that reached level 3 has no table to create: the entry itself is in the way */
    for (int tries = 0;
         rmi_status_of(out[0]) == RMI_ERROR_RTT && rmi_index_of(out[0]) < 3 && tries < 4; tries++) {
        uint64_t rc = kvm_create_rtts(env, r, ipa, (int)rmi_index_of(out[0]), 3);
        if (rc != 0)
            return rc;
        env->rmi(env->ctx, in, out);
    }
    if (out1)
        *out1 = out[1];
    return out[0];
}

/* KVM: the fewest stage-2 levels whose start level needs at most 16 concatenated tables */
static void choose_start(unsigned ipa_bits, int *sl, unsigned *num)
{
    for (int l = 3; l >= 0; l--) {
        unsigned one = (unsigned)(3 - l) * 9 + 21;
        if (ipa_bits <= one + 4) {
            *sl = l;
            *num = ipa_bits <= one ? 1 : 1u << (ipa_bits - one);
            return;
        }
    }
    *sl = 0;
    *num = 1;
}

static uint64_t load_image(const struct kvm_env *env, struct kvm_realm *r)
{
    uint64_t src = env->alloc_page(env->ctx);
    if (!src)
        return rmi_pack(RMI_ERROR_INPUT, 0);
    for (uint64_t ipa = r->cfg.image_ipa; ipa < r->cfg.image_ipa + r->cfg.image_size; ipa += PAGE) {
        if (r->cfg.image_bytes) { /* the VMM copies the page of the image into its source page */
            const uint8_t *page = r->cfg.image_bytes + (ipa - r->cfg.image_ipa);
            for (unsigned off = 0; off < PAGE; off += 8) {
                uint64_t word = 0;
                for (unsigned i = 0; i < 8; i++)
                    word |= (uint64_t)page[off + i] << (8 * i);
                kvm_put(env, src + off, word);
            }
        } else {
            kvm_put(env, src, 0xd503201fd503201full); /* the "image": NOPs, one tag word per page */
            kvm_put(env, src + 8, ipa);
        }
        uint64_t data = kvm_delegated_page(env, r);
        if (!data)
            return rmi_pack(RMI_ERROR_INPUT, 0);
        const uint64_t in[8] = {RMI_DATA_CREATE, r->rd, data, ipa, src, RMI_DATA_MEASURE_CONTENT};
        uint64_t rc = kvm_rmi_with_rtts(env, r, in, ipa, NULL);
        if (rc != 0)
            return rc;
        kvm_remember_private(r, ipa >> 12, data);
    }
    return 0;
}

/* One RMI call of a sequence: on failure, say which command failed and return its code. */
#define STEP(fid, expr)                                                                            \
    do {                                                                                           \
        rc = (expr);                                                                               \
        if (rc != 0) {                                                                             \
            *failed_fid = (fid);                                                                   \
            return rc;                                                                             \
        }                                                                                          \
    } while (0)

uint64_t kvm_realm_create(const struct kvm_env *env, const struct kvm_realm_config *cfg,
                          struct kvm_realm *r, uint64_t *failed_fid)
{
    memset(r, 0, sizeof(*r));
    r->cfg = *cfg;
    r->shared_attr = calloc((cfg->ram_size / PAGE + 7) / 8, 1);
    if (!r->shared_attr) {
        *failed_fid = 0;
        return rmi_pack(RMI_ERROR_INPUT, 0);
    }
    /* the VMM maps guest RAM and registers the memslot before KVM creates the realm */
    r->vmm_ram = env->vmm_ram(env->ctx, cfg->ram_size);
    if (!r->vmm_ram) {
        *failed_fid = 0;
        return rmi_pack(RMI_ERROR_INPUT, 0);
    }
    uint64_t rc;
    uint64_t features = 0;
    STEP(RMI_FEATURES, kvm_rmi(env, RMI_FEATURES, 0, 0, 0, 0, 0, &features));
    if (cfg->ipa_bits > (features & 0xFF)) {
        *failed_fid = RMI_FEATURES;
        return rmi_pack(RMI_ERROR_INPUT, 0);
    }
    unsigned num;
    choose_start(cfg->ipa_bits, &r->start_level, &num);
    if (cfg->rtt_level_start >= 0) {
        r->start_level = cfg->rtt_level_start;
        unsigned one = (unsigned)(3 - r->start_level) * 9 + 21;
        num = cfg->ipa_bits <= one ? 1 : 1u << (cfg->ipa_bits - one);
    }
    r->num_start = num;
    /* the starting tables: consecutive host pages, naturally aligned as VTTBR_EL2 needs (the
     * allocator hands pages out downward; skip until the lowest one is aligned) */
    uint64_t low = env->alloc_page(env->ctx), got = 1;
    while (low && (got < num || low % (num * PAGE))) {
        uint64_t next = env->alloc_page(env->ctx);
        got = next == low - PAGE ? got + 1 : 1;
        low = next;
    }
    if (!low) {
        *failed_fid = RMI_REALM_CREATE;
        return rmi_pack(RMI_ERROR_INPUT, 0);
    }
    r->rtt_base = low;
    for (unsigned i = 0; i < num; i++) {
        uint64_t pa = r->rtt_base + i * PAGE;
        STEP(RMI_GRANULE_DELEGATE, kvm_rmi(env, RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL));
        r->granules_delegated++;
    }
    r->rd = kvm_delegated_page(env, r);
    if (!r->rd) {
        *failed_fid = RMI_GRANULE_DELEGATE;
        return rmi_pack(RMI_ERROR_INPUT, 0);
    }
    /* RmiRealmParams in a host page (B4.4.12) */
    r->params = env->alloc_page(env->ctx);
    kvm_put(env, r->params + RMI_REALM_PARAMS_FLAGS, 0);
    kvm_put(env, r->params + RMI_REALM_PARAMS_S2SZ, cfg->ipa_bits);
    kvm_put(env, r->params + RMI_REALM_PARAMS_NUM_BPS, (features >> 14) & 0x3F);
    kvm_put(env, r->params + RMI_REALM_PARAMS_NUM_WPS, (features >> 20) & 0x3F);
    kvm_put(env, r->params + RMI_REALM_PARAMS_HASH_ALGO, RMI_HASH_SHA_256);
    kvm_put(env, r->params + RMI_REALM_PARAMS_VMID, cfg->vmid);
    kvm_put(env, r->params + RMI_REALM_PARAMS_RTT_BASE, r->rtt_base);
    kvm_put(env, r->params + RMI_REALM_PARAMS_RTT_LEVEL_START, (uint64_t)r->start_level);
    kvm_put(env, r->params + RMI_REALM_PARAMS_RTT_NUM_START, num);
    /* v12 rmi.c: realm_create_rd() (REALM_CREATE, REC_AUX_COUNT), the VMM's populate
     * (DATA_CREATE), then kvm_activate_realm(): the RECs, set_ripas_of_protected_regions()
     * (INIT_RIPAS over the memslot, stepping over the populated pages), REALM_ACTIVATE. The RIM
     * extends in that order. */
    STEP(RMI_REALM_CREATE, kvm_rmi(env, RMI_REALM_CREATE, r->rd, r->params, 0, 0, 0, NULL));
    uint64_t aux_count = 0;
    STEP(RMI_REC_AUX_COUNT, kvm_rmi(env, RMI_REC_AUX_COUNT, r->rd, 0, 0, 0, 0, &aux_count));
    STEP(RMI_DATA_CREATE, load_image(env, r));
    for (unsigned v = 0; v < cfg->vcpus && v < KVM_MAX_VCPUS; v++) {
        uint64_t params = env->alloc_page(env->ctx);
        /* the boot vCPU runs; the others wait for PSCI_CPU_ON, as a VMM powers them off */
        kvm_put(env, params + RMI_REC_PARAMS_FLAGS, v == 0 ? RMI_REC_RUNNABLE : 0);
        kvm_put(env, params + RMI_REC_PARAMS_MPIDR, (v % 16) | ((uint64_t)(v / 16) << 8));
        kvm_put(env, params + RMI_REC_PARAMS_PC, cfg->entry);
        kvm_put(env, params + RMI_REC_PARAMS_NUM_AUX, aux_count);
        for (uint64_t i = 0; i < aux_count && i < 16; i++) {
            uint64_t aux = kvm_delegated_page(env, r);
            r->aux[v][i] = aux;
            kvm_put(env, params + RMI_REC_PARAMS_AUX + 8 * i, aux);
        }
        r->n_aux = (unsigned)(aux_count < 16 ? aux_count : 16);
        r->recs[v] = kvm_delegated_page(env, r);
        STEP(RMI_REC_CREATE, kvm_rmi(env, RMI_REC_CREATE, r->rd, r->recs[v], params, 0, 0, NULL));
        r->runs[v] = env->alloc_page(env->ctx);
    }
    STEP(RMI_RTT_INIT_RIPAS,
         kvm_ripas_change(env, r, 0, r->cfg.ram_ipa, r->cfg.ram_ipa + r->cfg.ram_size));
    STEP(RMI_REALM_ACTIVATE, kvm_rmi(env, RMI_REALM_ACTIVATE, r->rd, 0, 0, 0, 0, NULL));
    return 0;
}

/* RMI_GRANULE_UNDELEGATE: the granule is the host's again */
uint64_t kvm_undelegate(const struct kvm_env *env, struct kvm_realm *r, uint64_t pa)
{
    uint64_t rc = kvm_rmi(env, RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0, NULL);
    if (rc == 0)
        r->granules_delegated--;
    return rc;
}

uint64_t kvm_realm_destroy(const struct kvm_env *env, struct kvm_realm *r, uint64_t *failed_fid)
{
    uint64_t rc;
    for (unsigned v = 0; v < r->cfg.vcpus && v < KVM_MAX_VCPUS; v++) {
        if (!r->recs[v])
            continue;
        STEP(RMI_REC_DESTROY, kvm_rmi(env, RMI_REC_DESTROY, r->recs[v], 0, 0, 0, 0, NULL));
        STEP(RMI_GRANULE_UNDELEGATE, kvm_undelegate(env, r, r->recs[v]));
        for (unsigned i = 0; i < r->n_aux; i++)
            STEP(RMI_GRANULE_UNDELEGATE, kvm_undelegate(env, r, r->aux[v][i]));
        r->recs[v] = 0;
    }
    for (size_t i = 0; i < r->n_private; i++) {
        uint64_t ipa = r->private_pages[i].gfn << 12;
        STEP(RMI_DATA_DESTROY, kvm_rmi(env, RMI_DATA_DESTROY, r->rd, ipa, 0, 0, 0, NULL));
        STEP(RMI_GRANULE_UNDELEGATE, kvm_undelegate(env, r, r->private_pages[i].pa));
    }
    r->n_private = 0;
    uint64_t stolen = 1ull << (r->cfg.ipa_bits - 1);
    for (size_t i = 0; i < r->n_shared; i++)
        STEP(RMI_RTT_UNMAP_UNPROTECTED, kvm_rmi(env, RMI_RTT_UNMAP_UNPROTECTED, r->rd,
                                                (r->shared[i].gfn << 12) | stolen, 3, 0, 0, NULL));
    r->n_shared = 0;
    /* tables from the leaves up: the deepest level first, the latest created first */
    for (int level = 3; level > r->start_level; level--)
        for (size_t i = r->n_rtts; i-- > 0;)
            if (r->rtts[i].level == level) {
                STEP(RMI_RTT_DESTROY, kvm_rmi(env, RMI_RTT_DESTROY, r->rd, r->rtts[i].ipa,
                                              (uint64_t)level, 0, 0, NULL));
                STEP(RMI_GRANULE_UNDELEGATE, kvm_undelegate(env, r, r->rtts[i].pa));
            }
    r->n_rtts = 0;
    STEP(RMI_REALM_DESTROY, kvm_rmi(env, RMI_REALM_DESTROY, r->rd, 0, 0, 0, 0, NULL));
    STEP(RMI_GRANULE_UNDELEGATE, kvm_undelegate(env, r, r->rd));
    for (unsigned i = 0; i < r->num_start; i++)
        STEP(RMI_GRANULE_UNDELEGATE, kvm_undelegate(env, r, r->rtt_base + i * PAGE));
    r->rd = 0;
    r->vmm_ram = 0; /* the VM and its memslot are gone */
    return 0;
}
