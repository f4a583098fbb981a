/* The TLBs: a small fully associative first level in front of a larger set-associative second
 * level, both caching the combined result of a translation - stage 1, stage 2, the output PAS
 * and the GPC's GPI - per 4KB page, so that a hit costs no walk and no GPT lookup (Arm ARM D8.16,
 * and D9.5 R_YMSWK for combined GPT information). Blocks are held as the page that was used, as
 * Arm's L1 TLBs hold smaller pieces of larger mappings. Nothing is dropped without maintenance:
 * a changed table stays invisible until the right TLBI. */
#ifndef MMU_TLB_H
#define MMU_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/pas.h"
#include "mmu/regime.h"

struct tlb_entry {
    bool valid;
    uint8_t regime; /* enum mmu_regime_kind */
    uint16_t vmid, asid;
    bool global;
    uint64_t va_page, pa_page; /* 4KB page numbers of the access that filled it */
    uint64_t ipa_page;
    /* log2 of the 4KB pages the entry covers around va_page (a block, a contiguous run), no
     * more than the GPT information it caches reaches: VA, IPA and PA move together inside */
    uint8_t span;
    enum rme_pas pas;
    bool device;
    uint64_t s1_desc, s2_desc; /* leaf descriptors, for the permission checks of later hits */
    uint8_t gpi;
    uint8_t gpt_level; /* the GPT level that gave the GPI (a GPF found on a hit reports it) */
    int8_t s1_level, s2_level;
    uint64_t lru;
};

struct tlb_config {
    unsigned l1_entries;          /* fully associative */
    unsigned l2_entries, l2_ways; /* set associative */
    unsigned l1_hit_cycles, l2_hit_cycles;
    unsigned wc_entries, wc_ways, wc_hit_cycles; /* walk cache; 0 entries: none */
};

struct mmu_tlb;

struct tlb_stats {
    uint64_t lookups, l1_hits, l2_hits, misses, fills, evictions, invalidated;
    uint64_t wc_lookups, wc_hits;
};

/* The walk cache: table descriptors of intermediate levels, so that a TLB miss can start its walk
 * at the deepest table it already knows. Keyed by regime, VMID, stage, the table base register
 * and the input-address bits above the level. The table address is what the walker uses (an IPA
 * for stage 1 of a two-stage regime, whose stage-2 translation still happens). */
bool wc_lookup(struct mmu_tlb *tlb, const struct mmu_regime *r, unsigned stage, uint64_t ttbr,
               int level, uint64_t prefix, uint64_t *table, uint64_t *cycles);
void wc_fill(struct mmu_tlb *tlb, const struct mmu_regime *r, unsigned stage, uint64_t ttbr,
             int level, uint64_t prefix, uint64_t table, bool table_is_ipa);

struct mmu_tlb;

struct mmu_tlb *tlb_create(const struct tlb_config *cfg);
void tlb_destroy(struct mmu_tlb *tlb);

/* 0 miss, 1 L1 hit, 2 L2 hit (promoted to L1). *cycles grows by the lookup cost. *out is the
 * entry as made for va: its pages are va's own, even when the entry covers a wider span. The L2
 * keeps an entry in the set of its span's first page and probes one set per width it holds. */
int tlb_lookup(struct mmu_tlb *tlb, const struct mmu_regime *r, uint64_t va, struct tlb_entry *out,
               uint64_t *cycles);
/* The same without copying: the entry that hit (valid until the next TLB operation; its page
 * numbers are those of the access that filled it, not moved to va's page), NULL on a miss;
 * *level 1 or 2 for the level that hit, 0 on a miss. */
const struct tlb_entry *tlb_find(struct mmu_tlb *tlb, const struct mmu_regime *r, uint64_t va,
                                 int *level, uint64_t *cycles);
void tlb_fill(struct mmu_tlb *tlb, const struct tlb_entry *e);

/* For a caller that remembers what a lookup found (a per-core fast path, as Spike's MMU keeps):
 * the generation changes whenever an entry may have changed (a fill, a promotion into the L1,
 * an invalidation), so a remembered hit stays the TLB's answer while it is the same. */
uint64_t tlb_generation(const struct mmu_tlb *tlb);
/* Just after a lookup of va in r hit the L1: the index of the entry that hit (-1 if the last-hit
 * entry does not hold va), and in *first whether it is also the first L1 entry that holds va. */
int tlb_last_l1(const struct mmu_tlb *tlb, const struct mmu_regime *r, uint64_t va, bool *first);
/* tlb_find(tlb, r, va) when tlb_last_l1 gave index and first at `generation` for a va of the
 * same page and the same regime: the same entry, counted and aged as tlb_find counts and ages
 * it, without the scan; NULL, having done nothing, when the generation has changed since or
 * tlb_find would answer with another entry (the last-hit entry holds va too). */
const struct tlb_entry *tlb_find_l1(struct mmu_tlb *tlb, const struct mmu_regime *r, uint64_t va,
                                    uint64_t generation, unsigned index, bool first,
                                    uint64_t *cycles);

/* Maintenance (C5.5): the scopes the operations name. vmid/asid/va as the operation uses them. */
enum tlb_scope {
    TLB_ALL,       /* everything (PAALL also drops GPC information: see tlb_invalidate_pa) */
    TLB_EL2,       /* ALLE2: EL2 regimes */
    TLB_EL3,       /* ALLE3 */
    TLB_EL10,      /* ALLE1: every EL1&0 entry */
    TLB_EL10_VMID, /* VMALLE1 / VMALLS12E1: EL1&0 of one VMID */
    TLB_EL10_ASID, /* ASIDE1: non-global EL1&0 entries of one ASID and VMID */
    TLB_EL10_VA,   /* VAE1 / VALE1: one page, matching ASID or global, one VMID */
    TLB_EL2_VA,    /* VAE2 */
    TLB_EL3_VA,    /* VAE3 */
};
unsigned tlb_invalidate(struct mmu_tlb *tlb, enum tlb_scope scope, uint16_t vmid, uint16_t asid,
                        uint64_t va);
/* The last-level forms (VALE1, VALE2...): leaf entries only, the walk cache stays. */
unsigned tlb_invalidate_leaf(struct mmu_tlb *tlb, enum tlb_scope scope, uint16_t vmid,
                             uint16_t asid, uint64_t va);
/* The same for the entries of one security state (enum rme_sec_state; -1: all): a TLBI reaches
 * only the regimes of the security state it is issued for (the current one at EL2, the one
 * SCR_EL3.{NSE,NS} names from EL3), so a host's TLBI VMALLE1 leaves a realm's entries alone even
 * when their VMIDs are equal. */
unsigned tlb_invalidate_ss(struct mmu_tlb *tlb, enum tlb_scope scope, int ss, uint16_t vmid,
                           uint16_t asid, uint64_t va);
unsigned tlb_invalidate_leaf_ss(struct mmu_tlb *tlb, enum tlb_scope scope, int ss, uint16_t vmid,
                                uint16_t asid, uint64_t va);
/* TLBI RPA*: entries whose output page lies in [base, base+size), and walk-cache entries whose
 * table lies there (or is an IPA: they are dropped too, over-invalidation being allowed). */
unsigned tlb_invalidate_pa(struct mmu_tlb *tlb, uint64_t base, uint64_t size);

struct tlb_stats tlb_get_stats(const struct mmu_tlb *tlb);

#endif
