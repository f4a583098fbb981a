/* The walker: VMSAv8-64 stage-1 and stage-2 translation with real descriptors in simulated
 * memory, every descriptor fetch checked by the GPC in the PAS of its walk, PAS selection,
 * faults with their syndromes. With a TLB, a hit costs no walk and no GPT lookup. */
#ifndef MMU_MMU_H
#define MMU_MMU_H

#include "gpc/gpc.h"
#include "mem/port.h"
#include "mmu/access.h"
#include "mmu/regime.h"

/* What the walker needs beyond the regime: controls that route faults. */
struct mmu_tlb;

struct mmu_env {
    struct gpc_unit *gpc;
    struct mmu_tlb *tlb; /* NULL: every access walks */
    const struct mem_port *port;
    bool scr_gpf;          /* SCR_EL3.GPF */
    bool hcr_tge, hcr_gpf; /* HCR_EL2.TGE / .GPF */
};

/* Translate a->va for a->kind in regime r, check the output with the GPC, and fill the record:
 * the IPA/PA/PAS, every fetch, and on a fault its class, stage, level, target EL, ESR/FAR/HPFAR
 * (and MFAR for GPC exceptions). Does not make the data access itself. */
void mmu_translate(const struct mmu_regime *r, const struct mmu_env *env, struct rme_access *a);

/* Descriptor fields (D8.3) */
#define DESC_VALID 0x1ull
#define DESC_TABLE 0x2ull /* with VALID: table (levels < 3) or page (level 3) */
#define DESC_S1_ATTRIDX(i) ((uint64_t)(i) << 2)
#define DESC_S1_NS (1ull << 5)     /* EL3 and Realm EL2 stage 1 */
#define DESC_S1_AP_EL0 (1ull << 6) /* AP[1]: EL0 may access (EL1&0 regimes) */
#define DESC_S1_AP_RO (1ull << 7)  /* AP[2] */
#define DESC_S1_NSE (1ull << 11)   /* EL3 stage 1 */
#define DESC_S2_MEMATTR(m) ((uint64_t)(m) << 2)
#define DESC_S2_READ (1ull << 6)  /* S2AP[0] */
#define DESC_S2_WRITE (1ull << 7) /* S2AP[1] */
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF (1ull << 10)
#define DESC_S1_NG (1ull << 11) /* stage 1: not global, the entry is the ASID's */
#define DESC_PXN (1ull << 53)
#define DESC_XN (1ull << 54)    /* UXN/XN at stage 1, XN[1] at stage 2 */
#define DESC_S2_NS (1ull << 55) /* Realm stage 2: the output is in the NS PAS */

#endif
