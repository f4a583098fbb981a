/* Security invariants of the RMM's state against the GPT, checked from outside the RMM (for
 * tests and the hostile-host fuzzer; no cost, no trace, nothing changed). Each violation is
 * reported as one sentence. What is checked (docs/security.md):
 *  - granule state <-> GPI (RMM spec A2.2.3): UNDELEGATED <-> NS, every other state <-> Realm;
 *  - each RTT's reference count equals its live entries (ASSIGNED and TABLE, A2.1.4/A5.5);
 *  - protected entries lie in the protected half of the IPA space, NS=1 ones in the
 *    unprotected half (A5.2.2);
 *  - every protected ASSIGNED entry maps DATA granules of its own realm (A5.5.3);
 *  - every RD's REC count matches its RECs; every RTT, DATA, REC and REC_AUX granule is owned by
 *    exactly one live realm (A2.2.3);
 *  - the RMM never took a fault on its own (Realm PAS) memory. */
#ifndef RMM_INVARIANTS_H
#define RMM_INVARIANTS_H

#include <stdbool.h>
#include <stdint.h>

#include "rmm/rmm.h"

struct rmm_inv_env {
    void *ctx;
    /* the GPI the GPT holds for the granule of pa (encoding of gpc/gpt_desc.h, enum gpi) */
    unsigned (*gpi)(void *ctx, uint64_t pa);
    /* 8 bytes of physical memory as they are, with no check and no cost; false if none there */
    bool (*peek)(void *ctx, uint64_t pa, uint64_t *value);
    /* one violation, as a sentence */
    void (*report)(void *ctx, const char *sentence);
};

/* Check every invariant; returns how many violations were reported. */
unsigned rmm_check_invariants(struct rmm *rmm, const struct rmm_inv_env *env);

#endif
