// The host's answer to a realm's host call: KVM's SMCCC handler on X0..X30 (W0 the function ID),
// the result in X0..X3, X4..X30 as the realm sent them.
#include <gtest/gtest.h>

extern "C" {
#include "host/smccc.h"
}

namespace
{

struct Call {
    uint64_t gprs[31];
    explicit Call(uint64_t x0, uint64_t x1 = 0x1111)
    {
        for (unsigned i = 0; i < 31; i++)
            gprs[i] = 0xA000 + i;
        gprs[0] = x0;
        gprs[1] = x1;
    }
};

TEST(Smccc, VersionIsOnePointOneWithX1ToX3Cleared)
{
    Call c(SMCCC_VERSION_FID);
    EXPECT_TRUE(kvm_smccc_call(c.gprs));
    EXPECT_EQ(c.gprs[0], 0x10001u);
    EXPECT_EQ(c.gprs[1], 0u); // smccc_set_retval() writes all four
    EXPECT_EQ(c.gprs[2], 0u);
    EXPECT_EQ(c.gprs[3], 0u);
    for (unsigned i = 4; i < 31; i++)
        EXPECT_EQ(c.gprs[i], 0xA000u + i) << "X" << i;
}

TEST(Smccc, OnlyW0NamesTheFunction)
{
    Call c(0xFFFF'FFFF'0000'0000ull | SMCCC_VERSION_FID);
    EXPECT_TRUE(kvm_smccc_call(c.gprs));
    EXPECT_EQ(c.gprs[0], 0x10001u);
}

TEST(Smccc, UnimplementedIdIsNotSupported)
{
    for (uint64_t fid :
         {0x11ull, 0x42ull, 0xC600'0000ull, 0x8400'0000ull /* PSCI: not modelled */}) {
        Call c(fid, 0x22);
        EXPECT_FALSE(kvm_smccc_call(c.gprs)) << std::hex << fid;
        EXPECT_EQ(c.gprs[0], 0xFFFF'FFFF'FFFF'FFFFull) << std::hex << fid;
        EXPECT_EQ(c.gprs[1], 0u);
        EXPECT_EQ(c.gprs[4], 0xA004u);
    }
}

TEST(Smccc, VendorHypUidIsKvms)
{
    Call c(SMCCC_VENDOR_HYP_CALL_UID);
    EXPECT_TRUE(kvm_smccc_call(c.gprs));
    // 28b46fb6-2ec5-11e9-a9ca-4b564d003a74, four bytes per register, little-endian
    EXPECT_EQ(c.gprs[0], 0xb66fb428u);
    EXPECT_EQ(c.gprs[1], 0xe911c52eu);
    EXPECT_EQ(c.gprs[2], 0x564bcaa9u);
    EXPECT_EQ(c.gprs[3], 0x743a004du);
}

TEST(Smccc, ArchFeaturesOfTheWorkaroundsOnUnaffectedCores)
{
    Call w1(SMCCC_ARCH_FEATURES_FID, SMCCC_ARCH_WORKAROUND_1);
    kvm_smccc_call(w1.gprs);
    EXPECT_EQ(w1.gprs[0], 1u); // SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED
    Call w2(SMCCC_ARCH_FEATURES_FID, SMCCC_ARCH_WORKAROUND_2);
    kvm_smccc_call(w2.gprs);
    EXPECT_EQ(w2.gprs[0], 0xFFFF'FFFF'FFFF'FFFEull); // NOT_REQUIRED
    Call w3(SMCCC_ARCH_FEATURES_FID, SMCCC_ARCH_WORKAROUND_3);
    kvm_smccc_call(w3.gprs);
    EXPECT_EQ(w3.gprs[0], 1u);
    Call other(SMCCC_ARCH_FEATURES_FID, SMCCC_VERSION_FID); // not a feature KVM lists
    EXPECT_TRUE(kvm_smccc_call(other.gprs));
    EXPECT_EQ(other.gprs[0], 0xFFFF'FFFF'FFFF'FFFFull);
}

} // namespace
