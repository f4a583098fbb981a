/* Translation regimes (Arm ARM D8.1): what the walker needs to know about each stage. One walker
 * serves every regime; the differences are data here, not copies of the walk (as QEMU's ptw.c). */
#ifndef MMU_REGIME_H
#define MMU_REGIME_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/pas.h"

enum mmu_regime_kind {
    MMU_NS_EL2,     /* Non-secure EL2 (the host), one stage */
    MMU_NS_EL10,    /* Non-secure EL1&0, two stages */
    MMU_REALM_EL10, /* Realm EL1&0 (a realm guest), two stages */
    MMU_REALM_EL2,  /* Realm EL2 (the RMM), one stage */
    MMU_EL3,        /* EL3 (Root), one stage */
};

/* One stage of translation. */
struct mmu_stage {
    bool enabled;
    unsigned granule_bits; /* 12 (4KB), 14 (16KB), 16 (64KB) */
    uint64_t ttbr[2];      /* table base: TTBR0/TTBR1 (stage 1) or VTTBR (stage 2, ttbr[0]) */
    unsigned tsz[2];       /* T0SZ/T1SZ or VTCR_EL2.T0SZ: input size is 64 - tsz */
    bool two_ranges;       /* stage 1 of EL1&0 (and EL2&0): VA[55] selects TTBR1 */
    int start_level;       /* stage 2 only (from VTCR_EL2.SL0); stage 1 derives it from tsz */
    unsigned concat;       /* stage 2: concatenated tables at the start level (1..16) */
    unsigned oa_bits;      /* output address size (TCR.PS / VTCR.PS) */
    uint64_t mair;         /* stage 1: MAIR_ELx */
    uint16_t asid;         /* stage 1 */
};

struct mmu_regime {
    enum mmu_regime_kind kind;
    unsigned el; /* the EL the accesses are made at */
    enum rme_sec_state ss;
    struct mmu_stage s1, s2;
    uint16_t vmid;
};

static inline bool mmu_regime_two_stage(const struct mmu_regime *r)
{
    return r->kind == MMU_NS_EL10 || r->kind == MMU_REALM_EL10;
}

/* The PAS a regime's own translation-table walks are made in (D8.2: Realm walks in the Realm
 * PAS, EL3 in Root, Non-secure in NS). */
enum rme_pas mmu_walk_pas(const struct mmu_regime *r);

#endif
