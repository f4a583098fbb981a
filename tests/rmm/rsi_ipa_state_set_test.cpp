// RSI_IPA_STATE_SET's flags (B5.3.6, RsiRipasChangeFlags): only bit 0, destroyed, means
// anything. The reserved bits are no failure condition, and whether RMI_RTT_SET_RIPAS may change
// a DESTROYED entry depends on bit 0 alone.
#include "run_fixture.hpp"

namespace
{

using namespace rmmtest;

struct IpaStateSet : Run {
    static constexpr uint64_t kPage = 0x4000'0000;
    void SetUp() override
    {
        Run::SetUp();
        ram_page(kPage);
        ASSERT_EQ(call(RMI_DATA_DESTROY, rd, kPage), 0u); // RAM -> DESTROYED (A5.2.5)
        activate();
    }
    // the realm asks for RAM on the destroyed page with these flags
    void ask_for_ram(uint64_t flags)
    {
        smc([=](rmm_rec *c) {
            c->gprs[0] = RSI_IPA_STATE_SET, c->gprs[1] = kPage, c->gprs[2] = kPage + 0x1000,
            c->gprs[3] = RSI_RIPAS_RAM, c->gprs[4] = flags;
        });
        ASSERT_EQ(enter(), 0u);
    }
    rmi_ripas ripas_now()
    {
        rtt_entry_info e{};
        EXPECT_TRUE(rmm_rtt_entry(&r, rd, kPage, 3, &e));
        return rmi_ripas(e.ripas);
    }
};

TEST_F(IpaStateSet, ReservedFlagBitsAreNoFailure)
{
    for (uint64_t flags : {0x2ull, 0x8000'0000'0000'0000ull, ~0ull}) {
        ask_for_ram(flags);
        EXPECT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_RIPAS_CHANGE)) << flags;
        EXPECT_EQ(exit_field(RMI_EXIT_RIPAS_VALUE), uint64_t(RMI_RIPAS_RAM));
        ASSERT_EQ(enter(RMI_ENTER_RIPAS_RESPONSE), 0u); // the host refuses; the next may ask
        EXPECT_EQ(c()->gprs[0], RSI_SUCCESS);
        EXPECT_EQ(c()->gprs[2], RSI_REJECT);
    }
}

TEST_F(IpaStateSet, WithoutDestroyedTheDestroyedPageStays)
{
    ask_for_ram(0x2); // a reserved bit, destroyed 0
    EXPECT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, kPage, kPage + 0x1000),
              code(RMI_ERROR_RTT, 3)); // no_progress: the entry is DESTROYED
    EXPECT_EQ(ripas_now(), RMI_RIPAS_DESTROYED);
}

TEST_F(IpaStateSet, DestroyedIsBitZeroWhateverTheReservedBits)
{
    ask_for_ram(RSI_CHANGE_DESTROYED | 0x2);
    uint64_t out[8];
    ASSERT_EQ(call(RMI_RTT_SET_RIPAS, rd, rec, kPage, kPage + 0x1000, 0, out), 0u);
    EXPECT_EQ(out[1], kPage + 0x1000);
    EXPECT_EQ(ripas_now(), RMI_RIPAS_RAM);
    ASSERT_EQ(enter(), 0u);
    EXPECT_EQ(c()->gprs[0], RSI_SUCCESS);
    EXPECT_EQ(c()->gprs[1], kPage + 0x1000);
    EXPECT_EQ(c()->gprs[2], RSI_ACCEPT);
}

} // namespace
