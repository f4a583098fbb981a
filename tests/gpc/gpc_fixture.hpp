// A platform for GPC tests: DRAM, a Root carve-out for the GPT, and EL3's builder.
#pragma once

#include <gtest/gtest.h>

#include <vector>

extern "C" {
#include "gpc/gpc_unit.h"
#include "gpc/gpt_el3.h"
#include "gpc/regs.h"
#include "mem/phys_mem.h"
}

constexpr uint64_t kDram = 0x8000'0000; // 2 GiB of DRAM, granule-mapped NS
constexpr uint64_t kDramSize = 0x8000'0000;
constexpr uint64_t kRoot = 0x1'0000'0000; // EL3's carve-out: L0 then L1 tables
constexpr uint64_t kRootSize = 0x100'0000;

struct GpcFixture : ::testing::Test {
    phys_mem *mem = phys_mem_create();
    mem_port port{};
    gpc_unit *unit = nullptr;
    gpt_build_params params{};
    bool gpc2 = false, sel2 = true;
    unsigned cache_entries = 0;

    ~GpcFixture() override
    {
        gpc_destroy(unit);
        phys_mem_destroy(mem);
    }

    // FVP-like geometry by default: PPS 1TB (t=40), L0GPTSZ 1GB (s=30), PGS 4KB (p=12).
    void build(std::vector<gpt_region> regions, unsigned t = 40, unsigned s = 30, unsigned p = 12,
               uint64_t max_contig = 0)
    {
        phys_mem_add_ram(mem, "dram", kDram, kDramSize);
        phys_mem_add_ram(mem, "root", kRoot, kRootSize);
        port = phys_mem_port(mem);
        params.g = {t, s, p};
        params.features = {sel2, gpc2};
        uint64_t l0 = gpt_l0_table_size(&params.g);
        params.l0_base = kRoot;
        params.l1_base = kRoot + (l0 > 0x10'0000 ? l0 : 0x10'0000);
        params.l1_size = kRoot + kRootSize - params.l1_base;
        params.max_contig = max_contig;
        bool has_root = false; // the tables must sit in Root memory
        for (const auto &r : regions)
            has_root |= r.base == kRoot;
        if (!has_root)
            regions.push_back({kRoot, kRootSize, GPI_ROOT, false});
        gpt_build_result res;
        ASSERT_EQ(gpt_build(&port, &params, regions.data(), regions.size(), &res), 0);
        uint64_t gpccr, gptbr;
        gpt_enable_values(&params, s, gpc2, &gpccr, &gptbr);
        gpc_config cfg{gpccr, gptbr, 48, gpc2, sel2, cache_entries, cache_entries ? 4u : 0u, 2};
        unit = gpc_create(&cfg, &port);
        ASSERT_NE(unit, nullptr);
    }

    gpc_result check(uint64_t pa, rme_pas pas, rme_sec_state ss = RME_SS_NS)
    {
        gpc_result r;
        gpc_check(unit, pa, pas, ss, &r);
        return r;
    }

    uint64_t l1_word(uint64_t pa)
    {
        uint64_t l0 = 0, w = 0;
        phys_mem_read(mem, params.l0_base + 8 * gpt_l0_index(&params.g, pa), RME_PAS_ROOT, 8, &l0);
        phys_mem_read(mem, (l0 & 0xFFFFFFFFFF000ull) + 8 * gpt_l1_index(&params.g, pa),
                      RME_PAS_ROOT, 8, &w);
        return w;
    }
    void poke(uint64_t pa, uint64_t v) { phys_mem_write(mem, pa, RME_PAS_ROOT, 8, v); }
    uint64_t l0_entry_pa(uint64_t pa) { return params.l0_base + 8 * gpt_l0_index(&params.g, pa); }
    uint64_t l1_entry_pa(uint64_t pa)
    {
        uint64_t l0 = 0;
        phys_mem_read(mem, l0_entry_pa(pa), RME_PAS_ROOT, 8, &l0);
        return (l0 & 0xFFFFFFFFFF000ull) + 8 * gpt_l1_index(&params.g, pa);
    }
};
