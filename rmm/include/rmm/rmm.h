/* The Realm Management Monitor at R-EL2. It touches the world only through its environment: its
 * own memory accesses (which the platform runs through the GPC, so touching a granule that is
 * not delegated faults as on hardware), the EL3 granule-transition interface, and a cycle
 * counter. This build implements RMI_VERSION, RMI_FEATURES and GRANULE_(UN)DELEGATE; the rest of
 * RMM 1.0 follows (docs/rmm.md). */
#ifndef RMM_RMM_H
#define RMM_RMM_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/pas.h"
#include "rmm/granule.h"
#include "rmm/rmi.h"

enum rmm_mem_result { RMM_MEM_OK, RMM_MEM_GPF, RMM_MEM_ABORT };

struct rmm_env {
    void *ctx;
    /* an 8-byte access made by the RMM */
    enum rmm_mem_result (*access)(void *ctx, uint64_t pa, enum rme_pas pas, bool write,
                                  uint64_t *value);
    /* SMC_RMM_GTSI_DELEGATE / _UNDELEGATE: 0 E_RMM_OK, -2 E_RMM_BAD_ADDR, -3 E_RMM_BAD_PAS */
    int (*gtsi_delegate)(void *ctx, uint64_t pa);
    int (*gtsi_undelegate)(void *ctx, uint64_t pa);
    unsigned pa_bits; /* the PE's PA size, reported as RMI_FEATURES.S2SZ */
    uint64_t *cycles; /* where handler costs go */
    uint64_t handler_cycles;
};

struct rmm {
    struct rmm_env env;
    struct granule_table granules;
};

bool rmm_init(struct rmm *rmm, const struct rmm_env *env, const struct pa_range *dram, size_t n);
void rmm_fini(struct rmm *rmm);

/* Does this build implement the RMI command with this FID? */
bool rmm_implements(uint64_t fid);

/* One RMI call: in[0] = FID, in[1..] arguments; out[0] = the return code, out[1..] outputs.
 * An FID this build does not implement, or no RMI FID at all, returns SMC_UNKNOWN. */
void rmm_handle_rmi(struct rmm *rmm, const uint64_t in[8], uint64_t out[8]);

#endif
