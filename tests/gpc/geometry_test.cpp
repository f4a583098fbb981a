// Index arithmetic (Arm ARM D9.7 I_GRXPD), table sizes (I_LJQCV) and register encodings.
#include <gtest/gtest.h>

extern "C" {
#include "gpc/gpt_desc.h"
#include "gpc/regs.h"
}

TEST(GptGeometry, FvpWorkedExample)
{
    gpt_geometry g{40, 30, 12}; // PPS 1TB, L0GPTSZ 1GB, PGS 4KB
    EXPECT_EQ(gpt_l0_index(&g, 0x8'8020'5000ull), 0x22u);
    EXPECT_EQ(gpt_l1_index(&g, 0x8'8020'5000ull), 0x20u);
    EXPECT_EQ(gpt_gpi_slot(&g, 0x8'8020'5000ull), 5u);
    EXPECT_EQ(gpt_l0_table_size(&g), 8192u);      // 1024 entries
    EXPECT_EQ(gpt_l1_table_size(&g), 128u << 10); // 16384 entries
}

TEST(GptGeometry, SixteenAndSixtyFourKGranules)
{
    gpt_geometry g16{44, 34, 14}; // 16TB, 16GB per L0 entry, 16KB granules
    EXPECT_EQ(gpt_l0_index(&g16, 0x123'4567'8000ull), 0x48u);
    EXPECT_EQ(gpt_l1_index(&g16, 0x123'4567'8000ull), 0xD159u);
    EXPECT_EQ(gpt_gpi_slot(&g16, 0x123'4567'8000ull), 0xEu);
    gpt_geometry g64{36, 36, 16}; // t == s: one L0 entry covers everything
    EXPECT_EQ(gpt_l0_index(&g64, 0x7'4321'0000ull), 0u);
    EXPECT_EQ(gpt_l1_index(&g64, 0x7'4321'0000ull), 0x7432u);
    EXPECT_EQ(gpt_gpi_slot(&g64, 0x7'4321'0000ull), 1u);
}

TEST(GptGeometry, PpsSmallerThanL0EntryHasOneEntry)
{
    gpt_geometry g{32, 34, 12}; // t < s
    EXPECT_EQ(gpt_l0_table_size(&g), 8u);
    EXPECT_EQ(gpt_l0_index(&g, 0xFFFF'F000ull), 0u);
}

// Every L0GPTSZ x PGS cell of the L1 table-size table (gpt-gpc.md 3.3).
TEST(GptGeometry, L1TableSizes)
{
    const struct {
        unsigned s, p;
        uint64_t bytes;
    } cases[] = {{30, 12, 128 << 10}, {30, 14, 32 << 10},  {30, 16, 8 << 10},  {34, 12, 2 << 20},
                 {34, 14, 512 << 10}, {34, 16, 128 << 10}, {36, 12, 8 << 20},  {36, 14, 2 << 20},
                 {36, 16, 512 << 10}, {39, 12, 64 << 20},  {39, 14, 16 << 20}, {39, 16, 4 << 20}};
    for (auto c : cases) {
        gpt_geometry g{48, c.s, c.p};
        EXPECT_EQ(gpt_l1_table_size(&g), c.bytes) << c.s << "/" << c.p;
    }
}

TEST(Gpccr, EncodeDecodeAndTheNonMonotonicPgs)
{
    gpccr_fields f{};
    f.pps_bits = 40;
    f.pgs_bytes = 16384;
    f.l0gptsz_bits = 30;
    f.sh = GPCCR_SH_INNER;
    f.irgn = f.orgn = GPCCR_RGN_WBRAWA;
    f.gpc = true;
    uint64_t v = gpccr_encode(&f);
    EXPECT_EQ(v, 0x2u | (2u << 14) | (3u << 12) | (1u << 10) | (1u << 8) | (1u << 16));
    unsigned t, p, s;
    ASSERT_TRUE(gpccr_pps_bits(v, &t));
    ASSERT_TRUE(gpccr_pgs_bits(v, &p));
    ASSERT_TRUE(gpccr_l0gptsz_bits(v, &s));
    EXPECT_EQ(t, 40u);
    EXPECT_EQ(p, 14u); // 0b10 is 16KB, not 64KB
    EXPECT_EQ(s, 30u);
    ASSERT_TRUE(gpccr_pgs_bits(1u << 14, &p));
    EXPECT_EQ(p, 16u); // 0b01 is 64KB
    EXPECT_FALSE(gpccr_pgs_bits(3u << 14, &p));
    EXPECT_FALSE(gpccr_pps_bits(7, &t));            // 0b111 reserved
    EXPECT_FALSE(gpccr_pps_bits(GPCCR_PPS3, &t));   // PPS3 needs GPC3
    EXPECT_FALSE(gpccr_l0gptsz_bits(1u << 20, &s)); // 0b0001 reserved
    ASSERT_TRUE(gpccr_l0gptsz_bits(9u << 20, &s));
    EXPECT_EQ(s, 39u);
}

// GPIValid and GPICheck: every encoding against every PAS (D9.6.5, gpt-gpc.md 4).
TEST(Gpi, EveryEncodingAgainstEveryPas)
{
    gpi_features base{true, false}, nso{true, true}, no_sel2{false, false};
    for (unsigned gpi = 0; gpi < 16; gpi++) {
        bool valid = gpi == 0 || gpi == 8 || gpi == 9 || gpi == 0xA || gpi == 0xB || gpi == 0xF;
        EXPECT_EQ(gpi_valid(gpi, &base), valid) << gpi;
        EXPECT_EQ(gpi_valid(gpi, &nso), valid || gpi == 0xD) << gpi;
        EXPECT_EQ(gpi_valid(gpi, &no_sel2), valid && gpi != 8) << gpi;
    }
    const rme_pas pases[] = {RME_PAS_SECURE, RME_PAS_NS, RME_PAS_ROOT, RME_PAS_REALM};
    for (rme_pas pas : pases) {
        EXPECT_FALSE(gpi_permits(GPI_NO_ACCESS, pas, RME_SS_ROOT));
        EXPECT_TRUE(gpi_permits(GPI_ANY, pas, RME_SS_SECURE));
        EXPECT_EQ(gpi_permits(GPI_SECURE, pas, RME_SS_SECURE), pas == RME_PAS_SECURE);
        EXPECT_EQ(gpi_permits(GPI_NS, pas, RME_SS_REALM), pas == RME_PAS_NS);
        EXPECT_EQ(gpi_permits(GPI_ROOT, pas, RME_SS_ROOT), pas == RME_PAS_ROOT);
        EXPECT_EQ(gpi_permits(GPI_REALM, pas, RME_SS_NS), pas == RME_PAS_REALM);
    }
    // Root state gets no blanket access: EL3 must use the NS PAS for NS memory.
    EXPECT_FALSE(gpi_permits(GPI_NS, RME_PAS_ROOT, RME_SS_ROOT));
    // NSO: the NS PAS, and only from the Non-secure or Root security state.
    EXPECT_TRUE(gpi_permits(GPI_NSO, RME_PAS_NS, RME_SS_NS));
    EXPECT_TRUE(gpi_permits(GPI_NSO, RME_PAS_NS, RME_SS_ROOT));
    EXPECT_FALSE(gpi_permits(GPI_NSO, RME_PAS_NS, RME_SS_REALM));
    EXPECT_FALSE(gpi_permits(GPI_NSO, RME_PAS_NS, RME_SS_SECURE));
    EXPECT_FALSE(gpi_permits(GPI_NSO, RME_PAS_REALM, RME_SS_NS));
}

TEST(GptDescriptors, ValidityRules)
{
    gpi_features f{true, false};
    gpt_geometry g{40, 30, 12};
    EXPECT_TRUE(gpt_l0_desc_valid(0xF1, &g, &f));              // Block ANY
    EXPECT_TRUE(gpt_l0_desc_valid(0x91, &g, &f));              // Block NS
    EXPECT_FALSE(gpt_l0_desc_valid(0x21, &g, &f));             // Block with a reserved GPI
    EXPECT_FALSE(gpt_l0_desc_valid(0x1F1, &g, &f));            // RES0 bit 8
    EXPECT_FALSE(gpt_l0_desc_valid(0x0, &g, &f));              // no such type
    EXPECT_TRUE(gpt_l0_desc_valid(0x1'0002'0003ull, &g, &f));  // table, 128KB aligned
    EXPECT_FALSE(gpt_l0_desc_valid(0x1'0001'0003ull, &g, &f)); // misaligned L1 (bits [16:12])
    EXPECT_FALSE(gpt_l0_desc_valid(0x1'0002'0013ull, &g, &f)); // RES0 [11:4]
    EXPECT_TRUE(gpt_l1_desc_valid(0x9999'9999'9999'9999ull, &f));
    EXPECT_FALSE(gpt_l1_desc_valid(0x9999'9999'9299'9999ull, &f)); // one reserved nibble
    EXPECT_TRUE(gpt_l1_desc_valid(0x191, &f));                     // 2MB contiguous NS
    EXPECT_FALSE(gpt_l1_desc_valid(0x091, &f));                    // Contig 00 reserved
    EXPECT_FALSE(gpt_l1_desc_valid(0x591, &f));                    // RES0 bit 10
    EXPECT_EQ(gpt_l1_contig_desc(GPI_REALM, 2), 0x2B1u);
    EXPECT_EQ(gpt_l1_uniform_desc(GPI_REALM), 0xBBBB'BBBB'BBBB'BBBBull);
    EXPECT_EQ(gpt_l1_gpi(0x9999'9999'99B9'9999ull, &g, 0x5000), 0xBu);
}

// Every PPS x L0GPTSZ x PGS combination: the three indices partition the PA exactly (their bit
// fields are adjacent and cover [t-1:p]), including t <= s where level 0 has a single entry.
TEST(GptGeometry, EveryCombinationPartitionsThePa)
{
    const unsigned pps[] = {32, 36, 40, 42, 44, 48, 52}, l0[] = {30, 34, 36, 39},
                   pgs[] = {12, 14, 16};
    for (unsigned t : pps)
        for (unsigned s : l0)
            for (unsigned p : pgs) {
                gpt_geometry g{t, s, p};
                uint64_t pa = 0x000F'EDCB'A987'6543ull & ((1ull << t) - 1);
                uint64_t rebuilt = (gpt_l0_index(&g, pa) << s) | (gpt_l1_index(&g, pa) << (p + 4)) |
                                   (uint64_t(gpt_gpi_slot(&g, pa)) << p) | (pa & ((1ull << p) - 1));
                uint64_t expect = t > s ? pa : pa & ((1ull << s) - 1);
                EXPECT_EQ(rebuilt, expect) << t << "/" << s << "/" << p;
                EXPECT_EQ(gpt_l0_table_size(&g), t > s ? 8ull << (t - s) : 8u);
                EXPECT_EQ(gpt_l1_table_size(&g) / 8, 1ull << (s - p - 4)); // entries per table
            }
}
