// RSI_MEASUREMENT_EXTEND with up to 64 bytes (RMM spec B5.3.7): X1 index, X2 size, X3..X10 the
// value, whose first `size` bytes (X3's least significant byte first, as the registers sit in
// memory on a little-endian PE, as TF-RMM's handle_rsi_measurement_extend takes them) extend
// REM[index] = H(REM[index] || bytes). Checked against OpenSSL for SHA-256 and SHA-512 realms.
#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <vector>

#include "run_fixture.hpp"

namespace
{

using namespace rmmtest;

// A Run whose realm measures with the parameter's algorithm
struct Extend : Run, ::testing::WithParamInterface<uint64_t> {
    void SetUp() override
    {
        env.owner = this;
        RmmFixture::SetUp();
        r.env.run_rec = &Run::run_rec;
        RealmParams p;
        p.hash = GetParam();
        p.rtt_base = delegated(2);
        rd = delegated();
        ASSERT_EQ(call(RMI_REALM_CREATE, rd, params_page(p)), 0u);
        rec = delegated();
        ASSERT_EQ(call(RMI_REC_CREATE, rd, rec, rec_params(0, 0x4000'0000)), 0u);
        run = page();
        activate();
    }
    const EVP_MD *md() const
    {
        return GetParam() == RMI_HASH_SHA_512 ? EVP_sha512() : EVP_sha256();
    }
    size_t hash_size() const { return size_t(EVP_MD_size(md())); }
    // the realm calls MEASUREMENT_EXTEND(index, size, X3..X10 = value); X0 after it
    uint64_t extend(uint64_t index, uint64_t size, const std::array<uint64_t, 8> &value)
    {
        smc([=](rmm_rec *c) {
            c->gprs[0] = RSI_MEASUREMENT_EXTEND, c->gprs[1] = index, c->gprs[2] = size;
            for (unsigned i = 0; i < 8; i++)
                c->gprs[3 + i] = value[i];
        });
        EXPECT_EQ(enter(), 0u);
        return c()->gprs[0];
    }
    std::vector<uint8_t> rem(unsigned index) const
    {
        const uint8_t *m = rmm_realm_at(const_cast<rmm *>(&r), rd)->measurements[index];
        return std::vector<uint8_t>(m, m + hash_size());
    }
    // H(old || the first `size` bytes of the doublewords, each least significant byte first)
    std::vector<uint8_t> expected(const std::vector<uint8_t> &old, uint64_t size,
                                  const std::array<uint64_t, 8> &value) const
    {
        std::vector<uint8_t> in(old);
        for (uint64_t i = 0; i < size; i++)
            in.push_back(uint8_t(value[i / 8] >> (8 * (i % 8))));
        std::vector<uint8_t> out(hash_size());
        unsigned len = 0;
        EVP_Digest(in.data(), in.size(), out.data(), &len, md(), nullptr);
        return out;
    }
};

const std::array<uint64_t, 8> kValue = {0x0706050403020100, 0x0f0e0d0c0b0a0908, 0x1716151413121110,
                                        0x1f1e1d1c1b1a1918, 0x2726252423222120, 0x2f2e2d2c2b2a2928,
                                        0x3736353433323130, 0x3f3e3d3c3b3a3938};

TEST_P(Extend, SixtyFourBytesFromX3ToX10)
{
    std::vector<uint8_t> before = rem(2);
    EXPECT_EQ(before, std::vector<uint8_t>(hash_size(), 0)); // a REM starts zero
    ASSERT_EQ(extend(2, 64, kValue), RSI_SUCCESS);
    EXPECT_EQ(rem(2), expected(before, 64, kValue));
    // the bytes are 0x00..0x3f in order: the same as hashing them directly
    std::vector<uint8_t> bytes(before);
    for (unsigned i = 0; i < 64; i++)
        bytes.push_back(uint8_t(i));
    std::vector<uint8_t> direct(hash_size());
    unsigned len = 0;
    EVP_Digest(bytes.data(), bytes.size(), direct.data(), &len, md(), nullptr);
    EXPECT_EQ(rem(2), direct);
}

TEST_P(Extend, ExactlySizeBytes)
{
    for (uint64_t size : {0ull, 1ull, 8ull, 37ull, 63ull}) {
        std::vector<uint8_t> before = rem(3);
        ASSERT_EQ(extend(3, size, kValue), RSI_SUCCESS) << size;
        EXPECT_EQ(rem(3), expected(before, size, kValue)) << size << " bytes";
    }
    // the bytes past size do not count: other X10 contents, the same REM
    std::array<uint64_t, 8> other = kValue;
    other[7] = ~other[7];
    std::vector<uint8_t> before = rem(4);
    ASSERT_EQ(extend(4, 56, other), RSI_SUCCESS);
    EXPECT_EQ(rem(4), expected(before, 56, kValue));
}

TEST_P(Extend, MoreThanSixtyFourBytesIsRefused)
{
    std::vector<uint8_t> before = rem(1);
    EXPECT_EQ(extend(1, 65, kValue), RSI_ERROR_INPUT);
    EXPECT_EQ(extend(1, ~0ull, kValue), RSI_ERROR_INPUT);
    EXPECT_EQ(rem(1), before);
    // index is checked before size (TF-RMM; both ERROR_INPUT)
    EXPECT_EQ(extend(0, 65, kValue), RSI_ERROR_INPUT);
}

INSTANTIATE_TEST_SUITE_P(Rsi, Extend, ::testing::Values(RMI_HASH_SHA_256, RMI_HASH_SHA_512),
                         [](const ::testing::TestParamInfo<uint64_t> &p) {
                             return p.param == RMI_HASH_SHA_512 ? "Sha512" : "Sha256";
                         });

} // namespace
