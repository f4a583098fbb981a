/* The A64 core over the MMU library (mmu/mmu.h): what a caller whose a64_mem_ops translate with
 * mmu_translate() passes between the two. The core itself knows no MMU; this is the glue a
 * platform uses (and the tests' reference of it). */
#ifndef CPU_A64_MMU_H
#define CPU_A64_MMU_H

#include "cpu/a64.h"
#include "mmu/access.h"

/* The kind mmu_translate() checks an a64 access as: FETCH for a fetch, WRITE for a write and
 * for either half of an atomic read-modify-write (which needs write permission), else READ. */
static inline enum mmu_access_kind a64_mmu_kind(unsigned kind, bool write)
{
    if (kind & A64_ACC_FETCH)
        return MMU_FETCH;
    return (write || (kind & A64_ACC_ATOMIC)) ? MMU_WRITE : MMU_READ;
}

/* The a64_fault an access record with a fault reports: the target EL and fault status code;
 * no_syndrome unless the walker's ESR has ISV (a stage-2 abort on the access itself, not a
 * GPF); S1PTW, EA; the IPA page from HPFAR_EL2; a GPC exception (EC 0x1E, EL3) with its ISS. */
void a64_fault_from_access(const struct rme_access *a, struct a64_fault *f);

#endif
