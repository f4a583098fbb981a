// EL3's GPT management: builder validation, transitions with their policy and maintenance
// sequences, shatter and fuse of contiguous descriptors.
#include <cerrno>

#include "gpc_fixture.hpp"

namespace
{

struct El3 : GpcFixture {
    gpt_transition_env env{};
    gpt_op_log log{};
    void SetUp() override {}
    void ready(uint64_t max_contig = 0, bool with_gpc2 = false)
    {
        gpc2 = with_gpc2;
        build({{kDram, kDramSize, GPI_NS, false}, {kRoot, kRootSize, GPI_ROOT, false}}, 40, 30, 12,
              max_contig);
        env.unit = unit;
        env.max_contig = max_contig;
        env.costs = {300, 200, 30, 1};
    }
    int transition(uint64_t pa, unsigned to, rme_sec_state caller)
    {
        log = {};
        return gpt_transition(&env, pa, to, caller, &log);
    }
};

struct BuildErrors : GpcFixture {
    int try_build(std::vector<gpt_region> regions, size_t *bad = nullptr)
    {
        phys_mem_add_ram(mem, "dram", kDram, kDramSize);
        phys_mem_add_ram(mem, "root", kRoot, kRootSize);
        port = phys_mem_port(mem);
        params.g = {40, 30, 12};
        params.features = {true, false};
        params.l0_base = kRoot;
        params.l1_base = kRoot + 0x10'0000;
        params.l1_size = 0x40'0000;
        regions.push_back({kRoot, kRootSize, GPI_ROOT, false});
        gpt_build_result res;
        int rc = gpt_build(&port, &params, regions.data(), regions.size(), &res);
        if (bad)
            *bad = res.bad_region;
        return rc;
    }
};

TEST_F(BuildErrors, EachValidation)
{
    size_t bad;
    EXPECT_EQ(try_build({{kDram, 0x1000, GPI_NS, false}, {kDram, 0x2000, GPI_NS, false}}, &bad),
              -EFAULT); // overlap
    EXPECT_EQ(bad, 1u);
}
TEST_F(BuildErrors, BlockMustBeL0Aligned)
{
    EXPECT_EQ(try_build({{kDram, 0x20'0000, GPI_NS, true}}), -EFAULT);
}
TEST_F(BuildErrors, GranuleMustBePgsAligned)
{
    EXPECT_EQ(try_build({{kDram + 0x800, 0x1000, GPI_NS, false}}), -EFAULT);
}
TEST_F(BuildErrors, BeyondPps)
{
    EXPECT_EQ(try_build({{(1ull << 40) - 0x1000, 0x2000, GPI_NS, false}}), -EFAULT);
}
TEST_F(BuildErrors, InvalidGpi)
{
    EXPECT_EQ(try_build({{kDram, 0x1000, 0x3, false}}), -EFAULT);
}
TEST_F(BuildErrors, Wraps)
{
    EXPECT_EQ(try_build({{~0xFFFull, 0x2000, GPI_NS, false}}), -EOVERFLOW);
}
TEST_F(BuildErrors, NotEnoughL1Memory)
{
    // Each 1GB L0 entry needs a 128KB L1 table; 0x40'0000 holds 32 of them, and the Root
    // carve-out takes one.
    EXPECT_EQ(try_build({{8ull << 30, 32ull << 30, GPI_NS, false}}), -ENOMEM);
}
TEST_F(BuildErrors, JustEnoughL1Memory)
{
    EXPECT_EQ(try_build({{8ull << 30, 31ull << 30, GPI_NS, false}}), 0);
}
TEST_F(BuildErrors, TablesMustLiveInRootMemory)
{
    phys_mem_add_ram(mem, "root", kRoot, kRootSize);
    port = phys_mem_port(mem);
    params.g = {40, 30, 12};
    params.features = {true, false};
    params.l0_base = kRoot;
    params.l1_base = kRoot + 0x10'0000;
    params.l1_size = 0x40'0000;
    gpt_region ns_only[] = {{kRoot, kRootSize, GPI_NS, false}};
    gpt_build_result res;
    EXPECT_EQ(gpt_build(&port, &params, ns_only, 1, &res), -EFAULT);
}
TEST_F(El3, EnableInTfaOrder)
{
    cache_entries = 64;
    ready();
    gpt_op_log enable_log{};
    uint64_t gpccr = gpc_gpccr(unit), gptbr = gpc_gptbr(unit);
    check(kDram, RME_PAS_NS);
    ASSERT_TRUE(check(kDram, RME_PAS_NS).cache_hit);
    gpt_enable(unit, gpccr, gptbr, &enable_log);
    std::vector<gpt_op_kind> kinds;
    for (unsigned i = 0; i < enable_log.n; i++)
        kinds.push_back(enable_log.ops[i].kind);
    std::vector<gpt_op_kind> want = {GPT_OP_WRITE_GPTBR,  GPT_OP_WRITE_GPCCR, GPT_OP_ISB,
                                     GPT_OP_TLBI_PAALLOS, GPT_OP_DSB,         GPT_OP_ISB,
                                     GPT_OP_WRITE_GPCCR,  GPT_OP_ISB,         GPT_OP_TLBI_PAALLOS,
                                     GPT_OP_DSB,          GPT_OP_ISB};
    EXPECT_EQ(kinds, want);
    EXPECT_EQ(enable_log.ops[1].value & GPCCR_GPC, 0u); // first with the GPC off
    EXPECT_EQ(enable_log.ops[6].value, gpccr);          // then on
    EXPECT_EQ(gpc_gpccr(unit), gpccr);
    EXPECT_FALSE(check(kDram, RME_PAS_NS).cache_hit); // the TLBIs dropped what was cached
}
TEST_F(BuildErrors, L0BaseMustBeAligned)
{
    phys_mem_add_ram(mem, "root", kRoot, kRootSize);
    port = phys_mem_port(mem);
    params.g = {40, 30, 12};
    params.features = {true, false};
    params.l0_base = kRoot + 0x1000; // the 8KB L0 table must be 8KB aligned
    params.l1_base = kRoot + 0x10'0000;
    params.l1_size = 0x40'0000;
    gpt_build_result res;
    EXPECT_EQ(gpt_build(&port, &params, nullptr, 0, &res), -EFAULT);
}

TEST_F(El3, EnableValuesAsTfaProgramsThem)
{
    ready();
    // PPS 1TB, PGS 4KB, SH inner, WB RA WA, GPC on; GPTBR = L0 base >> 12.
    EXPECT_EQ(gpc_gpccr(unit), 0x2u | (3u << 12) | (1u << 10) | (1u << 8) | (1u << 16));
    EXPECT_EQ(gpc_gptbr(unit), kRoot >> 12);
}

TEST_F(El3, DelegateSequenceAndEffect)
{
    ready();
    uint64_t pa = kDram + 0x5000;
    ASSERT_EQ(transition(pa, GPI_REALM, RME_SS_REALM), 0);
    EXPECT_EQ(l1_word(pa), 0x9999'9999'99B9'9999ull);
    EXPECT_EQ(check(pa, RME_PAS_NS).kind, GPC_FAULT_GPF);
    EXPECT_EQ(check(pa, RME_PAS_REALM, RME_SS_REALM).kind, GPC_OK);
    // CMO (target PAS), write, DSB, TLBI RPALOS, DSB, CMO (NS)
    std::vector<gpt_op_kind> kinds;
    for (unsigned i = 0; i < log.n; i++)
        kinds.push_back(log.ops[i].kind);
    std::vector<gpt_op_kind> want = {GPT_OP_CMO_POPA,    GPT_OP_DSB, GPT_OP_WRITE,    GPT_OP_DSB,
                                     GPT_OP_TLBI_RPALOS, GPT_OP_DSB, GPT_OP_CMO_POPA, GPT_OP_DSB};
    EXPECT_EQ(kinds, want);
    EXPECT_EQ(log.ops[0].pas, RME_PAS_REALM);
    EXPECT_EQ(log.ops[6].pas, RME_PAS_NS);
    EXPECT_EQ(log.ops[4].value, gpc_tlbi_rpa_operand(pa, 4096));
    EXPECT_GT(log.cycles, 300u + 200u);
}

TEST_F(El3, UndelegateGoesThroughNoAccess)
{
    ready();
    uint64_t pa = kDram + 0x5000;
    ASSERT_EQ(transition(pa, GPI_REALM, RME_SS_REALM), 0);
    ASSERT_EQ(transition(pa, GPI_NS, RME_SS_REALM), 0);
    ASSERT_GE(log.n, 2u);
    EXPECT_EQ(log.ops[0].kind, GPT_OP_WRITE);
    EXPECT_EQ((log.ops[0].value >> 20) & 0xF, unsigned(GPI_NO_ACCESS));
    bool final_ns = false;
    for (unsigned i = 1; i < log.n; i++)
        if (log.ops[i].kind == GPT_OP_WRITE)
            final_ns = ((log.ops[i].value >> 20) & 0xF) == GPI_NS;
    EXPECT_TRUE(final_ns);
    EXPECT_EQ(l1_word(pa), 0x9999'9999'9999'9999ull);
}

// The policy table by caller (gpt-gpc.md 8.2): every cell.
TEST_F(El3, TransitionPolicy)
{
    ready(0, true);
    const unsigned gpis[] = {GPI_NS, GPI_SECURE, GPI_REALM, GPI_NSO};
    const rme_sec_state callers[] = {RME_SS_SECURE, RME_SS_NS, RME_SS_REALM};
    auto allowed = [](rme_sec_state caller, unsigned from, unsigned to) {
        if (from == GPI_NS)
            return (caller == RME_SS_SECURE && to == GPI_SECURE) ||
                   (caller == RME_SS_NS && to == GPI_NSO) ||
                   (caller == RME_SS_REALM && to == GPI_REALM);
        if (from == GPI_SECURE)
            return caller == RME_SS_SECURE && to == GPI_NS;
        if (from == GPI_REALM)
            return caller == RME_SS_REALM && to == GPI_NS;
        return from == GPI_NSO && caller == RME_SS_NS && to == GPI_NS;
    };
    uint64_t pa = kDram + 0x10'0000;
    for (unsigned from : gpis)
        for (rme_sec_state caller : callers)
            for (unsigned to : gpis) {
                pa += 0x1000;
                ASSERT_EQ(gpt_write_gpi(unit, pa, from, nullptr), 0);
                gpc_tlbi_paall(unit);
                int rc = transition(pa, to, caller);
                EXPECT_EQ(rc, allowed(caller, from, to) ? 0 : -EPERM)
                    << "from " << from << " caller " << caller << " to " << to;
            }
}

TEST_F(El3, InvalidRequests)
{
    ready();
    EXPECT_EQ(transition(kDram + 0x800, GPI_REALM, RME_SS_REALM), -EINVAL); // misaligned
    EXPECT_EQ(transition(0x1000, GPI_REALM, RME_SS_REALM), -EINVAL);        // L0 block (Block-ANY)
    EXPECT_EQ(transition(kDram, 0x3, RME_SS_REALM), -EPERM);                // reserved target GPI
    EXPECT_EQ(transition(kDram, GPI_NSO, RME_SS_NS), -EPERM);               // NSO needs GPC2
    // TF-A's quirk: base + size >= PPS, so the last granule cannot move.
    EXPECT_EQ(transition((1ull << 40) - 0x1000, GPI_REALM, RME_SS_REALM), -EINVAL);
    EXPECT_EQ(gpt_rmm_code(-EINVAL), -2);
    EXPECT_EQ(gpt_rmm_code(-EPERM), -3);
    EXPECT_EQ(gpt_rmm_code(0), 0);
}

TEST_F(El3, ShatterThenFuse)
{
    ready(2ull << 20);
    uint64_t pa = kDram + 0x20'3000; // second 2MB block
    EXPECT_EQ(l1_word(pa), 0x191u);
    ASSERT_EQ(transition(pa, GPI_REALM, RME_SS_REALM), 0);
    // The 2MB block is granules now; only the target nibble is Realm.
    EXPECT_EQ(l1_word(pa), 0x9999'9999'9999'B999ull);
    EXPECT_EQ(l1_word(pa + 0x10000), 0x9999'9999'9999'9999ull);
    EXPECT_EQ(l1_word(kDram), 0x191u); // other blocks untouched
    // The shatter dropped cached copies of the whole 2MB block.
    EXPECT_EQ(log.ops[32].kind, GPT_OP_DSB);
    EXPECT_EQ(log.ops[33].kind, GPT_OP_TLBI_RPALOS);
    EXPECT_EQ(log.ops[33].size, 2ull << 20);
    ASSERT_EQ(transition(pa, GPI_NS, RME_SS_REALM), 0);
    EXPECT_EQ(l1_word(pa), 0x191u); // uniform again: fused back
    EXPECT_EQ(l1_word(pa + 0x1F'0000), 0x191u);
}

} // namespace
