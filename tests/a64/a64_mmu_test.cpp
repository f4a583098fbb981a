// The A64 core on the real MMU library: a virtual machine's code at NS EL1 whose every fetch and
// access goes through mmu_translate() (its stage 1, the host's stage 2, the GPC on the GPT of
// tests/mmu's machine). A load by real code from a delegated granule takes the GPF, and a stage-2
// fault the REC-exit syndrome, with the ESR the model's own path (mmu_translate() of the same
// access, as the scripted guest makes it) computes.
#include "../mmu/mmu_fixture.hpp"

extern "C" {
#include "cpu/a64.h"
#include "cpu/a64_mmu.h"
}

namespace
{

struct Through {
    const mmu_regime *r;
    const mmu_env *env;
    phys_mem *mem;
    rme_access last;
};

bool through(Through *t, uint64_t va, unsigned size, unsigned kind, bool write, uint64_t *v,
             a64_fault *f)
{
    rme_access_init(&t->last, va, size, a64_mmu_kind(kind, write));
    mmu_translate(t->r, t->env, &t->last);
    if (t->last.fault != MMU_OK) {
        a64_fault_from_access(&t->last, f);
        return false;
    }
    if (write)
        return phys_mem_write(t->mem, t->last.pa, t->last.pas, size, *v) == MEM_OK;
    *v = 0;
    return phys_mem_read(t->mem, t->last.pa, t->last.pas, size, v) == MEM_OK;
}

bool through_read(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t *v, a64_fault *f)
{
    return through(static_cast<Through *>(ctx), va, size, kind, false, v, f);
}

bool through_write(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t v, a64_fault *f)
{
    return through(static_cast<Through *>(ctx), va, size, kind, true, &v, f);
}

const a64_mem_ops kThroughOps = {through_read, through_write, nullptr, nullptr, nullptr, nullptr};

struct A64Mmu : mmu_test::Mmu {
    static constexpr uint64_t kCode = kNs + 0x10'0000, kData = kNs + 0x20'0000;
    static constexpr uint64_t kCodeVa = 0x40'0000, kDataVa = 0x50'0000, kDelegatedVa = 0x60'0000;
    static constexpr uint64_t kHoleVa = 0x70'0000, kHoleIpa = 0x7000'0000;
    mmu_regime r{};
    Through t{};
    a64_core c{};
    a64_result res{};

    void SetUp() override
    {
        Mmu::SetUp();
        // The host's stage 2 for its VM: all NS memory at IPA = PA (2 MB blocks), and one
        // granule of the Realm PAS (delegated: GPI Realm) it maps into the VM as well.
        uint64_t s2root = bump(&ns_tables);
        r = mmu_regime{MMU_NS_EL10, 1, RME_SS_NS, {}, {}, 0};
        r.s2 = mmu_stage{true, 12, {s2root, 0}, {64 - 48, 0}, false, 0, 1, 48, 0, 0};
        pt_builder s2b = builder(s2root, RME_PAS_NS, ns_tables, 12, 48, 0);
        ASSERT_EQ(pt_map(&s2b, kNs, kNs, 0x1000'0000, S2_RW, 2), 0);
        ASSERT_EQ(pt_map(&s2b, kRealm, kRealm, 0x1000, S2_RW, 3), 0);
        // The VM's stage 1, in its own (NS) memory: code, data, the delegated granule, and a
        // page whose IPA stage 2 does not map.
        uint64_t s1root = bump(&ns_tables);
        r.s1 = s1(s1root);
        pt_builder s1b = builder(s1root, RME_PAS_NS, ns_tables);
        ASSERT_EQ(pt_map(&s1b, kCodeVa, kCode, 0x1000, S1_NORMAL, 3), 0);
        ASSERT_EQ(pt_map(&s1b, kDataVa, kData, 0x1000, S1_NORMAL, 3), 0);
        ASSERT_EQ(pt_map(&s1b, kDelegatedVa, kRealm, 0x1000, S1_NORMAL, 3), 0);
        ASSERT_EQ(pt_map(&s1b, kHoleVa, kHoleIpa, 0x1000, S1_NORMAL, 3), 0);
        t = {&r, &env, mem, {}};
        a64_reset(&c, &kThroughOps, &t);
        c.sys[A64_VBAR_EL1] = 0x8000;
    }
    void code(std::initializer_list<uint32_t> words)
    {
        uint64_t pa = kCode;
        for (uint32_t w : words) {
            ASSERT_EQ(phys_mem_write(mem, pa, RME_PAS_NS, 4, w), MEM_OK);
            pa += 4;
        }
        c.pc = kCodeVa;
        c.el = 1;
    }
    // The model's path: the same access as the scripted guest describes it to the walker.
    rme_access model(uint64_t va, mmu_access_kind kind, unsigned size, unsigned srt, bool sse,
                     bool sf)
    {
        rme_access a = access(va, kind, size);
        a.srt = srt;
        a.sse = sse;
        a.sf = sf;
        mmu_translate(&r, &env, &a);
        return a;
    }
};

TEST_F(A64Mmu, LoadAndStoreThroughBothStages)
{
    code({0xf9400041 /* ldr x1, [x2] */, 0xf9000441 /* str x1, [x2, #8] */});
    ASSERT_EQ(phys_mem_write(mem, kData, RME_PAS_NS, 8, 0x1122334455667788ull), MEM_OK);
    c.x[2] = kDataVa;
    a64_step(&c, &res);
    EXPECT_EQ(res.outcome, A64_OK);
    EXPECT_EQ(c.x[1], 0x1122334455667788ull);
    a64_step(&c, &res);
    EXPECT_EQ(res.outcome, A64_OK);
    EXPECT_EQ(t.last.pa, kData + 8);
    EXPECT_EQ(t.last.pas, RME_PAS_NS);
    uint64_t v = 0;
    phys_mem_read(mem, kData + 8, RME_PAS_NS, 8, &v);
    EXPECT_EQ(v, 0x1122334455667788ull);
}

TEST_F(A64Mmu, LoadFromADelegatedGranuleTakesTheModelsGpf)
{
    // SCR_EL3.GPF and HCR_EL2.GPF clear: an abort to EL1 (EC 0x25, DFSC 0x28: GPF on the
    // output); HCR_EL2.GPF: to EL2, still without ISV (a GPF is not a stage-2 abort);
    // SCR_EL3.GPF: a GPC exception (EC 0x1E) to EL3.
    const struct {
        bool hcr_gpf, scr_gpf;
        unsigned el;
        a64_outcome outcome;
        uint64_t esr;
    } cases[] = {{false, false, 1, A64_EXCEPTION_TAKEN, 0x96000028ull},
                 {true, false, 2, A64_TRAP_EL2, 0x92000028ull},
                 {true, true, 3, A64_TRAP_EL3, 0}};
    for (const auto &k : cases) {
        env.hcr_gpf = k.hcr_gpf;
        env.scr_gpf = k.scr_gpf;
        code({0xf9400041 /* ldr x1, [x2] */});
        c.x[1] = 0;
        c.x[2] = kDelegatedVa + 0x10;
        rme_access a = model(kDelegatedVa + 0x10, MMU_READ, 8, 1, false, true);
        ASSERT_EQ(a.fault, MMU_FAULT_GPF);
        ASSERT_EQ(a.target_el, k.el);
        a64_step(&c, &res);
        EXPECT_EQ(res.outcome, k.outcome);
        bool taken = k.outcome == A64_EXCEPTION_TAKEN;
        EXPECT_EQ(taken ? c.sys[A64_ESR_EL1] : res.esr, a.esr) << "to EL" << k.el;
        EXPECT_EQ(taken ? c.sys[A64_FAR_EL1] : res.far, a.far);
        if (k.esr) {
            EXPECT_EQ(a.esr, k.esr);
        }
        EXPECT_EQ(c.x[1], 0u);
    }
    EXPECT_EQ(c.sys[A64_ELR_EL1], kCodeVa);
    EXPECT_EQ(res.esr >> 26, 0x1Eu);
}

TEST_F(A64Mmu, Stage2FaultsCarryTheModelsInstructionSyndrome)
{
    code({0x79800107 /* ldrsh x7, [x8] */});
    c.x[8] = kHoleVa + 0x22;
    rme_access a = model(kHoleVa + 0x22, MMU_READ, 2, 7, true, true);
    ASSERT_EQ(a.fault, MMU_FAULT_TRANSLATION);
    ASSERT_EQ(a.fault_stage, 2u);
    a64_step(&c, &res);
    EXPECT_EQ(res.outcome, A64_TRAP_EL2);
    EXPECT_EQ(res.esr, a.esr);
    EXPECT_EQ(res.esr & (1u << 24), 1u << 24); // ISV
    EXPECT_EQ(res.far, a.far);
    EXPECT_TRUE(res.ipa_valid);
    EXPECT_EQ(res.ipa, kHoleIpa);
    EXPECT_EQ(c.pc, kCodeVa); // left for EL2 (a REC exit) to decide

    code({0xb9000149 /* str w9, [x10] */});
    c.x[10] = kHoleVa + 0x40;
    a = model(kHoleVa + 0x40, MMU_WRITE, 4, 9, false, false);
    a64_step(&c, &res);
    EXPECT_EQ(res.outcome, A64_TRAP_EL2);
    EXPECT_EQ(res.esr, a.esr);

    code({0x885f7d41 /* ldxr w1, [x10] */}); // exclusives have no instruction syndrome
    a64_step(&c, &res);
    EXPECT_EQ(res.outcome, A64_TRAP_EL2);
    EXPECT_EQ(res.esr, (0x24ull << 26) | (1u << 25) | (a.esr & 0x3F));
}

} // namespace
