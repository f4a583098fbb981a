#include "machine/machine.h"

#include <string.h>

void rme_machine_defaults(struct rme_machine *m)
{
    memset(m, 0, sizeof(*m));
    m->cores = 1;
    m->clock_mhz = 2000;
    m->quantum = 1000;
    m->pa_range = 48;
    m->feat_sel2 = true;
    /* Cortex-A76/Neoverse N1 TRM: 48-entry fully associative L1 TLB, 1280-entry 5-way L2 TLB */
    m->tlb_l1 = (struct rme_machine_cache){48, 48};
    m->tlb_l2 = (struct rme_machine_cache){1280, 5};
    m->walk_cache = (struct rme_machine_cache){64, 4};
    m->gpt_cache = (struct rme_machine_cache){64, 4};
    /* Cortex-A76 TRM: 64KB 4-way L1 data cache, 64-byte lines (1024 lines) */
    m->l1d = (struct rme_machine_cache){1024, 4};
    for (int i = 0; i < TIMING_COUNT; i++)
        m->timing[i] = timing_table[i].default_cycles;
}
