#include <gtest/gtest.h>

#include "model/contention.hpp"

using rmesim::ContentionModel;

TEST(Contention, NoQueueingWhenRequestsFitTheirBucket)
{
    ContentionModel c(64);
    EXPECT_EQ(c.book(0, 16), 0u);
    EXPECT_EQ(c.book(10, 16), 6u); // starts after the first booking: 16 - 10
    EXPECT_EQ(c.book(100, 16), 0u);
    EXPECT_EQ(c.requests(), 3u);
}

TEST(Contention, FullBucketSpillsToTheNext)
{
    ContentionModel c(64);
    for (int i = 0; i < 4; i++)
        c.book(0, 16); // bucket 0 full
    EXPECT_EQ(c.book(5, 16), 64u - 5u);
    EXPECT_EQ(c.total_queueing(), 0u + 16 + 32 + 48 + 59);
}

TEST(Contention, LongServiceFillsTheFollowingBuckets)
{
    ContentionModel c(64);
    EXPECT_EQ(c.book(0, 8), 0u);
    EXPECT_EQ(c.book(0, 100), 8u); // after the first; 56 cycles in bucket 0, 44 in bucket 1
    EXPECT_EQ(c.book(70, 8), 38u); // bucket 1 is busy until 64 + 44 = 108
    EXPECT_EQ(c.book(200, 8), 0u); // far enough away
}

TEST(Contention, SaturatedTargetQueuesEveryRequest)
{
    ContentionModel c(64);
    uint64_t total = 0;
    for (uint64_t i = 0; i < 100; i++)
        total += c.book(i * 10, 20); // 20 cycles of service every 10 cycles: twice the capacity
    EXPECT_GT(total, 100u * 100 / 2);
}

TEST(Contention, RetiredBucketsAreForgotten)
{
    ContentionModel c(64);
    c.book(0, 64);
    c.retire_before(128);
    EXPECT_EQ(c.book(0, 64), 0u); // bucket 0 was retired, so it has room again
}
