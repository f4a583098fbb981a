// The access-pattern generators (model/scenario/src/pattern.c): the PRNG against its published
// reference outputs, each kind's addresses, the uniformity of random, zipf's frequencies against
// the distribution's own, and the write ratio.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

extern "C" {
#include "scenario/pattern.h"
}

namespace
{

scn_pattern make(scn_pattern_kind kind, uint64_t size, uint64_t count, uint64_t seed = 1,
                 double write_ratio = 0.0, uint64_t stride = 0, double theta = 0.99)
{
    scn_pattern p{};
    p.kind = kind;
    p.base = 0x8000'0000;
    p.size = size;
    p.count = count;
    p.seed = seed;
    p.write_ratio = write_ratio;
    p.stride = stride;
    p.theta = theta;
    return p;
}

std::vector<uint64_t> addresses(const scn_pattern &p, unsigned size)
{
    pattern_gen g;
    pattern_init(&g, &p, size);
    std::vector<uint64_t> out;
    uint64_t va;
    bool store;
    while (pattern_next(&g, &va, &store))
        out.push_back(va);
    return out;
}

} // namespace

// xoshiro256** from the state {1, 2, 3, 4}: the outputs its reference implementation gives
// (as the rand_xoshiro crate's test of Xoshiro256StarStar lists them).
TEST(PatternRng, Xoshiro256StarStarMatchesTheReference)
{
    pattern_rng r{{1, 2, 3, 4}};
    const uint64_t expected[] = {11520, 0, 1509978240, 1215971899390074240ull};
    for (uint64_t e : expected)
        EXPECT_EQ(pattern_rng_next(&r), e);
}

// splitmix64 from 0 gives 0xe220a8397b1dcdaf first (its published reference value).
TEST(PatternRng, SeedingIsSplitmix64)
{
    pattern_rng r;
    pattern_rng_seed(&r, 0);
    EXPECT_EQ(r.s[0], 0xe220a8397b1dcdafull);
    EXPECT_NE(r.s[1], r.s[0]);
}

TEST(Pattern, TheSameSeedGivesTheSameSequenceAndAnotherSeedAnother)
{
    for (scn_pattern_kind k : {SCN_PATTERN_RANDOM, SCN_PATTERN_ZIPF}) {
        auto a = addresses(make(k, 1 << 20, 1000, 42), 8);
        EXPECT_EQ(a, addresses(make(k, 1 << 20, 1000, 42), 8));
        EXPECT_NE(a, addresses(make(k, 1 << 20, 1000, 43), 8));
        EXPECT_EQ(a.size(), 1000u);
    }
}

TEST(Pattern, SequentialWalksTheSetByTheAccessSizeAndWraps)
{
    auto a = addresses(make(SCN_PATTERN_SEQUENTIAL, 32, 6), 8);
    std::vector<uint64_t> want = {0x8000'0000, 0x8000'0008, 0x8000'0010,
                                  0x8000'0018, 0x8000'0000, 0x8000'0008};
    EXPECT_EQ(a, want);
}

TEST(Pattern, StridedWrapsInsideTheSet)
{
    /* 3 x 16 bytes over 40: 0, 16, 32, then 48 - 40 = 8, 24 */
    auto a = addresses(make(SCN_PATTERN_STRIDED, 40, 5, 1, 0.0, 16), 8);
    std::vector<uint64_t> want = {0x8000'0000, 0x8000'0010, 0x8000'0020, 0x8000'0008, 0x8000'0018};
    EXPECT_EQ(a, want);
}

TEST(Pattern, RandomCoversTheSetUniformly)
{
    const uint64_t slots = 64, draws = 640000;
    std::vector<uint64_t> seen(slots);
    for (uint64_t va : addresses(make(SCN_PATTERN_RANDOM, slots * 4, draws, 9), 4)) {
        ASSERT_GE(va, 0x8000'0000u);
        ASSERT_LT(va, 0x8000'0000u + slots * 4);
        ASSERT_EQ(va % 4, 0u);
        seen[(va - 0x8000'0000) / 4]++;
    }
    double chi2 = 0, mean = double(draws) / slots;
    for (uint64_t n : seen) {
        EXPECT_NEAR(double(n), mean, mean * 0.05);
        chi2 += (double(n) - mean) * (double(n) - mean) / mean;
    }
    EXPECT_LT(chi2, 110.0); /* 63 degrees of freedom: p < 0.0002 above 110 */
}

// P(rank 1) = 1 / H(n, theta), H the generalised harmonic number; rank k over rank 1 is k^-theta.
TEST(Pattern, ZipfFrequenciesMatchTheDistribution)
{
    for (double theta : {0.99, 1.0, 0.5, 1.5}) {
        const uint64_t n = 1000, draws = 400000;
        double h = 0;
        for (uint64_t k = 1; k <= n; k++)
            h += std::pow(double(k), -theta);
        std::vector<uint64_t> seen(n);
        for (uint64_t va : addresses(make(SCN_PATTERN_ZIPF, n * 8, draws, 5, 0.0, 0, theta), 8)) {
            ASSERT_LT(va - 0x8000'0000, n * 8);
            seen[(va - 0x8000'0000) / 8]++;
        }
        double p1 = 1.0 / h, got1 = double(seen[0]) / draws;
        EXPECT_NEAR(got1, p1, p1 * 0.02) << "theta " << theta;
        double got2 = double(seen[1]) / draws, p2 = p1 * std::pow(2.0, -theta);
        EXPECT_NEAR(got2, p2, p2 * 0.04) << "theta " << theta;
        double got10 = double(seen[9]) / draws, p10 = p1 * std::pow(10.0, -theta);
        EXPECT_NEAR(got10, p10, p10 * 0.08) << "theta " << theta;
    }
}

TEST(Pattern, ZipfNeedsNoTableForAHugeSet)
{
    pattern_zipf z;
    pattern_zipf_init(&z, 1ull << 40, 0.99);
    pattern_rng r;
    pattern_rng_seed(&r, 3);
    uint64_t ones = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t k = pattern_zipf_next(&z, &r);
        ASSERT_GE(k, 1u);
        ASSERT_LE(k, 1ull << 40);
        ones += k == 1;
    }
    EXPECT_GT(ones, 0u);
    pattern_zipf_init(&z, 1, 0.99);
    EXPECT_EQ(pattern_zipf_next(&z, &r), 1u);
}

TEST(Pattern, WriteRatioIsTheFractionOfStoresAndLeavesTheAddressesAlone)
{
    for (double ratio : {0.0, 0.3, 1.0}) {
        pattern_gen g;
        scn_pattern p = make(SCN_PATTERN_RANDOM, 1 << 16, 100000, 11, ratio);
        pattern_init(&g, &p, 8);
        uint64_t va, stores = 0;
        bool store;
        while (pattern_next(&g, &va, &store))
            stores += store;
        EXPECT_NEAR(double(stores) / 100000, ratio, 0.01) << ratio;
        EXPECT_EQ(addresses(p, 8), addresses(make(SCN_PATTERN_RANDOM, 1 << 16, 100000, 11), 8));
    }
}
