// The syndrome of an SEA the RMM injects into a realm (A5.2.7). It follows TF-RMM's
// calc_esr_idabort: ESR_EL1 is the abort's ESR_EL2 with EC turned into the same-EL class (unless
// the realm was at EL0), FSC set to SEA, FnV and S1PTW cleared and EA set; the rest (IL, ISV,
// SAS, SSE, SRT, SF, AR, SET, WnR) is kept, so the realm's handler sees which access failed.
#include "run_fixture.hpp"

namespace
{

using namespace rmmtest;

constexpr uint64_t kEcIabtLower = 0x20ull << 26, kEa = 1ull << 9, kFnV = 1ull << 10;
constexpr uint64_t kS1ptw = 1ull << 7, kSeaFsc = 0x10, kEl1hDaif = 0x3C5;

struct Sea : Run {
    static constexpr uint64_t kEmpty = 0x4000'2000, kVbar = 0xffff'8000'0000'0000;
    void SetUp() override
    {
        Run::SetUp();
        rtts_to(rd, kEmpty, 3); // RIPAS EMPTY: never made RAM
        activate();
    }
    // the realm, at the PSTATE given, aborts with esr_el2 at an IPA the RMM answers with an SEA
    void abort_on_empty(uint64_t esr_el2, uint64_t far, uint64_t pstate = kEl1hDaif)
    {
        data_abort(esr_el2, kEmpty, far, [=](rmm_rec *c) {
            c->el1.vbar = kVbar;
            c->pstate = pstate;
        });
        ASSERT_EQ(enter(), 0u);
        ASSERT_EQ(exit_field(RMI_EXIT_REASON), uint64_t(RMI_EXIT_IRQ)); // no exit for it
        ASSERT_TRUE(c()->sea_injected);
        c()->sea_injected = false;
    }
};

TEST_F(Sea, EightByteLoadIntoX3KeepsTheInstructionSyndrome)
{
    // LDR X3 from RIPAS EMPTY: stage-2 translation fault at level 1, taken from EL1h
    uint64_t pc = c()->pc;
    abort_on_empty(kEcDabtLower | kIl | kIsv | sas(3) | srt(3) | kSf | 0x05, 0xffff'9000'0000'0000);
    EXPECT_EQ(c()->el1.esr, 0x97c3'8210u); // DABT_CUR, IL, ISV, SAS 8, SRT 3, SF, EA, SEA
    EXPECT_EQ(c()->el1.far, 0xffff'9000'0000'0000u);
    EXPECT_EQ(c()->el1.elr, pc);
    EXPECT_EQ(c()->el1.spsr, kEl1hDaif);
    EXPECT_EQ(pcs.back(), kVbar + 0x200); // current EL with SP_ELx, synchronous
}

TEST_F(Sea, HalfwordStoreFromX2KeepsWnRAndItsSize)
{
    // STRH W2: SAS 2 bytes, SRT 2, WnR, no SF; translation fault at level 3
    abort_on_empty(kEcDabtLower | kIl | kIsv | sas(1) | srt(2) | kWnR | 0x07, 0x1002);
    EXPECT_EQ(c()->el1.esr, (0x25ull << 26) | kIl | kIsv | sas(1) | srt(2) | kWnR | kEa | kSeaFsc);
    EXPECT_EQ(c()->el1.esr, 0x9742'0250u);
}

TEST_F(Sea, SignExtendingByteLoadKeepsSse)
{
    // LDRSB W7: SAS 1 byte, SSE, SRT 7
    abort_on_empty(kEcDabtLower | kIl | kIsv | sas(0) | kSse | srt(7) | 0x06, 0x1003);
    EXPECT_EQ(c()->el1.esr, 0x9727'0210u);
}

TEST_F(Sea, FnVAndS1ptwAreCleared)
{
    abort_on_empty(kEcDabtLower | kIl | kFnV | kS1ptw | 0x05, 0);
    EXPECT_EQ(c()->el1.esr, (0x25ull << 26) | kIl | kEa | kSeaFsc);
}

TEST_F(Sea, FromEl0TheClassStaysLowerAndTheVectorIsTheLowerEls)
{
    // a load at EL0t (SPSR.M 0): EC DABT_LOWER, vector lower EL AArch64
    abort_on_empty(kEcDabtLower | kIl | kIsv | sas(2) | srt(4) | 0x07, 0x2000, 0x0);
    EXPECT_EQ(c()->el1.esr >> 26, 0x24u);
    EXPECT_EQ(c()->el1.esr, kEcDabtLower | kIl | kIsv | sas(2) | srt(4) | kEa | kSeaFsc);
    EXPECT_EQ(c()->el1.spsr, 0u);
    EXPECT_EQ(pcs.back(), kVbar + 0x400);
    EXPECT_EQ(c()->pstate, kEl1hDaif); // the handler runs at EL1h, DAIF masked
}

TEST_F(Sea, InstructionFetchFromTheUnprotectedHalf)
{
    script.push_back({[](rmm_rec *c) { c->el1.vbar = kVbar; },
                      {RMM_TRAP_INSTR_ABORT, kEcIabtLower | kIl | 0x06, 0x5000, hpfar(kUnprot)}});
    ASSERT_EQ(enter(), 0u);
    ASSERT_TRUE(c()->sea_injected);
    EXPECT_EQ(c()->el1.esr, (0x21ull << 26) | kIl | kEa | kSeaFsc); // IABT_CUR
    EXPECT_EQ(pcs.back(), kVbar + 0x200);
}

TEST_F(Sea, HostInjectedSeaKeepsTheExitsSyndrome)
{
    // STR W5 to an unprotected IPA: an emulatable exit the host answers with INJECT_SEA
    uint64_t esr = kEcDabtLower | kIl | kIsv | sas(2) | srt(5) | kWnR | 0x05;
    data_abort(esr, kUnprot | 0x10'0000, 0x6024);
    ASSERT_EQ(enter(), 0u);
    ASSERT_EQ(enter(RMI_ENTER_INJECT_SEA), 0u);
    ASSERT_TRUE(c()->sea_injected);
    EXPECT_EQ(c()->el1.esr, (0x25ull << 26) | kIl | kIsv | sas(2) | srt(5) | kWnR | kEa | kSeaFsc);
    EXPECT_EQ(c()->el1.far, 0x6024u);
}

} // namespace
