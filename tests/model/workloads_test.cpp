// Workloads through the command line (docs/scenarios.md, "Repeat" and "Access patterns"): a run
// is reproducible byte for byte, a repeat of N is its body written N times, a pattern step makes
// exactly the accesses its generator promises (host and realm), and every view names a repeated
// step's iterations alike.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "run_scenario.hpp"

extern "C" {
#include "scenario/pattern.h"
}

namespace
{

const std::string kHost = "scenario: w\nplatform:\n  memory: [ { name: dram, base: 0x8000_0000, "
                          "size: 1G } ]\nsteps:\n";

std::string write(const std::string &name, const std::string &yaml)
{
    std::string path = test_dir() + name + ".yaml";
    std::ofstream(path) << yaml;
    return path;
}

// The completed accesses a step made in a translation regime (its own, not the host's or the
// RMM's on its behalf), from the event log: (va, "load"/"store") in order.
std::vector<std::pair<uint64_t, std::string>> logged(const std::string &log,
                                                     const std::string &step,
                                                     const std::string &regime,
                                                     const scn_pattern &p)
{
    std::vector<std::pair<uint64_t, std::string>> out;
    std::istringstream in(log);
    std::string line;
    auto field = [&](const std::string &key) {
        size_t at = line.find("\"" + key + "\":\"");
        if (at == std::string::npos)
            return std::string();
        at += key.size() + 4;
        return line.substr(at, line.find('"', at) - at);
    };
    while (std::getline(in, line))
        if (field("record") == "access" && field("step") == step && field("result") == "ok" &&
            field("regime") == regime && (field("op") == "load" || field("op") == "store")) {
            uint64_t va = std::stoull(field("va"), nullptr, 16);
            if (va - p.base < p.size) /* not the guest's boot, in the same step */
                out.push_back({va, field("op")});
        }
    return out;
}

std::vector<std::pair<uint64_t, std::string>> promised(const scn_pattern &p, unsigned size,
                                                       bool store_step)
{
    pattern_gen g;
    pattern_init(&g, &p, size);
    std::vector<std::pair<uint64_t, std::string>> out;
    uint64_t va;
    bool store;
    while (pattern_next(&g, &va, &store))
        out.push_back({va, store || store_step ? "store" : "load"});
    return out;
}

} // namespace

TEST(Workloads, TheSameScenarioGivesTheSameLogTwice)
{
    std::string path = std::string(SCENARIOS_DIR) + "/studies/working-set.yaml";
    std::string a = test_dir() + "ws-a.log", b = test_dir() + "ws-b.log";
    const std::string fewer = " --set steps[rounds].repeat.times=2 --quiet --log ";
    ASSERT_EQ(rmesim("run " + path + fewer + a).status, 0);
    ASSERT_EQ(rmesim("run " + path + fewer + b).status, 0);
    std::string la = slurp(a);
    EXPECT_GT(la.size(), 100000u);
    EXPECT_TRUE(la == slurp(b));
    EXPECT_NE(la.find("\"step\":\"zipf#2\""), std::string::npos);
}

// The statistics of a repeat of 3 and of its body written out 3 times are the same, byte for
// byte: nothing but the names differs (a host step and a realm step with a pattern each).
TEST(Workloads, ARepeatOfNIsItsBodyWrittenNTimes)
{
    const std::string head =
        "scenario: same\nplatform:\n  memory: [ { name: dram, base: 0x8000_0000, size: 1G } ]\n"
        "realms:\n  - { name: r0, ram: { ipa: 0x8000_0000, size: 16M } }\nsteps:\n";
    auto body = [](const std::string &suffix) {
        return "  - { id: h" + suffix +
               ", on: host, load: { pattern: { kind: random, base: 0x8010_0000, size: 32K, "
               "count: 50, seed: 4 } } }\n  - { id: g" +
               suffix +
               ", on: r0.vcpu0, load: { value: 2, pattern: { kind: zipf, base: "
               "0xffff_0000_0010_0000, size: 64K, count: 50, write_ratio: 0.2 } } }\n";
    };
    std::string looped = head + "  - repeat:\n      times: 3\n      steps:\n";
    std::string b = body("");
    for (size_t at = 0; (at = b.find("  - ", at)) != std::string::npos; at += 10)
        b.insert(at, "      ");
    looped += b;
    std::string written = head + body("1") + body("2") + body("3");
    std::string sa = test_dir() + "looped.json", sb = test_dir() + "written.json";
    ASSERT_EQ(rmesim("run " + write("looped", looped) + " --quiet --stats " + sa).status, 0);
    ASSERT_EQ(rmesim("run " + write("written", written) + " --quiet --stats " + sb).status, 0);
    std::string ja = slurp(sa);
    EXPECT_NE(ja.find("\"steps\":6"), std::string::npos) << ja.substr(0, 300);
    EXPECT_EQ(ja, slurp(sb));
}

TEST(Workloads, AHostPatternMakesTheGeneratorsAccesses)
{
    std::string yaml = kHost + "  - { id: p, on: host, load: { size: 4, value: 9, pattern: { kind: "
                               "random, base: 0x8020_0000, size: 1M, count: 300, seed: 77, "
                               "write_ratio: 0.3 } } }\n";
    std::string log = test_dir() + "hp.log";
    ASSERT_EQ(rmesim("run " + write("hp", yaml) + " --quiet --log " + log).status, 0);
    scn_pattern p{SCN_PATTERN_RANDOM, 0x80200000, 1 << 20, 0, 300, 77, 0.3, 0.99};
    auto want = promised(p, 4, false);
    EXPECT_EQ(logged(slurp(log), "p", "ns_el2", p), want);
    size_t stores = 0;
    for (auto &a : want)
        stores += a.second == "store";
    EXPECT_GT(stores, 60u); /* the ratio is the generator's, tested there; some of each */
    EXPECT_LT(stores, 120u);
}

// A realm's pattern goes through first touches (each access the host fixes is retried): the
// completed accesses are still the generator's, in order.
TEST(Workloads, ARealmPatternMakesTheGeneratorsAccesses)
{
    std::string yaml = one_realm_header("rp") +
                       "  - { id: z, on: r0.vcpu0, store: { size: 8, value: 3, pattern: { kind: "
                       "zipf, base: 0xffff_0000_0020_0000, size: 128K, count: 150, seed: 5 } }, "
                       "expect: { accesses: 150, stores: 150, loads: 0 } }\n";
    std::string log = test_dir() + "rp.log";
    Ran r = rmesim("run " + write("rp", yaml) + " --quiet --log " + log);
    ASSERT_EQ(r.status, 0) << r.output;
    scn_pattern p{SCN_PATTERN_ZIPF, 0xffff000000200000ull, 128 << 10, 0, 150, 5, 0.0, 0.99};
    EXPECT_EQ(logged(slurp(log), "z", "realm_el10", p), promised(p, 8, true));
}

// Expectations inside a repeat are judged at every iteration and name it; explain, --results and
// --trace-step know the iterations' names.
TEST(Workloads, EveryViewNamesTheIterations)
{
    std::string yaml = kHost + "  - id: loop\n    repeat:\n      times: 3\n      steps:\n"
                               "        - { id: x, on: host, load: { va: 0x8000_0000 }, expect: { "
                               "tlb: miss } }\n";
    std::string path = write("names", yaml);
    Ran r = rmesim("run " + path + " --results " + test_dir() + "names.json");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.output.find("step 'x#2': expected tlb = miss, got hit"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("step 'x#3'"), std::string::npos);
    EXPECT_EQ(r.output.find("step 'x#1'"), std::string::npos);
    std::string results = slurp(test_dir() + "names.json");
    EXPECT_NE(results.find("\"step\":\"x#3\",\"index\":3"), std::string::npos) << results;
    Ran listed = rmesim("explain " + path);
    EXPECT_NE(listed.output.find("x#1..3 "), std::string::npos) << listed.output;
    Ran told = rmesim("explain " + path + " --step x#2");
    EXPECT_NE(told.output.find("step x#2: load"), std::string::npos) << told.output;
    Ran bare = rmesim("explain " + path + " --step x");
    EXPECT_EQ(bare.status, 2);
    EXPECT_NE(bare.output.find("no step runs as 'x' (the step 'x' runs as x#1..3)"),
              std::string::npos)
        << bare.output;
    Ran filtered = rmesim("run " + path + " --log " + test_dir() + "f.log --log-filter step=x#7");
    EXPECT_EQ(filtered.status, 2);
    EXPECT_NE(filtered.output.find("--log-filter: no step runs as 'x#7'"), std::string::npos)
        << filtered.output;
    EXPECT_EQ(rmesim("explain " + path + " --step x#4").status, 2);
    std::string vcd = test_dir() + "names.vcd";
    Ran traced = rmesim("run " + path + " --vcd " + vcd + " --trace-step x#2");
    EXPECT_EQ(traced.status, 1) << traced.output;
    EXPECT_NE(slurp(vcd).find("sx#2 "), std::string::npos);
    Ran wrong = rmesim("run " + path + " --vcd " + vcd + " --trace-step x#0");
    EXPECT_EQ(wrong.status, 2);
    EXPECT_NE(wrong.output.find("(steps: x#1..3"), std::string::npos) << wrong.output;
}

// A realm's pattern over an emulated device: each access traps, the VMM emulates it and the
// vCPU goes on past it; the pattern goes on with its next access (three stores print "HHH").
TEST(Workloads, ARealmPatternGoesOnPastEmulatedAccesses)
{
    std::string yaml =
        "scenario: mmio-pattern\nplatform:\n  memory: [ { name: dram, base: 0x8000_0000, size: "
        "1G } ]\n  devices: [ { name: uart0, model: pl011, base: 0x10_0000 } ]\nrealms:\n  - { "
        "name: r0, ram: { ipa: 0x8000_0000, size: 16M } }\nsteps:\n"
        "  - { on: r0.vcpu0, ioremap: { pa: 0x10_0000, size: 4K, va: 0xffff_8000_0010_0000 } }\n"
        "  - { id: p, on: r0.vcpu0, store: { size: 1, value: 0x48, pattern: { kind: sequential, "
        "base: 0xffff_8000_0010_0000, size: 1, count: 3 } }, expect: { accesses: 3, stores: 3 } "
        "}\nexpect:\n  - { device: uart0, output: \"HHH\" }\n";
    Ran r = rmesim("run " + write("mmio-pattern", yaml));
    EXPECT_EQ(r.status, 0) << r.output;
}

// A load pattern whose last access is a store reports no value (the fields are the last
// access's), in the step's record.
TEST(Workloads, ALoadPatternEndingInAStoreReportsNoValue)
{
    scn_pattern p{SCN_PATTERN_RANDOM, 0xffff000000200000ull, 64 << 10, 0, 20, 1, 0.5, 0.99};
    for (;; p.seed++) { /* a seed whose last access is a store, after some loads */
        auto all = promised(p, 8, false);
        if (all.back().second == "store" && all[all.size() - 2].second == "load")
            break;
    }
    std::string yaml = one_realm_header("last-store") +
                       "  - { id: w, on: r0.vcpu0, load: { size: 8, value: 5, pattern: { kind: "
                       "random, base: 0xffff_0000_0020_0000, size: 64K, count: 20, seed: " +
                       std::to_string(p.seed) + ", write_ratio: 0.5 } } }\n";
    std::string log = test_dir() + "last-store.log";
    Ran r = rmesim("run " + write("last-store", yaml) + " --quiet --log " + log);
    ASSERT_EQ(r.status, 0) << r.output;
    std::string text = slurp(log);
    size_t at = text.find("{\"record\":\"step\",\"step\":\"w\"");
    ASSERT_NE(at, std::string::npos);
    std::string record = text.substr(at, text.find('\n', at) - at);
    EXPECT_EQ(record.find("\"value\""), std::string::npos) << record;
    EXPECT_NE(record.find("\"result\":\"ok\""), std::string::npos) << record;
}
