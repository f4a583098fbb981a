// Overrides ("PATH=VALUE", rmesim --set): what they change in the loaded scenario, that the
// usual checks apply to what they bring (at "--set:N:"), and every way an override is refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

extern "C" {
#include "scenario/scenario.h"
}

namespace
{

// One realm, two steps (ids cfg and store), one host device; every line is what the tests edit.
const char *const kBase = "scenario: base\n"
                          "platform:\n"
                          "  cores: 2\n"
                          "  pa_bits: 40\n"
                          "  memory:\n"
                          "    - { name: dram, base: 0x8000_0000, size: 1G }\n"
                          "  devices:\n"
                          "    - { name: uart0, model: pl011, base: 0x10_0000 }\n"
                          "realms:\n"
                          "  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, "
                          "size: 16M } }\n"
                          "steps:\n"
                          "  - { id: cfg, on: r0.vcpu0, rsi: REALM_CONFIG, expect: { status: "
                          "SUCCESS, ipa_bits: 40 } }\n"
                          "  - { id: store, on: host, store: { va: 0x8020_5000, size: 8, value: 1 "
                          "} }\n";

struct Loaded {
    scenario *s = nullptr;
    scenario_diag diag{};
    Loaded(const std::string &yaml, const std::vector<const char *> &sets)
    {
        s = scenario_parse_string_with_overrides(yaml.c_str(), "base.yaml", sets.data(),
                                                 sets.size(), &diag);
    }
    ~Loaded() { scenario_free(s); }
    Loaded(const Loaded &) = delete;
    Loaded &operator=(const Loaded &) = delete;
};

const scn_check *check_of(const scn_step &st, const char *path)
{
    for (size_t i = 0; i < st.n_checks; i++)
        if (std::string(st.checks[i].path) == path)
            return &st.checks[i];
    return nullptr;
}

TEST(Overrides, ReplaceAScalarAKeyAtATimeAndByIndexOrName)
{
    Loaded l(kBase,
             {"platform.cores=4", "platform.timing.dram=200", "platform.tlb.gpt_cache.entries=16",
              "platform.gpt.pgs=64K", "realms[r0].ipa_bits=48", "platform.memory[0].size=2G",
              "platform.devices[uart0].base=0x20_0000", "steps[cfg].expect.ipa_bits=48"});
    ASSERT_NE(l.s, nullptr) << l.diag.text;
    EXPECT_EQ(l.s->platform.cores, 4u);
    EXPECT_EQ(l.s->platform.timing[TIMING_DRAM], 200u);
    EXPECT_EQ(l.s->platform.gpt_cache.entries, 16u);
    EXPECT_EQ(l.s->platform.gpt_cache.ways, 4u); /* the default: only entries was set */
    EXPECT_EQ(l.s->platform.pgs, 64u * 1024);
    EXPECT_EQ(l.s->realms[0].ipa_bits, 48u);
    EXPECT_EQ(l.s->platform.memory[0].size, 2ull << 30);
    EXPECT_EQ(l.s->platform.devices[0].base, 0x20'0000u);
    const scn_check *ipa_bits = check_of(l.s->steps[0], "ipa_bits");
    ASSERT_NE(ipa_bits, nullptr);
    EXPECT_EQ(ipa_bits->number, 48u);
    EXPECT_EQ(ipa_bits->pos.set, 8); /* the node came from the 8th override */
    EXPECT_EQ(ipa_bits->pos.line, 0);
    EXPECT_EQ(check_of(l.s->steps[0], "status")->pos.set, 0); /* the file's */
}

TEST(Overrides, AValueIsAnyYamlNode)
{
    Loaded l(kBase, {"platform.tlb={gpt_cache: {entries: 16, ways: 2}}",
                     "steps[store].expect={value: 1, cycles: {min: 1}}", "steps[1].id=write",
                     "description='a: quoted # string'"});
    ASSERT_NE(l.s, nullptr) << l.diag.text;
    EXPECT_EQ(l.s->platform.gpt_cache.entries, 16u);
    EXPECT_EQ(l.s->platform.gpt_cache.ways, 2u);
    EXPECT_STREQ(l.s->steps[1].id, "write");
    EXPECT_NE(check_of(l.s->steps[1], "cycles"), nullptr);
    EXPECT_STREQ(l.s->description, "a: quoted # string");
}

// The result is the file as edited by hand: the same scenario, field by field.
TEST(Overrides, TheSameAsTheFileEditedByHand)
{
    std::string edited = kBase;
    edited.replace(edited.find("  cores: 2\n"), 11, "  cores: 2\n  timing: { dram: 200 }\n");
    edited.replace(edited.find("ipa_bits: 40, vcpus"), 12, "ipa_bits: 44");
    Loaded by_hand(edited, {});
    Loaded by_set(kBase, {"platform.timing.dram=200", "realms[r0].ipa_bits=44"});
    ASSERT_NE(by_hand.s, nullptr) << by_hand.diag.text;
    ASSERT_NE(by_set.s, nullptr) << by_set.diag.text;
    for (int t = 0; t < TIMING_COUNT; t++)
        EXPECT_EQ(by_hand.s->platform.timing[t], by_set.s->platform.timing[t]) << t;
    EXPECT_EQ(by_hand.s->realms[0].ipa_bits, 44u);
    EXPECT_EQ(by_set.s->realms[0].ipa_bits, 44u);
    EXPECT_EQ(by_hand.s->n_steps, by_set.s->n_steps);
}

// In order: the last of two overrides of one PATH wins, and a later one edits an earlier one's.
TEST(Overrides, TheLastOfOnePathWins)
{
    Loaded twice(kBase, {"platform.timing.dram=300", "platform.timing.dram=200"});
    ASSERT_NE(twice.s, nullptr) << twice.diag.text;
    EXPECT_EQ(twice.s->platform.timing[TIMING_DRAM], 200u);
    Loaded inside(kBase, {"platform.timing={dram: 300, device: 7}", "platform.timing.dram=5"});
    ASSERT_NE(inside.s, nullptr) << inside.diag.text;
    EXPECT_EQ(inside.s->platform.timing[TIMING_DRAM], 5u);
    EXPECT_EQ(inside.s->platform.timing[TIMING_DEVICE], 7u);
}

// What an override brings is checked as if it were in the file, and the error is where it came
// from: --set:N, not a line of the file.
TEST(Overrides, TheUsualChecksApplyAtTheOverride)
{
    struct Case {
        std::vector<const char *> sets;
        const char *message;
    };
    for (const Case &c : std::vector<Case>{
             {{"platform.cores=2", "platform.timingg.dram=1"},
              "--set:2: unknown key 'timingg' in platform (expected: cores, "},
             {{"platform.timing.dramm=200"}, "--set:1: unknown timing name 'dramm'"},
             {{"platform.cores=many"}, "--set:1: cores must be a number"},
             {{"platform.cores="}, "--set:1: cores must be a number"},
             {{"platform.tlb.gpt_cache={entries: 16, ways: 4, size: 1}"},
              "--set:1: unknown key 'size' in "},
             {{"steps[cfg].expect.bogus=1"}, "--set:1: unknown expectation 'bogus'"},
             {{"platform.timing.dram={a: 1}"}, "--set:1: dram must be a scalar, got a map"},
             {{"realms[0]=[1]"}, "--set:1: "},
             /* the region's check is at its map, which the first override brought */
             {{"platform.memory[0]={name: dram, base: 0x8000_0000, size: 1G}",
               "platform.memory[dram].base=0x8000_0001"},
              "--set:1: memory region 'dram' must have a non-zero, 4K-aligned base and size"},
         }) {
        Loaded l(kBase, c.sets);
        EXPECT_EQ(l.s, nullptr) << c.message;
        EXPECT_EQ(std::string(l.diag.text).rfind(c.message, 0), 0u) << l.diag.text;
        EXPECT_EQ(l.diag.set, std::string(c.message)[6] - '0') << l.diag.text;
    }
    // an error at a node of the file that an override made wrong is the file's, as usual
    Loaded file(kBase, {"steps[cfg].id=store"});
    EXPECT_EQ(file.s, nullptr);
    EXPECT_STREQ(file.diag.text, "base.yaml:13:5: step id 'store' is already used at line 12");
    EXPECT_EQ(file.diag.set, 0);
    Loaded region(kBase, {"platform.memory[dram].base=0x8000_0001"});
    EXPECT_STREQ(region.diag.text, "base.yaml:6:7: memory region 'dram' must have a non-zero, "
                                   "4K-aligned base and size");
    // ... and the other end of a message can be an override
    Loaded other(kBase, {"steps[0]={id: store, on: host, store: {va: 0x8020_5000, size: 8, "
                         "value: 1}}"});
    EXPECT_EQ(other.s, nullptr);
    EXPECT_STREQ(other.diag.text, "base.yaml:13:5: step id 'store' is already used at --set:1");
}

// Every malformed override, and every PATH that names nothing the document has, is refused
// naming the override, both by scn_override_check (no document needed) and by the loader.
TEST(Overrides, MalformedOverridesAreRefused)
{
    struct Case {
        const char *set;
        const char *message;
        bool form; /* scn_override_check refuses it too (else only the document can) */
    };
    for (const Case &c : std::vector<Case>{
             {"platform.cores",
              "--set:1: expected PATH=VALUE (e.g. platform.timing.dram=200), "
              "got 'platform.cores'",
              true},
             {"=4", "--set:1: empty PATH in '=4' (PATH=VALUE)", true},
             {"platform..cores=4", "--set:1: bad PATH 'platform..cores': empty key at 10", true},
             {"platform.=4", "--set:1: bad PATH 'platform.': empty key at 10", true},
             {"platform.[0]=4", "--set:1: bad PATH 'platform.[0]': empty key at 10", true},
             {"[0]=4", "--set:1: bad PATH '[0]': it starts with a key of the scenario, not [",
              true},
             {"realms[0=4", "--set:1: bad PATH 'realms[0': '[' at 7 without its ']'", true},
             {"realms[0[1]]=4", "--set:1: bad PATH 'realms[0[1]]': '[' at 7 without its ']'", true},
             {"realms]0=4", "--set:1: bad PATH 'realms]0': ']' at 7 without its '['", true},
             {"plat form.cores=4", "--set:1: bad PATH: character 5 of a key is not printable ASCII",
              true},
             {"platform.c\xc3\xb6res=4",
              "--set:1: bad PATH: character 11 of a key is not printable ASCII", true},
             {"realms[]=4",
              "--set:1: bad PATH 'realms[]': empty [] at 7 (an index or an id goes in it)", true},
             {"realms[0]x=4",
              "--set:1: bad PATH 'realms[0]x': 'x' at 10: a '.' or a '[' goes after ']'", true},
             {"realms[99999999999999999999999]=4",
              "--set:1: bad PATH 'realms[99999999999999999999999]': index "
              "[99999999999999999999999] is too large",
              true},
             {"platform.cores=[1,", "--set:1: VALUE '[1,' is not valid YAML: ", true},
             {"platform.cores={a: 1", "--set:1: VALUE '{a: 1' is not valid YAML: ", true},
             {"platform.cores=1\n---\n2",
              "--set:1: VALUE '1\n---\n2' holds more than one YAML "
              "document",
              true},
             {"platform.cores=*anchor", "--set:1: VALUE '*anchor' is not valid YAML: ", true},
             {"realms[1].ipa_bits=48",
              "--set:1: realms[1]: index out of range (realms has 1 element)", false},
             {"platform.memory[5]=1",
              "--set:1: platform.memory[5]: index out of range (platform.memory has 1 element)",
              false},
             {"realms[r9].ipa_bits=48",
              "--set:1: realms[r9]: no element of realms has the id or name 'r9'", false},
             {"steps[nothing].id=a",
              "--set:1: steps[nothing]: no element of steps has the id or name 'nothing'", false},
             {"scenario.name=x",
              "--set:1: scenario.name: scenario is a scalar, not a map with the key 'name'", false},
             {"platform.memory.size=1G",
              "--set:1: platform.memory.size: platform.memory is a list, not a map with the key "
              "'size'",
              false},
             {"platform[0]=1", "--set:1: platform[0]: platform is a map, not a list", false},
             {"realms[0].ipa_bits[0]=1",
              "--set:1: realms[0].ipa_bits[0]: realms[0].ipa_bits is a scalar, not a list", false},
             {"platform.timing[0]=1",
              "--set:1: platform.timing: no such key, so no list to select [..] from", false},
         }) {
        Loaded l(kBase, {c.set});
        EXPECT_EQ(l.s, nullptr) << c.set;
        EXPECT_EQ(std::string(l.diag.text).rfind(c.message, 0), 0u)
            << c.set << "\n got: " << l.diag.text << "\nwant: " << c.message;
        EXPECT_EQ(l.diag.set, 1) << c.set;
        scenario_diag diag{};
        EXPECT_EQ(scn_override_check(c.set, 3, &diag), !c.form) << c.set;
        if (c.form) {
            EXPECT_EQ(diag.set, 3);
            EXPECT_EQ(std::string(diag.text).substr(8), std::string(l.diag.text).substr(8));
        }
    }
    scenario_diag diag{};
    EXPECT_TRUE(scn_override_check("realms[r0].ipa_bits=48", 1, &diag)) << diag.text;
    EXPECT_TRUE(scn_override_check("a.b[0][x].c={d: [1, 2]}", 1, &diag)) << diag.text;
}

// The n-th override is named by its place among them, and the first bad one stops the load.
TEST(Overrides, TheBadOneIsNamedByItsPlace)
{
    Loaded l(kBase,
             {"platform.cores=2", "realms[r0].ipa_bits=48", "realms[r1].ipa_bits=48", "nonsense"});
    EXPECT_EQ(l.s, nullptr);
    EXPECT_STREQ(l.diag.text, "--set:3: realms[r1]: no element of realms has the id or name 'r1'");
    EXPECT_EQ(l.diag.set, 3);
}

TEST(Overrides, AValueTooDeepOrTooLargeIsRefused)
{
    std::string deep = "platform.cores=" + std::string(70, '[') + std::string(70, ']');
    Loaded l(kBase, {deep.c_str()});
    EXPECT_EQ(l.s, nullptr);
    EXPECT_STREQ(l.diag.text, "--set:1: VALUE nests deeper than 64 levels");
    /* 10 aliases of 10 aliases ... six deep: a million nodes from a short VALUE */
    std::string laughs = "platform.cores=[&a0 [1,1,1,1,1,1,1,1,1,1]";
    for (int i = 1; i < 7; i++) {
        laughs += ", &a" + std::to_string(i) + " [";
        for (int j = 0; j < 10; j++)
            laughs += std::string(j ? "," : "") + "*a" + std::to_string(i - 1);
        laughs += "]";
    }
    laughs += "]";
    Loaded big(kBase, {laughs.c_str()});
    EXPECT_EQ(big.s, nullptr);
    EXPECT_STREQ(big.diag.text, "--set:1: VALUE has more than 100000 nodes (an alias counts each "
                                "time it is named)");
    scenario_diag diag{};
    EXPECT_FALSE(scn_override_check(deep.c_str(), 1, &diag));
    EXPECT_STREQ(diag.text, "--set:1: VALUE nests deeper than 64 levels");
    std::string fits = "platform.cores=" + std::string(60, '[') + std::string(60, ']');
    Loaded f(kBase, {fits.c_str()});
    EXPECT_STREQ(f.diag.text, "--set:1: cores must be a scalar, got a list");
}

// An empty file is refused as empty, overrides or not; a document that is not a map cannot be
// overridden.
TEST(Overrides, TheDocumentMustBeAMap)
{
    Loaded empty("", {"platform.cores=2"});
    EXPECT_STREQ(empty.diag.text,
                 "base.yaml:1:1: the file is empty: a scenario needs scenario, platform and steps");
    Loaded list("- 1\n", {"platform.cores=2"});
    EXPECT_STREQ(list.diag.text, "--set:1: the scenario is a list, not a map");
    Loaded bad_form("", {"platform.cores"});
    EXPECT_EQ(bad_form.diag.set, 1) << bad_form.diag.text;
}

// An alias is the anchored node itself: an override through it edits every place that names it,
// one that replaces it replaces only that place's.
TEST(Overrides, AliasesAreSharedNodes)
{
    std::string yaml = kBase;
    yaml.replace(yaml.find("ram: { ipa"), 4, "ram: &ram");
    yaml.replace(yaml.find("steps:\n"), 0, "  - { name: r1, ipa_bits: 40, vcpus: 1, ram: *ram }\n");
    Loaded through(yaml, {"realms[r1].ram.size=32M"});
    ASSERT_NE(through.s, nullptr) << through.diag.text;
    EXPECT_EQ(through.s->realms[0].ram_size, 32u << 20);
    EXPECT_EQ(through.s->realms[1].ram_size, 32u << 20);
    Loaded replaced(yaml, {"realms[r1].ram={ipa: 0x8000_0000, size: 8M}"});
    ASSERT_NE(replaced.s, nullptr) << replaced.diag.text;
    EXPECT_EQ(replaced.s->realms[0].ram_size, 16u << 20);
    EXPECT_EQ(replaced.s->realms[1].ram_size, 8u << 20);
}

TEST(Overrides, WhereAPositionIs)
{
    char buf[64];
    EXPECT_STREQ(scn_where("a.yaml", scn_pos{3, 5, 0}, buf, sizeof buf), "a.yaml:3:5");
    EXPECT_STREQ(scn_where("a.yaml", scn_pos{0, 0, 2}, buf, sizeof buf), "--set:2");
    EXPECT_STREQ(scn_line(scn_pos{3, 5, 0}, buf, sizeof buf), "line 3");
    EXPECT_STREQ(scn_line(scn_pos{0, 0, 2}, buf, sizeof buf), "--set:2");
}

// scenario_load_with_overrides reads the file, then overrides it like the string loader.
TEST(Overrides, FromAFile)
{
    const char *sets[] = {"platform.timing.dram=200"};
    scenario_diag diag{};
    scenario *s = scenario_load_with_overrides(SCENARIOS_DIR "/uart-mmio.yaml", sets, 1, &diag);
    ASSERT_NE(s, nullptr) << diag.text;
    EXPECT_EQ(s->platform.timing[TIMING_DRAM], 200u);
    scenario_free(s);
    const char *bad[] = {"realms[r9].ipa_bits=1"};
    s = scenario_load_with_overrides(SCENARIOS_DIR "/uart-mmio.yaml", bad, 1, &diag);
    EXPECT_EQ(s, nullptr);
    EXPECT_STREQ(diag.text, "--set:1: realms[r9]: no element of realms has the id or name 'r9'");
}

} // namespace
