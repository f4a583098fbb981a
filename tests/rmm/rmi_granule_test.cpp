// RMI_VERSION, RMI_FEATURES and GRANULE_(UN)DELEGATE with every failure condition, over a small
// environment whose memory checks a GPI per granule, as the GPC would.
#include "fake_platform.hpp"

namespace
{

using namespace rmmtest;

struct Rmi : RmmFixture {
    uint64_t call_out(uint64_t fid, uint64_t a1, uint64_t *out1, uint64_t *out2 = nullptr)
    {
        uint64_t out[8];
        uint64_t rc = call(fid, a1, 0, 0, 0, 0, out);
        *out1 = out[1];
        if (out2)
            *out2 = out[2];
        return rc;
    }
};

TEST_F(Rmi, VersionAndFeatures)
{
    uint64_t lower, higher;
    EXPECT_EQ(call_out(RMI_VERSION, 0x10000, &lower, &higher), 0u);
    EXPECT_EQ(lower, 0x10000u);
    EXPECT_EQ(higher, 0x10000u);
    EXPECT_EQ(call_out(RMI_VERSION, 0x20000, &lower, &higher), rmi_pack(RMI_ERROR_INPUT, 0));
    EXPECT_EQ(lower, 0x10000u); // the highest revision supported
    uint64_t value;
    EXPECT_EQ(call_out(RMI_FEATURES, 0, &value), 0u);
    EXPECT_EQ(value & 0xFF, 40u);                    // S2SZ
    EXPECT_EQ(value >> 32 & 3, 3u);                  // SHA-256 and SHA-512
    EXPECT_EQ(value >> 14 & 0x3F, 5u);               // NUM_BPS: six breakpoints
    EXPECT_EQ(value >> 20 & 0x3F, 3u);               // NUM_WPS: four watchpoints
    EXPECT_EQ(value >> 38 & 0xF, 8u);                // MAX_RECS_ORDER
    EXPECT_EQ(value & (7ull << 8 | 1ull << 26), 0u); // no LPA2, SVE, PMU
    EXPECT_EQ(call_out(RMI_FEATURES, 1, &value), 0u);
    EXPECT_EQ(value, 0u);
    EXPECT_EQ(env.cycles, 4u * 500); // the handler cost of every call
}

TEST_F(Rmi, EveryCommandAndNoReservedFid)
{
    EXPECT_EQ(call(0xC400'0156), SMC_UNKNOWN); // a reserved RMI FID
    EXPECT_EQ(call(0x8400'0000), SMC_UNKNOWN); // not RMI at all
    // every RMM 1.0 command (B4.3), and none of the reserved FIDs between them
    for (unsigned n = 0x150; n <= 0x169; n++)
        EXPECT_EQ(rmm_implements(RMI_FID(n)), n != 0x156 && n != 0x160 && n != 0x163)
            << std::hex << n;
    EXPECT_EQ(call(RMI_FID(0x160)), SMC_UNKNOWN); // pre-1.0 RTT_MAP_PROTECTED
}

TEST_F(Rmi, DelegateSuccessWipesAndMovesTheGranule)
{
    uint64_t pa = kDram + 0x5000;
    env.mem[pa + 8] = 0x1234; // host data left behind
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, pa), 0u);
    EXPECT_EQ(state(pa), GRANULE_DELEGATED);
    EXPECT_EQ(env.gpi(pa), REALM);
    EXPECT_EQ(env.mem[pa + 8], 0u); // wiped through the Realm PAS
    EXPECT_EQ(call(RMI_GRANULE_UNDELEGATE, pa), 0u);
    EXPECT_EQ(state(pa), GRANULE_UNDELEGATED);
    EXPECT_EQ(env.gpi(pa), NS);
}

// B4.3.5: gran_align, gran_bound, gran_state, gran_gpt -> ERROR_INPUT, index 0.
TEST_F(Rmi, DelegateFailureConditions)
{
    const uint64_t input = rmi_pack(RMI_ERROR_INPUT, 0);
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, kDram + 0x800), input);     // gran_align
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, kDram + kDramSize), input); // gran_bound
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, 0x1000), input);            // gran_bound (device)
    ASSERT_EQ(call(RMI_GRANULE_DELEGATE, kDram), 0u);
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, kDram), input); // gran_state
    env.gpt[kDram + 0x1000] = SECURE;
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, kDram + 0x1000), input); // gran_gpt
    EXPECT_EQ(state(kDram + 0x1000), GRANULE_UNDELEGATED);
    // pairs: an unaligned address outside DRAM, and an unaligned delegated one, fail as well
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, kDram + kDramSize + 8), input);
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, kDram + 8), input);
    EXPECT_EQ(state(kDram), GRANULE_DELEGATED);
}

// B4.3.6: gran_align, gran_bound, gran_state (not DELEGATED) -> ERROR_INPUT.
TEST_F(Rmi, UndelegateFailureConditions)
{
    const uint64_t input = rmi_pack(RMI_ERROR_INPUT, 0);
    EXPECT_EQ(call(RMI_GRANULE_UNDELEGATE, kDram + 0x10), input);      // gran_align
    EXPECT_EQ(call(RMI_GRANULE_UNDELEGATE, kDram + kDramSize), input); // gran_bound
    EXPECT_EQ(call(RMI_GRANULE_UNDELEGATE, kDram), input);             // gran_state: UNDELEGATED
}

// Why delegation exists: if EL3 said yes but left the granule NS, the RMM's first write to it
// (the wipe, in the Realm PAS) takes a GPF, and the delegation fails with the state unchanged.
TEST_F(Rmi, RmmWriteToAGranuleStillNsTakesAGpf)
{
    env.lying_el3 = true;
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, kDram + 0x3000), rmi_pack(RMI_ERROR_INPUT, 0));
    EXPECT_EQ(state(kDram + 0x3000), GRANULE_UNDELEGATED);
    uint64_t v = 0;
    EXPECT_EQ(access(&env, kDram + 0x3000, RME_PAS_REALM, true, &v), RMM_MEM_GPF);
}

TEST(GranuleTable, HugeRangeIsSparse)
{
    granule_table t;
    pa_range r{0x100'0000'0000ull, 1ull << 40};
    ASSERT_TRUE(granule_table_init(&t, &r, 1));
    granule *g = granule_find(&t, 0x100'0000'0000ull + (1ull << 39));
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->state, GRANULE_UNDELEGATED);
    EXPECT_EQ(granule_find(&t, 0x1000), nullptr);
    granule_table_free(&t);
}

} // namespace
