// Realm measurements: the RIM's starting value and each extension, checked against descriptors
// built here byte by byte from the layouts (RMM spec B4.3.9.4, B4.3.1.4, B4.3.12.4, B4.3.18.4;
// RmmMeasurementDescriptorData/Rec/Ripas), hashed with OpenSSL.
#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <vector>

#include "fake_platform.hpp"

namespace
{

using namespace rmmtest;
using Digest = std::array<uint8_t, 64>;

Digest sha(const std::vector<uint8_t> &bytes, bool sha512 = false)
{
    Digest d{};
    unsigned len = 0;
    EVP_Digest(bytes.data(), bytes.size(), d.data(), &len, sha512 ? EVP_sha512() : EVP_sha256(),
               nullptr);
    return d;
}

void put(std::vector<uint8_t> &b, size_t off, uint64_t v, int bytes = 8)
{
    for (int i = 0; i < bytes; i++)
        b[off + size_t(i)] = uint8_t(v >> (8 * i));
}

std::vector<uint8_t> descriptor(uint8_t type, const Digest &rim)
{
    std::vector<uint8_t> d(0x100, 0);
    d[0] = type;
    put(d, 0x8, 0x100);
    std::memcpy(&d[0x10], rim.data(), 64);
    return d;
}

struct Measure : RmmFixture {
    Digest rim(uint64_t rd)
    {
        Digest d;
        std::memcpy(d.data(), rmm_realm_at(&r, rd)->measurements[0], 64);
        return d;
    }
    // the realm the fixture builds (s2sz 40, 1 bp, 1 wp, SHA-256) hashed from scratch
    static Digest initial_rim(uint64_t hash = RMI_HASH_SHA_256, uint64_t s2sz = 40)
    {
        std::vector<uint8_t> p(4096, 0);
        put(p, RMI_REALM_PARAMS_S2SZ, s2sz, 1);
        put(p, RMI_REALM_PARAMS_NUM_BPS, 1, 1);
        put(p, RMI_REALM_PARAMS_NUM_WPS, 1, 1);
        put(p, RMI_REALM_PARAMS_HASH_ALGO, hash, 1);
        return sha(p, hash == RMI_HASH_SHA_512);
    }
};

TEST_F(Measure, InitialRimIsTheHashOfTheMeasuredParams)
{
    uint64_t rd = new_realm(1);
    EXPECT_EQ(rim(rd), initial_rim());
    // rtt_base and vmid are not measured: another realm with other ones has the same RIM
    uint64_t rd2 = new_realm(2);
    EXPECT_EQ(rim(rd2), rim(rd));
    // SHA-512 fills all 64 bytes
    RealmParams p;
    p.hash = RMI_HASH_SHA_512;
    p.vmid = 3;
    p.rtt_base = delegated(2);
    uint64_t rd3 = delegated();
    ASSERT_EQ(call(RMI_REALM_CREATE, rd3, params_page(p)), 0u);
    EXPECT_EQ(rim(rd3), initial_rim(RMI_HASH_SHA_512));
    EXPECT_NE(rim(rd3)[63] | rim(rd3)[40], 0);
    EXPECT_EQ(rim(rd)[40], 0); // SHA-256: zero beyond 32 bytes
}

TEST_F(Measure, DataCreateExtendsWithIpaFlagsAndContent)
{
    uint64_t rd = new_realm();
    rtts_to(rd, 0x4000'0000, 3);
    uint64_t src = page();
    env.mem[src + 16] = 0x0123'4567'89ab'cdef;
    Digest before = rim(rd);
    ASSERT_EQ(call(RMI_DATA_CREATE, rd, delegated(), 0x4000'0000, src, RMI_DATA_MEASURE_CONTENT),
              0u);
    std::vector<uint8_t> content(4096, 0);
    put(content, 16, 0x0123'4567'89ab'cdef);
    std::vector<uint8_t> d = descriptor(0, before);
    put(d, 0x50, 0x4000'0000);
    put(d, 0x58, RMI_DATA_MEASURE_CONTENT);
    Digest c = sha(content);
    std::memcpy(&d[0x60], c.data(), 64);
    Digest expect = sha(d);
    EXPECT_EQ(rim(rd), expect);
    // without RMI_MEASURE_CONTENT the content field is zero
    before = rim(rd);
    ASSERT_EQ(call(RMI_DATA_CREATE, rd, delegated(), 0x4000'1000, src, 0), 0u);
    d = descriptor(0, before);
    put(d, 0x50, 0x4000'1000);
    EXPECT_EQ(rim(rd), sha(d));
    // DATA_CREATE_UNKNOWN does not measure
    before = rim(rd);
    ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, delegated(), 0x4000'2000), 0u);
    EXPECT_EQ(rim(rd), before);
}

TEST_F(Measure, InitRipasExtendsOncePerEntry)
{
    uint64_t rd = new_realm();
    rtts_to(rd, 0x4000'0000, 3);
    Digest before = rim(rd);
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4000'0000, 0x4000'2000), 0u);
    std::vector<uint8_t> d1 = descriptor(2, before);
    put(d1, 0x50, 0x4000'0000);
    put(d1, 0x58, 0x4000'1000);
    std::vector<uint8_t> d2 = descriptor(2, sha(d1));
    put(d2, 0x50, 0x4000'1000);
    put(d2, 0x58, 0x4000'2000);
    EXPECT_EQ(rim(rd), sha(d2));
}

TEST_F(Measure, RunnableRecCreateExtends)
{
    uint64_t rd = new_realm();
    Digest before = rim(rd);
    uint64_t params = rec_params(0, 0x4000'0000);
    env.mem[params + RMI_REC_PARAMS_GPRS + 8] = 0x42; // X1
    ASSERT_EQ(call(RMI_REC_CREATE, rd, delegated(), params), 0u);
    std::vector<uint8_t> p(4096, 0); // flags, pc, gprs; not the MPIDR or the aux granules
    put(p, RMI_REC_PARAMS_FLAGS, RMI_REC_RUNNABLE);
    put(p, RMI_REC_PARAMS_PC, 0x4000'0000);
    put(p, RMI_REC_PARAMS_GPRS + 8, 0x42);
    std::vector<uint8_t> d = descriptor(1, before);
    Digest h = sha(p);
    std::memcpy(&d[0x50], h.data(), 64);
    EXPECT_EQ(rim(rd), sha(d));
    // a REC created not runnable is not measured
    before = rim(rd);
    uint64_t idle = rec_params(1);
    env.mem[idle + RMI_REC_PARAMS_FLAGS] = 0;
    ASSERT_EQ(call(RMI_REC_CREATE, rd, delegated(), idle), 0u);
    EXPECT_EQ(rim(rd), before);
}

} // namespace
