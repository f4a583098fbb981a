// The text helpers the runner's messages and explanations share.
#include <gtest/gtest.h>

#include "model/text.hpp"

namespace rmesim
{
namespace
{

TEST(Text, CountedAgreesWithItsNoun)
{
    EXPECT_EQ(counted(1, "instruction"), "1 instruction");
    EXPECT_EQ(counted(0, "instruction"), "0 instructions");
    EXPECT_EQ(counted(2, "REC exit"), "2 REC exits");
    EXPECT_EQ(counted(1, "access", "accesses"), "1 access");
    EXPECT_EQ(counted(3, "access", "accesses"), "3 accesses");
}

} // namespace
} // namespace rmesim
