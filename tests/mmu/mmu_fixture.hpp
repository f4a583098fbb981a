// The MMU tests' machine: NS, Realm and Root memory with a GPT, table-page allocators for each
// granule, and the host (Mmu) and realm (Realm) fixtures that build tables in it.
#pragma once

#include <gtest/gtest.h>

#include <vector>

extern "C" {
#include "gpc/gpc_unit.h"
#include "gpc/gpt_el3.h"
#include "mem/phys_mem.h"
#include "mmu/mmu.h"
#include "mmu/pgtable.h"
#include "mmu/tlb.h"
}

// One namespace for every test file: gtest wants one fixture class per suite name.
namespace mmu_test
{

constexpr uint64_t kNs = 0x8000'0000;    // NS DRAM: host tables from 0x8800_0000
constexpr uint64_t kRealm = 0x9000'0000; // 16 MB of Realm granules: realm tables and data
constexpr uint64_t kRoot = 0xA000'0000;  // Root: GPT and EL3 tables
constexpr uint64_t MAIR = 0xFF00;        // index 0 Device-nGnRnE, index 1 Normal WB
constexpr uint64_t S1_NORMAL = DESC_AF | DESC_SH_INNER | DESC_S1_ATTRIDX(1);
constexpr uint64_t S2_RW =
    DESC_AF | DESC_SH_INNER | DESC_S2_MEMATTR(0xF) | DESC_S2_READ | DESC_S2_WRITE;

struct Bump {
    uint64_t next, end;
};
inline uint64_t bump(void *ctx)
{
    auto *b = static_cast<Bump *>(ctx);
    if (b->next + 0x1000 > b->end)
        return 0;
    uint64_t p = b->next;
    b->next += 0x1000;
    return p;
}

// Table pages of the 16KB and 64KB granules: each as large as its granule (and aligned to it).
inline uint64_t bump16k(void *ctx)
{
    auto *b = static_cast<Bump *>(ctx);
    uint64_t p = b->next;
    b->next += 0x4000;
    return p;
}
inline uint64_t bump64k(void *ctx)
{
    auto *b = static_cast<Bump *>(ctx);
    uint64_t p = b->next;
    b->next += 0x10000;
    return p;
}

struct Mmu : ::testing::Test {
    phys_mem *mem = phys_mem_create();
    mem_port port{};
    gpc_unit *gpc = nullptr;
    mmu_env env{};
    Bump ns_tables{kNs + 0x800'0000, kNs + 0x1000'0000};
    Bump realm_tables{kRealm, kRealm + 0x80'0000};
    Bump root_tables{kRoot + 0x20'0000, kRoot + 0x40'0000};

    void SetUp() override
    {
        phys_mem_add_ram(mem, "ns", kNs, 0x1000'0000);
        phys_mem_add_ram(mem, "realm", kRealm, 0x100'0000);
        phys_mem_add_ram(mem, "root", kRoot, 0x100'0000);
        phys_mem_set_latency(mem, 100, 100);
        port = phys_mem_port(mem);
        gpt_build_params p = build_gpt(0);
        uint64_t gpccr, gptbr;
        gpt_enable_values(&p, 30, false, &gpccr, &gptbr);
        gpc_config cfg{gpccr, gptbr, 48, false, true, 0, 0, 0};
        gpc = gpc_create(&cfg, &port);
        env = {gpc, nullptr, &port, false, false, false};
    }
    // The GPT: NS, Realm and Root memory, with contiguous descriptors up to max_contig (TF-A
    // writes 2MB ones) or granule by granule (0).
    gpt_build_params build_gpt(uint64_t max_contig)
    {
        gpt_build_params p{};
        p.g = {40, 30, 12};
        p.features = {true, false};
        p.l0_base = kRoot;
        p.l1_base = kRoot + 0x10'0000;
        p.l1_size = 0x10'0000;
        p.max_contig = max_contig;
        std::vector<gpt_region> regions = {{kNs, 0x1000'0000, GPI_NS, false},
                                           {kRealm, 0x100'0000, GPI_REALM, false},
                                           {kRoot, 0x100'0000, GPI_ROOT, false}};
        gpt_build_result res;
        EXPECT_EQ(gpt_build(&port, &p, regions.data(), regions.size(), &res), 0);
        return p;
    }
    ~Mmu() override
    {
        gpc_destroy(gpc);
        phys_mem_destroy(mem);
    }

    static mmu_stage s1(uint64_t root, unsigned granule = 12, unsigned inputsize = 48)
    {
        mmu_stage s{};
        s.enabled = true;
        s.granule_bits = granule;
        s.ttbr[0] = root;
        s.tsz[0] = 64 - inputsize;
        s.oa_bits = 48;
        s.mair = MAIR;
        return s;
    }
    pt_builder builder(uint64_t root, rme_pas pas, Bump &alloc, unsigned granule = 12,
                       unsigned inputsize = 48, int start = -99)
    {
        pt_builder b{};
        b.port = &port;
        b.pas = pas;
        b.granule_bits = granule;
        b.inputsize = inputsize;
        b.start_level = start == -99 ? pt_s1_start_level(granule, inputsize) : start;
        b.root = root;
        b.alloc = bump;
        b.alloc_ctx = &alloc;
        return b;
    }
    // The host: NS-EL2, one stage, its tables in NS memory.
    mmu_regime host(uint64_t &root)
    {
        root = bump(&ns_tables);
        mmu_regime r{};
        r.kind = MMU_NS_EL2;
        r.el = 2;
        r.ss = RME_SS_NS;
        r.s1 = s1(root);
        return r;
    }
    rme_access access(uint64_t va, mmu_access_kind kind = MMU_READ, unsigned size = 8)
    {
        rme_access a{};
        a.va = va;
        a.kind = kind;
        a.size = size;
        a.sf = true;
        return a;
    }
};

struct Realm : Mmu {
    mmu_regime r{};
    pt_builder s1b{}, s2b{};
    static constexpr uint64_t kIpaRam = 0x4000'0000; // realm RAM IPA -> kRealm + 0x80'0000
    void SetUp() override
    {
        Mmu::SetUp();
        uint64_t s2root = bump(&realm_tables);
        r.kind = MMU_REALM_EL10;
        r.el = 1;
        r.ss = RME_SS_REALM;
        r.s2.enabled = true;
        r.s2.granule_bits = 12;
        r.s2.ttbr[0] = s2root;
        r.s2.tsz[0] = 64 - 48;
        r.s2.start_level = 0;
        r.s2.concat = 1;
        r.s2.oa_bits = 48;
        s2b = builder(s2root, RME_PAS_REALM, realm_tables, 12, 48, 0);
        // 4 MB of realm RAM at IPA 0x4000_0000, by pages, in the Realm PAS
        ASSERT_EQ(pt_map(&s2b, kIpaRam, kRealm + 0x80'0000, 0x40'0000, S2_RW, 3), 0);
        // the guest's stage-1 tables live in that RAM: allocate by IPA, write through stage 2's
        // output (kRealm + 0x80'0000 + offset)
        uint64_t s1root_ipa = kIpaRam;
        r.s1 = s1(s1root_ipa);
        s1b = builder(kRealm + 0x80'0000, RME_PAS_REALM, guest_pages);
        s1b.alloc = guest_alloc;
        s1b.alloc_ctx = this;
    }
    // The guest allocates table pages in its RAM; the builder sees their PAs, the walker their
    // IPAs, so table descriptors hold IPAs: translate back when writing.
    Bump guest_pages{kRealm + 0x80'1000, kRealm + 0xC0'0000};
    static uint64_t guest_alloc(void *ctx)
    {
        auto *self = static_cast<Realm *>(ctx);
        uint64_t pa = bump(&self->guest_pages);
        return pa ? pa - (kRealm + 0x80'0000) + kIpaRam : 0;
    }
};

} // namespace mmu_test

using namespace mmu_test;
