// The differential test in the default suite: a bounded run (under a second) against QEMU.
#include <gtest/gtest.h>

#include <string>

#include "a64_diff.hpp"
#include "a64_tools.hpp"

namespace
{

TEST(A64Diff, RandomSequencesMatchQemu)
{
    A64_REQUIRE_TOOLS(A64_DIFF_TOOLS);
    a64test::DiffTotals t = a64test::run_diff(15, 1500, 40, 1500);
    ASSERT_EQ(t.error, "");
    EXPECT_EQ(t.sequences, 1500u);
    EXPECT_EQ(t.mismatches, 0u) << t.first_mismatch;
    RecordProperty("instructions", std::to_string(t.executed));
}

} // namespace
