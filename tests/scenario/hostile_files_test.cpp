// Hostile files (docs/security.md, "Hostile files"): what the loader refuses before it builds a
// document, beyond the one-file-per-mistake corpus of tests/bad-scenarios (hostile-*.yaml).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

extern "C" {
#include "scenario/scenario.h"
}

namespace
{

std::string temp_path(const char *name)
{
    return std::string(::testing::TempDir()) + "hostile-" + std::to_string(getpid()) + "-" + name;
}

const char *const kHeader = "scenario: s\nplatform:\n  pa_bits: 40\n  memory:\n"
                            "    - { name: dram, base: 0x8000_0000, size: 1G }\nsteps:\n";

std::string load_error(const std::string &path)
{
    scenario_diag d;
    scenario *s = scenario_load(path.c_str(), &d);
    if (s) {
        scenario_free(s);
        return "";
    }
    return d.text;
}

} // namespace

// A FIFO with no writer blocked the loader forever; a device never ends.
TEST(HostileFiles, AFifoOrDeviceIsRefusedNotRead)
{
    std::string fifo = temp_path("fifo.yaml");
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_EQ(load_error(fifo), fifo + ":1:1: cannot read the file: it is not a regular file (a "
                                       "FIFO, device or socket): scenarios are read from files");
    unlink(fifo.c_str());
    EXPECT_NE(load_error("/dev/zero").find("it is not a regular file"), std::string::npos);
    EXPECT_NE(
        load_error(::testing::TempDir()).find(":1:1: cannot read the file: it is a directory"),
        std::string::npos);
}

TEST(HostileFiles, AFileOverTheSizeLimitIsRefusedNamingTheLimit)
{
    std::string big = temp_path("big.yaml");
    int fd = open(big.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(ftruncate(fd, (64 << 20) + 1), 0); /* sparse: no disk used */
    close(fd);
    EXPECT_EQ(load_error(big), big + ":1:1: cannot read the file: it is 67108865 bytes; a scenario "
                                     "file is at most 64 MB (generate fewer steps, or use count: "
                                     "and repeat:)");
    unlink(big.c_str());
}

// Anchors and aliases within the limits are YAML the language accepts.
TEST(HostileFiles, AnchorsWithinTheLimitsLoad)
{
    std::string text = std::string(kHeader) +
                       "  - { id: a, on: host, load: &l { va: 0x8000_0000, size: 8 } }\n"
                       "  - { id: b, on: host, load: *l }\n";
    scenario_diag d;
    scenario *s = scenario_parse_string(text.c_str(), "anchors.yaml", &d);
    ASSERT_NE(s, nullptr) << d.text;
    EXPECT_EQ(s->n_steps, 2u);
    scenario_free(s);
}

// 10^5 ids were compared pairwise (37 s); sorted, the duplicate is still the first in document
// order and names the step that used the id first.
TEST(HostileFiles, ManyStepIdsAreCheckedAndTheFirstDuplicateNamed)
{
    std::string text = kHeader;
    for (int i = 0; i < 50000; i++)
        text += "  - { id: s" + std::to_string(i) + ", on: host, load: { va: 0x8000_0000 } }\n";
    text += "  - { id: s49999, on: host, load: { va: 0x8000_0000 } }\n"; // line 50007
    text += "  - { id: s7, on: host, load: { va: 0x8000_0000 } }\n";     // line 50008
    scenario_diag d;
    scenario *s = scenario_parse_string(text.c_str(), "ids.yaml", &d);
    ASSERT_EQ(s, nullptr);
    EXPECT_STREQ(d.text, "ids.yaml:50007:5: step id 's49999' is already used at line 50006");
}
