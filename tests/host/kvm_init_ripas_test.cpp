// The host's RMI_RTT_INIT_RIPAS over the RAM memslot, as KVM v12 does it (rmi.c ripas_change(),
// find_map_level(), set_ripas_of_protected_regions()): RTTs only down to the level whose entries
// the range covers, the populated pages stepped over, and the RIM extended once per RTT entry
// the command set (RMM spec B4.3.18.4), checked against descriptors hashed here.
#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "kvm_fixture.hpp"

namespace
{

using namespace hosttest;
using Digest = std::array<uint8_t, 64>;

Digest sha256(const std::vector<uint8_t> &bytes)
{
    Digest d{};
    unsigned len = 0;
    EVP_Digest(bytes.data(), bytes.size(), d.data(), &len, EVP_sha256(), nullptr);
    return d;
}

void put(std::vector<uint8_t> &b, size_t off, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[off + size_t(i)] = uint8_t(v >> (8 * i));
}

// RmmMeasurementDescriptorRipas: type 2, length 0x100, the RIM, base, top
Digest extend_ripas(const Digest &rim, uint64_t base, uint64_t top)
{
    std::vector<uint8_t> d(0x100, 0);
    d[0] = 2;
    put(d, 0x8, 0x100);
    std::memcpy(&d[0x10], rim.data(), 64);
    put(d, 0x50, base);
    put(d, 0x58, top);
    return sha256(d);
}

struct InitRipas : KvmFixture {
    Digest rim_before_init{}; // the RIM as the first INIT_RIPAS found it
    Digest rim() const
    {
        Digest d{};
        std::memcpy(d.data(), rmm_realm_at(const_cast<rmm *>(&r), realm.rd)->measurements[0], 64);
        return d;
    }
    static void rmi_watching_rim(void *ctx, const uint64_t in[8], uint64_t out[8])
    {
        auto *f = static_cast<InitRipas *>(ctx);
        if (in[0] == RMI_RTT_INIT_RIPAS && f->calls_of(RMI_RTT_INIT_RIPAS).empty())
            std::memcpy(f->rim_before_init.data(), rmm_realm_at(&f->r, in[1])->measurements[0], 64);
        rmi(ctx, in, out);
    }
    void SetUp() override
    {
        KvmFixture::SetUp();
        host.rmi = rmi_watching_rim;
    }
    rtt_entry_info entry(uint64_t ipa)
    {
        rtt_entry_info e{};
        EXPECT_TRUE(rmm_rtt_entry(&r, realm.rd, ipa, 3, &e));
        return e;
    }
};

// The memslot alone (no image): 16 MB at 0x8000_0000 is eight level-2 entries, so the host
// creates one level-2 RTT and INIT_RIPAS sets those eight block entries in one call.
TEST_F(InitRipas, BareMemslotTakesOneLevel2RttAndEightBlockEntries)
{
    uint64_t failed = 0;
    kvm_realm_config c = config(0);
    ASSERT_EQ(kvm_realm_create(&host, &c, &realm, &failed), 0u) << std::hex << failed;
    std::vector<RmiCall> creates = calls_of(RMI_RTT_CREATE);
    ASSERT_EQ(creates.size(), 1u);
    EXPECT_EQ(creates[0].in[3], 0x8000'0000u); // the RTT under the level-1 entry at 1 GB
    EXPECT_EQ(creates[0].in[4], 2u);
    std::vector<RmiCall> inits = calls_of(RMI_RTT_INIT_RIPAS);
    ASSERT_EQ(inits.size(), 2u);
    EXPECT_EQ(inits[0].out[0], rmmtest::code(RMI_ERROR_RTT, 1)); // the walk stopped at level 1
    EXPECT_EQ(inits[1].out[0], 0u);
    EXPECT_EQ(inits[1].out[1], 0x8100'0000u); // the whole memslot in one call
    for (uint64_t ipa = 0x8000'0000; ipa < 0x8100'0000; ipa += 0x20'0000) {
        rtt_entry_info e = entry(ipa);
        EXPECT_EQ(e.level, 2) << std::hex << ipa;
        EXPECT_EQ(e.state, RMI_UNASSIGNED);
        EXPECT_EQ(e.ripas, RMI_RIPAS_RAM);
    }
    Digest expect = rim_before_init;
    for (uint64_t ipa = 0x8000'0000; ipa < 0x8100'0000; ipa += 0x20'0000)
        expect = extend_ripas(expect, ipa, ipa + 0x20'0000);
    EXPECT_EQ(rim(), expect); // eight extensions, one per level-2 entry
}

// With the image populated first (64 KB at the start of RAM, DATA_CREATE made the level-2 and
// level-3 RTTs), INIT_RIPAS creates none: it steps over the 16 ASSIGNED pages (ERROR_RTT at
// level 3), sets the other 496 entries of that level-3 RTT, then the seven level-2 entries left.
TEST_F(InitRipas, PopulatedPagesAreSteppedOverAndTheRestMeasuredPerEntry)
{
    uint64_t failed = 0;
    kvm_realm_config c = config(0x1'0000);
    ASSERT_EQ(kvm_realm_create(&host, &c, &realm, &failed), 0u) << std::hex << failed;
    std::vector<RmiCall> creates = calls_of(RMI_RTT_CREATE);
    ASSERT_EQ(creates.size(), 2u); // both for the first DATA_CREATE
    EXPECT_EQ(creates[0].in[4], 2u);
    EXPECT_EQ(creates[1].in[4], 3u);
    std::vector<RmiCall> inits = calls_of(RMI_RTT_INIT_RIPAS);
    ASSERT_EQ(inits.size(), 18u);
    for (unsigned i = 0; i < 16; i++) {
        EXPECT_EQ(inits[i].in[2], 0x8000'0000u + 0x1000u * i);
        EXPECT_EQ(inits[i].out[0], rmmtest::code(RMI_ERROR_RTT, 3));
    }
    EXPECT_EQ(inits[16].in[2], 0x8001'0000u);
    EXPECT_EQ(inits[16].out[1], 0x8020'0000u);
    EXPECT_EQ(inits[17].out[1], 0x8100'0000u);
    EXPECT_EQ(entry(0x8001'0000).level, 3);
    EXPECT_EQ(entry(0x8001'0000).ripas, RMI_RIPAS_RAM);
    EXPECT_EQ(entry(0x8020'0000).level, 2);
    EXPECT_EQ(entry(0x8020'0000).ripas, RMI_RIPAS_RAM);
    Digest expect = rim_before_init;
    unsigned extensions = 0;
    for (uint64_t ipa = 0x8001'0000; ipa < 0x8020'0000; ipa += 0x1000, extensions++)
        expect = extend_ripas(expect, ipa, ipa + 0x1000);
    for (uint64_t ipa = 0x8020'0000; ipa < 0x8100'0000; ipa += 0x20'0000, extensions++)
        expect = extend_ripas(expect, ipa, ipa + 0x20'0000);
    EXPECT_EQ(extensions, 503u);
    EXPECT_EQ(rim(), expect);
    // INIT_RIPAS comes after DATA_CREATE and REC_CREATE (kvm_activate_realm), before ACTIVATE
    size_t last_data = 0, last_rec = 0, first_init = 0, activate = 0;
    for (size_t i = 0; i < calls.size(); i++) {
        uint64_t fid = calls[i].in[0];
        last_data = fid == RMI_DATA_CREATE ? i : last_data;
        last_rec = fid == RMI_REC_CREATE ? i : last_rec;
        first_init = fid == RMI_RTT_INIT_RIPAS && !first_init ? i : first_init;
        activate = fid == RMI_REALM_ACTIVATE ? i : activate;
    }
    EXPECT_LT(last_data, last_rec);
    EXPECT_LT(last_rec, first_init);
    EXPECT_LT(first_init, activate);
}

} // namespace
