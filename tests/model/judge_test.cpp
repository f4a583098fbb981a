// The expectation judge as a view: step expectations from STEP_END records, final ones from
// the statistics and from the machine's state through an Inspector.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "model/judge.hpp"

namespace rmesim
{
namespace
{

struct Loaded {
    scenario *s = nullptr;
    explicit Loaded(const std::string &yaml)
    {
        std::string path = ::testing::TempDir() + "judge-" + std::to_string(getpid()) + ".yaml";
        std::ofstream(path) << yaml;
        scenario_diag diag;
        s = scenario_load(path.c_str(), &diag);
        EXPECT_NE(s, nullptr) << diag.text;
    }
    ~Loaded() { scenario_free(s); }
};

const char *const kScenario = R"(scenario: judged
platform:
  memory:
    - { name: dram, base: 0x8000_0000, size: 1G }
steps:
  - id: first
    on: host
    load: { va: 0x8000_0000, size: 8 }
    expect: { result: ok, pas: ns, value: 0x1234 }
  - id: second
    on: host
    load: { va: 0x8000_1000, size: 8 }
    expect: { gpi: realm }
expect:
  - { gpi: 0x8000_0000, is: ns }
  - { memory: { pa: 0x8000_0000, pas: ns, size: 8 }, value: 0x1234 }
  - { stat: steps, min: 3 }
)";

// The machine as a test wants it: a GPT that says NS everywhere, memory holding 0x1234.
struct FakeMachine : Inspector {
    bool gpi(uint64_t, unsigned &g) const override { return g = 0x9, true; }
    bool memory(uint64_t, rme_pas, unsigned, uint64_t &v) const override
    {
        return v = 0x1234, true;
    }
    const rmm_realm *realm(unsigned, bool &built) const override { return built = false, nullptr; }
    bool rtt_entry(unsigned, uint64_t, int, rtt_entry_info &) const override { return false; }
    const char *device_output(unsigned) const override { return ""; }
    const granule *granule_at(uint64_t) const override { return nullptr; }
    uint64_t granules_owned() const override { return 0; }
    uint64_t memory_resident_pages() const override { return 3; }
    uint64_t memory_host_bytes() const override { return 3 * 4096 + 100; }
    bool backing_pa(unsigned, uint64_t, unsigned, uint64_t &pa, std::string &why) const override
    {
        why = "nothing here";
        return pa = 0, false;
    }
    bool named_pa(const scn_pa_name &, uint64_t &pa, std::string &why) const override
    {
        why = "nothing here";
        return pa = 0, false;
    }
};

rme_event step_end(const StepResult &r, unsigned index)
{
    rme_event e = EventSink::make(RME_EV_STEP_END, 0, 1);
    e.u.step_change = {r.step_id.c_str(), index, &r};
    return e;
}

TEST(Judge, StepExpectationsAreJudgedFromTheirRecords)
{
    Loaded l(kScenario);
    ASSERT_NE(l.s, nullptr);
    StatsView stats("judged", 2000, 1);
    std::vector<std::string> failures;
    Judge judge(*l.s, stats, failures);
    StepResult first;
    first.step_id = "first";
    first.set("result", Observed::name("ok"));
    first.set("pas", Observed::name("ns"));
    first.set("value", Observed::num(0x4321));
    judge.on_event(step_end(first, 1));
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].find(".yaml:9:43: step 'first'"), std::string::npos) << failures[0];
    EXPECT_NE(failures[0].find("step 'first': expected value = 0x1234, got 0x4321 (17185)"),
              std::string::npos)
        << failures[0];
    StepResult second;
    second.step_id = "second";
    second.action = "load";
    second.set("result", Observed::name("translation_fault"));
    second.set("stage1", Observed::name("translation_fault"));
    second.set("fault_level", Observed::num(0));
    second.set("exception.el", Observed::num(2));
    second.set("esr", Observed::num(0x96000004));
    judge.on_event(step_end(second, 2));
    ASSERT_EQ(failures.size(), 2u);
    EXPECT_NE(failures[1].find("'gpi' was not observed: the load ended in translation_fault at "
                               "stage 1 level 0, taken to EL2 (ESR 0x96000004)\n  (step 'second' "
                               "observed: esr, exception.el, fault_level, result, stage1)"),
              std::string::npos)
        << failures[1];
    StepResult build; /* a realm's build (index 0) has no expectations */
    build.step_id = "r0.build";
    judge.on_event(step_end(build, 0));
    EXPECT_EQ(failures.size(), 2u);
}

TEST(Judge, FinalExpectationsReadTheStatisticsAndTheMachine)
{
    Loaded l(kScenario);
    ASSERT_NE(l.s, nullptr);
    StatsView stats("judged", 2000, 1);
    std::vector<std::string> failures;
    Judge judge(*l.s, stats, failures);
    StepResult r;
    for (unsigned i = 1; i <= 2; i++) /* two steps seen by the statistics */
        stats.on_event(step_end(r, i));
    EXPECT_FALSE(judge.finals(FakeMachine{}));
    ASSERT_EQ(failures.size(), 1u); /* the GPI and the memory held */
    EXPECT_NE(failures[0].find("expected statistic steps at least 3, got 2"), std::string::npos)
        << failures[0];
    stats.on_event(step_end(r, 3));
    failures.clear();
    EXPECT_TRUE(judge.finals(FakeMachine{}));
    EXPECT_TRUE(failures.empty());
}

// { realm, ipa } in a final expectation is the page behind it when the run is over.
TEST(Judge, FinalExpectationsResolveARealmIpaWhenJudged)
{
    Loaded l(R"(scenario: judged
platform:
  memory:
    - { name: dram, base: 0x8000_0000, size: 1G }
realms:
  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, size: 16M } }
steps:
  - { on: host, load: { va: 0x8000_0000, size: 8 } }
expect:
  - { gpi: { realm: r0, ipa: 0x8000_0000 }, is: ns }
  - { gpi: { realm: r0, ipa: 0x80_8000_0000, backing: shared }, is: ns }
)");
    ASSERT_NE(l.s, nullptr);
    StatsView stats("judged", 2000, 1);
    std::vector<std::string> failures;
    Judge judge(*l.s, stats, failures);
    struct Backed : FakeMachine {
        bool backs = false;
        bool backing_pa(unsigned realm, uint64_t ipa, unsigned backing, uint64_t &pa,
                        std::string &why) const override
        {
            /* the private page (by its attribute) only once it is there; the shared one,
             * asked for by name, always */
            bool shared = backing == SCN_BACKING_SHARED && ipa == 0x80'8000'0000;
            pa = shared                                         ? 0x8800'0000
                 : backs && backing == SCN_BACKING_BY_ATTRIBUTE ? 0x9000'0000
                                                                : 0;
            why = "the page is private and guest_memfd has no page for it yet";
            return realm == 0 && pa != 0;
        }
        bool gpi(uint64_t pa, unsigned &g) const override
        {
            return g = pa == 0x9000'0000 || pa == 0x8800'0000 ? 0x9 : 0xB, true;
        }
    } machine;
    EXPECT_FALSE(judge.finals(machine));
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].find("nothing backs IPA 0x80000000 of realm 'r0' in the host's memslot: "
                               "the page is private and guest_memfd has no page for it yet"),
              std::string::npos)
        << failures[0];
    failures.clear();
    machine.backs = true; /* the GPI of the page behind it: NS, as expected */
    EXPECT_TRUE(judge.finals(machine)) << (failures.empty() ? "" : failures[0]);
}

} // namespace
} // namespace rmesim
