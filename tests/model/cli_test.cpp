// The rmesim command's habits: help on every subcommand, explain listing the steps it can tell,
// and telling several; statistics by stage in final expectations; --log-filter.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_scenario.hpp"
#include "vcd_reader.hpp"

namespace
{

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

bool has(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

// `rmesim COMMAND --help` prints that command's usage with only its options, and exits 0, even
// after files, other options or a mistake.
TEST(Cli, HelpAfterACommandListsOnlyItsOptions)
{
    struct Case {
        const char *args;
        std::vector<const char *> listed, not_listed;
    };
    for (const Case &c : std::vector<Case>{
             {"run --help",
              {"--vcd FILE", "--log FILE", "--stats FILE", "--trace-window", "--quiet",
               "--verbose"},
              {"--step", "--all-steps"}},
             {"run " SCENARIOS_DIR "/uart-mmio.yaml --vcd --help", {"--vcd FILE"}, {"--step"}},
             {"check -h", {"--quiet"}, {"--vcd", "--log", "--stats", "--step", "--verbose"}},
             {"check f.yaml --vcd x.vcd --help", {"--quiet"}, {"--vcd"}},
             {"explain --help", {"--step ID", "--all-steps", "--vcd FILE"}, {"--quiet"}}}) {
        Ran r = rmesim(c.args);
        EXPECT_EQ(r.status, 0) << c.args;
        std::string command = std::string(c.args).substr(0, std::string(c.args).find(' '));
        EXPECT_EQ(r.output.rfind("usage: rmesim " + command + " FILE", 0), 0u)
            << c.args << r.output;
        for (const char *option : c.listed)
            EXPECT_TRUE(has(r.output, option)) << c.args << " lacks " << option << ":\n"
                                               << r.output;
        for (const char *option : c.not_listed)
            EXPECT_FALSE(has(r.output, option)) << c.args << " lists " << option << ":\n"
                                                << r.output;
        EXPECT_TRUE(has(r.output, "  -h, --help")) << r.output;
    }
    Ran help_run = rmesim("help run");
    EXPECT_EQ(help_run.status, 0);
    EXPECT_EQ(help_run.output, rmesim("run --help").output);
    Ran help_nothing = rmesim("help rnu");
    EXPECT_EQ(help_nothing.status, 2);
    EXPECT_TRUE(has(help_nothing.output, "no command 'rnu' to help with; did you mean 'run'?"))
        << help_nothing.output;
    Ran all = rmesim("--help");
    EXPECT_EQ(all.status, 0);
    for (const char *line : {"rmesim COMMAND --help", "--vcd FILE", "--step ID", "--quiet"})
        EXPECT_TRUE(has(all.output, line)) << line << " in\n" << all.output;
    EXPECT_TRUE(has(all.output, "[run, check]")) << all.output; /* --quiet's commands */
}

// A misspelt option or command: exit 2, and the nearest name when it is near enough.
TEST(Cli, AnUnknownNameSuggestsTheNearest)
{
    struct Case {
        std::string args, message;
    };
    for (const Case &c : std::vector<Case>{
             {"run " + kUart + " --stat s.json",
              "unknown option '--stat'; did you mean '--stats'?"},
             {"run " + kUart + " --hlep", "unknown option '--hlep'; did you mean '--help'?"},
             {"run " + kUart + " --vdc t.vcd", "unknown option '--vdc'; did you mean '--vcd'?"},
             {"explain " + kUart + " --stpe write",
              "unknown option '--stpe'; did you mean '--step'?"},
             {"run " + kUart + " --colour", "unknown option '--colour'\n"},
             {"rn " + kUart, "unknown command 'rn'; did you mean 'run'?"},
             {"chekc " + kUart, "unknown command 'chekc'; did you mean 'check'?"},
             {"simulate " + kUart, "unknown command 'simulate'\n"},
             {"--vcd t.vcd run " + kUart, "'--vcd' is an option: the command comes first"}}) {
        Ran r = rmesim(c.args);
        EXPECT_EQ(r.status, 2) << c.args;
        EXPECT_TRUE(has(r.output, "rmesim: " + c.message)) << c.args << ":\n" << r.output;
    }
}

// Each command refuses the options it would ignore, saying why and whose option it is.
TEST(Cli, ACommandRefusesTheOptionsItDoesNotUse)
{
    struct Case {
        std::string args, message;
    };
    for (const Case &c : std::vector<Case>{
             {"check " + kUart + " --vcd t.vcd",
              "--vcd: check does not write traces (it validates scenarios without running them); "
              "--vcd is an option of run and explain"},
             {"check " + kUart + " --stats s.json", "--stats: check does not write statistics"},
             {"check " + kUart + " -v", "--verbose: check does not print the firmware's"},
             {"check " + kUart + " --step write", "--step: check does not explain steps"},
             {"run " + kUart + " --step write",
              "--step: run does not explain steps (it runs scenarios and checks their "
              "expectations); --step is an option of explain"},
             {"run " + kUart + " --all-steps", "--all-steps: run does not explain steps"},
             {"explain " + kUart + " --step write --quiet",
              "--quiet: explain does not quieten its output"},
             {"explain " + kUart + " --log l.jsonl",
              "--log: explain FILE without --step or --all-steps lists the steps and runs "
              "nothing, so it would not write event logs"},
             {"run " + kUart + " --vcd", "--vcd needs a value (FILE)"},
             {"run " + kUart + " --vcd --log l.jsonl",
              "--vcd needs a value (FILE), got the option '--log'"},
             {"run " + kUart + " --no-date=yes", "--no-date takes no value, got '--no-date=yes'"},
             {"explain " + kUart + " " + kUart + " --step write",
              "explain takes one FILE, 2 given"},
             {"run", "no scenario file given"},
             {"", "no command given"}}) {
        Ran r = rmesim(c.args);
        EXPECT_EQ(r.status, 2) << c.args;
        EXPECT_TRUE(has(r.output, "rmesim: " + c.message)) << c.args << ":\n" << r.output;
        EXPECT_TRUE(has(r.output, "--help` lists")) << r.output;
    }
}

TEST(Cli, ExplainWithoutAStepListsTheSteps)
{
    Ran r = rmesim("explain " + kUart);
    EXPECT_EQ(r.status, 0);
    for (const char *line : {"cfg                      rsi              on r0.vcpu0     (line 23)",
                             "write                    store            on r0.vcpu0     (line 30)",
                             "r0.build                 realm_create     on host         (line 17)"})
        EXPECT_NE(r.output.find(line), std::string::npos) << line << " in " << r.output;
    Ran bad = rmesim("explain " + kUart + " --step nope");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.output.find("no step has the id 'nope'"), std::string::npos) << bad.output;
}

TEST(Cli, ExplainTellsEveryStepItIsGivenInThatOrder)
{
    Ran r = rmesim("explain " + kUart + " --step write --step cfg");
    EXPECT_EQ(r.status, 0);
    size_t write = r.output.find("step write: store"), cfg = r.output.find("step cfg: rsi");
    ASSERT_NE(write, std::string::npos) << r.output;
    ASSERT_NE(cfg, std::string::npos) << r.output;
    EXPECT_LT(write, cfg);
    EXPECT_EQ(r.output.find("step map:"), std::string::npos);
    EXPECT_EQ(rmesim("explain " + kUart + " --step write --all-steps").status, 2);
}

// Counts agree with their nouns: one step, one expectation, one instruction.
TEST(Cli, CountsAgreeWithTheirNouns)
{
    std::string one = one_store_scenario("one-failure", "{ result: gpf }");
    Ran check = rmesim("check " + one);
    EXPECT_EQ(check.status, 0);
    EXPECT_NE(check.output.find(": ok (1 step, 1 final expectation)"), std::string::npos)
        << check.output;
    Ran failed = rmesim("run " + one);
    EXPECT_EQ(failed.status, 1);
    EXPECT_NE(failed.output.find("FAIL — 1 step, 1 expectation failed,"), std::string::npos)
        << failed.output;
    Ran two = rmesim("run " + one_store_scenario("two-failures", "{ result: gpf, pas: realm }"));
    EXPECT_EQ(two.status, 1);
    EXPECT_NE(two.output.find("FAIL — 1 step, 2 expectations failed,"), std::string::npos)
        << two.output;
    Ran explained = rmesim("explain " + kUart + " --step write");
    EXPECT_EQ(explained.status, 0);
    EXPECT_NE(
        explained.output.find("guest     1 instruction for this step, 1 executed, 2 REC exits"),
        std::string::npos)
        << explained.output;
}

// run says where each output went, as given, and how to open the trace; --quiet does not.
TEST(Cli, RunSaysWhereItsOutputsWent)
{
    std::string dir = test_dir() + "outputs with space/";
    ASSERT_EQ(std::system(("mkdir -p '" + dir + "'").c_str()), 0);
    Ran r = rmesim("run --vcd '" + dir + "t.vcd' --log='" + dir + "l.jsonl' --stats '" + dir +
                   "s.json' -- " + kUart);
    EXPECT_EQ(r.status, 0) << r.output;
    for (const std::string &line :
         {"\n  trace:      " + dir + "t.vcd\n", "\n  save file:  " + dir + "t.gtkw\n",
          "\n  event log:  " + dir + "l.jsonl\n", "\n  statistics: " + dir + "s.json\n",
          "\n  view the trace: gtkwave '" + dir + "t.vcd' '" + dir + "t.gtkw'\n"})
        EXPECT_TRUE(has(r.output, line)) << line << " in\n" << r.output;
    for (const char *file : {"t.vcd", "t.gtkw", "l.jsonl", "s.json"})
        EXPECT_FALSE(slurp(dir + file).empty()) << file;
    /* --quiet says nothing on stdout, and nothing of its own on stderr (a sanitizer build may
     * warn there about SystemC's coroutine stacks) */
    int quiet = std::system((std::string(RMESIM_BIN) + " run " + kUart + " --quiet --vcd '" + dir +
                             "q.vcd' > '" + dir + "q.out' 2> '" + dir + "q.err'")
                                .c_str());
    EXPECT_EQ(quiet, 0);
    EXPECT_EQ(slurp(dir + "q.out"), "");
    EXPECT_FALSE(has(slurp(dir + "q.err"), "rmesim")) << slurp(dir + "q.err");
    EXPECT_FALSE(slurp(dir + "q.vcd").empty());
    Ran plain = rmesim("run " + kUart);
    EXPECT_FALSE(has(plain.output, "trace:")) << plain.output; /* nothing written, nothing said */
}

// A host store to fresh memory: a TLB miss, a one-level walk, GPC checks that miss the GPT
// cache and a DRAM access, so every stage costs something; `finals` are its final expectations.
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
    EXPECT_EQ(r.status, 0) << r.output;

    Ran bad = rmesim("run " + store_scenario("typo", "  - { stat: gpc.cycle, min: 1 }\n"));
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.output.find("unknown statistic 'gpc.cycle'"), std::string::npos) << bad.output;
}

std::vector<std::string> lines_of(const std::string &path)
{
    std::vector<std::string> lines;
    std::istringstream in(slurp(path));
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
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
    Ran none = rmesim("run " + kUart + " --log " + test_dir() + "none.jsonl --log-filter " +
                      "kind=step,regime=realm_el10");
    EXPECT_EQ(none.status, 2);
    EXPECT_NE(none.output.find("only access records have a regime"), std::string::npos)
        << none.output;
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
        EXPECT_NE(r.output.find(message), std::string::npos) << expr << ": " << r.output;
    }
    Ran no_log = rmesim("run " + kUart + " --log-filter kind=step");
    EXPECT_EQ(no_log.status, 2);
    EXPECT_NE(no_log.output.find("--log-filter needs --log FILE"), std::string::npos)
        << no_log.output;
}

} // namespace
