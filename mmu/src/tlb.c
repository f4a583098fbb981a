#include "mmu/tlb.h"

#include <stdlib.h>
#include <string.h>

struct wc_entry {
    bool valid, table_is_ipa;
    uint8_t regime, stage;
    int8_t level;
    uint16_t vmid;
    uint64_t ttbr, prefix, table, lru;
};

struct mmu_tlb {
    struct tlb_config cfg;
    struct tlb_entry *l1, *l2;
    struct wc_entry *wc;
    unsigned wc_sets;
    unsigned l2_sets;
    unsigned l1_last;  /* the L1 entry that hit last: tried first (Spike's fast path) */
    uint64_t l2_spans; /* bit s: the L2 holds entries s pages wide (s = span), each in the set of
                        * its first page; a lookup probes one set per width present */
    uint64_t tick;
    uint64_t generation; /* tlb_generation(): bumped by anything that changes an entry */
    struct tlb_stats stats;
};

struct mmu_tlb *tlb_create(const struct tlb_config *cfg)
{
    struct mmu_tlb *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->cfg = *cfg;
    t->l2_sets = cfg->l2_ways ? cfg->l2_entries / cfg->l2_ways : 0;
    t->l1 = calloc(cfg->l1_entries ? cfg->l1_entries : 1, sizeof(*t->l1));
    t->l2 = calloc(cfg->l2_entries ? cfg->l2_entries : 1, sizeof(*t->l2));
    t->wc_sets = cfg->wc_ways ? cfg->wc_entries / cfg->wc_ways : 0;
    t->wc = calloc(cfg->wc_entries ? cfg->wc_entries : 1, sizeof(*t->wc));
    if (!t->l1 || !t->l2 || !t->wc) {
        tlb_destroy(t);
        return NULL;
    }
    return t;
}

void tlb_destroy(struct mmu_tlb *t)
{
    if (!t)
        return;
    free(t->l1);
    free(t->l2);
    free(t->wc);
    free(t);
}

static bool two_stage(uint8_t regime)
{
    return regime == MMU_NS_EL10 || regime == MMU_REALM_EL10;
}

/* whether page lies in the entry's span */
static bool covers(const struct tlb_entry *e, uint64_t page)
{
    return (e->va_page >> e->span) == (page >> e->span);
}

/* the entry as it translates page: same span, page numbers moved by page's offset in it */
static struct tlb_entry for_page(const struct tlb_entry *e, uint64_t page)
{
    struct tlb_entry out = *e;
    uint64_t delta = page - e->va_page; /* modular: negative offsets work */
    out.va_page = page;
    out.ipa_page = e->ipa_page + delta;
    out.pa_page = e->pa_page + delta;
    return out;
}

static bool matches(const struct tlb_entry *e, const struct mmu_regime *r, uint64_t page)
{
    return e->valid && covers(e, page) && e->regime == r->kind &&
           (!two_stage(e->regime) || e->vmid == r->vmid) && (e->global || e->asid == r->s1.asid);
}

static struct tlb_entry *victim(struct tlb_entry *set, unsigned ways)
{
    struct tlb_entry *v = &set[0];
    for (unsigned w = 0; w < ways; w++) {
        if (!set[w].valid)
            return &set[w];
        if (set[w].lru < v->lru)
            v = &set[w];
    }
    return v;
}

const struct tlb_entry *tlb_find(struct mmu_tlb *t, const struct mmu_regime *r, uint64_t va,
                                 int *level, uint64_t *cycles)
{
    uint64_t page = va >> 12;
    t->stats.lookups++;
    *cycles += t->cfg.l1_hit_cycles;
    *level = 1;
    if (t->cfg.l1_entries && matches(&t->l1[t->l1_last], r, page)) {
        struct tlb_entry *e = &t->l1[t->l1_last];
        e->lru = ++t->tick;
        t->stats.l1_hits++;
        return e;
    }
    for (unsigned i = 0; i < t->cfg.l1_entries; i++)
        if (matches(&t->l1[i], r, page)) {
            t->l1_last = i;
            t->l1[i].lru = ++t->tick;
            t->stats.l1_hits++;
            return &t->l1[i];
        }
    *level = 2;
    if (t->l2_sets) {
        *cycles += t->cfg.l2_hit_cycles;
        for (uint64_t spans = t->l2_spans; spans; spans &= spans - 1) {
            unsigned span = (unsigned)__builtin_ctzll(spans);
            struct tlb_entry *set = &t->l2[((page >> span << span) % t->l2_sets) * t->cfg.l2_ways];
            for (unsigned w = 0; w < t->cfg.l2_ways; w++) {
                if (set[w].span != span || !matches(&set[w], r, page))
                    continue;
                set[w].lru = ++t->tick;
                t->stats.l2_hits++;
                if (t->cfg.l1_entries) {
                    struct tlb_entry *v = victim(t->l1, t->cfg.l1_entries);
                    *v = set[w];
                    v->lru = t->tick;
                    t->generation++;
                }
                return &set[w];
            }
        }
    }
    *level = 0;
    t->stats.misses++;
    return NULL;
}

uint64_t tlb_generation(const struct mmu_tlb *t)
{
    return t->generation;
}

int tlb_last_l1(const struct mmu_tlb *t, const struct mmu_regime *r, uint64_t va, bool *first)
{
    uint64_t page = va >> 12;
    if (!t->cfg.l1_entries || !matches(&t->l1[t->l1_last], r, page))
        return -1;
    unsigned i = 0;
    while (!matches(&t->l1[i], r, page))
        i++;
    *first = i == t->l1_last;
    return (int)t->l1_last;
}

const struct tlb_entry *tlb_find_l1(struct mmu_tlb *t, const struct mmu_regime *r, uint64_t va,
                                    uint64_t generation, unsigned index, bool first,
                                    uint64_t *cycles)
{
    if (generation != t->generation)
        return NULL;
    /* tlb_find's answer: the last-hit entry if it holds va, else the first that does */
    if (t->l1_last != index) {
        if (!first || matches(&t->l1[t->l1_last], r, va >> 12))
            return NULL;
        t->l1_last = index;
    }
    t->stats.lookups++;
    *cycles += t->cfg.l1_hit_cycles;
    struct tlb_entry *e = &t->l1[index];
    e->lru = ++t->tick;
    t->stats.l1_hits++;
    return e;
}

int tlb_lookup(struct mmu_tlb *t, const struct mmu_regime *r, uint64_t va, struct tlb_entry *out,
               uint64_t *cycles)
{
    int level;
    const struct tlb_entry *e = tlb_find(t, r, va, &level, cycles);
    if (e)
        *out = for_page(e, va >> 12);
    return level;
}

void tlb_fill(struct mmu_tlb *t, const struct tlb_entry *e)
{
    t->stats.fills++;
    t->generation++;
    struct tlb_entry copy = *e;
    copy.valid = true;
    copy.lru = ++t->tick;
    if (t->cfg.l1_entries) {
        struct tlb_entry *v = victim(t->l1, t->cfg.l1_entries);
        if (v->valid)
            t->stats.evictions++;
        *v = copy;
    }
    if (t->l2_sets) {
        uint64_t first = e->va_page >> e->span << e->span;
        struct tlb_entry *v = victim(&t->l2[(first % t->l2_sets) * t->cfg.l2_ways], t->cfg.l2_ways);
        *v = copy;
        t->l2_spans |= 1ull << e->span;
    }
}

/* the security state whose entries a regime's TLB entries are (D8.16: a TLBI reaches only the
 * entries of the security state it is issued for) */
static int regime_ss(uint8_t regime)
{
    switch (regime) {
    case MMU_NS_EL2:
    case MMU_NS_EL10:
        return RME_SS_NS;
    case MMU_REALM_EL2:
    case MMU_REALM_EL10:
        return RME_SS_REALM;
    default:
        return RME_SS_ROOT;
    }
}

static bool in_scope(const struct tlb_entry *e, enum tlb_scope scope, int ss, uint16_t vmid,
                     uint16_t asid, uint64_t page)
{
    if (ss >= 0 && regime_ss(e->regime) != ss)
        return false;
    bool el10 = two_stage(e->regime);
    bool el2 = e->regime == MMU_NS_EL2 || e->regime == MMU_REALM_EL2;
    switch (scope) {
    case TLB_ALL:
        return true;
    case TLB_EL2:
        return el2;
    case TLB_EL3:
        return e->regime == MMU_EL3;
    case TLB_EL10:
        return el10;
    case TLB_EL10_VMID:
        return el10 && e->vmid == vmid;
    case TLB_EL10_ASID:
        return el10 && e->vmid == vmid && !e->global && e->asid == asid;
    case TLB_EL10_VA:
        return el10 && e->vmid == vmid && covers(e, page) && (e->global || e->asid == asid);
    case TLB_EL2_VA:
        return el2 && covers(e, page);
    case TLB_EL3_VA:
        return e->regime == MMU_EL3 && covers(e, page);
    }
    return false;
}

/* Which walk-cache entries a scope reaches: by regime and VMID (a VA or ASID scope takes every
 * table of the VMID, an over-invalidation the architecture allows). */
static bool wc_in_scope(const struct wc_entry *e, enum tlb_scope scope, int ss, uint16_t vmid)
{
    if (ss >= 0 && regime_ss(e->regime) != ss)
        return false;
    bool el10 = two_stage(e->regime);
    bool el2 = e->regime == MMU_NS_EL2 || e->regime == MMU_REALM_EL2;
    switch (scope) {
    case TLB_ALL:
        return true;
    case TLB_EL2:
    case TLB_EL2_VA:
        return el2;
    case TLB_EL3:
    case TLB_EL3_VA:
        return e->regime == MMU_EL3;
    case TLB_EL10:
        return el10;
    default:
        return el10 && e->vmid == vmid;
    }
}

static unsigned drop_walks(struct mmu_tlb *t, enum tlb_scope scope, int ss, uint16_t vmid,
                           bool by_pa, uint64_t pa_lo, uint64_t pa_hi)
{
    unsigned n = 0;
    for (unsigned i = 0; i < t->cfg.wc_entries; i++) {
        struct wc_entry *e = &t->wc[i];
        if (!e->valid)
            continue;
        bool hit = by_pa
                       ? e->table_is_ipa || ((e->table >> 12) >= pa_lo && (e->table >> 12) < pa_hi)
                       : wc_in_scope(e, scope, ss, vmid);
        if (hit) {
            e->valid = false;
            n++;
        }
    }
    return n;
}

static unsigned drop(struct mmu_tlb *t, enum tlb_scope scope, int ss, uint16_t vmid, uint16_t asid,
                     uint64_t page, bool by_pa, uint64_t pa_lo, uint64_t pa_hi)
{
    unsigned n = 0;
    t->generation++;
    struct tlb_entry *levels[2] = {t->l1, t->l2};
    unsigned counts[2] = {t->cfg.l1_entries, t->cfg.l2_entries};
    for (unsigned l = 0; l < 2; l++)
        for (unsigned i = 0; i < counts[l]; i++) {
            struct tlb_entry *e = &levels[l][i];
            if (!e->valid)
                continue;
            /* by PA: the entry's output span meets [pa_lo, pa_hi) */
            uint64_t first = e->pa_page >> e->span << e->span, count = 1ull << e->span;
            bool hit = by_pa ? first < pa_hi && first + count > pa_lo
                             : in_scope(e, scope, ss, vmid, asid, page);
            if (hit) {
                e->valid = false;
                n++;
            }
        }
    t->stats.invalidated += n;
    return n;
}

unsigned tlb_invalidate(struct mmu_tlb *t, enum tlb_scope scope, uint16_t vmid, uint16_t asid,
                        uint64_t va)
{
    return tlb_invalidate_ss(t, scope, -1, vmid, asid, va);
}

unsigned tlb_invalidate_leaf(struct mmu_tlb *t, enum tlb_scope scope, uint16_t vmid, uint16_t asid,
                             uint64_t va)
{
    return tlb_invalidate_leaf_ss(t, scope, -1, vmid, asid, va);
}

unsigned tlb_invalidate_ss(struct mmu_tlb *t, enum tlb_scope scope, int ss, uint16_t vmid,
                           uint16_t asid, uint64_t va)
{
    return drop(t, scope, ss, vmid, asid, va >> 12, false, 0, 0) +
           drop_walks(t, scope, ss, vmid, false, 0, 0);
}

unsigned tlb_invalidate_leaf_ss(struct mmu_tlb *t, enum tlb_scope scope, int ss, uint16_t vmid,
                                uint16_t asid, uint64_t va)
{
    return drop(t, scope, ss, vmid, asid, va >> 12, false, 0, 0);
}

unsigned tlb_invalidate_pa(struct mmu_tlb *t, uint64_t base, uint64_t size)
{
    uint64_t lo = base >> 12, hi = (base + size + 0xFFF) >> 12;
    return drop(t, TLB_ALL, -1, 0, 0, 0, true, lo, hi) +
           drop_walks(t, TLB_ALL, -1, 0, true, lo, hi);
}

static struct wc_entry *wc_set(struct mmu_tlb *t, uint64_t prefix, int level)
{
    return &t->wc[((prefix * 31 + (uint64_t)level) % t->wc_sets) * t->cfg.wc_ways];
}

static bool wc_matches(const struct wc_entry *e, const struct mmu_regime *r, unsigned stage,
                       uint64_t ttbr, int level, uint64_t prefix)
{
    return e->valid && e->regime == r->kind && e->stage == stage && e->level == level &&
           e->ttbr == ttbr && e->prefix == prefix && (!two_stage(e->regime) || e->vmid == r->vmid);
}

bool wc_lookup(struct mmu_tlb *t, const struct mmu_regime *r, unsigned stage, uint64_t ttbr,
               int level, uint64_t prefix, uint64_t *table, uint64_t *cycles)
{
    if (!t->wc_sets)
        return false;
    t->stats.wc_lookups++;
    *cycles += t->cfg.wc_hit_cycles;
    struct wc_entry *set = wc_set(t, prefix, level);
    for (unsigned w = 0; w < t->cfg.wc_ways; w++)
        if (wc_matches(&set[w], r, stage, ttbr, level, prefix)) {
            set[w].lru = ++t->tick;
            *table = set[w].table;
            t->stats.wc_hits++;
            return true;
        }
    return false;
}

void wc_fill(struct mmu_tlb *t, const struct mmu_regime *r, unsigned stage, uint64_t ttbr,
             int level, uint64_t prefix, uint64_t table, bool table_is_ipa)
{
    if (!t->wc_sets)
        return;
    struct wc_entry *set = wc_set(t, prefix, level), *v = &set[0];
    for (unsigned w = 0; w < t->cfg.wc_ways; w++) {
        if (!set[w].valid) {
            v = &set[w];
            break;
        }
        if (set[w].lru < v->lru)
            v = &set[w];
    }
    *v = (struct wc_entry){true,    table_is_ipa, (uint8_t)r->kind, (uint8_t)stage, (int8_t)level,
                           r->vmid, ttbr,         prefix,           table,          ++t->tick};
}

struct tlb_stats tlb_get_stats(const struct mmu_tlb *t)
{
    return t->stats;
}
