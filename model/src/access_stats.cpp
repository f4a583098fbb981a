#include "model/access_stats.hpp"

#include "model/json.hpp"

namespace rmesim
{

AccessStats::Counts &AccessStats::Counts::operator+=(const Counts &c)
{
    accesses += c.accesses;
    tlb_l1_hits += c.tlb_l1_hits;
    tlb_l2_hits += c.tlb_l2_hits;
    tlb_misses += c.tlb_misses;
    walk_cache_hits += c.walk_cache_hits;
    stage1_fetches += c.stage1_fetches;
    stage2_fetches += c.stage2_fetches;
    faults += c.faults;
    gpt_cache_lookups += c.gpt_cache_lookups;
    gpt_cache_hits += c.gpt_cache_hits;
    cycles += c.cycles;
    tlb_cycles += c.tlb_cycles;
    s1_walk_cycles += c.s1_walk_cycles;
    s2_walk_cycles += c.s2_walk_cycles;
    gpc_cycles += c.gpc_cycles;
    memory_cycles += c.memory_cycles;
    for (size_t b = 0; b < latency.size(); b++)
        latency[b] += c.latency[b];
    return *this;
}

const char *AccessStats::regime_name(mmu_regime_kind regime)
{
    switch (regime) {
    case MMU_NS_EL2:
        return "ns_el2";
    case MMU_NS_EL10:
        return "ns_el10";
    case MMU_REALM_EL10:
        return "realm_el10";
    case MMU_REALM_EL2:
        return "realm_el2";
    case MMU_EL3:
        return "el3";
    }
    return "?";
}

AccessStats::Counts AccessStats::total() const
{
    Counts t;
    for (const Counts &c : by_regime_)
        t += c;
    return t;
}

void AccessStats::write(Json &j) const
{
    for (unsigned regime = 0; regime < kRegimes; regime++) {
        const Counts &c = by_regime_[regime];
        if (!c.accesses)
            continue;
        uint64_t lookups = c.tlb_l1_hits + c.tlb_l2_hits + c.tlb_misses;
        j.begin_object(regime_name(mmu_regime_kind(regime)))
            .field("accesses", c.accesses)
            .field("tlb_l1_hits", c.tlb_l1_hits)
            .field("tlb_l2_hits", c.tlb_l2_hits)
            .field("tlb_misses", c.tlb_misses)
            .field("tlb_hit_rate",
                   lookups ? double(c.tlb_l1_hits + c.tlb_l2_hits) / double(lookups) : 0.0)
            .field("walk_cache_hits", c.walk_cache_hits)
            .field("stage1_fetches", c.stage1_fetches)
            .field("stage2_fetches", c.stage2_fetches)
            .field("faults", c.faults)
            .field("cycles", c.cycles)
            .field("tlb_cycles", c.tlb_cycles)
            .field("s1_walk_cycles", c.s1_walk_cycles)
            .field("s2_walk_cycles", c.s2_walk_cycles)
            .field("gpc_cycles", c.gpc_cycles)
            .field("memory_cycles", c.memory_cycles)
            .field("mean_cycles", c.accesses ? double(c.cycles) / double(c.accesses) : 0.0);
        write_latency(j, "latency_histogram", c);
        j.end_object();
    }
}

void AccessStats::write_latency(Json &j, const char *key, const Counts &c)
{
    j.begin_array(key);
    for (unsigned bucket = 0; bucket < c.latency.size(); bucket++)
        if (c.latency[bucket])
            j.begin_object()
                .field("below", uint64_t(bucket >= 64 ? UINT64_MAX : (1ull << bucket)))
                .field("accesses", c.latency[bucket])
                .end_object();
    j.end_array();
}

void AccessStats::write_stage_cycles(Json &j, const char *key, const Counts &c)
{
    j.begin_object(key)
        .field("tlb", c.tlb_cycles)
        .field("s1_walk", c.s1_walk_cycles)
        .field("s2_walk", c.s2_walk_cycles)
        .field("walk", c.s1_walk_cycles + c.s2_walk_cycles)
        .field("gpc", c.gpc_cycles)
        .field("memory", c.memory_cycles)
        .field("total", c.cycles)
        .end_object();
}

} // namespace rmesim
