/* Glue between the A64 core's memory callbacks and the MMU library (cpu/a64_mmu.h). */
#include "cpu/a64_mmu.h"

#include <string.h>

void a64_fault_from_access(const struct rme_access *a, struct a64_fault *f)
{
    unsigned ec = (unsigned)(a->esr >> 26) & 0x3F;
    memset(f, 0, sizeof(*f));
    f->target_el = a->target_el;
    if (ec != 0x20 && ec != 0x21 && ec != 0x24 && ec != 0x25) { /* a GPC exception */
        f->ec = ec;
        f->iss_bits = (uint32_t)(a->esr & 0x1FFFFFF);
    } else {
        f->fsc = (unsigned)(a->esr & 0x3F);
        f->ea = (a->esr >> 9) & 1;
        /* the walker gives ISV to stage-2 aborts on the access itself, not to GPFs */
        f->no_syndrome = !((a->esr >> 24) & 1);
    }
    f->s1ptw = a->s1ptw;
    f->ipa_valid = a->hpfar_valid;
    f->ipa = (a->hpfar >> 4) << 12; /* HPFAR_EL2.FIPA: IPA[51:12] */
}
