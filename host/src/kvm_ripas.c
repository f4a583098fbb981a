/* The realm's IPA states as the host manages them: RMI_RTT_INIT_RIPAS over the memslot when the
 * realm is built, RMI_RTT_SET_RIPAS for the realm's RIPAS changes, and KVM's per-page
 * private/shared attributes those changes set. */
#include "kvm_internal.h"

/* v12 rmi.c find_map_level(): the shallowest level below the starting one whose entry at ipa
 * lies wholly inside [ipa, end): a level-2 (2MB block) entry for an aligned 2MB of the range, a
 * level-3 page otherwise. */
static int map_level(const struct kvm_realm *r, uint64_t ipa, uint64_t end)
{
    int level = 3;
    while (level > r->start_level) {
        uint64_t size = level_size(level - 1);
        if (ipa % size || ipa + size > end)
            break;
        level--;
    }
    return level;
}

/* v12 rmi.c ripas_change(): RMI_RTT_INIT_RIPAS (rec 0) or RMI_RTT_SET_RIPAS over [base, top);
 * on ERROR_RTT at level L, the RTTs L+1 .. map_level() and retry, so the command works on block
 * entries wherever the range covers one (RMM 1.0 B4.3.18 / B4.3.21 set whole entries of the
 * walk's RTT). An ERROR_RTT at or below that level is an entry the command cannot change: for
 * INIT_RIPAS a page DATA_CREATE populated; KVM steps over it a page at a time (its "already
 * RIPAS_RAM" skip), for SET_RIPAS too, whose next call then fails (ERROR_INPUT: base is no
 * longer the REC's ripas_addr) and ends the change with what was done. */
uint64_t kvm_ripas_change(const struct kvm_env *env, struct kvm_realm *r, uint64_t rec,
                          uint64_t base, uint64_t top)
{
    uint64_t limit = 2 * ((top - base) / PAGE) + 8; /* each step moves on or creates RTTs */
    for (uint64_t steps = 0; base < top; steps++) {
        uint64_t next = 0, rc;
        if (steps == limit)
            return rmi_pack(RMI_ERROR_INPUT, 0);
        if (rec)
            rc = kvm_rmi(env, RMI_RTT_SET_RIPAS, r->rd, rec, base, top, 0, &next);
        else
            rc = kvm_rmi(env, RMI_RTT_INIT_RIPAS, r->rd, base, top, 0, 0, &next);
        if (rmi_status_of(rc) == RMI_ERROR_RTT) {
            int walked = (int)rmi_index_of(rc), want = map_level(r, base, top);
            if (walked < want)
                rc = kvm_create_rtts(env, r, base, walked, want);
            else
                base += PAGE, rc = 0;
            if (rc != 0)
                return rc;
            continue;
        }
        if (rc != 0)
            return rc;
        base = next;
    }
    return 0;
}

bool kvm_page_shared(const struct kvm_realm *r, uint64_t gpa)
{
    uint64_t i = (gpa - r->cfg.ram_ipa) / PAGE;
    return r->shared_attr && (r->shared_attr[i / 8] >> (i % 8)) & 1;
}

static void set_shared(struct kvm_realm *r, uint64_t base, uint64_t top, bool shared)
{
    for (uint64_t gpa = base; gpa < top; gpa += PAGE) {
        if (gpa - r->cfg.ram_ipa >= r->cfg.ram_size || !r->shared_attr)
            continue;
        uint64_t i = (gpa - r->cfg.ram_ipa) / PAGE;
        if (shared)
            r->shared_attr[i / 8] |= (uint8_t)(1u << (i % 8));
        else
            r->shared_attr[i / 8] &= (uint8_t) ~(1u << (i % 8));
    }
}

/* v12 rmi.c realm_unmap_shared_range(): RMI_RTT_UNMAP_UNPROTECTED of every shared page of the
 * range mapped at the unprotected alias */
static uint64_t unmap_shared(const struct kvm_env *env, struct kvm_realm *r, uint64_t base,
                             uint64_t top)
{
    uint64_t stolen = 1ull << (r->cfg.ipa_bits - 1);
    for (size_t i = 0; i < r->n_shared;) {
        uint64_t ipa = r->shared[i].gfn << 12;
        if (ipa - base >= top - base) {
            i++;
            continue;
        }
        uint64_t rc = kvm_rmi(env, RMI_RTT_UNMAP_UNPROTECTED, r->rd, ipa | stolen, 3, 0, 0, NULL);
        if (rc != 0)
            return rc;
        r->shared[i] = r->shared[--r->n_shared];
    }
    return 0;
}

/* v12 rmi.c realm_unmap_private_range(): RMI_DATA_DESTROY and RMI_GRANULE_UNDELEGATE of every
 * private page of the range (guest_memfd gives the page back) */
static uint64_t unmap_private(const struct kvm_env *env, struct kvm_realm *r, uint64_t base,
                              uint64_t top)
{
    for (size_t i = 0; i < r->n_private;) {
        uint64_t ipa = r->private_pages[i].gfn << 12;
        if (ipa - base >= top - base) {
            i++;
            continue;
        }
        uint64_t rc = kvm_rmi(env, RMI_DATA_DESTROY, r->rd, ipa, 0, 0, 0, NULL);
        if (rc == 0)
            rc = kvm_undelegate(env, r, r->private_pages[i].pa);
        if (rc != 0)
            return rc;
        r->private_pages[i] = r->private_pages[--r->n_private];
    }
    return 0;
}

/* v12 mmu.c kvm_arch_post_set_memory_attributes(): after KVM_SET_MEMORY_ATTRIBUTES, the range's
 * mappings of the side it leaves go (kvm_unmap_gfn_range -> kvm_realm_unmap_range): the
 * unprotected alias always, the private pages too when it becomes shared. (QEMU's discard of the
 * other backing then finds nothing left to unmap.) v12 also folds the RTTs afterwards
 * (RMI_RTT_FOLD); the model keeps the tables. */
uint64_t kvm_set_memory_attributes(const struct kvm_env *env, struct kvm_realm *r, uint64_t base,
                                   uint64_t top, bool to_private)
{
    set_shared(r, base, top, !to_private);
    uint64_t rc = unmap_shared(env, r, base, top);
    if (rc == 0 && !to_private)
        rc = unmap_private(env, r, base, top);
    return rc;
}

/* v12 rmi.c kvm_rec_pre_enter() -> kvm_complete_ripas_change() -> realm_set_ipa_state(): before
 * the REC runs again, RTT_SET_RIPAS over what the realm asked for (whatever the VMM did with
 * the memory attributes: v12 does not look at them), then, for EMPTY, the private pages of what
 * was changed are destroyed. A failing call ends the change with what was done (KVM warns and
 * enters the REC anyway: the realm learns how far it went from RmiRecExit's ripas_addr). */
void kvm_complete_ripas_change(const struct kvm_env *env, struct kvm_realm *r, unsigned v)
{
    if (!r->ripas_due[v].due)
        return;
    r->ripas_due[v].due = false;
    uint64_t base = r->ripas_due[v].base, top = r->ripas_due[v].top;
    if (kvm_ripas_change(env, r, r->recs[v], base, top) == 0 &&
        r->ripas_due[v].value == RMI_RIPAS_EMPTY)
        unmap_private(env, r, base, top);
}
