#include "s2tt.h"

#include "rmm_mem.h"

enum s2tte_kind s2tte_kind(uint64_t e, int level)
{
    if (e & S2TTE_VALID) {
        if ((e & 3) == S2TTE_TYPE_TABLE && level < RTT_PAGE_LEVEL)
            return S2TTE_TABLE;
        return (e & S2TTE_NS) ? S2TTE_ASSIGNED_NS : S2TTE_ASSIGNED;
    }
    if (e & S2TTE_HIPAS_ASSIGNED)
        return S2TTE_ASSIGNED; /* RIPAS EMPTY or DESTROYED: invalid, OA kept */
    return (e & S2TTE_NS) ? S2TTE_UNASSIGNED_NS : S2TTE_UNASSIGNED;
}

enum rmi_ripas s2tte_ripas(uint64_t e)
{
    if ((e & S2TTE_VALID) && !(e & S2TTE_NS))
        return RMI_RIPAS_RAM; /* a valid protected mapping only exists for RAM */
    if (e & (S2TTE_VALID | S2TTE_NS))
        return RMI_RIPAS_EMPTY; /* unprotected: B4.3.20 reports EMPTY */
    return (enum rmi_ripas)((e & S2TTE_RIPAS_MASK) >> S2TTE_RIPAS_SHIFT);
}

uint64_t s2tte_oa(uint64_t e, int level)
{
    return e & S2TTE_OA_MASK & ~(rtt_entry_size(level) - 1);
}

uint64_t s2tte_unassigned(enum rmi_ripas ripas)
{
    return (uint64_t)ripas << S2TTE_RIPAS_SHIFT;
}

uint64_t s2tte_unassigned_ns(void)
{
    return S2TTE_NS;
}

static uint64_t leaf_type(int level)
{
    return level == RTT_PAGE_LEVEL ? S2TTE_TYPE_TABLE : S2TTE_TYPE_BLOCK;
}

uint64_t s2tte_assigned(uint64_t pa, int level, enum rmi_ripas ripas)
{
    if (ripas == RMI_RIPAS_RAM)
        return pa | S2TTE_MEMATTR_FWB_NORMAL_WB | S2TTE_AP_RW | S2TTE_SH_IS | S2TTE_AF |
               leaf_type(level);
    return pa | S2TTE_HIPAS_ASSIGNED | ((uint64_t)ripas << S2TTE_RIPAS_SHIFT);
}

uint64_t s2tte_assigned_ns(uint64_t host_desc, int level)
{
    uint64_t keep = (host_desc & (S2TTE_OA_MASK | S2TTE_MEMATTR_MASK | S2TTE_AP_MASK));
    return keep | S2TTE_NS | S2TTE_XN | S2TTE_SH_IS | S2TTE_AF | leaf_type(level);
}

uint64_t s2tte_table(uint64_t rtt)
{
    return rtt | S2TTE_TYPE_TABLE;
}

bool s2tte_host_ns_valid(uint64_t desc, int level)
{
    uint64_t oa_mask = S2TTE_OA_MASK & ~(rtt_entry_size(level) - 1);
    uint64_t allowed = oa_mask | S2TTE_MEMATTR_MASK | S2TTE_AP_MASK;
    if (desc & ~allowed)
        return false; /* attr_valid, addr_align (OA bits below the level), addr_bound (>= 2^48) */
    if ((desc & S2TTE_MEMATTR_MASK) == S2TTE_MEMATTR_FWB_RESERVED)
        return false;
    return true;
}

uint64_t s2tte_host_view(uint64_t e, int level)
{
    switch (s2tte_kind(e, level)) {
    case S2TTE_ASSIGNED_NS:
        return e & ((S2TTE_OA_MASK & ~(rtt_entry_size(level) - 1)) | S2TTE_MEMATTR_MASK |
                    S2TTE_AP_MASK);
    case S2TTE_ASSIGNED: /* the OA, also for RIPAS DESTROYED (the spec; TF-RMM 1.0 gives 0) */
        return s2tte_oa(e, level);
    case S2TTE_TABLE: /* the next RTT: a 4KB-aligned address at any level */
        return s2tte_oa(e, RTT_PAGE_LEVEL);
    default:
        return 0;
    }
}

bool rtt_read(struct rmm *rmm, uint64_t rtt, unsigned idx, uint64_t *e)
{
    return rmm_read(rmm, rtt + 8ull * idx, RME_PAS_REALM, e);
}

bool rtt_write(struct rmm *rmm, uint64_t rtt, unsigned idx, uint64_t e)
{
    return rmm_write(rmm, rtt + 8ull * idx, RME_PAS_REALM, e);
}

bool rtt_walk(struct rmm *rmm, const struct rmm_realm *realm, uint64_t ipa, int level,
              struct rtt_walk *w)
{
    int l = realm->start_level;
    /* the starting level may be several concatenated tables: index across them */
    uint64_t idx = ipa >> rtt_level_shift(l);
    uint64_t rtt = realm->rtt_base + (idx / RTT_ENTRIES) * GRANULE_SIZE;
    for (;;) {
        w->level = l;
        w->rtt = rtt;
        w->idx = (unsigned)(idx % RTT_ENTRIES);
        if (!rtt_read(rmm, rtt, w->idx, &w->entry))
            return false;
        if (l == level || s2tte_kind(w->entry, l) != S2TTE_TABLE)
            return true;
        rtt = s2tte_oa(w->entry, 3);
        l++;
        idx = (ipa >> rtt_level_shift(l)) % RTT_ENTRIES;
    }
}

uint64_t rtt_entry_ipa(const struct rtt_walk *w, uint64_t ipa)
{
    return ipa & ~(rtt_entry_size(w->level) - 1);
}
