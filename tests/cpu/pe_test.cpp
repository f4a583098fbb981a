#include <gtest/gtest.h>

extern "C" {
#include "cpu/pe.h"
}

namespace
{

struct Pe : ::testing::Test {
    pe p;
    void SetUp() override { pe_reset(&p, 0); }
};

TEST_F(Pe, ResetIsEl3Root)
{
    EXPECT_EQ(p.el, 3u);
    EXPECT_EQ(pe_security_state(&p), RME_SS_ROOT);
}

TEST_F(Pe, SecurityStateFollowsScrNseNs)
{
    p.el = 2;
    p.regs[SCR_EL3] = 0;
    EXPECT_EQ(pe_security_state(&p), RME_SS_SECURE);
    p.regs[SCR_EL3] = SCR_EL3_NS;
    EXPECT_EQ(pe_security_state(&p), RME_SS_NS);
    p.regs[SCR_EL3] = SCR_EL3_NS | SCR_EL3_NSE;
    EXPECT_EQ(pe_security_state(&p), RME_SS_REALM);
    p.el = 3; // EL3 is Root whatever SCR_EL3 says
    EXPECT_EQ(pe_security_state(&p), RME_SS_ROOT);
    EXPECT_EQ(pe_lower_security_state(&p), RME_SS_REALM);
}

// D1.3.1: vector = VBAR + group (0x000 SP0, 0x200 SPx, 0x400 lower AArch64) + type.
TEST_F(Pe, ExceptionFromLowerElUsesLowerAArch64Group)
{
    p.el = 1;
    p.pc = 0x4000;
    p.regs[VBAR_EL2] = 0x8000'0000;
    pe_take_exception(&p, 2, EXC_SYNC, 0x9200'0046ull, 0x1234, true, 0x80'0010'00ull >> 8, false,
                      0);
    EXPECT_EQ(p.el, 2u);
    EXPECT_EQ(p.pc, 0x8000'0400u);
    EXPECT_EQ(p.regs[ESR_EL2], 0x9200'0046u);
    EXPECT_EQ(p.regs[FAR_EL2], 0x1234u);
    EXPECT_EQ(p.regs[ELR_EL2], 0x4000u);
    EXPECT_EQ(p.regs[SPSR_EL2] & 0xF, 0b0101u); // from EL1h
    EXPECT_EQ(p.regs[HPFAR_EL2], 0x80'0010'00ull >> 8);
    EXPECT_EQ(p.last_exception.from_el, 1u);
    EXPECT_EQ(ESR_EC(p.regs[ESR_EL2]), unsigned(EC_DABT_LOWER));
}

TEST_F(Pe, ExceptionAtSameElUsesCurrentSpxGroupAndTypeOffset)
{
    p.el = 3;
    p.regs[VBAR_EL3] = 0x1000;
    pe_take_exception(&p, 3, EXC_SERROR, 0xBE00'0000ull, 0, false, 0, true, 0x8000'0000'1234'5000);
    EXPECT_EQ(p.pc, 0x1000u + 0x200 + 0x180);
    EXPECT_EQ(p.regs[MFAR_EL3], 0x8000'0000'1234'5000u);
    EXPECT_EQ(p.regs[HPFAR_EL2], 0u); // not written when not valid
}

TEST_F(Pe, EretReturnsToSavedElAndPc)
{
    p.el = 1;
    p.pc = 0x4444;
    p.regs[VBAR_EL3] = 0x1000;
    pe_take_exception(&p, 3, EXC_SYNC, uint64_t(EC_SMC64) << ESR_EC_SHIFT, 0, false, 0, false, 0);
    EXPECT_EQ(p.pc, 0x1400u);
    pe_eret(&p);
    EXPECT_EQ(p.el, 1u);
    EXPECT_EQ(p.pc, 0x4444u);
}

TEST_F(Pe, SmcFromEl1TrapsToEl2OnlyWithTsc)
{
    p.el = 1;
    EXPECT_EQ(pe_smc_target_el(&p), 3u);
    p.regs[HCR_EL2] = HCR_EL2_TSC;
    EXPECT_EQ(pe_smc_target_el(&p), 2u);
    p.el = 2;
    EXPECT_EQ(pe_smc_target_el(&p), 3u);
}

TEST(Sysregs, Names)
{
    EXPECT_STREQ(sysreg_name(GPCCR_EL3), "GPCCR_EL3");
    EXPECT_STREQ(sysreg_name(MFAR_EL3), "MFAR_EL3");
    EXPECT_STREQ(esr_ec_name(0x1E), "GPC");
    EXPECT_STREQ(esr_ec_name(0x24), "DABT_LOWER");
}

} // namespace
