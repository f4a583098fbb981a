// The rmesim command's habits: help on every subcommand, explain listing the steps it can tell,
// and telling several; statistics by stage in final expectations.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "vcd_reader.hpp"

namespace
{

struct Ran {
    int status;
    std::string out;
};

Ran rmesim(const std::string &args)
{
    std::string out = test_dir() + "cli.out";
    int rc = std::system((std::string(RMESIM_BIN) + " " + args + " > " + out + " 2>&1").c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out)};
}

const std::string kUart = std::string(SCENARIOS_DIR) + "/uart-mmio.yaml";

TEST(Cli, HelpAfterASubcommandIsHelp)
{
    for (const char *cmd : {"run --help", "check -h", "explain --help",
                            "run " SCENARIOS_DIR "/uart-mmio.yaml --help"}) {
        Ran r = rmesim(cmd);
        EXPECT_EQ(r.status, 0) << cmd;
        EXPECT_EQ(r.out.rfind("usage: rmesim run FILE", 0), 0u) << cmd << ": " << r.out;
    }
    EXPECT_EQ(rmesim("run --hlep").status, 2);
}

TEST(Cli, ExplainWithoutAStepListsTheSteps)
{
    Ran r = rmesim("explain " + kUart);
    EXPECT_EQ(r.status, 0);
    for (const char *line : {"cfg                      rsi              on r0.vcpu0     (line 23)",
                             "write                    store            on r0.vcpu0     (line 30)",
                             "r0.build                 realm_create     on host         (line 17)"})
        EXPECT_NE(r.out.find(line), std::string::npos) << line << " in " << r.out;
    Ran bad = rmesim("explain " + kUart + " --step nope");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.out.find("no step has the id 'nope'"), std::string::npos) << bad.out;
}

TEST(Cli, ExplainTellsEveryStepItIsGivenInThatOrder)
{
    Ran r = rmesim("explain " + kUart + " --step write --step cfg");
    EXPECT_EQ(r.status, 0);
    size_t write = r.out.find("step write: store"), cfg = r.out.find("step cfg: rsi");
    ASSERT_NE(write, std::string::npos) << r.out;
    ASSERT_NE(cfg, std::string::npos) << r.out;
    EXPECT_LT(write, cfg);
    EXPECT_EQ(r.out.find("step map:"), std::string::npos);
    EXPECT_EQ(rmesim("explain " + kUart + " --step write --all-steps").status, 2);
}

// A host store to fresh memory: a TLB miss, a one-level walk, GPC checks that miss the GPT cache
// and a DRAM access, so every stage costs something; `finals` are its final expectations.
std::string store_scenario(const std::string &name, const std::string &finals)
{
    std::string path = test_dir() + name + ".yaml";
    std::ofstream(path) << "scenario: " << name << "\n"
                        << "platform:\n"
                           "  cores: 1\n"
                           "  pa_bits: 40\n"
                           "  gpt: { pgs: 4K, l0gptsz: 1G }\n"
                           "  memory:\n"
                           "    - { name: dram, base: 0x8000_0000, size: 1G }\n"
                           "steps:\n"
                           "  - id: store\n"
                           "    on: host\n"
                           "    store: { va: 0x8020_5000, size: 8, value: 1 }\n"
                           "    expect: { result: ok }\n"
                           "expect:\n"
                        << finals;
    return path;
}

TEST(Cli, CyclesByStageAreStatistics)
{
    std::string finals;
    for (const char *name : {"gpc.cycles", "mmu.cycles", "mmu.tlb_cycles", "mmu.s1_walk_cycles",
                             "mmu.walk_cycles", "mmu.memory_cycles"})
        finals += std::string("  - { stat: ") + name + ", min: 1 }\n";
    finals += "  - { stat: mmu.s2_walk_cycles, max: 0 }\n"; /* the host's regime has one stage */
    Ran r = rmesim("run " + store_scenario("by-stage", finals));
    EXPECT_EQ(r.status, 0) << r.out;

    Ran bad = rmesim("run " + store_scenario("typo", "  - { stat: gpc.cycle, min: 1 }\n"));
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.out.find("unknown statistic 'gpc.cycle'"), std::string::npos) << bad.out;
}

} // namespace
