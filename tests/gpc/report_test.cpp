// Reporting routes (D1.4.5.3, gpt-gpc.md 5.3): GPC exception to EL3 versus an abort whose FSC
// says GPF, with exact ESR/MFAR values.
#include <gtest/gtest.h>

extern "C" {
#include "gpc/report.h"
}

namespace
{

gpc_fault_context ctx(gpc_fault_kind kind, unsigned level, unsigned el)
{
    gpc_fault_context c{};
    c.result.kind = kind;
    c.result.gpt_level = (uint8_t)level;
    c.current_el = el;
    c.va = 0x1234'5678;
    c.pa = 0x8'8020'5123;
    c.pas = RME_PAS_REALM;
    c.walk_level = 3;
    return c;
}

TEST(GpcReport, FscEncodings)
{
    EXPECT_EQ(gpc_fsc(false, 3), 0x28u);
    EXPECT_EQ(gpc_fsc(true, 0), 0x24u);
    EXPECT_EQ(gpc_fsc(true, 3), 0x27u);
    EXPECT_EQ(gpc_fsc(true, -1), 0x23u);
}

TEST(GpcReport, MfarCarriesGranulePaAndPas)
{
    EXPECT_EQ(gpc_mfar(0x8'8020'5123, RME_PAS_REALM), 0xC000'0008'8020'5000ull);
    EXPECT_EQ(gpc_mfar(0x8'8020'5123, RME_PAS_NS), 0x8000'0008'8020'5000ull);
    EXPECT_EQ(gpc_mfar(0x8'8020'5123, RME_PAS_ROOT), 0x4000'0008'8020'5000ull);
    EXPECT_EQ(gpc_mfar(0x8'8020'5123, RME_PAS_SECURE), 0x0000'0008'8020'5000ull);
}

// Walk faults, address-size faults and external aborts on GPT fetches always go to EL3.
TEST(GpcReport, GptFaultsAreGpcExceptionsWithGpcsc)
{
    const struct {
        gpc_fault_kind kind;
        unsigned level, gpcsc;
    } cases[] = {{GPC_FAULT_ADDR_SIZE, 0, 0x00},
                 {GPC_FAULT_WALK, 0, 0x04},
                 {GPC_FAULT_WALK, 1, 0x05},
                 {GPC_FAULT_EABT, 0, 0x14},
                 {GPC_FAULT_EABT, 1, 0x15}};
    for (auto k : cases) {
        gpc_fault_context c = ctx(k.kind, k.level, 1);
        c.write = true;
        gpc_fault_report r;
        gpc_report(&c, &r);
        EXPECT_TRUE(r.gpc_exception);
        EXPECT_EQ(r.target_el, 3u);
        EXPECT_EQ(r.gpcsc, k.gpcsc);
        // EC 0x1E, IL, GPCSC [19:14], WnR [6], xFSC 0x28
        EXPECT_EQ(r.esr,
                  (0x1Eull << 26) | (1ull << 25) | (uint64_t(k.gpcsc) << 14) | (1 << 6) | 0x28);
        EXPECT_EQ(r.mfar, 0xC000'0008'8020'5000ull);
        EXPECT_EQ(r.far, 0x1234'5678u);
    }
}

TEST(GpcReport, GpfWithScrGpfGoesToEl3AsGpcException)
{
    gpc_fault_context c = ctx(GPC_FAULT_GPF, 1, 2);
    c.scr_gpf = true;
    c.on_walk = true;
    c.walk_level = 2;
    c.s2_walk = true;
    c.ipa = 0x80'0010'0000;
    c.instruction = true;
    gpc_fault_report r;
    gpc_report(&c, &r);
    EXPECT_TRUE(r.gpc_exception);
    EXPECT_EQ(r.gpcsc, 0x0Du);
    // S2PTW [21], InD [20], GPCSC GPF L1, xFSC 0x26
    EXPECT_EQ(r.esr, (0x1Eull << 26) | (1ull << 25) | (1ull << 21) | (1ull << 20) |
                         (0x0Dull << 14) | 0x26);
    EXPECT_TRUE(r.hpfar_valid);
    EXPECT_EQ(r.hpfar, (0x80'0010'0000ull >> 12) << 4);
}

// Without SCR_EL3.GPF: EL3 takes its own; EL2 to EL2; EL1/EL0 to EL1 unless TGE/GPF or a
// stage-2 walk.
TEST(GpcReport, AbortRoutes)
{
    const struct {
        unsigned el;
        bool tge, hcr_gpf, s2_walk, instr;
        unsigned target, ec;
    } cases[] = {
        {3, false, false, false, false, 3, 0x25}, {3, false, false, false, true, 3, 0x21},
        {2, false, false, false, false, 2, 0x25}, {2, false, false, false, true, 2, 0x21},
        {1, false, false, false, false, 1, 0x25}, {0, false, false, false, false, 1, 0x24},
        {1, true, false, false, false, 2, 0x24},  {1, false, true, false, false, 2, 0x24},
        {1, false, false, true, false, 2, 0x24},  {0, false, false, false, true, 1, 0x20},
        {0, false, true, false, true, 2, 0x20},
    };
    for (auto k : cases) {
        gpc_fault_context c = ctx(GPC_FAULT_GPF, 1, k.el);
        c.hcr_tge = k.tge;
        c.hcr_gpf = k.hcr_gpf;
        c.s2_walk = k.s2_walk;
        c.on_walk = k.s2_walk;
        c.instruction = k.instr;
        gpc_fault_report r;
        gpc_report(&c, &r);
        EXPECT_FALSE(r.gpc_exception);
        EXPECT_EQ(r.target_el, k.target) << k.el << k.tge << k.hcr_gpf << k.s2_walk;
        EXPECT_EQ(r.ec, k.ec);
        EXPECT_EQ(r.esr >> 26, k.ec);
        EXPECT_EQ(r.esr & 0x3F, k.s2_walk ? 0x27u : 0x28u);
        EXPECT_FALSE(r.mfar_valid);
    }
}

TEST(GpcReport, HostLoadFromDelegatedGranule)
{
    // The reference case: NS-EL2 load, GPF on the output address: DFSC 0x28, EC 0x25, to EL2.
    gpc_fault_context c = ctx(GPC_FAULT_GPF, 1, 2);
    c.pas = RME_PAS_NS;
    gpc_fault_report r;
    gpc_report(&c, &r);
    EXPECT_EQ(r.target_el, 2u);
    EXPECT_EQ(r.esr, 0x9600'0028ull);
}

} // namespace
