/* EL3's management of the GPT, as TF-A's lib/gpt_rme does it: building the tables from PAS
 * regions, enabling the GPC, and transitioning granules between PASes. Every GPT read and write
 * goes through the GPC unit's memory port (Root PAS), and every maintenance operation is
 * recorded and charged. Error values are TF-A's (-EINVAL, -EFAULT, -ENOMEM, -EPERM). */
#ifndef GPC_GPT_EL3_H
#define GPC_GPT_EL3_H

#include <stddef.h>
#include <stdint.h>

#include "gpc/gpc_unit.h"

struct gpt_region {
    uint64_t base, size;
    unsigned gpi;
    bool block; /* mapped by level-0 block descriptors (else by granule, through level 1) */
};

struct gpt_build_params {
    struct gpt_geometry g;
    struct gpi_features features;
    uint64_t l0_base;          /* level-0 table, aligned to max(4KB, its size) */
    uint64_t l1_base, l1_size; /* memory for level-1 tables */
    uint64_t max_contig;       /* largest contiguous descriptor to use: 0, 2M, 32M or 512M */
};

struct gpt_build_result {
    size_t bad_region; /* on error, the index of the region at fault (or SIZE_MAX) */
    uint64_t l1_used;  /* bytes of level-1 tables written */
    unsigned l1_tables;
};

/* gpt_init_l0_tables + gpt_init_pas_l1_tables: 0 or -EINVAL/-EFAULT/-ENOMEM. */
int gpt_build(const struct mem_port *port, const struct gpt_build_params *params,
              const struct gpt_region *regions, size_t n, struct gpt_build_result *result);

/* The register values gpt_enable() programs: PPS, PGS, SH inner, WB RA WA, GPC on, and NSO
 * when FEAT_RME_GPC2 is present. */
void gpt_enable_values(const struct gpt_build_params *params, unsigned l0gptsz_bits, bool feat_gpc2,
                       uint64_t *gpccr, uint64_t *gptbr);

enum gpt_op_kind {
    GPT_OP_WRITE,
    GPT_OP_DSB,
    GPT_OP_TLBI_RPALOS,
    GPT_OP_CMO_POPA,
    GPT_OP_WRITE_GPTBR,
    GPT_OP_WRITE_GPCCR,
    GPT_OP_ISB,
    GPT_OP_TLBI_PAALLOS,
};

struct gpt_op {
    enum gpt_op_kind kind;
    uint64_t addr;  /* descriptor PA (WRITE), granule PA (CMO, TLBI) */
    uint64_t value; /* descriptor (WRITE), TLBI operand */
    uint64_t size;
    enum rme_pas pas; /* CMO */
};

#define GPT_OP_LOG_MAX 256

struct gpt_op_log {
    struct gpt_op ops[GPT_OP_LOG_MAX];
    unsigned n;
    uint64_t cycles;
};

struct gpt_maintenance_costs {
    uint64_t base, tlbi, dsb, cmo_per_line;
};

/* Called for every TLBI RPALOS the transition issues, so that TLBs outside the GPC unit (the
 * MMUs' combined entries) drop what they cached too. */
typedef void (*gpt_tlbi_hook)(void *ctx, uint64_t xt);

struct gpt_transition_env {
    struct gpc_unit *unit;
    uint64_t max_contig;
    struct gpt_maintenance_costs costs;
    gpt_tlbi_hook hook;
    void *hook_ctx;
};

/* gpt_transition_pas for one granule: 0, -EINVAL or -EPERM (TF-A HEAD order, gpt-gpc.md 8.2). */
int gpt_transition(const struct gpt_transition_env *env, uint64_t base, unsigned target_gpi,
                   enum rme_sec_state caller, struct gpt_op_log *log);

/* A raw GPI write with no maintenance at all (for showing stale cached results). -EINVAL if the
 * granule is not mapped through level 1. */
int gpt_write_gpi(struct gpc_unit *unit, uint64_t pa, unsigned gpi, uint64_t *cycles);

/* gpt_enable() in TF-A's order: GPTBR; GPCCR with GPC = 0; ISB; TLBI PAALLOS; DSB; ISB; then
 * GPCCR with GPC = 1; ISB; TLBI PAALLOS; DSB; ISB. Applies the values to the unit (dropping its
 * cached GPT information as the TLBIs do) and records the operations. */
struct gpt_op_log;
void gpt_enable(struct gpc_unit *unit, uint64_t gpccr, uint64_t gptbr, struct gpt_op_log *log);

/* The RMM-EL3 interface codes: 0 E_RMM_OK, -EINVAL -> -2 E_RMM_BAD_ADDR, -EPERM -> -3 BAD_PAS. */
int gpt_rmm_code(int err);

#endif
