/* A machine for the rmesim platform, as a plain C description: cores and their clock, memory
 * and devices on the physical map, the TLB, walk-cache, GPT-cache and L1 data-cache geometry,
 * and every latency. The scenario loader fills one from YAML; an embedder fills one in code
 * (examples/embed) and builds rmesim::Platform from it. */
#ifndef MACHINE_MACHINE_H
#define MACHINE_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/timing.h"

struct rme_machine_range {
    const char *name;
    uint64_t base, size;
};

struct rme_machine_device {
    const char *name;
    const char *model; /* a device model the host's VMM has: "pl011" */
    uint64_t base, size;
};

struct rme_machine_cache {
    unsigned entries, ways;
};

struct rme_machine {
    unsigned cores;
    unsigned clock_mhz;
    uint64_t quantum;  /* cycles a core may run ahead of the SystemC kernel */
    unsigned pa_range; /* implemented PA size in bits (ID_AA64MMFR0_EL1.PARange) */
    bool feat_gpc2, feat_sel2;
    const struct rme_machine_range *memory; /* DRAM */
    size_t n_memory;
    const struct rme_machine_device *devices;
    size_t n_devices;
    struct rme_machine_cache tlb_l1, tlb_l2, walk_cache, gpt_cache, l1d;
    uint64_t timing[TIMING_COUNT]; /* core cycles, indexed by enum timing_id */
};

/* One core at 2 GHz with FEAT_SEL2, a 48-bit PA range, a quantum of 1000 cycles, Cortex-A76
 * caches and the timing table's defaults; no memory and no devices. */
void rme_machine_defaults(struct rme_machine *m);

#endif
