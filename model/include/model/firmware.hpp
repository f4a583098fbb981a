// What firmware leaves in memory before time 0, untimed: EL3's Root carve-out above every listed
// range (the GPT, as TF-A's gpt_init builds it, then EL3's translation tables), the RMM's memory
// in the Realm PAS after it (its R-EL2 tables), and the host's identity map at the top of its
// pool; the GPCCR_EL3 and GPTBR_EL3 values EL3 programs on every core; the host's table pool.
#pragma once

#include <string>
#include <vector>

#include "model/platform.hpp"

extern "C" {
#include "gpc/gpt_el3.h"
#include "scenario/scenario.h"
}

namespace rmesim
{

class Firmware
{
  public:
    // The RMM sees the NS PAS at VA = PA + this (its NS window); the Realm PAS at VA = PA.
    static constexpr uint64_t kRmmNsWindow = 1ull << 47;

    // Lays out the carve-out (adding its RAM to the platform) and builds every table; false with
    // `error` ("FILE: what") when they do not fit.
    bool build(const scenario &s, Platform &platform, bool verbose, std::string &error);
    // What `check` can know of that without a platform: the carve-out's place and size fit
    // (FILE:LINE:COLUMN: what, at gpt.base or platform.memory), the host's pool holds its tables
    // and the realms' RAM, the RMM's memory its tables.
    static bool check_layout(const scenario &s, std::string &error);
    void gpc_registers(const scn_platform &p, uint64_t &gpccr, uint64_t &gptbr) const;

    uint64_t host_ttbr() const { return host_ttbr_; }
    uint64_t el3_ttbr() const { return el3_ttbr_; }
    uint64_t rmm_ttbr() const { return rmm_ttbr_; }
    const gpt_build_params &gpt() const { return gpt_; }
    // A zeroed page from the host's pool (its page tables, its structures), 0 when none is left.
    uint64_t alloc_host_page();
    // size bytes (whole pages) of host memory, contiguous, from the bottom of the host's
    // pool (the VMM's memory), so that the pages the host takes from the top stay where they
    // were; 0 when there is no room.
    uint64_t alloc_host_range(uint64_t size);
    // How many of the host's allocations found its pool too small so far.
    uint64_t host_pool_failures() const { return host_pool_failures_; }
    // The GPI the GPT in memory gives pa, past every cache; found false above the PPS.
    unsigned gpt_lookup(const phys_mem *mem, uint64_t pa, bool &found) const;

  private:
    struct Layout {
        uint64_t base = 0, size = 0; // EL3's Root carve-out: the GPT, then EL3's page tables
        uint64_t l0 = 0, l1 = 0, l1_size = 0;
        uint64_t xlat = 0, xlat_size = 0; // EL3's translation tables
        uint64_t rmm = 0, rmm_size = 0;   // the RMM's private memory (Realm PAS): its tables
    };
    // A bump allocator of table pages (zeroed memory).
    struct TablePool {
        uint64_t next, end;
        bool down; // the host takes pages from the top of its pool downward
    };
    static uint64_t pool_alloc(void *ctx);
    bool plan_gpt(const scenario &s, std::vector<gpt_region> &regions, std::string &error);
    bool build_gpt(const scenario &s, Platform &platform, bool verbose, std::string &error);
    bool build_page_tables(const scenario &s, phys_mem *mem, std::string &error);
    bool build_rmm_tables(const scenario &s, phys_mem *mem, std::string &error);
    // What the host's pool and the RMM's memory must hold (firmware_pools.cpp): FILE:LINE:COL.
    static bool check_host_pool(const scenario &s, std::string &error);
    static bool check_rmm_tables(const scenario &s, std::string &error);

    Layout layout_;
    TablePool host_pool_{}, el3_pool_{}, rmm_pool_{};
    uint64_t host_ttbr_ = 0, el3_ttbr_ = 0, rmm_ttbr_ = 0, identity_bits_ = 0;
    uint64_t host_pool_failures_ = 0;
    gpt_build_params gpt_{};
};

} // namespace rmesim
