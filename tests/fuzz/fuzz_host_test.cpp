// The hostile-host fuzzer in the default suite: a short run finds no violation, and a state
// corrupted on purpose mid-run is reported with the seed, the action and the trail.
#include <gmock/gmock.h>

#include "host_fuzzer.hpp"

namespace
{

using ::testing::HasSubstr;

TEST(FuzzHost, ShortRunsFindNoViolation)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        fuzz::HostFuzzer f(seed);
        EXPECT_TRUE(f.run(5000)) << f.report();
        EXPECT_GT(f.rmi_successes, 500u); // the run reaches deep states, not only errors
        EXPECT_GT(f.host_faults, 0u);
    }
}

TEST(FuzzHost, SameSeedSameRun)
{
    fuzz::HostFuzzer a(7), b(7);
    a.run(3000);
    b.run(3000);
    EXPECT_EQ(a.rmi_successes, b.rmi_successes);
    EXPECT_EQ(a.host_faults, b.host_faults);
}

TEST(FuzzHost, ACorruptionIsReportedWithItsReplay)
{
    fuzz::HostFuzzer f(3);
    // after action 1500, EL3 hands every delegated granule back to NS behind the RMM's back
    f.sabotage(1500, [](rmm &, rmmtest::Env &env) { env.gpt.clear(); });
    EXPECT_FALSE(f.run(5000));
    EXPECT_EQ(f.actions(), 1500u);
    std::string rep = f.report();
    EXPECT_THAT(rep, HasSubstr("seed 3, action 1500"));
    EXPECT_THAT(rep, HasSubstr("in the RMM but its GPI is ns"));
    EXPECT_THAT(rep, HasSubstr("#1500 "));
}

} // namespace
