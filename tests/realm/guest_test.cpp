// The realm guest's programs: what Linux executes for its boot's RSI calls and for ioremap.
#include <gtest/gtest.h>

#include <vector>

extern "C" {
#include "realm/guest.h"
#include "rmm/rsi.h"
}

namespace
{

constexpr uint64_t kRam = 0x8000'0000, kRamSize = 16ull << 20;

struct GuestTest : ::testing::Test {
    guest g{};
    guest_program p{};
    void SetUp() override
    {
        guest_config cfg{kRam, kRamSize, kRam, 64 * 1024, 0xFFFF'0000'0000'0000ull};
        guest_init(&g, &cfg);
    }
    void TearDown() override
    {
        guest_program_free(&p);
        guest_free(&g);
    }
    std::vector<const guest_op *> smcs() const
    {
        std::vector<const guest_op *> out;
        for (size_t i = 0; i < p.n; i++)
            if (p.ops[i].kind == GOP_SMC)
                out.push_back(&p.ops[i]);
        return out;
    }
};

// arm64_rsi_init: version, config, then the memory node's RAM made RIPAS RAM without touching
// DESTROYED granules, repeated up to the range's top; a failed call returns early past it all.
TEST_F(GuestTest, RsiInitSetsItsRamToRamAfterTheConfig)
{
    ASSERT_TRUE(guest_boot(&g, &p));
    size_t boot_end = p.n;
    ASSERT_TRUE(guest_rsi_init(&g, &p));
    auto calls = smcs();
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0]->args[0], RSI_VERSION);
    EXPECT_EQ(calls[1]->args[0], RSI_REALM_CONFIG);
    const guest_op &set = *calls[2];
    EXPECT_EQ(set.args[0], RSI_IPA_STATE_SET);
    EXPECT_EQ(set.args[1], kRam);
    EXPECT_EQ(set.args[2], kRam + kRamSize);
    EXPECT_EQ(set.args[3], RSI_RIPAS_RAM);
    EXPECT_EQ(set.args[4], 0u); /* RSI_NO_CHANGE_DESTROYED */
    EXPECT_EQ(set.loop_top, kRam + kRamSize);
    EXPECT_EQ(&set, &p.ops[p.n - 1]);
    /* each CBNZ X0 after a call lands at the program's end */
    unsigned branches = 0;
    for (size_t i = boot_end; i < p.n; i++)
        if (p.ops[i].kind == GOP_CBNZ) {
            branches++;
            EXPECT_EQ(p.ops[i].reg, 0u);
            EXPECT_EQ(i + 1 + p.ops[i].skip, p.n);
        }
    EXPECT_EQ(branches, 2u);
}

TEST_F(GuestTest, RsiInitOutcomeFromTheRegisters)
{
    ASSERT_TRUE(guest_rsi_init(&g, &p));
    uint64_t gprs[31] = {0};
    gprs[0] = 1; /* RSI_VERSION failed: ipa_width never read */
    EXPECT_EQ(guest_rsi_init_done(&g, gprs), GUEST_RSI_ABSENT);
    EXPECT_EQ(g.prot_ns_shared, 0u);
    gprs[0] = RSI_SUCCESS;
    gprs[19] = 40;
    gprs[1] = kRam + kRamSize;
    gprs[2] = RSI_ACCEPT;
    EXPECT_EQ(guest_rsi_init_done(&g, gprs), GUEST_RSI_PRESENT);
    EXPECT_EQ(g.prot_ns_shared, 1ull << 39);
    gprs[1] = kRam + 0x1000; /* the host rejected the rest: Linux panics */
    gprs[2] = RSI_REJECT;
    EXPECT_EQ(guest_rsi_init_done(&g, gprs), GUEST_RSI_PANICKED);
    gprs[2] = RSI_ACCEPT;
    gprs[0] = RSI_ERROR_INPUT;
    EXPECT_EQ(guest_rsi_init_done(&g, gprs), GUEST_RSI_PANICKED);
}

} // namespace
