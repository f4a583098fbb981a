// The rmesim command's habits: help on every subcommand, explain listing the steps it can tell,
// and telling several.
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

// A one-step host scenario whose step expects `expect` and whose one final expectation holds.
std::string one_store_scenario(const std::string &name, const std::string &expect)
{
    std::string path = test_dir() + name + ".yaml";
    std::ofstream(path) << "scenario: " << name
                        << "\nplatform:\n  cores: 1\n  pa_bits: 40\n  memory:\n"
                           "    - { name: dram, base: 0x8000_0000, size: 1G }\n"
                           "steps:\n  - { id: store, on: host, store: { va: 0x8020_5000, size: 8, "
                           "value: 1 }, expect: "
                        << expect << " }\nexpect:\n  - { gpi: 0x8020_5000, is: ns }\n";
    return path;
}

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

// Counts agree with their nouns: one step, one expectation, one instruction.
TEST(Cli, CountsAgreeWithTheirNouns)
{
    std::string one = one_store_scenario("one-failure", "{ result: gpf }");
    Ran check = rmesim("check " + one);
    EXPECT_EQ(check.status, 0);
    EXPECT_NE(check.out.find(": ok (1 step, 1 final expectation)"), std::string::npos) << check.out;
    Ran failed = rmesim("run " + one);
    EXPECT_EQ(failed.status, 1);
    EXPECT_NE(failed.out.find("FAIL — 1 step, 1 expectation failed,"), std::string::npos)
        << failed.out;
    Ran two = rmesim("run " + one_store_scenario("two-failures", "{ result: gpf, pas: realm }"));
    EXPECT_EQ(two.status, 1);
    EXPECT_NE(two.out.find("FAIL — 1 step, 2 expectations failed,"), std::string::npos) << two.out;
    Ran explained = rmesim("explain " + kUart + " --step write");
    EXPECT_EQ(explained.status, 0);
    EXPECT_NE(explained.out.find("guest     1 instruction for this step, 1 executed, 2 REC exits"),
              std::string::npos)
        << explained.out;
}

} // namespace
