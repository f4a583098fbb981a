// Unit tests of the A64 core: exceptions to EL1 and their syndromes (SVC, UNDEFINED, BRK,
// alignment, SP and PC alignment, aborts from the memory callbacks, system-register traps,
// illegal return), ERET, what is reported for EL2 and EL3, WFI/WFE, the exclusive monitor, and
// system registers. Instruction words are as aarch64-linux-gnu-as assembles the comment's text.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "cpu/a64.h"
#include "cpu/a64_decode.h"
#include "cpu/a64_disasm.h"
}

namespace
{

constexpr uint64_t kMemSize = 0x10000;
constexpr uint64_t kVbar = 0x8000;

// 64 KiB of flat memory at VA 0, with one range that faults as the test says.
struct Mem {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(kMemSize);
    uint64_t fault_lo = 1, fault_hi = 0; // [lo, hi)
    a64_fault fault{};
    std::vector<unsigned> kinds;
    std::vector<uint32_t> sys_ops;
    std::vector<std::pair<a64_sysreg, uint64_t>> written;
    bool global_pass = true;
    unsigned global_asked = 0;

    bool faults(uint64_t va, unsigned size) const { return va < fault_hi && va + size > fault_lo; }
};

bool mem_read(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t *v, a64_fault *f)
{
    Mem *m = static_cast<Mem *>(ctx);
    m->kinds.push_back(kind);
    if (m->faults(va, size) || va + size > kMemSize) {
        *f = m->fault;
        return false;
    }
    *v = 0;
    std::memcpy(v, &m->bytes[va], size);
    return true;
}

bool mem_write(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t v, a64_fault *f)
{
    Mem *m = static_cast<Mem *>(ctx);
    m->kinds.push_back(kind);
    if (m->faults(va, size) || va + size > kMemSize) {
        *f = m->fault;
        return false;
    }
    if (kind & A64_ACC_DC_ZVA)
        std::memset(&m->bytes[va], 0, size);
    else
        std::memcpy(&m->bytes[va], &v, size);
    return true;
}

void mem_sys(void *ctx, uint32_t sys, uint64_t)
{
    static_cast<Mem *>(ctx)->sys_ops.push_back(sys);
}

uint64_t counter(void *)
{
    return 12345;
}

void sysreg_written(void *ctx, a64_sysreg reg, uint64_t value)
{
    static_cast<Mem *>(ctx)->written.push_back({reg, value});
}

bool exclusive_global(void *ctx, uint64_t, unsigned)
{
    Mem *m = static_cast<Mem *>(ctx);
    m->global_asked++;
    return m->global_pass;
}

const a64_mem_ops kOps = {mem_read, mem_write, mem_sys, counter, sysreg_written, exclusive_global};

struct Core : ::testing::Test {
    Mem m;
    a64_core c{};
    a64_result r{};

    void SetUp() override
    {
        a64_reset(&c, &kOps, &m);
        c.sys[A64_VBAR_EL1] = kVbar;
        c.sp_el1 = 0xF000;
        c.sp_el0 = 0xE000;
    }
    // Put words at pc and enter EL0 (or EL1) there.
    void code(uint64_t pc, std::initializer_list<uint32_t> words, unsigned el = 0)
    {
        uint64_t at = pc;
        for (uint32_t w : words) {
            std::memcpy(&m.bytes[at], &w, 4);
            at += 4;
        }
        c.pc = pc;
        c.el = el;
        c.daif = 0;
    }
    void step() { a64_step(&c, &r); }
    static unsigned ec(uint64_t esr) { return (unsigned)(esr >> 26) & 0x3F; }
};

TEST_F(Core, SvcFromEl0EntersTheLowerElVectorAndEretReturns)
{
    code(0x1000, {0xd4000841 /* svc #0x42 */});
    c.nzcv = A64_Z | A64_C;
    step();
    EXPECT_EQ(r.outcome, A64_EXCEPTION_TAKEN);
    EXPECT_EQ(c.el, 1u);
    EXPECT_TRUE(c.spsel);
    EXPECT_EQ(c.pc, kVbar + 0x400); // lower EL, AArch64, synchronous
    EXPECT_EQ(c.sys[A64_ESR_EL1], (0x15ull << 26) | (1u << 25) | 0x42);
    EXPECT_EQ(c.sys[A64_ELR_EL1], 0x1004u);                    // the instruction after the SVC
    EXPECT_EQ(c.sys[A64_SPSR_EL1], (uint64_t)(A64_Z | A64_C)); // EL0t, DAIF clear
    EXPECT_EQ(c.daif, 0xFu << 6);
    EXPECT_EQ(*a64_sp(&c), 0xF000u);
    code(kVbar + 0x400, {0xd69f03e0 /* eret */}, 1);
    c.nzcv = 0;
    step();
    EXPECT_EQ(r.outcome, A64_OK);
    EXPECT_EQ(c.el, 0u);
    EXPECT_EQ(c.pc, 0x1004u);
    EXPECT_EQ(c.nzcv, A64_Z | A64_C);
    EXPECT_EQ(*a64_sp(&c), 0xE000u);
}

TEST_F(Core, ExceptionAtEl1UsesTheCurrentElVectorOfItsStackPointer)
{
    code(0x1000, {0xd4000841 /* svc #0x42 */}, 1);
    c.spsel = true;
    step();
    EXPECT_EQ(c.pc, kVbar + 0x200);
    EXPECT_EQ(c.sys[A64_SPSR_EL1] & 0xF, 0x5u); // EL1h
    code(0x1000, {0xd4000841}, 1);
    c.spsel = false;
    step();
    EXPECT_EQ(c.pc, kVbar + 0x000);
    EXPECT_EQ(c.sys[A64_SPSR_EL1] & 0xF, 0x4u); // EL1t
}

TEST_F(Core, FpSimdAndUnallocatedEncodingsAreUndefinedWithEc0)
{
    for (uint32_t w : {0x1e622820u /* fadd d0, d1, d2 */, 0x00000000u /* udf #0 */,
                       0xd5180001u /* msr midr_el1, x1 (read-only) */}) {
        code(0x1000, {w}, 1);
        step();
        EXPECT_EQ(r.outcome, A64_EXCEPTION_TAKEN) << std::hex << w;
        EXPECT_EQ(c.sys[A64_ESR_EL1], 1u << 25) << std::hex << w; // EC 0, IL 1, ISS 0
        EXPECT_EQ(c.sys[A64_ELR_EL1], 0x1000u);
    }
}

TEST_F(Core, El1OnlyInstructionsAreUndefinedAtEl0)
{
    for (uint32_t w : {0xd40000e2u /* hvc #7 */, 0xd4000023u /* smc #1 */, 0xd69f03e0u /* eret */,
                       0xd5381000u /* mrs x0, sctlr_el1 */, 0xd50040bfu /* msr spsel, #0 */,
                       0xd508871fu /* tlbi vmalle1 */, 0xd51bd060u /* msr tpidrro_el0, x0 */}) {
        code(0x1000, {w});
        step();
        EXPECT_EQ(r.outcome, A64_EXCEPTION_TAKEN) << std::hex << w;
        EXPECT_EQ(ec(c.sys[A64_ESR_EL1]), 0u) << std::hex << w;
    }
}

TEST_F(Core, HvcAndSmcAtEl1AreReportedForEl2)
{
    code(0x1000, {0xd40000e2 /* hvc #7 */}, 1);
    step();
    EXPECT_EQ(r.outcome, A64_TRAP_EL2);
    EXPECT_EQ(r.esr, (0x16ull << 26) | (1u << 25) | 7);
    EXPECT_EQ(r.elr, 0x1004u); // HVC returns after itself
    EXPECT_EQ(c.pc, 0x1000u);  // the core is left for EL2 to decide
    EXPECT_EQ(c.el, 1u);
    code(0x1000, {0xd4000023 /* smc #1 */}, 1);
    step();
    EXPECT_EQ(r.outcome, A64_TRAP_EL2);
    EXPECT_EQ(r.esr, (0x17ull << 26) | (1u << 25) | 1);
    EXPECT_EQ(r.elr, 0x1000u); // a trapped SMC returns to itself
}

TEST_F(Core, InterruptsAreMaskedAtEl1AndTakenFromEl0)
{
    code(0x1000, {0xd503201f /* nop */}, 1);
    c.daif = 1u << 7; // I
    c.sys[A64_ESR_EL1] = 0x1234;
    EXPECT_FALSE(a64_take_interrupt(&c, A64_IRQ, 0));
    EXPECT_EQ(c.pc, 0x1000u);
    EXPECT_TRUE(a64_take_interrupt(&c, A64_FIQ, 0)); // F is clear
    EXPECT_EQ(c.pc, kVbar + 0x200 + 0x100);
    EXPECT_EQ(c.sys[A64_ELR_EL1], 0x1000u);
    EXPECT_EQ(c.sys[A64_SPSR_EL1], 0x85u);  // I, EL1h
    EXPECT_EQ(c.sys[A64_ESR_EL1], 0x1234u); // not an SError: ESR untouched
    code(0x2000, {0xd503201f}, 0);
    c.daif = 1u << 7; // masked at EL0 too
    EXPECT_FALSE(a64_take_interrupt(&c, A64_IRQ, 0));
    c.daif = 0;
    EXPECT_TRUE(a64_take_interrupt(&c, A64_IRQ, 0));
    EXPECT_EQ(c.pc, kVbar + 0x400 + 0x080);
    EXPECT_EQ(c.el, 1u);
    code(0x2000, {0xd503201f}, 0);
    EXPECT_TRUE(a64_take_interrupt(&c, A64_SERROR, 0xBE000000u));
    EXPECT_EQ(c.pc, kVbar + 0x400 + 0x180);
    EXPECT_EQ(c.sys[A64_ESR_EL1], 0xBE000000u);
}

TEST_F(Core, BrkIsABreakpointExceptionReturningToItself)
{
    code(0x1000, {0xd4207d00 /* brk #0x3e8 */});
    step();
    EXPECT_EQ(c.sys[A64_ESR_EL1], (0x3Cull << 26) | (1u << 25) | 0x3e8);
    EXPECT_EQ(c.sys[A64_ELR_EL1], 0x1000u);
}

TEST_F(Core, MisalignedExclusiveTakesAnAlignmentFault)
{
    code(0x1000, {0xc85f7c41 /* ldxr x1, [x2] */});
    c.x[2] = 0x2004;
    step();
    EXPECT_EQ(r.outcome, A64_EXCEPTION_TAKEN);
    EXPECT_EQ(c.sys[A64_ESR_EL1], (0x24ull << 26) | (1u << 25) | 0x21); // DABT lower, alignment
    EXPECT_EQ(c.sys[A64_FAR_EL1], 0x2004u);
    EXPECT_EQ(c.x[1], 0u);
}

TEST_F(Core, SctlrAChecksEveryAccessAndSetsWnRForStores)
{
    code(0x1000, {0xb9000149 /* str w9, [x10] */}, 1);
    c.x[10] = 0x2002;
    step();
    EXPECT_EQ(r.outcome, A64_OK); // unaligned Normal accesses are allowed by default
    code(0x1000, {0xb9000149}, 1);
    c.sys[A64_SCTLR_EL1] |= 1u << 1;
    step();
    EXPECT_EQ(c.sys[A64_ESR_EL1], (0x25ull << 26) | (1u << 25) | (1u << 6) | 0x21);
    code(0x1000, {0x39000149 /* strb w9, [x10] */}, 1);
    c.sys[A64_SCTLR_EL1] |= 1u << 1;
    step();
    EXPECT_EQ(r.outcome, A64_OK); // a byte is always aligned
}

TEST_F(Core, SpAlignmentFaultWhenSa0IsSet)
{
    code(0x1000, {0xf94007e1 /* ldr x1, [sp, #8] */});
    c.sp_el0 = 0xE008;
    c.sys[A64_SCTLR_EL1] |= 1u << 4; // SA0
    step();
    EXPECT_EQ(r.outcome, A64_EXCEPTION_TAKEN);
    EXPECT_EQ(ec(c.sys[A64_ESR_EL1]), 0x26u);
    EXPECT_EQ(c.sys[A64_ELR_EL1], 0x1000u);
}

TEST_F(Core, BranchToAMisalignedTargetFaultsOnTheFetch)
{
    code(0x1000, {0xd61f0020 /* br x1 */});
    c.x[1] = 0x2002;
    step();
    EXPECT_EQ(r.outcome, A64_OK);
    step();
    EXPECT_EQ(r.outcome, A64_EXCEPTION_TAKEN);
    EXPECT_EQ(ec(c.sys[A64_ESR_EL1]), 0x22u);
    EXPECT_EQ(c.sys[A64_FAR_EL1], 0x2002u);
    EXPECT_EQ(c.sys[A64_ELR_EL1], 0x2002u);
}

TEST_F(Core, Stage1DataAbortToEl1HasNoInstructionSyndrome)
{
    code(0x1000, {0xf94004c5 /* ldr x5, [x6, #8] */});
    c.x[6] = 0x3000;
    m.fault_lo = 0x3000;
    m.fault_hi = 0x4000;
    m.fault.target_el = 1;
    m.fault.fsc = 0x0F; // permission fault, level 3
    step();
    EXPECT_EQ(r.outcome, A64_EXCEPTION_TAKEN);
    EXPECT_EQ(c.sys[A64_ESR_EL1], (0x24ull << 26) | (1u << 25) | 0x0F);
    EXPECT_EQ(c.sys[A64_FAR_EL1], 0x3008u);
    EXPECT_EQ(c.x[5], 0u);
}

TEST_F(Core, Stage2DataAbortIsReportedWithTheInstructionSyndrome)
{
    m.fault_lo = 0x3000;
    m.fault_hi = 0x4000;
    m.fault.target_el = 2;
    m.fault.fsc = 0x06; // translation fault, level 2
    m.fault.ipa_valid = true;
    m.fault.ipa = 0x80003000;
    code(0x1000, {0x79800107 /* ldrsh x7, [x8] */}, 1);
    c.x[8] = 0x3000;
    step();
    EXPECT_EQ(r.outcome, A64_TRAP_EL2);
    // EC 0x24, IL, ISV, SAS halfword, SSE, SRT 7, SF, DFSC
    EXPECT_EQ(r.esr, (0x24ull << 26) | (1u << 25) | (1u << 24) | (1u << 22) | (1u << 21) |
                         (7u << 16) | (1u << 15) | 0x06);
    EXPECT_EQ(r.far, 0x3000u);
    EXPECT_TRUE(r.ipa_valid);
    EXPECT_EQ(r.ipa, 0x80003000u);
    EXPECT_EQ(r.elr, 0x1000u);
    EXPECT_EQ(c.pc, 0x1000u);
    code(0x1000, {0xb9000149 /* str w9, [x10] */}, 1);
    c.x[10] = 0x3004;
    step();
    EXPECT_EQ(r.esr, (0x24ull << 26) | (1u << 25) | (1u << 24) | (2u << 22) | (9u << 16) |
                         (1u << 6) | 0x06); // SAS word, SRT 9, SF 0, WnR
    code(0x1000, {0xc8dffd8b /* ldar x11, [x12] */}, 1);
    c.x[12] = 0x3008;
    step();
    EXPECT_EQ(r.esr, (0x24ull << 26) | (1u << 25) | (1u << 24) | (3u << 22) | (11u << 16) |
                         (1u << 15) | (1u << 14) | 0x06); // AR
}

TEST_F(Core, Stage2AbortWithoutSyndromeForWritebackPairsAndWalks)
{
    m.fault_lo = 0x3000;
    m.fault_hi = 0x4000;
    m.fault.target_el = 2;
    m.fault.fsc = 0x07;
    for (uint32_t w : {0xb84044c5u /* ldr w5, [x6], #4 */, 0xa9400861u /* ldp x1, x2, [x3] */,
                       0xc85f7c41u /* ldxr x1, [x2] */}) {
        code(0x1000, {w}, 1);
        c.x[2] = c.x[3] = c.x[6] = 0x3000;
        step();
        EXPECT_EQ(r.outcome, A64_TRAP_EL2);
        EXPECT_EQ(r.esr, (0x24ull << 26) | (1u << 25) | 0x07) << std::hex << w;
        EXPECT_EQ(c.x[6], 0x3000u); // no writeback
    }
    m.fault.s1ptw = false; // a GPF for EL2 (HCR_EL2.GPF): an abort without the syndrome
    m.fault.no_syndrome = true;
    m.fault.fsc = 0x28;
    code(0x1000, {0x79800107 /* ldrsh x7, [x8] */}, 1);
    c.x[8] = 0x3000;
    step();
    EXPECT_EQ(r.esr, (0x24ull << 26) | (1u << 25) | 0x28);
    m.fault.no_syndrome = false;
    m.fault.fsc = 0x07;
    m.fault.s1ptw = true; // a stage-2 fault on the stage-1 walk of a store: S1PTW, WnR 0
    code(0x1000, {0xb9000149 /* str w9, [x10] */}, 1);
    c.x[10] = 0x3000;
    step();
    EXPECT_EQ(r.esr, (0x24ull << 26) | (1u << 25) | (1u << 7) | 0x07);
}

TEST_F(Core, AtomicFaultsReportAWrite)
{
    m.fault_lo = 0x3000;
    m.fault_hi = 0x4000;
    m.fault.target_el = 1;
    m.fault.fsc = 0x07;
    for (uint32_t w :
         {0xf8210062u /* ldadd x1, x2, [x3] */, 0x48207c82u /* casp x0, x1, x2, x3, [x4] */}) {
        code(0x1000, {w}, 1);
        c.x[3] = c.x[4] = 0x3000;
        c.x[0] = 0x55;
        c.x[2] = 0x77;
        step();
        EXPECT_EQ(c.sys[A64_ESR_EL1], (0x25ull << 26) | (1u << 25) | (1u << 6) | 0x07)
            << std::hex << w;
        EXPECT_EQ(c.x[0], 0x55u); // neither destination (Rt of LDADD, Rs of CASP) is written
        EXPECT_EQ(c.x[2], 0x77u);
    }
}

TEST_F(Core, InstructionAbortsAndGpcExceptions)
{
    m.fault_lo = 0x5000;
    m.fault_hi = 0x6000;
    m.fault.target_el = 1;
    m.fault.fsc = 0x07;
    code(0x5000, {}, 0);
    step();
    EXPECT_EQ(r.outcome, A64_EXCEPTION_TAKEN);
    EXPECT_EQ(c.sys[A64_ESR_EL1], (0x20ull << 26) | (1u << 25) | 0x07);
    EXPECT_EQ(c.sys[A64_FAR_EL1], 0x5000u);
    code(0x5000, {}, 1);
    m.fault.target_el = 2;
    step();
    EXPECT_EQ(r.outcome, A64_TRAP_EL2);
    EXPECT_EQ(r.esr, (0x20ull << 26) | (1u << 25) | 0x07); // from a lower EL, for EL2
    m.fault.target_el = 3;                                 // GPC exception (EC 0x1E)
    m.fault.ec = 0x1E;
    m.fault.fsc = 0;
    m.fault.iss_bits = 1u << 20; // InD
    code(0x5000, {}, 1);
    step();
    EXPECT_EQ(r.outcome, A64_TRAP_EL3);
    EXPECT_EQ(r.esr, (0x1Eull << 26) | (1u << 25) | (1u << 20));
}

TEST_F(Core, SystemRegisterTrapsAtEl0)
{
    struct {
        uint32_t word;
        unsigned sctlr_bit, cntkctl_bit;
    } cases[] = {{0xd53b4220 /* mrs x0, daif */, 9, 99},
                 {0xd50342df /* msr daifset, #2 */, 9, 99},
                 {0xd53b0020 /* mrs x0, ctr_el0 */, 15, 99},
                 {0xd53be040 /* mrs x0, cntvct_el0 */, 99, 1},
                 {0xd50b7422 /* dc zva, x2 */, 14, 99},
                 {0xd50b7e23 /* dc civac, x3 */, 26, 99},
                 {0xd503207f /* wfi */, 16, 99}};
    for (auto &k : cases) {
        code(0x1000, {k.word});
        c.x[2] = 0x3000;
        step();
        EXPECT_EQ(r.outcome, A64_EXCEPTION_TAKEN) << std::hex << k.word;
        unsigned want_ec = k.word == 0xd503207f ? 0x01 : 0x18;
        EXPECT_EQ(ec(c.sys[A64_ESR_EL1]), want_ec) << std::hex << k.word;
        code(0x1000, {k.word});
        c.sys[A64_SCTLR_EL1] |= k.sctlr_bit < 64 ? 1ull << k.sctlr_bit : 0;
        c.sys[A64_CNTKCTL_EL1] |= k.cntkctl_bit < 64 ? 1ull << k.cntkctl_bit : 0;
        step();
        EXPECT_NE(r.outcome, A64_EXCEPTION_TAKEN) << std::hex << k.word;
        c.sys[A64_SCTLR_EL1] = 0x30D00800;
        c.sys[A64_CNTKCTL_EL1] = 0;
    }
    // The syndrome of the MRS DAIF trap: Op0 3, Op2 1, Op1 3, CRn 4, Rt 0, CRm 2, read
    code(0x1000, {0xd53b4220});
    step();
    EXPECT_EQ(c.sys[A64_ESR_EL1] & 0x1FFFFFF,
              (3u << 20) | (1u << 17) | (3u << 14) | (4u << 10) | (2u << 1) | 1u);
}

TEST_F(Core, SystemRegistersAtEl1)
{
    code(0x1000,
         {0xd5384240 /* mrs x0, currentel */, 0xd5184101 /* msr sp_el0, x1 */,
          0xd5384101 /* mrs x1, sp_el0 */, 0xd53be040 /* mrs x0, cntvct_el0 */,
          0xd5380601 /* mrs x1, id_aa64isar0_el1 */, 0xd508871f /* tlbi vmalle1 */,
          0xd50040bf /* msr spsel, #0 */, 0xd5184101 /* msr sp_el0, x1 */},
         1);
    c.x[1] = 0x4440;
    step();
    EXPECT_EQ(c.x[0], 4u);
    step();
    EXPECT_EQ(c.sp_el0, 0x4440u);
    c.x[1] = 0;
    step();
    EXPECT_EQ(c.x[1], 0x4440u);
    step();
    EXPECT_EQ(c.x[0], 12345u);
    step();
    EXPECT_EQ((c.x[1] >> 20) & 0xF, 2u); // FEAT_LSE
    step();
    ASSERT_EQ(m.sys_ops.size(), 1u);
    EXPECT_EQ(m.sys_ops[0], (8u << 7) | (7u << 3)); // op1 0, CRn 8, CRm 7, op2 0
    step();
    EXPECT_FALSE(c.spsel);
    step(); // SP_EL0 is the current SP now: UNDEFINED
    EXPECT_EQ(ec(c.sys[A64_ESR_EL1]), 0u);
}

TEST_F(Core, TranslationRegisterWritesAreToldToTheCaller)
{
    code(0x1000,
         {0xd5182000 /* msr ttbr0_el1, x0 */, 0xd5181000 /* msr sctlr_el1, x0 */,
          0xd51b4200 /* msr nzcv, x0 */},
         1);
    c.x[0] = 0x80001000;
    step();
    step();
    step();
    ASSERT_EQ(m.written.size(), 2u); // NZCV is PSTATE, not a register the caller keeps
    EXPECT_EQ(m.written[0].first, A64_TTBR0_EL1);
    EXPECT_EQ(m.written[0].second, 0x80001000u);
    EXPECT_EQ(m.written[1].first, A64_SCTLR_EL1);
    EXPECT_EQ(c.sys[A64_TTBR0_EL1], 0x80001000u);
}

TEST_F(Core, IllegalExceptionReturnSetsIlAndTheNextInstructionTraps)
{
    code(0x1000, {0xd69f03e0 /* eret */}, 1);
    c.sys[A64_ELR_EL1] = 0x2000;
    c.sys[A64_SPSR_EL1] = 0x9; // EL2h: not reachable by an ERET from EL1
    code(0x2000, {0xd503201f /* nop */}, 1);
    c.pc = 0x1000;
    step();
    EXPECT_EQ(c.pc, 0x2000u);
    EXPECT_EQ(c.el, 1u);
    EXPECT_TRUE(c.illegal);
    step();
    EXPECT_EQ(ec(c.sys[A64_ESR_EL1]), 0x0Eu);
    EXPECT_EQ(c.sys[A64_SPSR_EL1] & (1u << 20), 1u << 20); // IL saved
    EXPECT_FALSE(c.illegal);
}

TEST_F(Core, WaitAndEventOutcomes)
{
    code(0x1000,
         {0xd503207f /* wfi */, 0xd503209f /* sev */, 0xd503205f /* wfe */, 0xd503205f /* wfe */},
         1);
    step();
    EXPECT_EQ(r.outcome, A64_WFI);
    EXPECT_EQ(r.esr, (0x01ull << 26) | (1u << 25) | (1u << 24) | (0xEu << 20));
    EXPECT_EQ(c.pc, 0x1004u);
    step();
    step(); // the event register is set: WFE completes at once
    EXPECT_EQ(r.outcome, A64_OK);
    step();
    EXPECT_EQ(r.outcome, A64_WFE);
}

TEST_F(Core, StoreExclusiveFailsWithoutTheMonitorAndAfterEret)
{
    code(0x1000, {0xc8037c44 /* stxr w3, x4, [x2] */}, 1);
    c.x[2] = 0x3000;
    c.x[4] = 0x55;
    step();
    EXPECT_EQ(c.x[3], 1u);
    EXPECT_EQ(m.bytes[0x3000], 0u);
    code(0x1000, {0xc85f7c41 /* ldxr x1, [x2] */, 0xc8037c44 /* stxr w3, x4, [x2] */}, 1);
    step();
    step();
    EXPECT_EQ(c.x[3], 0u);
    EXPECT_EQ(m.bytes[0x3000], 0x55u);
    EXPECT_EQ(m.kinds.back(), (unsigned)(A64_ACC_DATA | A64_ACC_EXCLUSIVE));
    code(0x1000, {0xc85f7c41, 0xd69f03e0 /* eret */}, 1);
    c.sys[A64_ELR_EL1] = 0x1010;
    c.sys[A64_SPSR_EL1] = 0x5;
    code(0x1010, {0xc8037c44}, 1);
    c.pc = 0x1000;
    step();
    step();
    step();
    EXPECT_EQ(c.x[3], 1u); // ERET cleared the monitor
}

TEST_F(Core, AccessKindsAndCountsReachTheCaller)
{
    code(0x1000,
         {0xc8dffd8b /* ldar x11, [x12] */, 0xc89ffd8b /* stlr x11, [x12] */,
          0xf8e10182 /* ldaddal x1, x2, [x12] */, 0xf8400983 /* ldtr x3, [x12] */,
          0x38001983 /* sttrb w3, [x12, #1] */, 0xa9400981 /* ldp x1, x2, [x12] */},
         1);
    c.x[12] = 0x3000;
    const unsigned fetch = A64_ACC_FETCH, data = A64_ACC_DATA;
    struct {
        std::vector<unsigned> kinds;
        unsigned reads, writes;
    } want[] = {
        {{fetch, data | A64_ACC_ACQUIRE}, 1, 0},
        {{fetch, data | A64_ACC_RELEASE}, 0, 1},
        {{fetch, data | A64_ACC_ATOMIC | A64_ACC_ACQUIRE | A64_ACC_RELEASE,
          data | A64_ACC_ATOMIC | A64_ACC_ACQUIRE | A64_ACC_RELEASE},
         1,
         1},
        {{fetch, data | A64_ACC_UNPRIV}, 1, 0}, // LDTR at EL1: checked as EL0
        {{fetch, data | A64_ACC_UNPRIV}, 0, 1},
        {{fetch, data, data}, 2, 0},
    };
    for (auto &w : want) {
        m.kinds.clear();
        step();
        EXPECT_EQ(r.outcome, A64_OK);
        EXPECT_EQ(m.kinds, w.kinds) << std::hex << r.insn;
        EXPECT_EQ(r.reads, w.reads) << std::hex << r.insn;
        EXPECT_EQ(r.writes, w.writes) << std::hex << r.insn;
    }
    code(0x1000, {0xf8400983 /* ldtr x3, [x12] */}, 0);
    m.kinds.clear();
    step();
    EXPECT_EQ(m.kinds, (std::vector<unsigned>{fetch, data})); // at EL0 it is an EL0 access
}

TEST_F(Core, TheGlobalMonitorCanFailAStoreExclusive)
{
    code(0x1000, {0xc85f7c41 /* ldxr x1, [x2] */, 0xc8037c44 /* stxr w3, x4, [x2] */}, 1);
    c.x[2] = 0x3000;
    c.x[4] = 0x55;
    m.global_pass = false; // another core wrote the block since the LDXR
    step();
    step();
    EXPECT_EQ(c.x[3], 1u);
    EXPECT_EQ(m.bytes[0x3000], 0u);
    EXPECT_EQ(m.global_asked, 1u);
    EXPECT_FALSE(c.excl_valid);
    code(0x1000, {0xc8037c44}, 1); // the local monitor is open: the global one is not asked
    step();
    EXPECT_EQ(m.global_asked, 1u);
}

TEST_F(Core, DcZvaZeroesItsBlock)
{
    code(0x1000, {0xd50b7422 /* dc zva, x2 */}, 1);
    std::memset(&m.bytes[0x3000], 0xAA, 0x80);
    c.x[2] = 0x3047;
    step();
    EXPECT_EQ(r.outcome, A64_OK);
    EXPECT_EQ(m.bytes[0x303F], 0xAAu);
    EXPECT_EQ(m.bytes[0x3040], 0u);
    EXPECT_EQ(m.bytes[0x307F], 0u);
    EXPECT_EQ(m.kinds.back(), (unsigned)(A64_ACC_DATA | A64_ACC_DC_ZVA));
    EXPECT_EQ(r.writes, 1u);
}

TEST(A64DisasmBuffer, TruncatesLikeSnprintf)
{
    char big[64], small[8];
    size_t n = a64_disasm(0xd2801270 /* mov x16, #0x93 */, 0, big, sizeof big);
    EXPECT_EQ(std::string(big), "mov\tx16, #0x93                  \t// #147");
    EXPECT_EQ(n, std::strlen(big));
    std::memset(small, 'X', sizeof small);
    EXPECT_EQ(a64_disasm(0xd2801270, 0, small, sizeof small), n);
    EXPECT_EQ(std::string(small), "mov\tx16");
    EXPECT_EQ(a64_disasm(0xd2801270, 0, nullptr, 0), n);
    EXPECT_EQ(a64_disasm(0x1e622820 /* fadd d0, d1, d2: UNDEFINED here */, 0, big, sizeof big),
              std::strlen(".inst\t0x1e622820"));
    EXPECT_EQ(std::string(big), ".inst\t0x1e622820");
}

TEST_F(Core, CaspNeedsEvenRegisters)
{
    a64_insn i;
    EXPECT_TRUE(a64_decode(0x48207c82 /* casp x0, x1, x2, x3, [x4] */, &i));
    EXPECT_FALSE(a64_decode(0x48217c82 /* Rs = x1 */, &i));
    EXPECT_FALSE(a64_decode(0x48207c83 /* Rt = x3 */, &i));
}

} // namespace
