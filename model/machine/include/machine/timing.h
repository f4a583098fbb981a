/* The timing table: every latency the model charges, by name, with its default in core cycles.
 * docs/timing.md gives each default's source; a scenario overrides any of them under
 * platform.timing. */
#ifndef MACHINE_TIMING_H
#define MACHINE_TIMING_H

#include <stdint.h>

enum timing_id {
    TIMING_TLB_L1_HIT,
    TIMING_TLB_L2_HIT,
    TIMING_WALK_CACHE_HIT,
    TIMING_GPT_CACHE_HIT,
    TIMING_L1D_HIT,
    TIMING_DRAM,
    TIMING_DRAM_OCCUPANCY,
    TIMING_DEVICE,
    TIMING_DEVICE_OCCUPANCY,
    TIMING_INTERCONNECT,
    TIMING_EXCEPTION_ENTRY,
    TIMING_EXCEPTION_RETURN,
    TIMING_SMC_WORLD_SWITCH,
    TIMING_GPT_TRANSITION,
    TIMING_RMI_HANDLER,
    TIMING_RSI_HANDLER,
    TIMING_HOST_EXIT_HANDLER,
    TIMING_VMM_MMIO_EXIT,
    TIMING_VMM_MEMORY_FAULT,
    TIMING_TLBI_LOCAL,
    TIMING_TLBI_BROADCAST,
    TIMING_DSB,
    TIMING_A64_INSN,
    TIMING_COUNT
};

struct timing_entry {
    const char *name;
    uint64_t default_cycles;
    const char *meaning;
};

extern const struct timing_entry timing_table[TIMING_COUNT];

/* Index of a name, or -1. */
int timing_find(const char *name);

#endif
