// The TLB, the walk cache and the contiguous hint in front of the walker; the 16KB granule and
// stage-2 fault classes at each level.
#include "mmu_fixture.hpp"

namespace
{

// With a TLB: the second access costs one lookup and no walk; a changed descriptor stays
// invisible until the TLBI (a stale translation, as on hardware).
TEST_F(Mmu, TlbHitCostsNoWalkAndStaysStaleWithoutTlbi)
{
    tlb_config cfg{48, 1280, 5, 1, 3, 0, 0, 0};
    mmu_tlb *tlb = tlb_create(&cfg);
    env.tlb = tlb;
    uint64_t root;
    mmu_regime r = host(root);
    pt_builder b = builder(root, RME_PAS_NS, ns_tables);
    ASSERT_EQ(pt_map(&b, 0x1000'0000, 0x8010'0000, 0x1000, S1_NORMAL, 3), 0);
    rme_access a = access(0x1000'0008);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.tlb, 0);
    EXPECT_EQ(a.n_fetches, 4u);
    a = access(0x1000'0010);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.tlb, 1);
    EXPECT_EQ(a.n_fetches, 0u);
    EXPECT_EQ(a.cycles, 1u);
    EXPECT_EQ(a.pa, 0x8010'0010u);
    // Remap the page elsewhere without maintenance: the old PA is still used.
    ASSERT_EQ(pt_set_leaf(&b, 0x1000'0000, 0x8020'0000 | S1_NORMAL | 3, 3), 0);
    a = access(0x1000'0010);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.pa, 0x8010'0010u);
    // A permission change is also invisible until the TLBI... then the write faults.
    ASSERT_EQ(pt_set_leaf(&b, 0x1000'0000, 0x8020'0000 | S1_NORMAL | 3 | DESC_S1_AP_RO, 3), 0);
    tlb_invalidate(tlb, TLB_EL2_VA, 0, 0, 0x1000'0000);
    a = access(0x1000'0010, MMU_WRITE);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_PERMISSION);
    a = access(0x1000'0010, MMU_READ);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.pa, 0x8020'0010u);
    // Permissions come from the cached leaf on every hit: a write to a read-only page faults.
    a = access(0x1000'0018, MMU_WRITE);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.tlb, 1);
    EXPECT_EQ(a.fault, MMU_FAULT_PERMISSION);
    EXPECT_EQ(a.fault_level, 3);
    tlb_destroy(tlb);
}

// ASIDs separate non-global entries of an EL1&0 regime whatever VA ranges it models: with TTBR1
// left out (two_ranges false, as the A64 core's binding has it) a page mapped nG and cached under
// one ASID is walked again under another, and a global page is a hit under both.
TEST_F(Realm, NonGlobalEntriesBelongToTheirAsid)
{
    tlb_config cfg{48, 1280, 5, 1, 3, 0, 0, 0};
    mmu_tlb *tlb = tlb_create(&cfg);
    env.tlb = tlb;
    // the guest's tables where IPA == PA (an identity window at stage 2, as in the 24-fetch test)
    ASSERT_EQ(pt_map(&s2b, kRealm, kRealm, 0x100'0000, S2_RW, 3), 0);
    uint64_t root = kRealm + 0xC0'0000;
    Bump ident{kRealm + 0xC0'1000, kRealm + 0x100'0000};
    pt_builder b = builder(root, RME_PAS_REALM, ident);
    r.s1 = s1(root);
    ASSERT_FALSE(r.s1.two_ranges);
    const uint64_t va_ng = 0x10'0000, va_global = 0x20'0000;
    ASSERT_EQ(pt_map(&b, va_ng, kIpaRam, 0x1000, S1_NORMAL | DESC_S1_NG, 3), 0);
    ASSERT_EQ(pt_map(&b, va_global, kIpaRam + 0x1000, 0x1000, S1_NORMAL, 3), 0);
    r.s1.asid = 1;
    for (uint64_t va : {va_ng, va_global}) {
        rme_access a = access(va);
        mmu_translate(&r, &env, &a);
        ASSERT_EQ(a.fault, MMU_OK);
        EXPECT_EQ(a.tlb, 0);
    }
    r.s1.asid = 2;
    rme_access a = access(va_ng);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_OK);
    EXPECT_EQ(a.tlb, 0); // ASID 1's entry is not ASID 2's
    a = access(va_global);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.tlb, 1);
    tlb_destroy(tlb);
}

} // namespace

namespace
{

// The walk cache: a TLB miss on a neighbouring page starts at the deepest known table; the
// last-level TLBI keeps it, a full one drops it.
TEST_F(Mmu, WalkCacheShortensWalks)
{
    tlb_config cfg{48, 1280, 5, 1, 3, 64, 4, 2};
    mmu_tlb *tlb = tlb_create(&cfg);
    env.tlb = tlb;
    uint64_t root;
    mmu_regime r = host(root);
    pt_builder b = builder(root, RME_PAS_NS, ns_tables);
    ASSERT_EQ(pt_map(&b, 0x1000'0000, 0x8010'0000, 0x2000, S1_NORMAL, 3), 0);
    rme_access a = access(0x1000'0000);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.n_fetches, 4u);
    EXPECT_EQ(a.walk_cache_hits, 0u);
    a = access(0x1000'1000); // next page: TLB miss, the level-3 table is known
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.tlb, 0);
    EXPECT_EQ(a.n_fetches, 1u);
    EXPECT_EQ(a.walk_cache_hits, 1u);
    EXPECT_EQ(a.fetches[0].level, 3);
    EXPECT_EQ(a.pa, 0x8010'1000u);
    tlb_invalidate_leaf(tlb, TLB_EL2_VA, 0, 0, 0x1000'0000); // TLBI VALE2: leaf only
    a = access(0x1000'0000);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.n_fetches, 1u);
    tlb_invalidate(tlb, TLB_EL2_VA, 0, 0, 0x1000'0000); // TLBI VAE2: every level
    a = access(0x1000'0000);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.n_fetches, 4u);
    // A PA range covering the level-3 table drops the walk-cache entry pointing at it.
    uint64_t l0, l1e, l2e;
    phys_mem_read(mem, root, RME_PAS_NS, 8, &l0);
    phys_mem_read(mem, (l0 & 0xFFFFFFFFF000ull) + 8 * 0, RME_PAS_NS, 8, &l1e);
    phys_mem_read(mem, (l1e & 0xFFFFFFFFF000ull) + 8 * 0x80, RME_PAS_NS, 8, &l2e);
    tlb_invalidate_leaf(tlb, TLB_EL2, 0, 0, 0);
    EXPECT_GE(tlb_invalidate_pa(tlb, l2e & 0xFFFFFFFFF000ull, 0x1000), 1u);
    a = access(0x1000'1000);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.n_fetches, 2u); // levels 2 and 3: the level-2 table was still cached
    tlb_destroy(tlb);
}

} // namespace

namespace
{

// Stage-2 faults at each level, with stage 1 off (VA = IPA): translation, access flag and
// permission, each a lower-EL data abort to EL2 with the instruction syndrome and HPFAR.
TEST_F(Realm, Stage2FaultClassesAtEachLevel)
{
    r.s1.enabled = false;
    const uint64_t ipa = 0x2000'0000; // not in the realm RAM mapping
    struct {
        int cut_level;  // -1: mapped; else the level left invalid
        uint64_t attrs; // leaf attributes when mapped
        mmu_access_kind kind;
        mmu_fault want;
        unsigned dfsc;
    } cases[] = {
        {1, S2_RW, MMU_READ, MMU_FAULT_TRANSLATION, 0x05},
        {2, S2_RW, MMU_READ, MMU_FAULT_TRANSLATION, 0x06},
        {3, S2_RW, MMU_READ, MMU_FAULT_TRANSLATION, 0x07},
        {-1, S2_RW & ~DESC_AF, MMU_READ, MMU_FAULT_ACCESS_FLAG, 0x0B},
        {-1, S2_RW & ~DESC_S2_WRITE, MMU_WRITE, MMU_FAULT_PERMISSION, 0x0F},
        {-1, S2_RW & ~DESC_S2_READ, MMU_READ, MMU_FAULT_PERMISSION, 0x0F},
    };
    uint64_t at = ipa;
    for (auto c : cases) {
        at += 0x4000'0000; // a fresh 1GB region each time, so earlier tables do not interfere
        ASSERT_EQ(pt_map(&s2b, at, kRealm + 0x90'0000, 0x1000, c.attrs, 3), 0);
        if (c.cut_level >= 0) {
            ASSERT_EQ(pt_set_leaf(&s2b, at, 0, c.cut_level), 0);
        }
        rme_access a = access(at + 0x10, c.kind, 4);
        a.srt = 3;
        mmu_translate(&r, &env, &a);
        EXPECT_EQ(a.fault, c.want) << std::hex << at;
        EXPECT_EQ(a.fault_stage, 2u);
        EXPECT_EQ(a.target_el, 2u);
        uint64_t wnr = c.kind == MMU_WRITE ? 1u << 6 : 0;
        // EC 0x24, IL, ISV, SAS word (2), SRT 3, SF, WnR, DFSC
        EXPECT_EQ(a.esr, (0x24ull << 26) | (1u << 25) | (1u << 24) | (2u << 22) | (3u << 16) |
                             (1u << 15) | wnr | c.dfsc)
            << std::hex << at;
        EXPECT_EQ(a.hpfar, (at >> 12) << 4);
        EXPECT_EQ(a.far, at + 0x10);
    }
}

TEST_F(Mmu, SixteenKGranule)
{
    Bump big{(ns_tables.next + 0x3FFF) & ~0x3FFFull, kNs + 0x1000'0000};
    uint64_t root = bump16k(&big);
    mmu_regime r{};
    r.kind = MMU_NS_EL2;
    r.el = 2;
    r.ss = RME_SS_NS;
    r.s1 = s1(root, 14, 48); // 16KB granule, 48-bit VA: level 0 (two entries) to level 3
    pt_builder b = builder(root, RME_PAS_NS, big, 14, 48);
    b.alloc = bump16k;
    EXPECT_EQ(b.start_level, 0);
    EXPECT_EQ(pt_s1_start_level(14, 47), 1); // 33 bits above the page: three 11-bit levels
    EXPECT_EQ(pt_s1_start_level(12, 39), 1); // 4KB, 39 bits: levels 1..3
    EXPECT_EQ(pt_s1_start_level(16, 42), 2); // 64KB, 42 bits: levels 2..3
    ASSERT_EQ(pt_map(&b, 0x4567'8000'0000ull, 0x8060'4000, 0x4000, S1_NORMAL, 3), 0);
    ASSERT_EQ(pt_map(&b, 0x2000'0000, 0x8200'0000, 0x200'0000, S1_NORMAL, 2), 0); // 32MB block
    rme_access a = access(0x4567'8000'1234ull);
    mmu_translate(&r, &env, &a);
    ASSERT_EQ(a.fault, MMU_OK) << mmu_fault_name(a.fault);
    EXPECT_EQ(a.pa, 0x8060'5234u);
    EXPECT_EQ(a.n_fetches, 4u);
    a = access(0x2123'4567);
    mmu_translate(&r, &env, &a);
    ASSERT_EQ(a.fault, MMU_OK) << mmu_fault_name(a.fault);
    EXPECT_EQ(a.pa, 0x8323'4567u);
    EXPECT_EQ(a.n_fetches, 3u);
}

} // namespace

namespace
{

// The Contiguous bit as a TLB hint (D8.6.1): one TLB entry for the 16-page run, found from
// any page of it with that page's own output address; no wider than the GPT information it
// caches; every TLBI that reaches one page of the run drops the whole entry.
struct ContiguousHint : Mmu {
    mmu_tlb *tlb = nullptr;
    uint64_t root = 0;
    mmu_regime r{};

    // The GPT again, the NS memory with 2MB contiguous descriptors or granule by granule.
    void rebuild_gpt(uint64_t max_contig)
    {
        build_gpt(max_contig);
        gpc_tlbi_paall(gpc);
    }
    void SetUp() override
    {
        Mmu::SetUp();
        tlb_config cfg{48, 1280, 5, 1, 3, 0, 0, 0};
        tlb = tlb_create(&cfg);
        env.tlb = tlb;
        r = host(root);
        pt_builder b = builder(root, RME_PAS_NS, ns_tables);
        // 64KB with the Contiguous bit, and 64KB without it
        ASSERT_EQ(pt_map(&b, 0x1000'0000, 0x8040'0000, 0x1'0000, S1_NORMAL | (1ull << 52), 3), 0);
        ASSERT_EQ(pt_map(&b, 0x1001'0000, 0x8041'0000, 0x1'0000, S1_NORMAL, 3), 0);
    }
    void TearDown() override { tlb_destroy(tlb); }
    rme_access load(uint64_t va)
    {
        rme_access a = access(va);
        mmu_translate(&r, &env, &a);
        return a;
    }
};

TEST_F(ContiguousHint, OneEntryServesTheRun)
{
    rebuild_gpt(2ull << 20);
    EXPECT_EQ(load(0x1000'0010).tlb, 0);
    rme_access a = load(0x1000'5018); // page 5 of the run: no walk, its own PA
    EXPECT_EQ(a.tlb, 1);
    EXPECT_EQ(a.n_fetches, 0u);
    EXPECT_EQ(a.pa, 0x8040'5018u);
    EXPECT_EQ(a.gpc.gpi, GPI_NS);
    a = load(0x1000'F000); // the last page, below the first
    EXPECT_EQ(a.tlb, 1);
    EXPECT_EQ(a.pa, 0x8040'F000u);
    // without the bit, each page is an entry of its own
    EXPECT_EQ(load(0x1001'0000).tlb, 0);
    EXPECT_EQ(load(0x1001'3000).tlb, 0);
    EXPECT_EQ(load(0x1001'3008).tlb, 1);
}

TEST_F(ContiguousHint, NoWiderThanTheGptInformation)
{
    rebuild_gpt(0); // NS memory granule by granule: each GPI is known for 4KB only
    EXPECT_EQ(load(0x1000'0010).tlb, 0);
    rme_access a = load(0x1000'5018);
    EXPECT_EQ(a.tlb, 0);
    EXPECT_EQ(a.pa, 0x8040'5018u);
}

TEST_F(ContiguousHint, TheL2FindsTheRunFromAnyOfItsPages)
{
    rebuild_gpt(2ull << 20);
    tlb_config one{1, 1280, 5, 1, 3, 0, 0, 0}; // an L1 of one entry: the L2 must answer
    mmu_tlb *small = tlb_create(&one);
    env.tlb = small;
    EXPECT_EQ(load(0x1000'3000).tlb, 0); // fills the run (from its page 3)
    EXPECT_EQ(load(0x1001'0000).tlb, 0); // another page takes the only L1 entry
    rme_access a = load(0x1000'C008);    // page 12 of the run
    EXPECT_EQ(a.tlb, 2);
    EXPECT_EQ(a.pa, 0x8040'C008u);
    EXPECT_EQ(a.n_fetches, 0u);
    env.tlb = tlb;
    tlb_destroy(small);
}

// The run the bit declares depends on the granule (D8.6.1): 128 pages of 16KB and 32 of 64KB at
// level 3, 2MB either way: the last page of the run hits the entry its first page filled.
TEST_F(ContiguousHint, RunLengthByGranule)
{
    rebuild_gpt(2ull << 20);
    for (unsigned granule : {14u, 16u}) {
        uint64_t page = 1ull << granule, align = page - 1;
        Bump big{(ns_tables.next + align) & ~align, kNs + 0x1000'0000};
        uint64_t (*alloc)(void *) = granule == 14 ? bump16k : bump64k;
        uint64_t root = alloc(&big);
        mmu_regime g{};
        g.kind = MMU_NS_EL2;
        g.el = 2;
        g.ss = RME_SS_NS;
        g.s1 = s1(root, granule, 42);
        pt_builder b = builder(root, RME_PAS_NS, big, granule, 42);
        b.alloc = alloc;
        ASSERT_EQ(pt_map(&b, 0x2000'0000, 0x8060'0000, 2ull << 20, S1_NORMAL | (1ull << 52), 3), 0);
        tlb_invalidate(tlb, TLB_ALL, 0, 0, 0);
        rme_access a = access(0x2000'0010);
        mmu_translate(&g, &env, &a);
        ASSERT_EQ(a.fault, MMU_OK) << granule;
        EXPECT_EQ(a.tlb, 0) << granule;
        a = access(0x2000'0000 + (2ull << 20) - page + 8);
        mmu_translate(&g, &env, &a);
        EXPECT_EQ(a.tlb, 1) << granule;
        EXPECT_EQ(a.pa, 0x8060'0000 + (2ull << 20) - page + 8) << granule;
        ns_tables.next = big.next;
    }
}

TEST_F(ContiguousHint, TlbiOfOnePageDropsTheRun)
{
    rebuild_gpt(2ull << 20);
    load(0x1000'0000);
    ASSERT_EQ(load(0x1000'9000).tlb, 1);
    tlb_invalidate(tlb, TLB_EL2_VA, 0, 0, 0x1000'9000); // TLBI VAE2 of page 9
    EXPECT_EQ(load(0x1000'0000).tlb, 0);
    ASSERT_EQ(load(0x1000'4000).tlb, 1);
    tlb_invalidate_pa(tlb, 0x8040'C000, 0x1000); // TLBI RPAOS of page 12's PA
    EXPECT_EQ(load(0x1000'4000).tlb, 0);
}

} // namespace
