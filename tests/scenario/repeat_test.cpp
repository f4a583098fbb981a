// repeat: { times, steps } and pattern: as the loader reads them: nothing is copied (the body is
// loaded once), how many steps a scenario runs, ids unique through repeats, --set into a body.
#include <gtest/gtest.h>

#include <string>
#include <vector>

extern "C" {
#include "scenario/scenario.h"
}

namespace
{

const char *const kHead = "scenario: r\n"
                          "platform:\n"
                          "  memory: [ { name: dram, base: 0x8000_0000, size: 1G } ]\n"
                          "steps:\n";

struct Loaded {
    scenario *s = nullptr;
    scenario_diag diag{};
    Loaded(const std::string &steps, const std::vector<const char *> &sets = {})
    {
        std::string yaml = kHead + steps;
        s = scenario_parse_string_with_overrides(yaml.c_str(), "r.yaml", sets.data(), sets.size(),
                                                 &diag);
    }
    ~Loaded() { scenario_free(s); }
    Loaded(const Loaded &) = delete;
    Loaded &operator=(const Loaded &) = delete;
};

const char *const kNested = "  - { id: a, on: host, load: { va: 0x8000_0000 } }\n"
                            "  - id: outer\n"
                            "    repeat:\n"
                            "      times: 1000\n"
                            "      steps:\n"
                            "        - { id: b, on: host, load: { va: 0x8000_0000 } }\n"
                            "        - repeat: { times: 3, steps: [ { id: c, on: host, load: { va: "
                            "0x8000_0008 } }, { on: host, load: { va: 0x8000_0010 } } ] }\n";

} // namespace

TEST(Repeat, TheBodyIsLoadedOnceAndCountedTimesTimes)
{
    Loaded l(kNested);
    ASSERT_NE(l.s, nullptr) << l.diag.text;
    ASSERT_EQ(l.s->n_steps, 2u);
    const scn_step &outer = l.s->steps[1];
    EXPECT_EQ(outer.action.kind, SCN_ACT_REPEAT);
    EXPECT_EQ(outer.action.times, 1000u);
    ASSERT_EQ(outer.action.n_children, 2u);
    EXPECT_EQ(outer.action.children[1].action.times, 3u);
    /* a + 1000 x (b + 3 x 2) */
    EXPECT_EQ(scenario_steps_run(l.s->steps, l.s->n_steps), 1u + 1000u * 7u);
}

TEST(Repeat, IdsAreUniqueThroughRepeats)
{
    Loaded l(
        "  - { id: b, on: host, load: { va: 0x8000_0000 } }\n"
        "  - repeat: { times: 2, steps: [ { id: b, on: host, load: { va: 0x8000_0000 } } ] }\n");
    EXPECT_EQ(l.s, nullptr);
    EXPECT_NE(std::string(l.diag.text).find("step id 'b' is already used at line 5"),
              std::string::npos)
        << l.diag.text;
}

TEST(Repeat, SetReachesAStepInsideABodyThroughItsRepeat)
{
    Loaded l(kNested,
             {"steps[outer].repeat.times=7", "steps[outer].repeat.steps[b].load.va=0x8000_1000"});
    ASSERT_NE(l.s, nullptr) << l.diag.text;
    EXPECT_EQ(l.s->steps[1].action.times, 7u);
    EXPECT_EQ(l.s->steps[1].action.children[0].action.va, 0x80001000u);
}

TEST(Repeat, TheWholeRunIsBounded)
{
    Loaded l("  - repeat: { times: 1000000000, steps: [ { repeat: { times: 1000000000, steps: [ { "
             "on: host, load: { va: 0x8000_0000 } } ] } } ] }\n");
    EXPECT_EQ(l.s, nullptr);
    EXPECT_NE(std::string(l.diag.text).find("r.yaml:5:22: this repeat runs more than"),
              std::string::npos)
        << l.diag.text;
}

TEST(PatternStep, ReplacesVaCountAndStride)
{
    Loaded l("  - { on: host, load: { size: 4, value: 7, pattern: { kind: zipf, base: 0x8000_0000, "
             "size: 64K, count: 1M, seed: 3, write_ratio: 0.25, theta: 1.2 } } }\n");
    ASSERT_NE(l.s, nullptr) << l.diag.text;
    const scn_action &a = l.s->steps[0].action;
    EXPECT_EQ(a.pattern.kind, SCN_PATTERN_ZIPF);
    EXPECT_EQ(a.pattern.size, 65536u);
    EXPECT_EQ(a.count, 1u << 20);
    EXPECT_EQ(a.pattern.seed, 3u);
    EXPECT_DOUBLE_EQ(a.pattern.write_ratio, 0.25);
    EXPECT_DOUBLE_EQ(a.pattern.theta, 1.2);
    EXPECT_EQ(a.value, 7u);
    Loaded d("  - { on: host, store: { value: 1, pattern: { kind: random, base: 0x8000_0000, "
             "size: 4K, count: 10 } } }\n");
    ASSERT_NE(d.s, nullptr) << d.diag.text;
    EXPECT_EQ(d.s->steps[0].action.pattern.seed, 1u); /* the defaults */
    EXPECT_DOUBLE_EQ(d.s->steps[0].action.pattern.theta, 0.99);
    EXPECT_DOUBLE_EQ(d.s->steps[0].action.pattern.write_ratio, 0.0);
}
