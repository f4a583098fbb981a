// The walker: page tables built in simulated memory, every level and block size, each fault
// class with its syndrome, PAS selection, the realm rules, GPC on walks versus outputs.
#include "mmu_fixture.hpp"

namespace
{

TEST_F(Mmu, PageBlockAndGigabyteAtStage1)
{
    uint64_t root;
    mmu_regime r = host(root);
    pt_builder b = builder(root, RME_PAS_NS, ns_tables);
    ASSERT_EQ(pt_map(&b, 0x1000'0000, 0x8010'0000, 0x1000, S1_NORMAL, 3), 0);
    ASSERT_EQ(pt_map(&b, 0x2000'0000, 0x8020'0000, 0x20'0000, S1_NORMAL, 2), 0);
    ASSERT_EQ(pt_map(&b, 0x40'0000'0000, 0x8000'0000, 1ull << 30, S1_NORMAL, 1), 0);
    const struct {
        uint64_t va, pa;
        unsigned fetches;
        int level;
    } cases[] = {{0x1000'0123, 0x8010'0123, 4, 3},
                 {0x2012'3456, 0x8032'3456, 3, 2},
                 {0x40'0ABC'DEF0, 0x8ABC'DEF0, 2, 1}};
    for (auto c : cases) {
        rme_access a = access(c.va);
        mmu_translate(&r, &env, &a);
        EXPECT_EQ(a.fault, MMU_OK) << std::hex << c.va;
        EXPECT_EQ(a.pa, c.pa);
        EXPECT_EQ(a.pas, RME_PAS_NS);
        EXPECT_EQ(a.n_fetches, c.fetches);
        EXPECT_EQ(a.s1_level, c.level);
        EXPECT_FALSE(a.device);
        // each fetch: GPC walk (two GPT reads) + the descriptor read, 100 cycles each
        EXPECT_EQ(a.cycles, c.fetches * 300u + 200u);
    }
}

// Each fault class at each level, with ESR (EC 0x25: data abort at EL2 itself), FAR.
TEST_F(Mmu, FaultClassesAndSyndromesAtEveryLevel)
{
    for (int level = 0; level <= 3; level++) {
        uint64_t root;
        mmu_regime r = host(root);
        pt_builder b = builder(root, RME_PAS_NS, ns_tables);
        uint64_t va = 0x1234'5000;
        ASSERT_EQ(pt_map(&b, va, 0x8010'0000, 0x1000, S1_NORMAL, 3), 0);
        if (level < 3) {
            ASSERT_EQ(pt_set_leaf(&b, va, 0, level), 0); // cut the walk at this level
        }
        rme_access a = access(va + 8, MMU_WRITE);
        if (level == 3) {
            ASSERT_EQ(pt_set_leaf(&b, va, 0x8010'0000 | S1_NORMAL | 3 | DESC_S1_AP_RO, 3), 0);
        }
        mmu_translate(&r, &env, &a);
        mmu_fault want = level == 3 ? MMU_FAULT_PERMISSION : MMU_FAULT_TRANSLATION;
        EXPECT_EQ(a.fault, want) << level;
        EXPECT_EQ(a.fault_level, level);
        EXPECT_EQ(a.target_el, 2u);
        unsigned dfsc = (level == 3 ? 0x0C : 0x04) + unsigned(level);
        EXPECT_EQ(a.esr, (0x25ull << 26) | (1u << 25) | (1u << 6) | dfsc) << level;
        EXPECT_EQ(a.far, va + 8);
        EXPECT_FALSE(a.hpfar_valid);
    }
}

TEST_F(Mmu, AccessFlagAndAddressSizeFaults)
{
    uint64_t root;
    mmu_regime r = host(root);
    pt_builder b = builder(root, RME_PAS_NS, ns_tables);
    ASSERT_EQ(pt_map(&b, 0x1000'0000, 0x8010'0000, 0x1000, S1_NORMAL & ~DESC_AF, 3), 0);
    rme_access a = access(0x1000'0000);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_ACCESS_FLAG);
    EXPECT_EQ(a.esr & 0x3F, 0x0Bu); // access flag, level 3
    r.s1.oa_bits = 32;              // TCR.PS: 4GB; 0x8010_0000 fits, a block at 0x1_0000_0000 not
    ASSERT_EQ(pt_map(&b, 0x40'0000'0000, 0x1'0000'0000, 1ull << 30, S1_NORMAL, 1), 0);
    a = access(0x40'0000'0000);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_ADDRESS_SIZE);
    EXPECT_EQ(a.esr & 0x3F, 0x01u); // address size, level 1
}

TEST_F(Mmu, InputOutOfRangeIsALevel0TranslationFault)
{
    uint64_t root;
    mmu_regime r = host(root);
    rme_access a = access(1ull << 48);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_TRANSLATION);
    EXPECT_EQ(a.fault_level, 0);
    EXPECT_EQ(a.n_fetches, 0u);
}

// PAS selection (D8.4.6): EL3 by {NSE,NS}, Realm EL2 by NS, NS regimes always NS.
TEST_F(Mmu, OutputPasByRegimeAndDescriptorBits)
{
    uint64_t root = bump(&root_tables);
    mmu_regime r{};
    r.kind = MMU_EL3;
    r.el = 3;
    r.ss = RME_SS_ROOT;
    r.s1 = s1(root);
    pt_builder b = builder(root, RME_PAS_ROOT, root_tables);
    const struct {
        uint64_t bits, pa;
        rme_pas pas;
    } el3[] = {{0, kNs, RME_PAS_SECURE},
               {DESC_S1_NS, kNs, RME_PAS_NS},
               {DESC_S1_NSE, kRoot, RME_PAS_ROOT},
               {DESC_S1_NSE | DESC_S1_NS, kRealm, RME_PAS_REALM}};
    uint64_t va = 0x10'0000'0000;
    for (auto c : el3) {
        ASSERT_EQ(pt_map(&b, va, c.pa, 0x1000, S1_NORMAL | c.bits, 3), 0);
        rme_access a = access(va);
        mmu_translate(&r, &env, &a);
        EXPECT_EQ(a.pas, c.pas);
        // the GPC then judges it: only the matching PAS passes (Secure has no granules here)
        EXPECT_EQ(a.fault, c.pas == RME_PAS_SECURE ? MMU_FAULT_GPF : MMU_OK);
        va += 0x1000;
    }
    // Realm EL2: tables and data in the Realm PAS unless NS is set.
    uint64_t rroot = bump(&realm_tables);
    mmu_regime rmm{};
    rmm.kind = MMU_REALM_EL2;
    rmm.el = 2;
    rmm.ss = RME_SS_REALM;
    rmm.s1 = s1(rroot);
    pt_builder rb = builder(rroot, RME_PAS_REALM, realm_tables);
    ASSERT_EQ(pt_map(&rb, 0x1000, kRealm + 0x90'0000, 0x1000, S1_NORMAL, 3), 0);
    ASSERT_EQ(pt_map(&rb, 0x2000, kNs, 0x1000, S1_NORMAL | DESC_S1_NS, 3), 0);
    rme_access a = access(0x1000);
    mmu_translate(&rmm, &env, &a);
    EXPECT_EQ(a.pas, RME_PAS_REALM);
    EXPECT_EQ(a.fault, MMU_OK);
    EXPECT_EQ(a.fetches[0].pas, RME_PAS_REALM); // the walk itself is in the Realm PAS
    a = access(0x2000);
    mmu_translate(&rmm, &env, &a);
    EXPECT_EQ(a.pas, RME_PAS_NS);
    EXPECT_EQ(a.fault, MMU_OK);
    // R_PKTDS: Realm EL2 may not execute from the NS PAS
    a = access(0x2000, MMU_FETCH);
    mmu_translate(&rmm, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_PERMISSION);
    EXPECT_EQ(a.esr >> 26, 0x21u); // instruction abort, same EL
}

// A realm guest: stage 1 at R-EL1 with its tables in realm IPA space, stage 2 of the RMM.

// Table addresses are IPAs for the walker but the builder writes by PA: write the guest's tables
// through an identity view of its RAM (IPA == PA for the builder's purposes) instead.
TEST_F(Realm, TwoStageWalkCountsTwentyFourFetches)
{
    // Map the realm RAM's IPAs 1:1 onto the same numbers in a scratch NS-free way: place the
    // guest tables where IPA == PA by mapping an identity window at stage 2 too.
    ASSERT_EQ(pt_map(&s2b, kRealm, kRealm, 0x100'0000, S2_RW, 3), 0);
    uint64_t root = kRealm + 0xC0'0000;
    Bump ident{kRealm + 0xC0'1000, kRealm + 0x100'0000};
    pt_builder b = builder(root, RME_PAS_REALM, ident);
    r.s1 = s1(root);
    ASSERT_EQ(
        pt_map(&b, 0xffff'0000'0000'0000ull & ((1ull << 48) - 1), kIpaRam, 0x1000, S1_NORMAL, 3),
        0);
    rme_access a = access(0xffff'0000'0000'0000ull & ((1ull << 48) - 1));
    mmu_translate(&r, &env, &a);
    ASSERT_EQ(a.fault, MMU_OK) << mmu_fault_name(a.fault);
    EXPECT_EQ(a.ipa, kIpaRam);
    EXPECT_EQ(a.pa, kRealm + 0x80'0000);
    EXPECT_EQ(a.pas, RME_PAS_REALM);
    // 4 stage-1 fetches, each after a 4-level stage-2 walk of its table IPA, then 4 stage-2
    // fetches for the output IPA: 4 * 4 + 4 + 4 = 24.
    EXPECT_EQ(a.n_fetches, 24u);
    unsigned s2_for_tables = 0;
    for (unsigned i = 0; i < a.n_fetches; i++)
        s2_for_tables += a.fetches[i].for_s1_table;
    EXPECT_EQ(s2_for_tables, 16u);
    // every fetch: 2 GPT reads + the descriptor, and the output check: 2 GPT reads
    EXPECT_EQ(a.cycles, 24u * 300 + 200);
    // by stage: each descriptor read to its stage's walk, every GPC check to the GPC
    EXPECT_EQ(a.cycles_s1, 4u * 100);
    EXPECT_EQ(a.cycles_s2, 20u * 100);
    EXPECT_EQ(a.cycles_gpc, 25u * 200);
    EXPECT_EQ(a.cycles, a.cycles_tlb + a.cycles_s1 + a.cycles_s2 + a.cycles_gpc);
}

TEST_F(Realm, Stage2TranslationFaultIsEmulatableSyndrome)
{
    ASSERT_EQ(pt_map(&s2b, kRealm, kRealm, 0x100'0000, S2_RW, 3), 0);
    uint64_t root = kRealm + 0xC0'0000;
    Bump ident{kRealm + 0xC0'1000, kRealm + 0x100'0000};
    pt_builder b = builder(root, RME_PAS_REALM, ident);
    r.s1 = s1(root);
    // the UART's unprotected alias: IPA 0x80_0010_0000, never mapped at stage 2
    ASSERT_EQ(pt_map(&b, 0x8000'0000'0000ull & ((1ull << 48) - 1), 0x80'0010'0000ull, 0x1000,
                     DESC_AF | DESC_S1_ATTRIDX(0), 3),
              0);
    rme_access a = access(0x8000'0000'0000ull, MMU_WRITE, 1);
    a.srt = 1;
    a.sf = false;
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_TRANSLATION);
    EXPECT_EQ(a.fault_stage, 2u);
    EXPECT_EQ(a.ipa, 0x80'0010'0000ull);
    EXPECT_EQ(a.target_el, 2u);
    // EC 0x24, IL, ISV, SAS byte, SRT 1, WnR, DFSC translation level 0 (the L0 entry is empty)
    EXPECT_EQ(a.esr, (0x24ull << 26) | (1u << 25) | (1u << 24) | (1u << 16) | (1u << 6) | 0x04);
    EXPECT_TRUE(a.hpfar_valid);
    EXPECT_EQ(a.hpfar, (0x80'0010'0000ull >> 12) << 4);
    EXPECT_EQ(a.far, 0x8000'0000'0000ull);
    EXPECT_TRUE(a.device); // MAIR index 0: Device-nGnRnE, as ioremap maps it
}

// R_QMLYQ: a realm stage-1 table whose stage-2 output is NS is a stage-2 permission fault on
// the walk (S1PTW), before any GPC.
TEST_F(Realm, Stage1TableInNsMemoryIsStage2PermissionFault)
{
    ASSERT_EQ(pt_map(&s2b, 0x1000'0000, kNs, 0x1000, S2_RW | DESC_S2_NS, 3), 0);
    r.s1 = s1(0x1000'0000);
    rme_access a = access(0x1234);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_PERMISSION);
    EXPECT_EQ(a.fault_stage, 2u);
    EXPECT_TRUE(a.s1ptw);
    EXPECT_EQ(a.esr & (1u << 7), 1u << 7); // S1PTW
    EXPECT_EQ(a.esr & (1u << 24), 0u);     // no instruction syndrome on a walk
    EXPECT_EQ(a.esr & 0x3F, 0x0Fu);        // permission, level 3 (the stage-2 leaf)
    EXPECT_EQ(a.hpfar, (0x1000'0000ull >> 12) << 4);
}

// R_YMCSL: no instruction fetch from a Non-secure PA through a realm stage-2 mapping.
TEST_F(Realm, FetchFromNsPaIsStage2PermissionFault)
{
    ASSERT_EQ(pt_map(&s2b, kRealm, kRealm, 0x100'0000, S2_RW, 3), 0);
    uint64_t root = kRealm + 0xC0'0000;
    Bump ident{kRealm + 0xC0'1000, kRealm + 0x100'0000};
    pt_builder b = builder(root, RME_PAS_REALM, ident);
    r.s1 = s1(root);
    ASSERT_EQ(pt_map(&b, 0x5000, 0x80'0000'5000ull, 0x1000, S1_NORMAL, 3), 0);
    ASSERT_EQ(pt_map(&s2b, 0x80'0000'5000ull, kNs + 0x5000, 0x1000, S2_RW | DESC_S2_NS, 3), 0);
    rme_access a = access(0x5000, MMU_READ);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_OK); // data through the shared page: NS PAS, GPI NS
    EXPECT_EQ(a.pas, RME_PAS_NS);
    a = access(0x5000, MMU_FETCH);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_PERMISSION);
    EXPECT_EQ(a.fault_stage, 2u);
    EXPECT_EQ(a.esr >> 26, 0x20u); // instruction abort from a lower EL
}

// GPF on a walk fetch (DFSC 0x24 + level) versus on the output address (0x28).
TEST_F(Mmu, GpfOnWalkVersusOnOutput)
{
    uint64_t root;
    mmu_regime r = host(root);
    pt_builder b = builder(root, RME_PAS_NS, ns_tables);
    ASSERT_EQ(pt_map(&b, 0x1000'0000, kRealm + 0x1000, 0x1000, S1_NORMAL, 3), 0);
    rme_access a = access(0x1000'0000);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_GPF);
    EXPECT_FALSE(a.on_walk);
    EXPECT_EQ(a.esr, 0x9600'0028ull);
    // Now put the level-2 table in a Realm granule: the walk itself faults at level 2.
    Bump in_realm{kRealm + 0xF0'0000, kRealm + 0x100'0000};
    uint64_t root2 = bump(&ns_tables);
    r.s1.ttbr[0] = root2;
    pt_builder b2 = builder(root2, RME_PAS_NS, ns_tables);
    ASSERT_EQ(pt_map(&b2, 0x1000'0000, kNs + 0x1000, 0x1000, S1_NORMAL, 3), 0);
    // move the L2 table: copy its entry into a realm page and point the L1 entry there
    uint64_t l1e = 0, l1 = 0, l0 = 0;
    phys_mem_read(mem, root2, RME_PAS_NS, 8, &l0);
    l1 = l0 & 0xFFFFFFFFF000ull;
    phys_mem_read(mem, l1, RME_PAS_NS, 8, &l1e);
    uint64_t l2 = l1e & 0xFFFFFFFFF000ull, moved = bump(&in_realm), v;
    for (unsigned i = 0; i < 512; i++) {
        phys_mem_read(mem, l2 + 8 * i, RME_PAS_NS, 8, &v);
        phys_mem_write(mem, moved + 8 * i, RME_PAS_REALM, 8, v);
    }
    phys_mem_write(mem, l1, RME_PAS_NS, 8, moved | 3);
    a = access(0x1000'0000);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_GPF);
    EXPECT_TRUE(a.on_walk);
    EXPECT_EQ(a.fault_level, 2);
    EXPECT_EQ(a.esr, 0x9600'0026ull); // GPF on a walk at level 2
    // the check that faulted cost its GPT walk too; the table it refused was never read
    EXPECT_EQ(a.cycles_s1, 2u * 100);
    EXPECT_EQ(a.cycles_gpc, 3u * 200);
    EXPECT_EQ(a.cycles, a.cycles_tlb + a.cycles_s1 + a.cycles_s2 + a.cycles_gpc);
}

// Stage-2 concatenated start tables: a 40-bit IPA space from level 1 with two tables.
TEST_F(Realm, ConcatenatedStartTables)
{
    uint64_t root = kRealm + 0x10'0000; // two contiguous, 8KB-aligned tables
    r.s2.ttbr[0] = root;
    r.s2.tsz[0] = 64 - 40;
    r.s2.start_level = 1;
    r.s2.concat = 2;
    r.s1.enabled = false;
    pt_builder b = builder(root, RME_PAS_REALM, realm_tables, 12, 40, 1);
    ASSERT_EQ(pt_map(&b, 0x80'0000'0000ull, kNs, 0x1000, S2_RW | DESC_S2_NS, 3), 0);
    rme_access a = access(0x80'0000'0000ull);
    mmu_translate(&r, &env, &a);
    ASSERT_EQ(a.fault, MMU_OK) << mmu_fault_name(a.fault);
    EXPECT_EQ(a.pa, kNs);
    EXPECT_EQ(a.fetches[0].pa, root + 0x1000); // entry 512: the second table
    EXPECT_EQ(a.n_fetches, 3u);                // levels 1, 2, 3
}

TEST_F(Mmu, SixtyFourKGranule)
{
    uint64_t root = bump(&ns_tables); // 64KB tables need 64KB alignment
    root = (root + 0xFFFF) & ~0xFFFFull;
    ns_tables.next = root + 0x10000;
    mmu_regime r{};
    r.kind = MMU_NS_EL2;
    r.el = 2;
    r.ss = RME_SS_NS;
    r.s1 = s1(root, 16, 42);
    Bump big{(ns_tables.next + 0xFFFF) & ~0xFFFFull, kNs + 0x1000'0000};
    pt_builder b = builder(root, RME_PAS_NS, big, 16, 42);
    b.alloc = bump64k;
    EXPECT_EQ(b.start_level, 2);
    ASSERT_EQ(pt_map(&b, 0x123'4567'0000ull, 0x8050'0000, 0x10000, S1_NORMAL, 3), 0);
    rme_access a = access(0x123'4567'89ABull);
    mmu_translate(&r, &env, &a);
    ASSERT_EQ(a.fault, MMU_OK) << mmu_fault_name(a.fault);
    EXPECT_EQ(a.pa, 0x8050'89ABull);
    EXPECT_EQ(a.n_fetches, 2u); // levels 2 and 3
}

TEST_F(Mmu, El3FetchOnlyFromRoot)
{
    uint64_t root = bump(&root_tables);
    mmu_regime r{};
    r.kind = MMU_EL3;
    r.el = 3;
    r.ss = RME_SS_ROOT;
    r.s1 = s1(root);
    pt_builder b = builder(root, RME_PAS_ROOT, root_tables);
    ASSERT_EQ(pt_map(&b, 0x1000, kNs, 0x1000, S1_NORMAL | DESC_S1_NS, 3), 0);
    rme_access a = access(0x1000, MMU_FETCH);
    mmu_translate(&r, &env, &a);
    EXPECT_EQ(a.fault, MMU_FAULT_PERMISSION); // R_YBDFF
    EXPECT_EQ(a.esr >> 26, 0x21u);
}

} // namespace

// EL0 in an EL1&0 regime (D8.4.x): reads and writes need AP[1]; fetches obey UXN, not PXN; EL1's
// fetches obey PXN. A refused access is a level-3 permission fault, from a lower EL (EC 0x24).
TEST_F(Mmu, El0PermissionsInTheEl10Regime)
{
    uint64_t root;
    mmu_regime r = host(root);
    r.kind = MMU_NS_EL10;
    r.s1.mair = MAIR;
    pt_builder b = builder(root, RME_PAS_NS, ns_tables);
    const uint64_t user_rw = S1_NORMAL | DESC_S1_AP_EL0 | DESC_XN | DESC_PXN;
    const uint64_t user_x = S1_NORMAL | DESC_S1_AP_EL0 | DESC_S1_AP_RO | DESC_PXN;
    const uint64_t kernel = S1_NORMAL | DESC_XN;
    ASSERT_EQ(pt_map(&b, 0x1000, 0x8010'0000, 0x1000, user_rw, 3), 0);
    ASSERT_EQ(pt_map(&b, 0x2000, 0x8010'1000, 0x1000, user_x, 3), 0);
    ASSERT_EQ(pt_map(&b, 0x3000, 0x8010'2000, 0x1000, kernel, 3), 0);
    const struct {
        unsigned el;
        uint64_t va;
        mmu_access_kind kind;
        bool ok;
    } cases[] = {
        {0, 0x1000, MMU_READ, true},   {0, 0x1000, MMU_WRITE, true},  {0, 0x1000, MMU_FETCH, false},
        {0, 0x2000, MMU_FETCH, true},  {0, 0x2000, MMU_WRITE, false}, {0, 0x3000, MMU_READ, false},
        {0, 0x3000, MMU_WRITE, false}, {1, 0x3000, MMU_READ, true},   {1, 0x1000, MMU_READ, true},
        {1, 0x2000, MMU_FETCH, false}, {1, 0x3000, MMU_FETCH, true}, // UXN only binds EL0
    };
    for (auto c : cases) {
        r.el = c.el;
        rme_access a = access(c.va, c.kind);
        mmu_translate(&r, &env, &a);
        SCOPED_TRACE(testing::Message()
                     << "EL" << c.el << " va " << std::hex << c.va << " kind " << c.kind);
        if (c.ok) {
            EXPECT_EQ(a.fault, MMU_OK);
            continue;
        }
        EXPECT_EQ(a.fault, MMU_FAULT_PERMISSION);
        EXPECT_EQ(a.target_el, 1u);
        unsigned ec = c.kind == MMU_FETCH ? (c.el ? 0x21 : 0x20) : (c.el ? 0x25 : 0x24);
        EXPECT_EQ(a.esr >> 26, ec);
        EXPECT_EQ(a.esr & 0x3F, 0x0Fu);
    }
}
