// The hostile-host fuzzer in the default suite: a short run finds no violation and reaches the
// realm side, and a state corrupted on purpose mid-run is reported with a minimal replay that
// shows the violation again after a trip through its text.
#include <gmock/gmock.h>

#include <sstream>

#include "host_fuzzer.hpp"

namespace
{

using ::testing::HasSubstr;

TEST(FuzzHost, ShortRunsFindNoViolation)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        fuzz::HostFuzzer f(seed);
        EXPECT_TRUE(f.run(5000)) << f.report();
        const fuzz::World &w = f.world();
        EXPECT_GT(w.rmi_successes, 500u); // the run reaches deep states, not only errors
        EXPECT_GT(w.host_faults, 0u);
        EXPECT_GT(w.rec_exits, 0u); // realms ran: RSI calls and stage-2 accesses
        EXPECT_GT(w.rsi_calls, 0u);
    }
}

TEST(FuzzHost, RealmsRunAndAccessTheirMemory)
{
    fuzz::HostFuzzer f(5);
    EXPECT_TRUE(f.run(20000)) << f.report();
    EXPECT_GT(f.world().realm_accesses, 100u);
}

TEST(FuzzHost, SameSeedSameRun)
{
    fuzz::HostFuzzer a(7), b(7);
    a.run(3000);
    b.run(3000);
    EXPECT_EQ(a.world().rmi_successes, b.world().rmi_successes);
    EXPECT_EQ(a.world().host_faults, b.world().host_faults);
    EXPECT_EQ(a.world().realm_steps, b.world().realm_steps);
}

TEST(FuzzHost, ACorruptionIsReportedWithAMinimalReplay)
{
    fuzz::HostFuzzer f(3);
    // after action 1500, EL3 hands every delegated granule back to NS behind the RMM's back
    auto clear = [](rmm &, rmmtest::Env &env) { env.gpt.clear(); };
    f.sabotage(1500, clear);
    EXPECT_FALSE(f.run(5000));
    EXPECT_EQ(f.actions(), 1500u);
    std::string rep = f.report();
    EXPECT_THAT(rep, HasSubstr("seed 3, action 1500"));
    EXPECT_THAT(rep, HasSubstr("in the RMM but its GPI is ns"));
    // the first sentence names an RD: the replay is the realm's creation (its granules
    // delegated, its parameters written, REALM_CREATE), not the 1500 actions
    const std::vector<fuzz::Op> &min = f.minimal_replay();
    ASSERT_LE(min.size(), 12u) << rep;
    EXPECT_EQ(min.back().a[0], RMI_REALM_CREATE) << rep;
    // the replay's text parses back to operations that show the same violation again
    std::istringstream text(fuzz::replay_text(min));
    std::vector<fuzz::Op> back;
    std::string error;
    ASSERT_TRUE(fuzz::parse_replay(text, &back, &error)) << error;
    std::vector<std::string> found = fuzz::replay(back, {1500, clear}, true);
    ASSERT_FALSE(found.empty());
    EXPECT_THAT(found[0], HasSubstr("is RD in the RMM but its GPI is ns"));
    // without the corruption it shows nothing
    EXPECT_TRUE(fuzz::replay(back, {}, true).empty());
}

TEST(FuzzHost, AReplayOfTheTrailIsTheSameRun)
{
    // realms entered and running: their recorded steps replay to the same world
    fuzz::HostFuzzer f(5);
    ASSERT_TRUE(f.run(1999)) << f.report(); // one world: it is rebuilt every 2000 actions
    fuzz::World w;
    for (fuzz::Op op : f.trail())
        w.exec(op, false);
    const fuzz::World &live = f.world();
    EXPECT_GT(live.realm_steps, 20u);
    EXPECT_EQ(w.realm_steps, live.realm_steps);
    EXPECT_EQ(w.realm_accesses, live.realm_accesses);
    EXPECT_EQ(w.rec_exits, live.rec_exits);
    EXPECT_EQ(w.rmi_successes, live.rmi_successes);
    for (int s = GRANULE_UNDELEGATED; s <= GRANULE_RTT; s++)
        EXPECT_EQ(rmm_count_granules(&w.r(), granule_state(s)),
                  rmm_count_granules(&const_cast<fuzz::World &>(live).r(), granule_state(s)));
    // and a step written by hand parses into its REC_ENTER
    std::istringstream text("1 rmi 0xc400015c 0x80001000 0x80002000 0 0 0\n"
                            "1   smc 0xc4000190 0 0 0 0 0 0 0 0 0\n");
    std::vector<fuzz::Op> ops;
    std::string error;
    ASSERT_TRUE(fuzz::parse_replay(text, &ops, &error));
    ASSERT_EQ(ops.size(), 1u);
    ASSERT_EQ(ops[0].realm.size(), 1u);
    EXPECT_EQ(ops[0].realm[0].v[0], RSI_VERSION);
}

TEST(FuzzHost, ABadReplayIsRefusedWithItsLine)
{
    struct {
        const char *text, *error;
    } cases[] = {
        {"1 rmi 0xc4000151\n", "line 1: rmi takes 6 values"},
        {"# c\n2 jump 0x1\n", "line 2: unknown operation 'jump'"},
        {"x load 0x1\n", "line 1: an operation starts with its action number"},
        {"1 load 0x1 0x2\n", "line 1: too many values"},
        {"1 store 0x1 zz\n", "line 1: 'zz' is not a number"},
        {"1 load 0x1\n1   realm-load 0x1000\n", "line 2: a realm step follows the REC_ENTER"},
    };
    for (auto &c : cases) {
        std::istringstream in(c.text);
        std::vector<fuzz::Op> ops;
        std::string error;
        EXPECT_FALSE(fuzz::parse_replay(in, &ops, &error)) << c.text;
        EXPECT_THAT(error, HasSubstr(c.error));
    }
}

} // namespace
