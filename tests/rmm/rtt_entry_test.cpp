// RTT entries read back as the RMM's states (A5.5.4) from the descriptors a walk sees, in the
// encoding docs/rmm.md gives: the reference store's level-1 entry is UNASSIGNED_NS.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "rmm/rmm.h"
}

namespace
{

struct Decoded {
    std::string state;
    rmi_ripas ripas;
    bool ns;
};

Decoded decode(uint64_t e, int level)
{
    rtt_entry_info info;
    rtt_entry_decode(e, level, &info);
    EXPECT_EQ(info.desc, e);
    EXPECT_EQ(info.level, level);
    return {rtt_entry_state_name(&info), info.ripas, info.ns};
}

TEST(RttEntry, InvalidEntriesKeepTheirState)
{
    Decoded d = decode(0x80000000000000ull, 1); /* uart-mmio step write, s2 L1 */
    EXPECT_EQ(d.state, "UNASSIGNED_NS");
    EXPECT_TRUE(d.ns);
    d = decode(0, 2);
    EXPECT_EQ(d.state, "UNASSIGNED");
    EXPECT_STREQ(rmi_ripas_name(d.ripas), "EMPTY");
    d = decode(1ull << 5, 3); /* RIPAS RAM, HIPAS UNASSIGNED */
    EXPECT_EQ(d.state, "UNASSIGNED");
    EXPECT_STREQ(rmi_ripas_name(d.ripas), "RAM");
    d = decode(0x80001000ull | (2ull << 5) | (1ull << 2), 3); /* HIPAS ASSIGNED, DESTROYED */
    EXPECT_EQ(d.state, "ASSIGNED");
    EXPECT_STREQ(rmi_ripas_name(d.ripas), "DESTROYED");
    EXPECT_FALSE(d.ns);
}

TEST(RttEntry, ValidEntriesAreMappingsOrTables)
{
    Decoded d = decode(0xbffd07dbull, 3);
    EXPECT_EQ(d.state, "ASSIGNED");
    EXPECT_STREQ(rmi_ripas_name(d.ripas), "RAM");
    d = decode(0x9000'07dbull | (1ull << 55) | (2ull << 53), 3);
    EXPECT_EQ(d.state, "ASSIGNED_NS");
    d = decode(0xbfff6003ull, 2);
    EXPECT_EQ(d.state, "TABLE");
    d = decode(0x8000'0000ull | 0x7d9, 1); /* a 1GB block */
    EXPECT_EQ(d.state, "ASSIGNED");
}

} // namespace
