// rmesim run, check and explain with --set PATH=VALUE: an overridden scenario runs as the file
// edited by hand would (byte for byte), and a bad override is refused naming it, exit 2.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "run_scenario.hpp"
#include "vcd_reader.hpp"

namespace
{

const std::string kUart = std::string(SCENARIOS_DIR) + "/uart-mmio.yaml";

bool has(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

// uart-mmio.yaml with `timing: { dram: 200 }` added to its platform, as one would by hand
std::string edited_uart()
{
    std::string text = slurp(kUart);
    size_t at = text.find("  cores: 2\n");
    EXPECT_NE(at, std::string::npos);
    text.insert(at + 11, "  timing: { dram: 200 }\n");
    std::string path = test_dir() + "uart-edited.yaml";
    std::ofstream(path) << text;
    return path;
}

TEST(SetOption, RunsAsTheFileEditedByHand)
{
    std::string dir = test_dir();
    Ran edited =
        rmesim("run " + edited_uart() + " --stats " + dir + "e.json --log " + dir + "e.log");
    ASSERT_EQ(edited.status, 0) << edited.output;
    Ran set = rmesim("run " + kUart + " --set platform.timing.dram=200 --stats " + dir +
                     "s.json --log " + dir + "s.log");
    ASSERT_EQ(set.status, 0) << set.output;
    Ran again = rmesim("run " + kUart + " --set=platform.timing.dram=200 --stats " + dir +
                       "a.json --log " + dir + "a.log");
    ASSERT_EQ(again.status, 0) << again.output;
    Ran plain = rmesim("run " + kUart + " --stats " + dir + "p.json");
    ASSERT_EQ(plain.status, 0) << plain.output;
    EXPECT_EQ(slurp(dir + "e.json"), slurp(dir + "s.json"));
    EXPECT_EQ(slurp(dir + "e.log"), slurp(dir + "s.log"));
    EXPECT_EQ(slurp(dir + "s.json"), slurp(dir + "a.json")); /* the same overrides, the same run */
    EXPECT_EQ(slurp(dir + "s.log"), slurp(dir + "a.log"));
    EXPECT_NE(slurp(dir + "p.json"), slurp(dir + "s.json")); /* and the override mattered */
    EXPECT_FALSE(slurp(dir + "s.log").empty());
}

TEST(SetOption, CheckAndExplainTakeItToo)
{
    Ran ok = rmesim("check " + kUart +
                    " --set platform.tlb.gpt_cache.entries=16 --set "
                    "platform.gpt.pgs=64K --set realms[r0].ipa_bits=48");
    EXPECT_EQ(ok.status, 0) << ok.output;
    EXPECT_TRUE(has(ok.output, "uart-mmio.yaml: ok")) << ok.output;
    Ran listed = rmesim("explain " + kUart + " --set steps[write].id=uart-store");
    EXPECT_EQ(listed.status, 0) << listed.output;
    EXPECT_TRUE(has(listed.output, "uart-store               store")) << listed.output;
    Ran brought =
        rmesim("explain " + kUart + " --set 'steps[0]={id: c2, on: r0.vcpu0, rsi: REALM_CONFIG}'");
    EXPECT_EQ(brought.status, 0) << brought.output;
    EXPECT_TRUE(has(brought.output, "on r0.vcpu0     (--set:1)")) << brought.output;
    /* explaining a step runs the overridden scenario: DRAM's cycles are in the step's record */
    Ran slow = rmesim("explain " + kUart + " --step write --json --set platform.timing.dram=200");
    Ran fast = rmesim("explain " + kUart + " --step write --json");
    EXPECT_EQ(slow.status, 0) << slow.output;
    EXPECT_NE(slow.output, fast.output);
}

// A failed expectation that an override brought is reported at it, exit 1
TEST(SetOption, AnExpectationFromAnOverrideFailsAtIt)
{
    Ran r = rmesim("run " + kUart + " --set steps[cfg].expect.ipa_bits=48");
    EXPECT_TRUE(failed_with(r, "--set:1: step 'cfg': expected ipa_bits = 0x30, got 0x28 (40)"));
}

TEST(SetOption, BadOverridesAreRefusedNamingThem)
{
    struct Case {
        const char *command, *sets, *message;
    };
    for (const Case &c : std::vector<Case>{
             {"check", "--set platform.timing.dramm=200", "--set:1: unknown timing name 'dramm'"},
             {"run", "--set platform.cores=2 --set platform.timingg.dram=1",
              "--set:2: unknown key 'timingg' in platform (expected: cores, "},
             {"explain", "--set realms[r9].ipa_bits=48",
              "--set:1: realms[r9]: no element of realms has the id or name 'r9'"},
             {"run", "--set realms[4].ipa_bits=48",
              "--set:1: realms[4]: index out of range (realms has 1 element)"},
             {"check", "--set scenario.x=1",
              "--set:1: scenario.x: scenario is a scalar, not a map with the key 'x'"},
             /* the form is checked with the command line: a usage error */
             {"run", "--set platform.cores", "rmesim: --set:1: expected PATH=VALUE"},
             {"check", "--set a=1 --set 'a[0=1'",
              "rmesim: --set:2: bad PATH 'a[0': '[' at 2 without its ']'"},
             {"explain", "--set 'platform.cores=[1,'",
              "rmesim: --set:1: VALUE '[1,' is not "
              "valid YAML"},
             {"run", "--set", "rmesim: --set needs a value (PATH=VALUE)"},
         }) {
        std::string args = std::string(c.command) + " " + kUart + " " + c.sets;
        Ran r = rmesim(args);
        EXPECT_EQ(r.status, 2) << args << "\n" << r.output;
        EXPECT_EQ(r.output.rfind(c.message, 0), 0u) << args << "\n" << r.output;
    }
    Ran exec = rmesim("exec x.elf --set a=1");
    EXPECT_EQ(exec.status, 2);
    EXPECT_TRUE(has(exec.output, "--set is an option of run, check, explain and report"))
        << exec.output;
}

TEST(SetOption, HelpListsIt)
{
    for (const char *command : {"run", "check", "explain"}) {
        Ran r = rmesim(std::string(command) + " --help");
        EXPECT_TRUE(has(r.output, "  --set PATH=VALUE  ")) << command << "\n" << r.output;
    }
}

} // namespace
