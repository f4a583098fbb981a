// Sparse stays sparse (issue 18), through the model as a user runs it: the simulated memory's
// own accounting (`{ stat: memory.resident_pages / memory.host_bytes }`, mem/phys_mem.h), not
// the process's RSS, bounds what a run holds.
#include <gtest/gtest.h>

#include <string>

#include "run_scenario.hpp"

namespace
{

// The value a failed `{ stat: NAME, max: 1 }` reports ("... at most 1, got N").
uint64_t reported(const Ran &r, const std::string &stat)
{
    std::string key = "statistic " + stat + " at most 1, got ";
    size_t at = r.output.find(key);
    EXPECT_NE(at, std::string::npos) << r.output;
    return at == std::string::npos ? 0 : std::stoull(r.output.substr(at + key.size()));
}

// A host that writes a granule, delegates it (the RMM wipes it), undelegates it and reads it
// back; and with `write: false`, the same without the write.
std::string delegation(const std::string &name, bool write)
{
    std::string s = "scenario: " + name +
                    "\nplatform:\n  pa_bits: 40\n  memory:\n"
                    "    - { name: dram, base: 0x8000_0000, size: 64M }\nsteps:\n";
    if (write)
        s += "  - { id: data, on: host, store: { va: 0x8010_0010, size: 8, value: 0xda7a } }\n";
    return s + "  - { id: delegate, on: host, delegate: { pa: 0x8010_0000 }, expect: { status: "
               "SUCCESS } }\n"
               "  - { id: undelegate, on: host, undelegate: { pa: 0x8010_0000 }, expect: { "
               "status: SUCCESS } }\n"
               "  - { id: read, on: host, load: { va: 0x8010_0010, size: 8 }, expect: { result: "
               "ok, value: 0 } }\n"
               "expect:\n  - { stat: memory.resident_pages, max: 1 }\n";
}

// The wipe zeroes the granule (the host reads 0 after the round trip) and releases its page:
// the run that wrote it ends holding no more host pages than the run that never did.
TEST(SparseRam, AWipedGranuleReadsZeroAndHoldsNoHostMemory)
{
    Ran written = run_scenario("wiped-written", delegation("wiped-written", true));
    Ran untouched = run_scenario("wiped-untouched", delegation("wiped-untouched", false));
    // both fail only the deliberately tight bound, which reports the count
    EXPECT_EQ(written.output.find("step 'read'"), std::string::npos) << written.output;
    EXPECT_EQ(untouched.output.find("step 'read'"), std::string::npos) << untouched.output;
    uint64_t with = reported(written, "memory.resident_pages");
    uint64_t without = reported(untouched, "memory.resident_pages");
    EXPECT_GT(without, 0u); // the GPT and the firmware's tables
    EXPECT_EQ(with, without);
}

// A 64 GB realm whose real code touches 1000 granules 64 MB apart
// (bench/realm/sparse-ram.yaml, which bounds it at 50 MiB itself): the simulated memory
// holds the granules touched and their RTTs, not the RAM configured.
TEST(SparseRam, A64GbRealmTouchedAt1000GranulesHoldsWhatItTouched)
{
    std::string file = std::string(SCENARIOS_DIR) + "/../bench/realm/sparse-ram.yaml";
    Ran r = rmesim("run " + file + " --quiet");
    EXPECT_EQ(r.status, 0) << r.output;
    std::string yaml = slurp(file);
    for (const char *stat : {"resident_pages", "host_bytes"}) {
        std::string key = std::string("{ stat: memory.") + stat + ", max: ";
        size_t at = yaml.find(key);
        ASSERT_NE(at, std::string::npos) << stat;
        size_t end = yaml.find(" }", at);
        yaml.replace(at + key.size(), end - at - key.size(), "1");
    }
    std::string rel = "../../scenarios/";
    size_t img = yaml.find(rel + "images/");
    ASSERT_NE(img, std::string::npos);
    yaml.replace(img, rel.size(), std::string(SCENARIOS_DIR) + "/");
    Ran tight = run_scenario("sparse-ram-tight", yaml);
    uint64_t pages = reported(tight, "memory.resident_pages");
    uint64_t bytes = reported(tight, "memory.host_bytes");
    EXPECT_GE(pages, 1000u);        // the granules written are counted
    EXPECT_LT(pages, 5000u);        // 64 GB would be 16.7 million
    EXPECT_GE(bytes, pages * 4096); // the pages and the table behind them
    EXPECT_LT(bytes, 50ull << 20);
}

} // namespace
