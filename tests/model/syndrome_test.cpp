// What a step reports with an ESR: the ESR, its EC (number and name) and the abort's fault
// status code under the name the architecture gives it (DFSC, IFSC; a GPC exception's xFSC by
// its InD bit).
#include <gtest/gtest.h>

#include "model/step_result.hpp"

namespace rmesim
{
namespace
{

const Observed *field(const StepResult &r, const char *name)
{
    auto it = r.fields.find(name);
    return it == r.fields.end() ? nullptr : &it->second;
}

TEST(Syndrome, DataAbortReportsDfsc)
{
    StepResult r;
    report_syndrome(r, 0x97c3'8210); // DABT_CUR, ISV ..., DFSC 0x10
    EXPECT_EQ(field(r, "esr")->number, 0x97c3'8210u);
    EXPECT_EQ(field(r, "esr_ec")->number, 0x25u);
    EXPECT_EQ(field(r, "exception.ec")->text, "DABT_CUR");
    EXPECT_EQ(field(r, "dfsc")->number, 0x10u);
    EXPECT_EQ(field(r, "ifsc"), nullptr);
}

TEST(Syndrome, InstructionAbortReportsIfsc)
{
    StepResult r;
    report_syndrome(r, 0x8200'000f); // IABT_LOWER, permission fault level 3
    EXPECT_EQ(field(r, "exception.ec")->text, "IABT_LOWER");
    EXPECT_EQ(field(r, "ifsc")->number, 0x0fu);
    EXPECT_EQ(field(r, "dfsc"), nullptr);
}

TEST(Syndrome, GpcExceptionNamesItsXfscByInD)
{
    StepResult data, fetch;
    report_syndrome(data, 0x7a01'4028);               // GPC, InD 0, xFSC 0x28
    report_syndrome(fetch, 0x7a01'4028 | (1u << 20)); // InD 1: an instruction fetch
    EXPECT_EQ(field(data, "exception.ec")->text, "GPC");
    EXPECT_EQ(field(data, "dfsc")->number, 0x28u);
    EXPECT_EQ(field(fetch, "ifsc")->number, 0x28u);
    EXPECT_EQ(field(fetch, "dfsc"), nullptr);
}

TEST(Syndrome, OtherClassesHaveNoFaultStatus)
{
    StepResult r;
    report_syndrome(r, 0x5e00'0000); // SMC64
    EXPECT_EQ(field(r, "exception.ec")->text, "SMC64");
    EXPECT_EQ(field(r, "dfsc"), nullptr);
    EXPECT_EQ(field(r, "ifsc"), nullptr);
}

} // namespace
} // namespace rmesim
