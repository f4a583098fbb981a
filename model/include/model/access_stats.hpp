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
    // The same for an access the L1 TLB answered with no walk, no GPT lookup and no fault (as
    // from_tlb() leaves it: `translation` cycles, all of them the TLB's): fewer fields to look at.
    void record_l1_hit(mmu_regime_kind regime, uint64_t translation, uint64_t cycles);

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

// inline: the statistics view counts every access with it
inline void AccessStats::record(mmu_regime_kind regime, const rme_access &a, uint64_t cycles)
{
    Counts &c = by_regime_[regime < kRegimes ? regime : 0];
    c.accesses++;
    if (a.tlb == 1)
        c.tlb_l1_hits++;
    else if (a.tlb == 2)
        c.tlb_l2_hits++;
    else if (a.tlb == 0)
        c.tlb_misses++;
    if (a.n_fetches || a.walk_cache_hits) { /* a walk (a TLB hit has none) */
        c.walk_cache_hits += a.walk_cache_hits;
        for (unsigned i = 0; i < a.n_fetches; i++) {
            (a.fetches[i].stage == 1 ? c.stage1_fetches : c.stage2_fetches)++;
            c.gpt_cache_lookups += a.fetches[i].gpc.cache_lookup;
            c.gpt_cache_hits += a.fetches[i].gpc.cache_lookup && a.fetches[i].gpc.cache_hit;
        }
    }
    if (a.gpc.cache_lookup) {
        c.gpt_cache_lookups++;
        c.gpt_cache_hits += a.gpc.cache_hit;
    }
    if (a.fault != MMU_OK)
        c.faults++;
    c.cycles += cycles;
    c.tlb_cycles += a.cycles_tlb;
    if (a.cycles_s1 | a.cycles_s2 | a.cycles_gpc) { /* walks and GPC checks (none on a hit) */
        c.s1_walk_cycles += a.cycles_s1;
        c.s2_walk_cycles += a.cycles_s2;
        c.gpc_cycles += a.cycles_gpc;
    }
    c.memory_cycles += cycles - a.cycles; /* what translation left of the latency */
    c.latency[cycles ? 64 - unsigned(__builtin_clzll(cycles)) : 0]++; /* [2^(b-1), 2^b) */
}

inline void AccessStats::record_l1_hit(mmu_regime_kind regime, uint64_t translation,
                                       uint64_t cycles)
{
    Counts &c = by_regime_[regime < kRegimes ? regime : 0];
    c.accesses++;
    c.tlb_l1_hits++;
    c.cycles += cycles;
    c.tlb_cycles += translation;
    c.memory_cycles += cycles - translation;
    c.latency[cycles ? 64 - unsigned(__builtin_clzll(cycles)) : 0]++;
}

} // namespace rmesim
