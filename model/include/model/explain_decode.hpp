// What `explain` says about the raw values it shows: a descriptor's fields (and, in a realm's
// stage 2, the RMM's RTT state), the GPC's GPT reads, an ESR field by field, and cycles with
// their time. Text for the story, JSON for `explain --json`; the architectural decoding is the
// layers' (mmu/desc_decode.h, cpu/esr_decode.h, rmm_rtt_entry), the layout is here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/json.hpp"

extern "C" {
#include "mmu/access.h"
}

namespace rmesim
{

struct ExplainPlatform {
    unsigned clock_mhz = 1000; // the platform clock: a cycle is 1000 / clock_mhz ns
    unsigned pgs_bits = 12;    // the GPT's physical granule (GPCCR_EL3.PGS): the GPI slot's PA bits
};

class ExplainDecoder
{
  public:
    explicit ExplainDecoder(ExplainPlatform p) : p_(p) {}

    std::string ns(uint64_t cycles) const;     // "66 ns", "0.5 ns"
    std::string cycles(uint64_t cycles) const; // "132 cycles = 66 ns"

    // A fetch's descriptor by its fields; realm_rtt: a realm's stage 2 (the RMM's RTTs).
    std::string descriptor(const mmu_fetch &f, bool realm_rtt) const;
    // The GPC's part of a check: its GPT reads (or a cache hit) and the GPI it found.
    std::string gpc(const gpc_result &g, uint64_t pa) const;
    // "EC 0x24 (Data Abort from a lower Exception level), IL 1, ISV 1 (SAS byte, ...), ..."
    static std::string esr(uint64_t esr);
    // An access's descriptor fetches, each a line with its fields and GPC check below it
    // (realm: a realm's two stages, where stage-1 tables are at IPAs).
    void fetch_lines(const rme_access &acc, bool realm, std::vector<std::string> &lines) const;
    // An access's cycles by stage, and its memory part.
    std::string split(const rme_access &a, uint64_t memory) const;

    void json_fetch(Json &j, const mmu_fetch &f, bool realm_rtt) const;
    void json_gpc(Json &j, const char *key, const gpc_result &g, uint64_t pa) const;
    static void json_esr(Json &j, const char *key, uint64_t esr);
    void json_cycles(Json &j, const char *key, uint64_t cycles) const;
    void json_split(Json &j, const rme_access &a, uint64_t memory) const;

  private:
    ExplainPlatform p_;
};

} // namespace rmesim
