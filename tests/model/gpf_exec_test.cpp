// A Granule Protection Fault taken by real code: an EL0 program's load from its own data page
// after EL3 has transitioned that granule to the Realm PAS (as the RMM's GRANULE_DELEGATE makes
// it do). The core reports the GPF with the syndrome the scripted model's path reports for the
// same kind of access.
#include <gtest/gtest.h>

#include "elf_builder.hpp"
#include "isolated.hpp"
#include "model/a64_program.hpp"

extern "C" {
#include "gpc/gpc.h"
#include "gpc/gpt_el3.h"
}

namespace
{

// mov x1, #0x410000; movk x1, #0x1000; ldr x0, [x1]; mov x8, #93; svc #0: exit(*(u64 *)0x411000)
const std::vector<uint32_t> kLoadThenExit = {0xd2a00821, 0xf2820001, 0xf9400020, 0xd2800ba8,
                                             0xd4000001};
constexpr uint64_t kData = 0x411000;

struct Outcome {
    int transition_rc, unmapped_rc;
    rmesim::A64ProgramEnd end;
    uint64_t data_pa;
    // the MMU asked directly, on the same regime at EL0, for the same load
    unsigned mmu_fault, mmu_target_el, mmu_gpi;
    uint64_t mmu_esr, mmu_far;
};

enum Mode { kAsLoaded, kDelegated, kReservedGpi };

Outcome run(Mode mode)
{
    return run_isolated<Outcome>([mode] {
        Outcome o{};
        rmesim::ElfImage image;
        std::string error;
        std::vector<uint8_t> data = {7, 0, 0, 0, 0, 0, 0, 0};
        if (!rmesim::parse_elf_image(
                "gpf.elf",
                build_elf(0x400000, {{0x400000, 5, words(kLoadThenExit), 0}, {kData, 6, data, 0}}),
                image, error))
            throw std::runtime_error(error);
        rmesim::A64Program p;
        if (!p.load(image, "gpf.elf", error))
            throw std::runtime_error(error);
        o.data_pa = p.pa_of(kData);
        o.unmapped_rc = p.transition_granule(0x10, GPI_REALM); /* not the program's */
        if (mode == kDelegated)
            o.transition_rc = p.transition_granule(kData, GPI_REALM);
        if (mode == kReservedGpi) /* a raw GPT write of a reserved GPI (0b0010), no maintenance */
            p.platform().core(0).post([&](rmesim::Core &) {
                uint64_t cycles = 0;
                o.transition_rc = gpt_write_gpi(p.platform().gpc(0), o.data_pa, 0x2, &cycles);
            });
        sc_core::sc_start();
        o.end = p.run(100, nullptr);
        rmesim::A64Binding &b = p.binding();
        p.platform().core(0).post([&](rmesim::Core &) {
            mmu_regime r = b.regime;
            r.el = 0;
            rme_access a;
            if (mode == kReservedGpi) /* the program's first fetch */
                rme_access_init(&a, 0x400000, 4, MMU_FETCH);
            else
                rme_access_init(&a, kData, 8, MMU_READ);
            mmu_translate(&r, &b.env, &a);
            o.mmu_fault = a.fault;
            o.mmu_target_el = a.target_el;
            o.mmu_gpi = a.gpc.gpi;
            o.mmu_esr = a.esr;
            o.mmu_far = a.far;
        });
        sc_core::sc_start();
        return o;
    });
}

} // namespace

TEST(GpfByRealCode, TheProgramReadsItsDataWhileTheGranuleIsNonSecure)
{
    Outcome o = run(kAsLoaded);
    EXPECT_EQ(o.end.reason, rmesim::A64ProgramEnd::kExit);
    EXPECT_EQ(o.end.status, 7);
    EXPECT_EQ(o.unmapped_rc, -22); /* -EINVAL: no page of the program there */
    EXPECT_NE(o.data_pa, 0u);
    EXPECT_EQ(o.mmu_fault, unsigned(MMU_OK));
    EXPECT_EQ(o.mmu_gpi, unsigned(GPI_NS));
}

TEST(GpfByRealCode, ALoadFromADelegatedGranuleTakesAGpfWithTheModelsSyndrome)
{
    Outcome o = run(kDelegated);
    ASSERT_EQ(o.transition_rc, 0);
    EXPECT_EQ(o.mmu_gpi, unsigned(GPI_REALM));
    // The core: a data abort from EL0 taken to EL1 (SCR_EL3.GPF = 0 and HCR_EL2.GPF = 0 route a
    // GPF below EL3 as an ordinary abort, D9 "GPC faults"), FAR the VA, ELR the LDR; Linux's
    // do_gpf sends SIGBUS.
    EXPECT_EQ(o.end.reason, rmesim::A64ProgramEnd::kSignal);
    EXPECT_EQ(o.end.status, 128 + 7);
    EXPECT_EQ(o.end.target_el, 1u);
    EXPECT_EQ(o.end.esr, 0x92000028u); // EC 0x24, IL, DFSC 0b101000: GPF not on a walk
    EXPECT_EQ(o.end.far, kData);
    EXPECT_EQ(o.end.elr, 0x400008u);
    // The scripted model's path for the same access (mmu_translate on the same regime at EL0,
    // what the scripted guest and host steps call): the whole ESR agrees. Bit by bit: EC
    // (0x24, from a lower EL: both the core and gpc_report compare the access's EL with the
    // target EL1), IL (a 32-bit instruction), ISV 0 (no instruction syndrome for an abort to
    // EL1), WnR 0 (a load), S1PTW 0 and EA 0 (the fault is on the output address, not a walk
    // and not external), DFSC 0x28.
    EXPECT_EQ(o.mmu_fault, unsigned(MMU_FAULT_GPF));
    EXPECT_EQ(o.mmu_target_el, 1u);
    EXPECT_EQ(o.mmu_esr, o.end.esr);
    EXPECT_EQ(o.mmu_far, o.end.far);
    // scenarios/gpc/host-load-from-realm-granule.yaml: the host's load at NS-EL2 from a
    // delegated granule reports ESR 0x9600_0028. Its ISS (IL, WnR, S1PTW, EA, DFSC) is the same
    // as the core's; only the EC differs, 0x25 (same EL: the host faults at EL2, to EL2) against
    // 0x24 (EL0 to EL1).
    const uint64_t host_load_esr = 0x96000028;
    EXPECT_EQ(o.end.esr & 0x3FFFFFF, host_load_esr & 0x3FFFFFF);
    EXPECT_EQ(o.end.esr >> 26, 0x24u);
    EXPECT_EQ(host_load_esr >> 26, 0x25u);
}

// A GPT walk fault is a GPC exception to EL3 whatever SCR_EL3.GPF says (D9); rmesim exec has no
// EL3 code to take it, so the program ends with the exception reported.
TEST(GpfByRealCode, AGptWalkFaultGoesToEl3WhereTheRunnerHasNoHandler)
{
    Outcome o = run(kReservedGpi);
    ASSERT_EQ(o.transition_rc, 0);
    EXPECT_EQ(o.end.reason, rmesim::A64ProgramEnd::kUnhandled);
    EXPECT_EQ(o.end.status, 128 + 9);
    EXPECT_EQ(o.end.target_el, 3u);
    /* the GPT's level-1 descriptor for the data page also holds the text page's GPI, and one
     * reserved GPI makes the whole descriptor invalid: the program's first fetch faults. EC 0x1E
     * (GPC exception), IL, InD (instruction), GPCSC 0b000101 (GPT walk fault at level 1), the
     * FSC field 0x28 as for a GPF off a walk */
    EXPECT_EQ(o.end.esr, 0x7A114028u);
    EXPECT_EQ(o.end.far, 0x400000u);
    EXPECT_EQ(o.end.elr, 0x400000u);
    EXPECT_EQ(o.mmu_fault, unsigned(MMU_FAULT_GPT_WALK));
    EXPECT_EQ(o.mmu_esr, o.end.esr);
}

// libsystemc references sc_main; the tests start their simulations themselves with sc_start().
int sc_main(int, char **)
{
    return 0;
}
