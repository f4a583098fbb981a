// Granules a realm's host built, named instead of addressed: `{ realm, rtt: { ipa, level } }`
// is the RTT the RMM's walk reaches at that level, `{ realm, rec, aux }` one of the REC's
// auxiliary granules. End to end through the rmesim command.
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <vector>

#include "run_scenario.hpp"

namespace
{

// What `rmesim explain --all-steps` shows of the steps' calls: the GRANULE_UNDELEGATE
// addresses and the RTT_READ_ENTRY descriptors, in step order.
struct Shown {
    std::vector<uint64_t> addrs, descs;
};

Shown explain_calls(const std::string &name)
{
    std::string out = test_dir() + name + ".explain";
    std::string cmd = std::string(RMESIM_BIN) + " explain " + test_dir() + name +
                      ".yaml --all-steps > " + out + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::string text = slurp(out);
    Shown s;
    std::regex addr(R"(RMI_GRANULE_UNDELEGATE\(addr (0x[0-9a-f]+)\))"),
        desc(R"(out\.desc=(0x[0-9a-f]+))");
    for (std::sregex_iterator i(text.begin(), text.end(), addr), e; i != e; ++i)
        s.addrs.push_back(std::stoull((*i)[1], nullptr, 16));
    for (std::sregex_iterator i(text.begin(), text.end(), desc), e; i != e; ++i)
        s.descs.push_back(std::stoull((*i)[1], nullptr, 16));
    return s;
}

std::string undelegate(const std::string &id, const std::string &name)
{
    return "  - { id: " + id + ", on: host, rmi: { cmd: GRANULE_UNDELEGATE, args: { addr: " + name +
           " } }, expect: { status: ERROR_INPUT } }\n";
}

// r0's 40-bit IPA space starts at level 1 in two concatenated tables: the second one covers
// the unprotected half. The level-2 RTT is the one the level-1 entry's descriptor points to
// (RMI_RTT_READ_ENTRY of a TABLE entry gives the next RTT's address, RMM spec B4.3.20).
TEST(GranuleNames, AnRttIsTheTableTheRmmsWalkReaches)
{
    Ran r = run_one_realm_scenario(
        "rtt-names",
        "  - { id: entry, on: host, rmi: { cmd: RTT_READ_ENTRY, args: { rd: r0, ipa: 0x8000_0000, "
        "level: 1 } }, expect: { out: { state: TABLE } } }\n" +
            undelegate("l2", "{ realm: r0, rtt: { ipa: 0x8000_0000, level: 2 } }") +
            undelegate("l1", "{ realm: r0, rtt: { ipa: 0x8000_0000, level: 1 } }") +
            undelegate("l1-high", "{ realm: r0, rtt: { ipa: 0x80_8000_0000, level: 1 } }") +
            undelegate("aux0", "{ realm: r0, rec: 0, aux: 0 }") +
            undelegate("aux15", "{ realm: r0, rec: 0, aux: 15 }") +
            "expect:\n  - { granule: { realm: r0, rtt: { ipa: 0x80_8000_0000, level: 1 } }, "
            "state: RTT }\n  - { granule: { realm: r0, rec: 0, aux: 15 }, state: REC_AUX }\n");
    ASSERT_EQ(r.status, 0) << r.output;
    Shown s = explain_calls("rtt-names");
    ASSERT_EQ(s.addrs.size(), 5u);
    ASSERT_EQ(s.descs.size(), 1u);
    EXPECT_EQ(s.addrs[0], s.descs[0]);          // level 2: where the level-1 entry points
    EXPECT_EQ(s.addrs[2], s.addrs[1] + 0x1000); // the second starting table
    EXPECT_NE(s.addrs[3], s.addrs[4]);          // two aux granules
    EXPECT_NE(s.addrs[3], 0u);
}

// In a step, the step cannot run as written (exit 2); in a final expectation, the expected state
// does not exist (exit 1).
TEST(GranuleNames, ANamedGranuleThatIsNotThereFailsTheStepOrTheExpectation)
{
    // the walk stops above level 3 where the RAM does not reach
    Ran r = run_one_realm_scenario(
        "rtt-missing", undelegate("s", "{ realm: r0, rtt: { ipa: 0xa000_0000, level: 3 } }"));
    EXPECT_TRUE(errored_with(r, ":9:70: step 's': realm 'r0' has no level-3 RTT mapping IPA "
                                "0xa0000000: the RMM's walk stops at a level-2 UNASSIGNED entry"));
    // the start level KVM chose is 1: no level-0 RTT
    r = run_one_realm_scenario("rtt-below-start",
                               undelegate("s", "{ realm: r0, rtt: { ipa: 0, level: 0 } }"));
    EXPECT_TRUE(errored_with(r, "step 's': realm 'r0' has no level-0 RTT mapping IPA 0x0: its "
                                "RTTs start at level 1"));
    r = run_one_realm_scenario("names-never-built", R"(  - { id: s, on: host, rmi: VERSION }
expect:
  - { granule: { realm: r0, rtt: { ipa: 0x8000_0000, level: 2 } }, state: RTT }
)");
    EXPECT_TRUE(failed_with(r, ":11:5: final expectation: realm 'r0' has no level-2 RTT mapping "
                               "IPA 0x80000000: the realm was never built"));
    r = run_one_realm_scenario("names-destroyed", R"(  - { id: d, on: host, destroy: r0 }
expect:
  - { granule: { realm: r0, rec: 0, aux: 3 }, state: UNDELEGATED }
)");
    EXPECT_TRUE(failed_with(r, ":11:5: final expectation: realm 'r0' has no auxiliary granule 3 "
                               "of REC 0: the realm was destroyed"));
}

} // namespace
