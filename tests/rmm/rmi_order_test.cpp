// The failure-condition orderings the RMM specification fixes (B4.3.x "Failure condition
// ordering"), each proved with a pair of conditions true at once: the one the specification
// puts first must be the status the host sees. (The single conditions are in the other suites.)
#include "fake_platform.hpp"

namespace
{

using namespace rmmtest;

constexpr uint64_t kUnprot = 1ull << 39;

struct Order : RmmFixture {
    uint64_t rd = 0;
    void SetUp() override
    {
        RmmFixture::SetUp();
        rd = new_realm();
    }
    const uint64_t input = code(RMI_ERROR_INPUT);
};

TEST_F(Order, RttCreate)
{
    // [rd_bound, rd_state] < [rtt_walk, rtte_state]: a bad RD and a missing parent
    EXPECT_EQ(call(RMI_RTT_CREATE, delegated(), delegated(), 0x4000'0000, 3), input);
    EXPECT_EQ(call(RMI_RTT_CREATE, 0x1000, delegated(), 0x4000'0000, 3), input);
    // [level_bound, ipa_bound] < [rtt_walk, rtte_state]
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, delegated(), 1ull << 40, 3), input);
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, delegated(), 0, 2), 0u);
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, delegated(), 0, 1), input); // start level and parent TABLE
}

TEST_F(Order, RttDestroyAndFold)
{
    // [rd_*, level_bound, ipa_bound] < [rtt_walk, rtte_state, rtt_live]
    rtts_to(rd, 0x4000'0000, 3);
    ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, delegated(), 0x4000'0000), 0u); // L3 live
    EXPECT_EQ(call(RMI_RTT_DESTROY, rd, 0x4000'0000, 3), code(RMI_ERROR_RTT, 3));
    EXPECT_EQ(call(RMI_RTT_DESTROY, delegated(), 0x4000'0000, 3), input);
    EXPECT_EQ(call(RMI_RTT_DESTROY, rd, 0x4000'0000, 1), input); // level_bound, parent live
    EXPECT_EQ(call(RMI_RTT_DESTROY, rd, 1ull << 40, 3), input);  // ipa_bound, no walk
    EXPECT_EQ(call(RMI_RTT_FOLD, rd, 0x4000'0000, 3), code(RMI_ERROR_RTT, 3)); // rtt_homo
    EXPECT_EQ(call(RMI_RTT_FOLD, rd + 8, 0x4000'0000, 3), input);
}

TEST_F(Order, DataCreate)
{
    uint64_t src = page(), data = delegated();
    // [rd_bound, rd_state] < [rtt_walk, rtte_state]: no level-3 table and a bad RD
    EXPECT_EQ(call(RMI_DATA_CREATE, page(), data, 0x4000'0000, src, 0), input);
    // [ipa_bound] < [rtt_walk, rtte_state]: unprotected and unmapped
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, data, kUnprot, src, 0), input);
    EXPECT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, data, kUnprot), input);
    // [rd_bound, rd_state] < [realm_state]
    ASSERT_EQ(call(RMI_REALM_ACTIVATE, rd), 0u);
    EXPECT_EQ(call(RMI_DATA_CREATE, rd + 8, data, 0x4000'0000, src, 0), input);
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, data, 0x4000'0000, src, 0), code(RMI_ERROR_REALM));
}

TEST_F(Order, DataDestroy)
{
    // [rd_*] and [ipa_bound] < [rtt_walk, rtte_state]
    EXPECT_EQ(call(RMI_DATA_DESTROY, rd, 0x4000'0000), code(RMI_ERROR_RTT, 1));
    EXPECT_EQ(call(RMI_DATA_DESTROY, rd + 8, 0x4000'0000), input);
    EXPECT_EQ(call(RMI_DATA_DESTROY, rd, kUnprot), input);
}

TEST_F(Order, MapAndUnmapUnprotected)
{
    uint64_t desc = page() | (6ull << 2);
    // [rd_*, level_bound, ipa_bound] < [rtt_walk, rtte_state]: nothing below level 1 exists
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, kUnprot, 3, desc), code(RMI_ERROR_RTT, 1));
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, delegated(), kUnprot, 3, desc), input);
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, kUnprot, 0, desc), input);
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, 0x4000'0000, 3, desc), input);
    EXPECT_EQ(call(RMI_RTT_UNMAP_UNPROTECTED, rd, kUnprot, 3), code(RMI_ERROR_RTT, 1));
    EXPECT_EQ(call(RMI_RTT_UNMAP_UNPROTECTED, rd + 8, kUnprot, 3), input);
    EXPECT_EQ(call(RMI_RTT_UNMAP_UNPROTECTED, rd, kUnprot, 4), input);
    EXPECT_EQ(call(RMI_RTT_UNMAP_UNPROTECTED, rd, 0x4000'0000, 3), input);
}

TEST_F(Order, InitRipas)
{
    // [rd_*] < [base_align, rtte_state] and [no_progress]: the walk stops at level 1
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4000'0000, 0x4000'1000), code(RMI_ERROR_RTT, 1));
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, delegated(), 0x4000'0000, 0x4000'1000), input);
    // [top_gran_align] < [no_progress]
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4000'0000, 0x4000'0800), input);
    // [rd_*] < [realm_state]
    ASSERT_EQ(call(RMI_REALM_ACTIVATE, rd), 0u);
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4000'0000, 0x4000'1000), code(RMI_ERROR_REALM));
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd + 8, 0x4000'0000, 0x4000'1000), input);
}

TEST_F(Order, RealmActivateAndRecCreate)
{
    ASSERT_EQ(call(RMI_REALM_ACTIVATE, rd), 0u);
    // [rd_bound, rd_state] < [realm_state]
    EXPECT_EQ(call(RMI_REALM_ACTIVATE, rd + 8), input);
    EXPECT_EQ(call(RMI_REALM_ACTIVATE, rd), code(RMI_ERROR_REALM));
    // [rd_bound, rd_state] < [realm_state, num_recs]
    EXPECT_EQ(call(RMI_REC_CREATE, rd + 8, delegated(), rec_params(0)), input);
    EXPECT_EQ(call(RMI_REC_CREATE, rd, delegated(), rec_params(0)), code(RMI_ERROR_REALM));
}

} // namespace
