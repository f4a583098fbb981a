/* The Granule Protection Check: the contract between the GPC unit and its callers (the MMU
 * checks every descriptor fetch and every output address through gpc_check).
 * Arm ARM D9 and the ASL GranuleProtectionCheck / GPTWalk / GPICheck. */
#ifndef GPC_GPC_H
#define GPC_GPC_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/pas.h"
#include "mem/port.h"

/* What the check concluded. GPF is a Granule Protection Fault; the other three are the GPT's
 * own faults, always reported as GPC exceptions to EL3 (D1.4.5.3). */
enum gpc_fault_kind {
    GPC_OK = 0,
    GPC_FAULT_GPF,       /* GPI does not permit this PAS / security state */
    GPC_FAULT_WALK,      /* invalid GPT descriptor or inconsistent GPC registers */
    GPC_FAULT_ADDR_SIZE, /* GPTBR or an L0 table address above PPS */
    GPC_FAULT_EABT,      /* synchronous External abort on a GPT fetch */
};

/* The outcome of one check, kept apart from any translation-table level. */
struct gpc_result {
    enum gpc_fault_kind kind;
    uint8_t gpt_level; /* 0 or 1: the GPT level that supplied the fault or the GPI */
    uint8_t gpi;       /* the GPI found (valid when the walk reached one) */
    bool gpi_found;    /* false when no GPT lookup happened (GPC off, above PPS, config fault) */
    bool cache_lookup; /* the GPT cache was looked up (the unit's cache_hits + cache_misses) */
    bool cache_hit;    /* answered by the GPT cache without a walk */
    uint8_t fetches;   /* GPT descriptor reads made (0..2) */
    /* each read's address (in the Root PAS) and the descriptor it returned, L0 first; a read
     * that raised an External abort returned nothing (0) */
    uint64_t fetch_pa[2], fetch_desc[2];
    uint64_t cycles; /* the GPC's share of the access: cache lookup + GPT fetches */
    /* log2 of the naturally aligned bytes around pa the GPI is known for: the granule, or the
     * contiguous or level-0 block entry that gave it (a TLB entry may cache no wider) */
    uint8_t cover_bits;
};

/* A GPC unit as one PE (or the platform's shared TLB) sees it. Registers are the encoded
 * 64-bit values; the unit decodes them. */
struct gpc_config {
    uint64_t gpccr;            /* GPCCR_EL3 as encoded (D24.2.56) */
    uint64_t gptbr;            /* GPTBR_EL3 as encoded (D24.2.57) */
    unsigned pa_range_bits;    /* implemented PA size (ID_AA64MMFR0_EL1.PARange), e.g. 48 */
    bool feat_gpc2;            /* FEAT_RME_GPC2: SPAD/NSPAD/RLPAD/APPSAA/NSO exist */
    bool feat_sel2;            /* FEAT_SEL2: GPI 0b1000 (Secure) is valid */
    unsigned cache_entries;    /* GPT cache size; 0 disables caching */
    unsigned cache_ways;       /* associativity */
    unsigned cache_hit_cycles; /* charged on every lookup */
};

struct gpc_unit;

struct gpc_unit *gpc_create(const struct gpc_config *cfg, const struct mem_port *port);
void gpc_destroy(struct gpc_unit *unit);

/* Check one access to physical address pa in PAS pas, made by a requester in security state ss.
 * Never fails to produce a result; the unit's GPT cache may be updated. */
void gpc_check(struct gpc_unit *unit, uint64_t pa, enum rme_pas pas, enum rme_sec_state ss,
               struct gpc_result *out);

const char *gpc_fault_kind_name(enum gpc_fault_kind kind); /* "ok", "gpf", "gpt_walk_fault", ... */

#endif
