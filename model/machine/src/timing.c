#include "machine/timing.h"

#include <string.h>

/* Defaults in core cycles at the default 2 GHz clock; docs/timing.md gives their sources. */
const struct timing_entry timing_table[TIMING_COUNT] = {
    [TIMING_TLB_L1_HIT] = {"tlb_l1_hit", 1, "L1 TLB hit"},
    [TIMING_TLB_L2_HIT] = {"tlb_l2_hit", 3, "L2 TLB hit (after an L1 miss)"},
    [TIMING_WALK_CACHE_HIT] = {"walk_cache_hit", 2, "walk-cache hit for one table level"},
    [TIMING_GPT_CACHE_HIT] = {"gpt_cache_hit", 2, "GPT cache lookup"},
    [TIMING_L1D_HIT] = {"l1d_hit", 4, "L1 data cache hit (load-to-use)"},
    [TIMING_DRAM] = {"dram", 120, "DRAM access latency, unloaded"},
    [TIMING_DRAM_OCCUPANCY] = {"dram_occupancy", 16, "cycles one access keeps DRAM busy"},
    [TIMING_DEVICE] = {"device", 200, "device register access latency"},
    [TIMING_DEVICE_OCCUPANCY] = {"device_occupancy", 50, "cycles one access keeps a device busy"},
    [TIMING_INTERCONNECT] = {"interconnect", 10, "interconnect hop"},
    [TIMING_EXCEPTION_ENTRY] = {"exception_entry", 40, "taking an exception"},
    [TIMING_EXCEPTION_RETURN] = {"exception_return", 30, "ERET"},
    [TIMING_SMC_WORLD_SWITCH] = {"smc_world_switch", 1500,
                                 "EL3 context save/restore for a world switch"},
    [TIMING_GPT_TRANSITION] = {"gpt_transition", 300, "EL3 granule-transition bookkeeping"},
    [TIMING_RMI_HANDLER] = {"rmi_handler", 500, "RMM work per RMI call, beyond its accesses"},
    [TIMING_RSI_HANDLER] = {"rsi_handler", 300, "RMM work per RSI call, beyond its accesses"},
    [TIMING_HOST_EXIT_HANDLER] = {"host_exit_handler", 800, "KVM work per REC exit"},
    [TIMING_VMM_MMIO_EXIT] = {"vmm_mmio_exit", 5000, "round trip to the VMM for an MMIO exit"},
    [TIMING_VMM_MEMORY_FAULT] = {"vmm_memory_fault", 10000,
                                 "round trip to the VMM for a memory fault, with its conversion"},
    [TIMING_TLBI_LOCAL] = {"tlbi_local", 20, "local TLBI"},
    [TIMING_TLBI_BROADCAST] = {"tlbi_broadcast", 200, "broadcast TLBI with its DSB"},
    [TIMING_DSB] = {"dsb", 30, "DSB"},
    [TIMING_A64_INSN] = {"a64_insn", 1, "an A64 instruction, beyond its memory accesses"},
};

int timing_find(const char *name)
{
    for (int i = 0; i < TIMING_COUNT; i++)
        if (strcmp(timing_table[i].name, name) == 0)
            return i;
    return -1;
}
