// The rmesim command's habits: help on every subcommand, explain listing the steps it can tell,
// and telling several; statistics by stage in final expectations; --log-filter.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

std::vector<std::string> lines_of(const std::string &path)
{
    std::vector<std::string> lines;
    std::istringstream in(slurp(path));
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

bool has(const std::string &line, const std::string &field)
{
    return line.find(field) != std::string::npos;
}

// The filtered log is the full log's matching records, in the same order, byte for byte.
TEST(Cli, LogFilterKeepsTheMatchingRecords)
{
    std::string full = test_dir() + "full.jsonl", part = test_dir() + "part.jsonl";
    ASSERT_EQ(rmesim("run " + kUart + " --quiet --log " + full).status, 0);
    ASSERT_EQ(rmesim("run " + kUart + " --quiet --log " + part +
                     " --log-filter 'step=write,kind=access|call' --log-filter core=0")
                  .status,
              0);
    std::vector<std::string> want;
    for (const std::string &line : lines_of(full))
        if (has(line, "\"step\":\"write\"") && has(line, "\"core\":0,") &&
            (has(line, "{\"record\":\"access\"") || has(line, "{\"record\":\"call\"")))
            want.push_back(line);
    EXPECT_GT(want.size(), 2u);
    EXPECT_EQ(lines_of(part), want);

    // Only access records have a regime: the others are dropped.
    ASSERT_EQ(rmesim("run " + kUart + " --quiet --log " + part +
                     " --log-filter 'regime=realm_el10|realm_el2'")
                  .status,
              0);
    std::vector<std::string> realm = lines_of(part);
    EXPECT_GT(realm.size(), 100u);
    for (const std::string &line : realm)
        ASSERT_TRUE(
            has(line, "{\"record\":\"access\"") &&
            (has(line, "\"regime\":\"realm_el10\"") || has(line, "\"regime\":\"realm_el2\"")))
            << line;
}

TEST(Cli, LogFilterRejectsWhatItDoesNotKnow)
{
    std::string log = " --log " + test_dir() + "bad.jsonl";
    for (auto [expr, message] : std::vector<std::pair<std::string, std::string>>{
             {"colour=red", "unknown key 'colour'"},
             {"kind=acess", "unknown kind 'acess'"},
             {"regime=el2", "unknown regime 'el2'"},
             {"core=x", "core 'x' is not a core number"},
             {"step=", "'step=' is not KEY=VALUE"},
             {"kind=access||call", "'kind=access||call' is not KEY=VALUE"},
             {"step=nope", "--log-filter: no step has the id 'nope'"},
             {"core=2", "--log-filter: core 2, but the platform has 2 cores"}}) {
        Ran r = rmesim("run " + kUart + log + " --log-filter '" + expr + "'");
        EXPECT_EQ(r.status, 2) << expr;
        EXPECT_NE(r.out.find(message), std::string::npos) << expr << ": " << r.out;
    }
    Ran no_log = rmesim("run " + kUart + " --log-filter kind=step");
    EXPECT_EQ(no_log.status, 2);
    EXPECT_NE(no_log.out.find("--log-filter needs --log FILE"), std::string::npos) << no_log.out;
}

} // namespace
