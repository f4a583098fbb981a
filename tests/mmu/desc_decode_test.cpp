// Descriptor fields as D8.3 lays them out, on descriptors the reference scenario's realm walk
// reads (uart-mmio, step write).
#include <gtest/gtest.h>

extern "C" {
#include "mmu/desc_decode.h"
}

namespace
{

TEST(DescDecode, Stage1PageWithItsAttributes)
{
    vmsa_desc d;
    vmsa_desc_decode(0x6000800010040bull, 1, 3, 12, &d);
    EXPECT_EQ(d.kind, VMSA_DESC_PAGE);
    EXPECT_EQ(d.addr, 0x8000100000ull);
    EXPECT_EQ(d.attr_indx, 2u);
    EXPECT_FALSE(d.ns);
    EXPECT_EQ(d.ap, 0u);
    EXPECT_EQ(d.sh, 0u);
    EXPECT_TRUE(d.af);
    EXPECT_FALSE(d.ng);
    EXPECT_TRUE(d.pxn);
    EXPECT_TRUE(d.uxn);
    EXPECT_FALSE(d.contiguous);
}

TEST(DescDecode, Stage1TableAndBlock)
{
    vmsa_desc d;
    vmsa_desc_decode(0x8001d003ull | (1ull << 63) | (2ull << 61), 1, 0, 12, &d);
    EXPECT_EQ(d.kind, VMSA_DESC_TABLE);
    EXPECT_EQ(d.addr, 0x8001d000ull);
    EXPECT_TRUE(d.ns_table);
    EXPECT_EQ(d.ap_table, 2u);
    vmsa_desc_decode(0x80000705ull | (1ull << 52), 1, 1, 12, &d); /* the host's 1GB block */
    EXPECT_EQ(d.kind, VMSA_DESC_BLOCK);
    EXPECT_EQ(d.addr, 0x80000000ull);
    EXPECT_EQ(d.attr_indx, 1u);
    EXPECT_EQ(d.sh, 3u);
    EXPECT_TRUE(d.af);
    EXPECT_TRUE(d.contiguous);
    /* 0b01 at level 3, or at level 1 of a 64KB granule, is no block */
    vmsa_desc_decode(0x80000705ull, 1, 3, 12, &d);
    EXPECT_EQ(d.kind, VMSA_DESC_RESERVED);
    vmsa_desc_decode(0x80000705ull, 1, 1, 16, &d);
    EXPECT_EQ(d.kind, VMSA_DESC_RESERVED);
}

TEST(DescDecode, Stage2PageAndTheRealmNsBit)
{
    vmsa_desc d;
    vmsa_desc_decode(0xbffd07dbull, 2, 3, 12, &d);
    EXPECT_EQ(d.kind, VMSA_DESC_PAGE);
    EXPECT_EQ(d.addr, 0xbffd0000ull);
    EXPECT_EQ(d.memattr, 6u);
    EXPECT_EQ(d.s2ap, 3u);
    EXPECT_STREQ(vmsa_s2ap_name(d.s2ap), "rw");
    EXPECT_STREQ(vmsa_sh_name(d.sh), "inner");
    EXPECT_TRUE(d.af);
    EXPECT_EQ(d.xn, 0u);
    EXPECT_FALSE(d.s2_ns);
    vmsa_desc_decode(0xbffd07dbull | (1ull << 55) | (2ull << 53), 2, 3, 12, &d);
    EXPECT_TRUE(d.s2_ns);
    EXPECT_EQ(d.xn, 2u);
    /* an invalid entry keeps bit 55 for the RMM (UNASSIGNED_NS) */
    vmsa_desc_decode(0x80000000000000ull, 2, 1, 12, &d);
    EXPECT_EQ(d.kind, VMSA_DESC_INVALID);
    EXPECT_TRUE(d.s2_ns);
    EXPECT_STREQ(vmsa_desc_kind_name(d.kind), "invalid");
}

} // namespace
