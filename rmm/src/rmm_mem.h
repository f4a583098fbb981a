/* Internal: the RMM's own memory accesses (each one GPC-checked and timed by the platform). A
 * failure the RMM did not expect (a GPF on a granule it owns) is recorded, not ignored. */
#ifndef RMM_RMM_MEM_H
#define RMM_RMM_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rmm/rmm.h"

static inline bool rmm_mem_ok(struct rmm *rmm, uint64_t pa, enum rme_pas pas, enum rmm_mem_result r)
{
    if (r != RMM_MEM_OK && pas == RME_PAS_REALM && !rmm->faulted) {
        rmm->faulted = true; /* the host's (NS) memory may fail: that is the _pas condition */
        rmm->fault_pa = pa;
    }
    return r == RMM_MEM_OK;
}
static inline bool rmm_read(struct rmm *rmm, uint64_t pa, enum rme_pas pas, uint64_t *v)
{
    return rmm_mem_ok(rmm, pa, pas, rmm->env.access(rmm->env.ctx, pa, pas, false, v));
}
static inline bool rmm_write(struct rmm *rmm, uint64_t pa, enum rme_pas pas, uint64_t v)
{
    return rmm_mem_ok(rmm, pa, pas, rmm->env.access(rmm->env.ctx, pa, pas, true, &v));
}
/* write len bytes at pa, any alignment, through 8-byte accesses (read-modify-write at the
 * edges); false on the first that fails */
bool rmm_write_bytes(struct rmm *rmm, uint64_t pa, enum rme_pas pas, const uint8_t *p, size_t len);
/* zero a granule through Realm-PAS writes (A2.2.4 wiping): env.zero_granule, or 512 8-byte
 * stores where the environment has none */
bool rmm_wipe(struct rmm *rmm, uint64_t pa);
/* copy a Non-secure granule into a Realm one; false on a GPF reading the source. With
 * `bytes`, the 4096 bytes copied are also left there (for measuring). */
bool rmm_copy_ns(struct rmm *rmm, uint64_t dst, uint64_t src, uint8_t *bytes);

#endif
