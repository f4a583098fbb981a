// Per-core counters of the accesses software makes through the MMU, by translation regime: how
// many, how the TLB answered, how many descriptors each stage fetched, how many faulted, and a
// histogram of their latency (translation, GPC and memory, in cycles). Written to --stats and
// summed for final `stat:` expectations.
#pragma once

#include <array>
#include <cstdint>

extern "C" {
#include "mmu/access.h"
#include "mmu/regime.h"
}

namespace rmesim
{

class Json;

class AccessStats
{
  public:
    struct Counts {
        uint64_t accesses = 0;
        uint64_t tlb_l1_hits = 0, tlb_l2_hits = 0, tlb_misses = 0;
        uint64_t walk_cache_hits = 0;
        uint64_t stage1_fetches = 0, stage2_fetches = 0;
        uint64_t faults = 0;
        // the GPC checks of the access (its descriptor fetches' and its output's) that looked
        // up the GPT cache, and those it answered
        uint64_t gpt_cache_lookups = 0, gpt_cache_hits = 0;
        uint64_t cycles = 0;
        // cycles by stage (they add up to cycles): TLB lookups, each stage's walk, every GPC
        // check, and the data access's own memory time
        uint64_t tlb_cycles = 0, s1_walk_cycles = 0, s2_walk_cycles = 0, gpc_cycles = 0,
                 memory_cycles = 0;
        // accesses by latency: bucket b holds latencies in [2^(b-1), 2^b), bucket 0 zero cycles
        std::array<uint64_t, 65> latency{};

        Counts &operator+=(const Counts &other);
    };

    // One access, finished: `a` as mmu_translate left it, `cycles` its whole latency.
    void record(mmu_regime_kind regime, const rme_access &a, uint64_t cycles);

    Counts total() const;
    // The regimes this core used, each an object named by its regime ("ns_el2", "realm_el10"...).
    void write(Json &j) const;
    // An object named `key`: cycles by stage of `c` (tlb, s1_walk, s2_walk, walk, gpc, memory,
    // total).
    static void write_stage_cycles(Json &j, const char *key, const Counts &c);

    // An array named `key`: {"below": 2^b, "accesses": n} for each latency bucket in use.
    static void write_latency(Json &j, const char *key, const Counts &c);

    static const char *regime_name(mmu_regime_kind regime);

  private:
    static constexpr unsigned kRegimes = MMU_EL3 + 1;
    std::array<Counts, kRegimes> by_regime_{}; // a regime with no access is left out
};

} // namespace rmesim
