/* The record of one access (docs/ARCHITECTURE.md, design section 2): inputs, what each stage
 * found, every descriptor fetch, the outcome with its syndrome, and the cycles spent. Tracing,
 * `explain`, statistics and expectations read it. */
#ifndef MMU_ACCESS_H
#define MMU_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gpc/gpc.h"
#include "mem/pas.h"

enum mmu_access_kind { MMU_READ, MMU_WRITE, MMU_FETCH };

enum mmu_fault {
    MMU_OK = 0,
    MMU_FAULT_TRANSLATION,
    MMU_FAULT_PERMISSION,
    MMU_FAULT_ACCESS_FLAG,
    MMU_FAULT_ADDRESS_SIZE,
    MMU_FAULT_GPF, /* GPC fault of any kind: see gpc */
    MMU_FAULT_GPT_WALK,
    MMU_FAULT_GPT_ADDRESS_SIZE,
    MMU_FAULT_SEA, /* synchronous external abort (on a walk or the access) */
};

const char *mmu_fault_name(enum mmu_fault f); /* "translation_fault", "gpf", ... */

#define MMU_MAX_FETCHES 32

/* One descriptor read made by a walk. */
struct mmu_fetch {
    uint8_t stage; /* 1 or 2 */
    int8_t level;
    bool for_s1_table; /* a stage-2 fetch made to translate a stage-1 table address */
    uint64_t ipa;      /* the table address as an IPA (stage-1 fetches of a two-stage regime) */
    uint64_t pa;
    enum rme_pas pas;
    uint64_t desc;
    struct gpc_result gpc;
    uint64_t cycles;
};

struct rme_access {
    /* inputs */
    uint64_t va;
    unsigned size;
    enum mmu_access_kind kind;
    unsigned srt;     /* register number for ISV */
    bool sse, sf, ar; /* sign-extend, 64-bit register, acquire/release */
    /* stage results */
    uint64_t ipa, pa;
    enum rme_pas pas;
    bool device;            /* memory type of the final access */
    int s1_level, s2_level; /* level of the leaf, or of the fault */
    struct mmu_fetch fetches[MMU_MAX_FETCHES];
    unsigned n_fetches;
    struct gpc_result gpc;    /* the check of the output address */
    int tlb;                  /* -1 no TLB, 0 miss, 1 L1 hit, 2 L2 hit */
    unsigned walk_cache_hits; /* walks started below their start level */
    /* outcome */
    enum mmu_fault fault;
    unsigned fault_stage; /* 1 or 2 */
    int fault_level;
    bool on_walk; /* the fault was on a translation-table walk */
    bool s1ptw;   /* ... on the stage-2 translation of a stage-1 walk */
    unsigned target_el;
    uint64_t esr, far, hpfar, mfar;
    bool hpfar_valid, mfar_valid;
    /* cycles, by stage: the TLB lookups; each stage's walk (walk-cache lookups and descriptor
     * reads); every GPC check the access made (on descriptor fetches and on the output address:
     * GPT cache lookups and GPT reads). cycles is their sum; the data access's own memory time
     * is its caller's to add. */
    uint64_t cycles_tlb, cycles_s1, cycles_s2, cycles_gpc, cycles;
};

/* Ready an access for mmu_translate: every field zero except the descriptor fetches, which are
 * only meaningful below n_fetches. Zeroing their 32 slots (2.5 KB) cost more than a TLB hit. */
static inline void rme_access_init(struct rme_access *a, uint64_t va, unsigned size,
                                   enum mmu_access_kind kind)
{
    memset(a, 0, offsetof(struct rme_access, fetches));
    memset(&a->n_fetches, 0, sizeof(*a) - offsetof(struct rme_access, n_fetches));
    a->va = va;
    a->size = size;
    a->kind = kind;
}

/* Copy a record whose access made no descriptor fetch (a TLB hit's), without the fetch slots. */
static inline void rme_access_copy_result(struct rme_access *dst, const struct rme_access *src)
{
    memcpy(dst, src, offsetof(struct rme_access, fetches));
    memcpy(&dst->n_fetches, &src->n_fetches, sizeof(*dst) - offsetof(struct rme_access, n_fetches));
}

#endif
