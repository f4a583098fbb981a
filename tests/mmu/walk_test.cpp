// The walker: page tables built in simulated memory, every level and block size, each fault
// class with its syndrome, PAS selection, the realm rules, GPC on walks versus outputs.
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

namespace
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
uint64_t bump(void *ctx)
{
    auto *b = static_cast<Bump *>(ctx);
    if (b->next + 0x1000 > b->end)
        return 0;
    uint64_t p = b->next;
    b->next += 0x1000;
    return p;
}

// Table pages of the 16KB and 64KB granules: each as large as its granule (and aligned to it).
uint64_t bump16k(void *ctx)
{
    auto *b = static_cast<Bump *>(ctx);
    uint64_t p = b->next;
    b->next += 0x4000;
    return p;
}
uint64_t bump64k(void *ctx)
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
