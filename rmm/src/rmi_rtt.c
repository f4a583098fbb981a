/* The RTT commands: RMI_RTT_CREATE (B4.3.15), RMI_RTT_DESTROY (B4.3.16), RMI_RTT_READ_ENTRY
 * (B4.3.20), RMI_RTT_MAP_UNPROTECTED (B4.3.19), RMI_RTT_UNMAP_UNPROTECTED (B4.3.22) and
 * RMI_RTT_INIT_RIPAS (B4.3.18). INPUT failures come first, then the walk: the spec orders
 * [rd_*, level_bound, ipa_bound] before [rtt_walk, rtte_state]. */
#include "measurement.h"
#include "rmi_handlers.h"

static bool entry_live(uint64_t e, int level)
{
    enum s2tte_kind k = s2tte_kind(e, level);
    return k == S2TTE_ASSIGNED || k == S2TTE_ASSIGNED_NS || k == S2TTE_TABLE;
}

/* B4.3.16 / B4.3.22 "top": the IPA after the non-live entries from the walk's stopping entry,
 * so a host tearing a realm down can skip what holds nothing. */
uint64_t rtt_skip_non_live(struct rmm *rmm, const struct rtt_walk *w, uint64_t ipa)
{
    uint64_t size = rtt_entry_size(w->level);
    if (entry_live(w->entry, w->level))
        return ipa;
    uint64_t at = (ipa & ~(size - 1)) + size;
    for (unsigned i = w->idx + 1; i < RTT_ENTRIES; i++, at += size) {
        uint64_t e;
        if (!rtt_read(rmm, w->rtt, i, &e) || entry_live(e, w->level))
            break;
    }
    return at;
}

static void rtt_ref(struct rmm *rmm, uint64_t rtt, int delta)
{
    granule_find(&rmm->granules, rtt)->refcount += (uint32_t)delta;
}

void rmi_rtt_create(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t rd = in[1], rtt = in[2], ipa = in[3];
    int64_t level = (int64_t)in[4];
    struct rmm_realm *r = realm_of(rmm, rd);
    if (!r) { /* rd_align, rd_bound, rd_state */
        out[0] = INPUT;
        return;
    }
    if (level <= r->start_level || level > RTT_PAGE_LEVEL || /* level_bound */
        (ipa & (rtt_entry_size((int)level - 1) - 1)) ||      /* ipa_align */
        !ipa_in_realm(r, ipa)) {                             /* ipa_bound */
        out[0] = INPUT;
        return;
    }
    struct granule *g = granule_checked(rmm, rtt, GRANULE_DELEGATED);
    if (!g) { /* rtt_align, rtt_bound, rtt_state */
        out[0] = INPUT;
        return;
    }
    struct rtt_walk w;
    rtt_walk(rmm, r, ipa, (int)level - 1, &w);
    if (w.level < level - 1) { /* rtt_walk */
        out[0] = RTT_ERR(w.level);
        return;
    }
    enum s2tte_kind parent = s2tte_kind(w.entry, w.level);
    if (parent == S2TTE_TABLE) { /* rtte_state */
        out[0] = RTT_ERR(w.level);
        return;
    }
    /* Unfold the parent into 512 children with its state (A5.5.7); a block's children map
     * consecutive pieces of it with the same attributes. */
    int cl = (int)level;
    uint64_t step = rtt_entry_size(cl);
    unsigned live = 0;
    for (unsigned i = 0; i < RTT_ENTRIES; i++) {
        uint64_t e;
        switch (parent) {
        case S2TTE_ASSIGNED:
            e = s2tte_assigned(s2tte_oa(w.entry, w.level) + i * step, cl, s2tte_ripas(w.entry));
            live++;
            break;
        case S2TTE_ASSIGNED_NS:
            e = s2tte_assigned_ns(
                (w.entry & ~(S2TTE_OA_MASK)) | (s2tte_oa(w.entry, w.level) + i * step), cl);
            break;
        case S2TTE_UNASSIGNED_NS:
            e = s2tte_unassigned_ns();
            break;
        default:
            e = w.entry; /* UNASSIGNED with its RIPAS */
            break;
        }
        rtt_write(rmm, rtt, i, e);
    }
    if (w.entry & S2TTE_VALID) { /* break-before-make over a live block */
        rtt_write(rmm, w.rtt, w.idx, 0);
        rmm_tlbi_ipa(rmm, r, rtt_entry_ipa(&w, ipa));
    }
    rtt_write(rmm, w.rtt, w.idx, s2tte_table(rtt));
    if (parent != S2TTE_ASSIGNED)
        rtt_ref(rmm, w.rtt, +1); /* an ASSIGNED parent already counted as live */
    g->state = GRANULE_RTT;
    g->refcount = live;
    out[0] = SUCCESS;
}

/* RTT_DESTROY's and RTT_FOLD's common checks (rd, ipa, level) in the spec's order: rd_*,
 * level_bound (start+1..3), ipa_align (to level-1), ipa_bound, then the walk to level-1 must
 * find the TABLE entry of the RTT they name (rtt_walk, rtte_state: ERROR_RTT at the walk's
 * level). SUCCESS leaves the parent entry in *w. */
static uint64_t parent_table(struct rmm *rmm, const uint64_t in[8], struct rmm_realm **realm,
                             struct rtt_walk *w)
{
    uint64_t ipa = in[2];
    int64_t level = (int64_t)in[3];
    struct rmm_realm *r = *realm = realm_of(rmm, in[1]);
    if (!r || level <= r->start_level || level > RTT_PAGE_LEVEL ||
        (ipa & (rtt_entry_size((int)level - 1) - 1)) || !ipa_in_realm(r, ipa))
        return INPUT;
    rtt_walk(rmm, r, ipa, (int)level - 1, w);
    if (w->level < level - 1 || s2tte_kind(w->entry, w->level) != S2TTE_TABLE)
        return RTT_ERR(w->level);
    return SUCCESS;
}

void rmi_rtt_destroy(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t ipa = in[2];
    int64_t level = (int64_t)in[3];
    struct rmm_realm *r;
    struct rtt_walk w;
    out[0] = parent_table(rmm, in, &r, &w);
    if (out[0] != SUCCESS) {
        if (rmi_status_of(out[0]) == RMI_ERROR_RTT)
            out[2] = rtt_skip_non_live(rmm, &w, ipa);
        return;
    }
    uint64_t child = s2tte_oa(w.entry, 3);
    struct granule *g = granule_find(&rmm->granules, child);
    if (g->refcount != 0) { /* rtt_live */
        out[0] = RTT_ERR(level);
        out[2] = ipa;
        return;
    }
    /* the parent entry becomes UNASSIGNED with RIPAS DESTROYED, or UNASSIGNED_NS in the
     * unprotected half (docs/rmm.md: TF-RMM's choice, the spec's text says DESTROYED) */
    uint64_t e =
        ipa_is_protected(r, ipa) ? s2tte_unassigned(RMI_RIPAS_DESTROYED) : s2tte_unassigned_ns();
    rtt_write(rmm, w.rtt, w.idx, e);
    rmm_tlbi_ipa(rmm, r, ipa);
    rtt_ref(rmm, w.rtt, -1);
    rmm_wipe(rmm, child);
    g->state = GRANULE_DELEGATED;
    w.entry = e;
    out[0] = SUCCESS;
    out[1] = child;
    out[2] = rtt_skip_non_live(rmm, &w, ipa);
}

void rmi_rtt_read_entry(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t rd = in[1], ipa = in[2];
    int64_t level = (int64_t)in[3];
    struct rmm_realm *r = realm_of(rmm, rd);
    if (!r || level < r->start_level || level > RTT_PAGE_LEVEL ||
        (ipa & (rtt_entry_size((int)level) - 1)) || !ipa_in_realm(r, ipa)) {
        out[0] = INPUT; /* rd_*, level_bound, ipa_align, ipa_bound */
        return;
    }
    struct rtt_walk w;
    rtt_walk(rmm, r, ipa, (int)level, &w);
    enum s2tte_kind k = s2tte_kind(w.entry, w.level);
    out[0] = SUCCESS;
    out[1] = (uint64_t)w.level;
    out[2] = k == S2TTE_TABLE                                  ? RMI_TABLE
             : (k == S2TTE_ASSIGNED || k == S2TTE_ASSIGNED_NS) ? RMI_ASSIGNED
                                                               : RMI_UNASSIGNED;
    out[3] = s2tte_host_view(w.entry, w.level);
    out[4] =
        (k == S2TTE_UNASSIGNED || k == S2TTE_ASSIGNED) ? s2tte_ripas(w.entry) : RMI_RIPAS_EMPTY;
}

/* the INPUT checks shared by MAP and UNMAP_UNPROTECTED, in TF-RMM's order (level first) */
static struct rmm_realm *unprotected_args(struct rmm *rmm, const uint64_t in[8], int64_t level,
                                          const uint64_t *desc)
{
    if (level < RTT_MIN_BLOCK_LEVEL || level > RTT_PAGE_LEVEL) /* level_bound */
        return NULL;
    struct rmm_realm *r = realm_of(rmm, in[1]); /* rd_* */
    if (!r || level < r->start_level)
        return NULL;
    if (desc && !s2tte_host_ns_valid(*desc, (int)level)) /* attr_valid, addr_align, addr_bound */
        return NULL;
    uint64_t ipa = in[2];
    if ((ipa & (rtt_entry_size((int)level) - 1)) || !ipa_in_realm(r, ipa) ||
        ipa_is_protected(r, ipa)) /* ipa_align, ipa_bound */
        return NULL;
    return r;
}

void rmi_rtt_map_unprotected(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    int64_t level = (int64_t)in[3];
    uint64_t ipa = in[2], desc = in[4];
    struct rmm_realm *r = unprotected_args(rmm, in, level, &desc);
    if (!r) {
        out[0] = INPUT;
        return;
    }
    struct rtt_walk w;
    rtt_walk(rmm, r, ipa, (int)level, &w);
    if (w.level < level) { /* rtt_walk */
        out[0] = RTT_ERR(w.level);
        return;
    }
    if (s2tte_kind(w.entry, w.level) != S2TTE_UNASSIGNED_NS) { /* rtte_state */
        out[0] = RTT_ERR(w.level);
        return;
    }
    /* no reference is taken and the GPT of the NS page is not checked (B4.3.19) */
    rtt_write(rmm, w.rtt, w.idx, s2tte_assigned_ns(desc, (int)level));
    out[0] = SUCCESS;
}

void rmi_rtt_unmap_unprotected(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    int64_t level = (int64_t)in[3];
    uint64_t ipa = in[2];
    struct rmm_realm *r = unprotected_args(rmm, in, level, NULL);
    if (!r) {
        out[0] = INPUT;
        return;
    }
    struct rtt_walk w;
    rtt_walk(rmm, r, ipa, (int)level, &w);
    if (w.level < level || s2tte_kind(w.entry, w.level) != S2TTE_ASSIGNED_NS) {
        out[0] = RTT_ERR(w.level); /* rtt_walk, rtte_state */
        out[1] = rtt_skip_non_live(rmm, &w, ipa);
        return;
    }
    w.entry = s2tte_unassigned_ns();
    rtt_write(rmm, w.rtt, w.idx, w.entry);
    rmm_tlbi_ipa(rmm, r, ipa);
    out[0] = SUCCESS;
    out[1] = rtt_skip_non_live(rmm, &w, ipa);
}

void rmi_rtt_init_ripas(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t rd = in[1], base = in[2], top = in[3];
    if (top <= base) { /* size_valid (TF-RMM checks it before the RD) */
        out[0] = INPUT;
        return;
    }
    struct rmm_realm *r = realm_of(rmm, rd);
    if (!r || (base & (GRANULE_SIZE - 1)) || (top & (GRANULE_SIZE - 1)) || /* top_gran_align */
        !ipa_is_protected(r, top - GRANULE_SIZE)) {                        /* top_bound */
        out[0] = INPUT;
        return;
    }
    if (r->state != REALM_NEW) { /* realm_state */
        out[0] = REALM_ERR(0);
        return;
    }
    struct rtt_walk w;
    rtt_walk(rmm, r, base, RTT_PAGE_LEVEL, &w);
    uint64_t size = rtt_entry_size(w.level);
    if (base & (size - 1)) { /* base_align */
        out[0] = RTT_ERR(w.level);
        return;
    }
    if (s2tte_kind(w.entry, w.level) != S2TTE_UNASSIGNED) { /* rtte_state */
        out[0] = RTT_ERR(w.level);
        return;
    }
    /* RAM on consecutive UNASSIGNED entries of this RTT that lie wholly below top */
    uint64_t at = base;
    for (unsigned i = w.idx; i < RTT_ENTRIES && at + size <= top; i++, at += size) {
        uint64_t e;
        rtt_read(rmm, w.rtt, i, &e);
        if (s2tte_kind(e, w.level) != S2TTE_UNASSIGNED)
            break;
        rtt_write(rmm, w.rtt, i, s2tte_unassigned(RMI_RIPAS_RAM));
        /* B4.3.18.4: one RIPAS descriptor per entry */
        measure_ripas(r->hash_algo, r->measurements[0], at, at + size < top ? at + size : top);
    }
    if (at == base) { /* no_progress */
        out[0] = RTT_ERR(w.level);
        return;
    }
    out[0] = SUCCESS;
    out[1] = at;
}

/* RMI_RTT_SET_RIPAS (B4.3.21): apply the RIPAS change the REC asked for (A5.4), from
 * rec.ripas_addr, over whole entries of one RTT, stopping at a TABLE entry, at a DESTROYED one
 * unless the realm allowed changing those, or at an entry that reaches past top. */
void rmi_rtt_set_ripas(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t rd = in[1], rec_pa = in[2], base = in[3], top = in[4];
    struct rmm_realm *r = realm_of(rmm, rd);
    if (!r) { /* rd_align, rd_bound, rd_state */
        out[0] = INPUT;
        return;
    }
    struct granule *g = granule_checked(rmm, rec_pa, GRANULE_REC);
    if (!g) { /* rec_align, rec_bound, rec_gran_state */
        out[0] = INPUT;
        return;
    }
    struct rmm_rec *rec = g->obj;
    if (rec->running || rec->realm != r) { /* rec_state, rec_owner */
        out[0] = REC_ERR;
        return;
    }
    if (top <= base || base != rec->ripas_addr || top > rec->ripas_top ||
        (top & (GRANULE_SIZE - 1))) { /* size_valid, base_bound, top_bound, top_gran_align */
        out[0] = INPUT;
        return;
    }
    struct rtt_walk w;
    rtt_walk(rmm, r, base, RTT_PAGE_LEVEL, &w);
    uint64_t size = rtt_entry_size(w.level);
    enum rmi_ripas want = (enum rmi_ripas)rec->ripas_value;
    if ((base & (size - 1)) && s2tte_ripas(w.entry) != want) { /* base_align */
        out[0] = RTT_ERR(w.level);
        return;
    }
    uint64_t at = base;
    for (unsigned i = w.idx; i < RTT_ENTRIES && at < top; i++) {
        uint64_t e;
        rtt_read(rmm, w.rtt, i, &e);
        uint64_t end = (at & ~(size - 1)) + size;
        enum s2tte_kind k = s2tte_kind(e, w.level);
        if (k == S2TTE_TABLE)
            break;
        enum rmi_ripas ripas = s2tte_ripas(e);
        if (ripas == want) {
            at = end < top ? end : top;
            continue;
        }
        if ((at & (size - 1)) || end > top)
            break; /* only a whole entry changes */
        if (ripas == RMI_RIPAS_DESTROYED && !rec->ripas_destroyed)
            break;
        uint64_t ne = k == S2TTE_ASSIGNED ? s2tte_assigned(s2tte_oa(e, w.level), w.level, want)
                                          : s2tte_unassigned(want);
        rtt_write(rmm, w.rtt, i, ne);
        if (e & S2TTE_VALID) /* RAM -> EMPTY on a mapped page: the mapping goes */
            rmm_tlbi_ipa(rmm, r, at);
        at = end;
    }
    if (at == base) { /* no_progress */
        out[0] = RTT_ERR(w.level);
        return;
    }
    rec->ripas_addr = at;
    out[0] = SUCCESS;
    out[1] = at;
}

/* A5.5.6: is the RTT homogeneous, and what single parent entry stands for it (0: not) */
static uint64_t fold_entry(struct rmm *rmm, uint64_t rtt, int level)
{
    uint64_t first, e;
    rtt_read(rmm, rtt, 0, &first);
    enum s2tte_kind kind = s2tte_kind(first, level);
    uint64_t size = rtt_entry_size(level), oa = s2tte_oa(first, level);
    if (kind == S2TTE_TABLE)
        return 0;
    bool mapped = kind == S2TTE_ASSIGNED || kind == S2TTE_ASSIGNED_NS;
    /* a block needs a level-2 or level-3 child and an OA aligned to the parent's size */
    if (mapped && (level < 2 || (oa & (rtt_entry_size(level - 1) - 1))))
        return 0;
    for (unsigned i = 1; i < RTT_ENTRIES; i++) {
        rtt_read(rmm, rtt, i, &e);
        uint64_t want = first;
        if (mapped) /* the same entry but i pages (blocks) further */
            want = (first & ~(S2TTE_OA_MASK & ~(size - 1))) | (oa + i * size);
        if (e != want)
            return 0;
    }
    int parent = level - 1;
    switch (kind) {
    case S2TTE_ASSIGNED:
        return s2tte_assigned(oa, parent, s2tte_ripas(first));
    case S2TTE_ASSIGNED_NS:
        return s2tte_assigned_ns(first, parent); /* the host's OA and attributes */
    default:
        return first | (1ull << 63); /* UNASSIGNED(_NS): the same entry (flagged non-zero) */
    }
}

/* RMI_RTT_FOLD (B4.3.17): replace a homogeneous RTT by one entry of its parent. */
void rmi_rtt_fold(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t ipa = in[2];
    int64_t level = (int64_t)in[3];
    struct rmm_realm *r;
    struct rtt_walk w;
    out[0] = parent_table(rmm, in, &r, &w);
    if (out[0] != SUCCESS)
        return;
    uint64_t child = s2tte_oa(w.entry, RTT_PAGE_LEVEL);
    uint64_t parent = fold_entry(rmm, child, (int)level);
    if (!parent) { /* rtt_homo */
        out[0] = RTT_ERR(level);
        return;
    }
    parent &= ~(1ull << 63);
    bool assigned = s2tte_kind(parent, w.level) == S2TTE_ASSIGNED;
    /* break-before-make: the table entry goes, the TLBs forget it, the block comes */
    rtt_write(rmm, w.rtt, w.idx, 0);
    rmm_tlbi_ipa(rmm, r, ipa);
    rtt_write(rmm, w.rtt, w.idx, parent);
    if (!assigned)
        rtt_ref(rmm, w.rtt, -1); /* the TABLE counted; an UNASSIGNED or NS entry does not */
    struct granule *g = granule_find(&rmm->granules, child);
    rmm_wipe(rmm, child);
    g->state = GRANULE_DELEGATED;
    g->refcount = 0;
    out[0] = SUCCESS;
    out[1] = child;
}
