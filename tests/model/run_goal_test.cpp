// run: { until_output }: the vCPU stops once the devices print the text, counting only what
// they print from the step on (scenarios/images/hello.elf prints its first line once).
#include <gtest/gtest.h>

#include <string>

#include "run_scenario.hpp"

namespace
{

std::string hello_realm(const std::string &name)
{
    return "scenario: " + name +
           "\nplatform:\n  pa_bits: 40\n  memory:\n"
           "    - { name: dram, base: 0x8000_0000, size: 1G }\n"
           "  devices:\n    - { name: uart0, model: pl011, base: 0x10_0000 }\n"
           "realms:\n  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, "
           "size: 16M }, image: " SCENARIOS_DIR "/images/hello.elf }\nsteps:\n";
}

TEST(RunGoal, StopsWhenTheTextIsPrinted)
{
    Ran r = run_scenario("until-output", hello_realm("until-output") +
                                             "  - on: r0.vcpu0\n"
                                             "    run: { until_output: \"RSI version\" }\n"
                                             "    expect: { until: output, output: \"hello: RSI "
                                             "version\" }\n");
    EXPECT_EQ(r.status, 0) << r.output;
}

// the second step waits for a text the payload printed during the first: it runs on to the
// payload's SYSTEM_OFF (the PSCI exit), not stopping at once with until: output
TEST(RunGoal, TextPrintedBeforeTheStepDoesNotCount)
{
    Ran r = run_scenario("until-output-again",
                         hello_realm("until-output-again") +
                             "  - { on: r0.vcpu0, run: { until_output: \"IPA width 40\" } }\n"
                             "  - on: r0.vcpu0\n"
                             "    run: { until_output: \"IPA width 40\" }\n"
                             "    expect: { until: exit }\n"
                             "expect:\n  - { stat: host.rec_exits.PSCI, min: 1, max: 1 }\n");
    EXPECT_EQ(r.status, 0) << r.output;
}

} // namespace
