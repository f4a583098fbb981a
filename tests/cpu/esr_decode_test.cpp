// ESR_ELx decoded field by field: the reference store's stage-2 abort, and the syndromes the GPC
// builds (gpc_report, gpc_fsc) read back with the names the Arm ARM gives their codes.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "cpu/esr_decode.h"
#include "gpc/report.h"
}

namespace
{

std::string fsc(unsigned code, bool data = true)
{
    char buf[96];
    return esr_fsc_describe(code, data, buf, sizeof buf);
}

TEST(EsrDecode, TheReferenceStoresStage2Abort)
{
    esr_fields f;
    esr_decode(0x93020045ull, &f); /* uart-mmio, step write: ESR_EL2 at R-EL2 */
    EXPECT_EQ(f.ec, 0x24u);
    EXPECT_STREQ(esr_ec_description(f.ec), "Data Abort from a lower Exception level");
    EXPECT_TRUE(f.il);
    EXPECT_TRUE(f.abort);
    EXPECT_TRUE(f.data);
    EXPECT_TRUE(f.isv);
    EXPECT_EQ(f.sas, 0u); /* a byte */
    EXPECT_FALSE(f.sse);
    EXPECT_EQ(f.srt, 2u);
    EXPECT_FALSE(f.sf);
    EXPECT_TRUE(f.wnr);
    EXPECT_FALSE(f.s1ptw);
    EXPECT_EQ(fsc(f.fsc), "translation fault, level 1");
}

TEST(EsrDecode, FaultStatusCodesByName)
{
    EXPECT_EQ(fsc(gpc_fsc(false, 0)), "GPF on output");
    EXPECT_EQ(fsc(gpc_fsc(true, -1)), "GPF on translation table walk, level -1");
    EXPECT_EQ(fsc(gpc_fsc(true, 2)), "GPF on translation table walk, level 2");
    EXPECT_EQ(fsc(0x10), "synchronous external abort, not on translation table walk");
    EXPECT_EQ(fsc(0x15), "synchronous external abort on translation table walk, level 1");
    EXPECT_EQ(fsc(0x2B), "translation fault, level -1");
    EXPECT_EQ(fsc(0x0B), "access flag fault, level 3");
    EXPECT_EQ(fsc(0x0F), "permission fault, level 3");
    EXPECT_EQ(fsc(0x03), "address size fault, level 3");
    EXPECT_EQ(fsc(0x3F), "reserved (0x3f)");
    // data-only codes are reserved as an IFSC
    EXPECT_EQ(fsc(0x21), "alignment fault");
    EXPECT_EQ(fsc(0x21, false), "reserved (0x21)");
    EXPECT_EQ(fsc(0x11, false), "reserved (0x11)");
    EXPECT_EQ(fsc(0x31, false), "reserved (0x31)");
    EXPECT_EQ(fsc(0x28, false), "GPF on output");
}

TEST(EsrDecode, AGpcExceptionsSyndrome)
{
    gpc_fault_context c = {};
    c.result.kind = GPC_FAULT_WALK;
    c.result.gpt_level = 1;
    c.current_el = 1;
    c.on_walk = true;
    c.walk_level = 2;
    c.s2_walk = true;
    c.write = true;
    gpc_fault_report rep;
    gpc_report(&c, &rep);
    esr_fields f;
    esr_decode(rep.esr, &f);
    EXPECT_TRUE(f.gpc);
    EXPECT_FALSE(f.abort);
    EXPECT_TRUE(f.s2ptw);
    EXPECT_FALSE(f.ind);
    EXPECT_TRUE(f.wnr);
    char buf[64];
    EXPECT_STREQ(esr_gpcsc_describe(f.gpcsc, buf, sizeof buf), "GPT walk fault, level 1");
    EXPECT_EQ(fsc(f.fsc), "GPF on translation table walk, level 2");
    EXPECT_STREQ(esr_gpcsc_describe(0x0D, buf, sizeof buf), "GPF, level 1");
    EXPECT_STREQ(esr_gpcsc_describe(0x01, buf, sizeof buf), "reserved (0x01)");
}

TEST(EsrDecode, AnInstructionAbortHasNoInstructionSyndrome)
{
    esr_fields f;
    esr_decode((0x20ull << 26) | (1ull << 25) | (1u << 24) | (1u << 9) | 0x07, &f);
    EXPECT_TRUE(f.abort);
    EXPECT_FALSE(f.data);
    EXPECT_FALSE(f.isv); /* [24] is RES0 for instruction aborts */
    EXPECT_TRUE(f.ea);
    EXPECT_EQ(fsc(f.fsc), "translation fault, level 3");
    EXPECT_STREQ(esr_ec_description(0x20), "Instruction Abort from a lower Exception level");
    EXPECT_EQ(esr_ec_description(0x3A), nullptr);
}

} // namespace
