// The A64 core's fast path (A64Binding: repeated TLB hits served from its table, memory through
// remembered DMI pages) changes nothing a view shows: a program run with it and without it
// writes the same event log and the same statistics, also when the regime changes between
// instructions and when memory withdraws a page's DMI pointer in the middle of the run.
#include <gtest/gtest.h>

#include <cstdio>

#include "elf_builder.hpp"
#include "isolated.hpp"
#include "model/a64_program.hpp"
#include "model/event_log.hpp"

extern "C" {
#include "mem/phys_mem.h"
}

namespace
{

constexpr uint64_t kText = 0x400000, kData = 0x411000;

// bench/a64's loop: x3 = [x1 + x4] + x2; [x1 + x4] = x3; x4 = (x4 + 8) & 0xff8; 200 times;
// then exit(0)
const std::vector<uint32_t> kLoop = {0xd2a00821, 0xf2820001, 0xd2a00002, 0xf2801902, 0xd2800004,
                                     0xf8646823, 0x8b020063, 0xf8246823, 0x91002084, 0x927d2084,
                                     0xf1000442, 0x54ffff41, 0xd2800000, 0xd2800ba8, 0xd4000001};

enum Between { kNothing, kNewRegime, kPageReleased };

struct Outcome {
    uint64_t log_hash, stats_hash, log_bytes, fast_hits, instructions;
    int status;
};

uint64_t fnv1a(const std::string &s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : s)
        h = (h ^ c) * 0x100000001b3ull;
    return h;
}

// The loop run to instruction 40, then `between` done, then run to its end.
Outcome run(bool fast, Between between)
{
    return run_isolated<Outcome>([fast, between] {
        rmesim::ElfImage image;
        std::string error;
        std::vector<uint8_t> data(0x1000, 0x5A);
        if (!rmesim::parse_elf_image(
                "loop.elf", build_elf(kText, {{kText, 5, words(kLoop), 0}, {kData, 6, data, 0}}),
                image, error))
            throw std::runtime_error(error);
        rmesim::A64Program p;
        if (!p.load(image, "loop.elf", error))
            throw std::runtime_error(error);
        FILE *f = std::tmpfile();
        rmesim::EventLog log(f);
        p.subscribe(log);
        p.binding().set_fast_path(fast);
        rmesim::A64ProgramEnd end = p.run(40, nullptr);
        if (end.reason != rmesim::A64ProgramEnd::kLimit)
            throw std::runtime_error("the loop ended before instruction 40");
        if (between == kNewRegime) /* the owner moves the core's accesses to another regime */
            p.binding().regime.kind = MMU_NS_EL2;
        if (between == kPageReleased) /* the data page's storage freed: its DMI withdrawn */
            phys_mem_zero(p.platform().memory(), p.pa_of(kData), 0x1000);
        end = p.run(~0ull, nullptr);
        log.finish();
        std::string text;
        std::rewind(f);
        for (int c; (c = std::fgetc(f)) != EOF;)
            text += char(c);
        std::fclose(f);
        return Outcome{fnv1a(text),      fnv1a(p.stats_json("loop")),
                       text.size(),      p.binding().fast_hits(),
                       end.instructions, end.status};
    });
}

void expect_same(const Outcome &slow, const Outcome &fast)
{
    EXPECT_EQ(slow.status, 0);
    EXPECT_EQ(fast.status, 0);
    EXPECT_EQ(slow.instructions, fast.instructions);
    EXPECT_GT(slow.log_bytes, 100'000u); /* the records of every access */
    EXPECT_EQ(slow.log_bytes, fast.log_bytes);
    EXPECT_EQ(slow.log_hash, fast.log_hash);
    EXPECT_EQ(slow.stats_hash, fast.stats_hash);
    EXPECT_EQ(slow.fast_hits, 0u);
    EXPECT_GT(fast.fast_hits, slow.instructions); /* most fetches and data accesses */
}

} // namespace

TEST(A64FastPath, TheSameLogAndStatisticsAsTheFullPath)
{
    expect_same(run(false, kNothing), run(true, kNothing));
}

// The TLB's entries are tagged by regime: the first accesses in the new one miss and walk, so a
// hit remembered in the old one must not be served.
TEST(A64FastPath, ARegimeChangeBetweenInstructionsDropsTheRememberedHits)
{
    Outcome slow = run(false, kNewRegime), fast = run(true, kNewRegime);
    expect_same(slow, fast);
    EXPECT_NE(slow.log_hash, run(false, kNothing).log_hash); /* the change shows in the log */
}

// The page's storage is freed (as the RMM's wipe frees a granule's): its loads then read zero
// through the debug path, not the freed storage through the remembered pointer.
TEST(A64FastPath, AWithdrawnPageIsNotReadThroughItsOldPointer)
{
    Outcome slow = run(false, kPageReleased), fast = run(true, kPageReleased);
    expect_same(slow, fast);
    EXPECT_NE(slow.log_hash, run(false, kNothing).log_hash);
}
