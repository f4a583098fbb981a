// The differential test in the default suite: a bounded run (a few seconds) against QEMU.
// Without the cross tools the test is skipped, unless CI is set: then it fails.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "a64_diff.hpp"

namespace
{

bool tools_or_skip()
{
    std::string missing = a64test::missing_tools();
    if (missing.empty())
        return true;
    const char *ci = std::getenv("CI");
    if (ci && *ci && std::string(ci) != "false") {
        ADD_FAILURE() << "CI is set and " << missing
                      << " is missing (scripts/bootstrap installs it)";
        return false;
    }
    return false;
}

TEST(A64Diff, RandomSequencesMatchQemu)
{
    if (!tools_or_skip()) {
        if (!HasFailure())
            GTEST_SKIP() << a64test::missing_tools()
                         << " not found; install with scripts/bootstrap";
        return;
    }
    a64test::DiffTotals t = a64test::run_diff(15, 1500, 40, 1500);
    ASSERT_EQ(t.error, "");
    EXPECT_EQ(t.sequences, 1500u);
    EXPECT_EQ(t.mismatches, 0u) << t.first_mismatch;
    RecordProperty("instructions", std::to_string(t.executed));
}

} // namespace
