// parallel: branch offsets (docs/scenarios.md, `after:`): a step with `after: N` starts exactly N
// cycles after the steps of its group without one, as the event log's start_cycle tells; with
// no offset the group's steps start together, as before.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <sstream>
#include <string>

#include "run_scenario.hpp"

namespace
{

// Two cores; the host loads on core 0 and el3 on core 1, `el3_after` (if any) on el3's step.
std::string two_core_group(const std::string &name, const std::string &el3_after)
{
    return "scenario: " + name + "\nplatform:\n  cores: 2\n  pa_bits: 40\n  memory:\n" +
           "    - { name: dram, base: 0x8000_0000, size: 1G }\nsteps:\n  - parallel:\n" +
           "      - { id: first, on: host, core: 0, load: { va: 0x8000_0000 } }\n" +
           "      - { id: second, on: el3, core: 1, " + el3_after +
           "load: { va: 0x8000_1000, pas: ns } }\n";
}

// Each step's start_cycle, from the step records of the run's event log.
std::map<std::string, uint64_t> start_cycles(const std::string &name, const std::string &yaml)
{
    std::string log = test_dir() + name + ".jsonl";
    Ran r = run_scenario(name, yaml, "--quiet --log " + log + " --log-filter kind=step");
    EXPECT_EQ(r.status, 0) << r.output;
    std::map<std::string, uint64_t> starts;
    std::istringstream lines(slurp(log));
    for (std::string line; std::getline(lines, line);) {
        size_t id = line.find("\"step\":\""), at = line.find("\"start_cycle\":");
        if (id == std::string::npos || at == std::string::npos)
            continue;
        id += 8;
        starts[line.substr(id, line.find('"', id) - id)] = std::stoull(line.substr(at + 14));
    }
    return starts;
}

TEST(ParallelOffset, WithoutAfterTheStepsStartTogether)
{
    auto starts = start_cycles("offset-none", two_core_group("offset-none", ""));
    ASSERT_EQ(starts.count("first"), 1u);
    ASSERT_EQ(starts.count("second"), 1u);
    EXPECT_EQ(starts["first"], starts["second"]);
}

TEST(ParallelOffset, AfterShiftsTheStartByExactlyTheOffset)
{
    for (uint64_t after : {1u, 777u, 3000u}) {
        std::string name = "offset-" + std::to_string(after);
        auto starts =
            start_cycles(name, two_core_group(name, "after: " + std::to_string(after) + ", "));
        ASSERT_EQ(starts.count("first"), 1u);
        ASSERT_EQ(starts.count("second"), 1u);
        EXPECT_EQ(starts["second"] - starts["first"], after) << "after: " << after;
    }
}

// The offset is simulated time: the same scenario gives the same log, byte for byte.
TEST(ParallelOffset, RunsAreRepeatable)
{
    std::string yaml = two_core_group("offset-again", "after: 2500, ");
    std::string log = test_dir() + "offset-again.jsonl";
    std::string texts[2];
    for (std::string &text : texts) {
        Ran r = run_scenario("offset-again", yaml, "--quiet --log " + log);
        ASSERT_EQ(r.status, 0) << r.output;
        text = slurp(log);
    }
    EXPECT_FALSE(texts[0].empty());
    EXPECT_EQ(texts[0], texts[1]);
}

} // namespace
