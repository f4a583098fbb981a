// REC entry's GIC state (RMM spec A6.1; B4.3.14 rec_gicv3): RMI_REC_ENTER fails with
// ERROR_REC, before the realm runs, when enter.gicv3_hcr sets a bit the host does not own or
// an implemented List Register that is not Invalid is not a valid ICH_LR<n>_EL2 with HW == 0.
// One test per rule, each beside the closest value the RMM accepts.
#include "run_fixture.hpp"

namespace
{

using namespace rmmtest;

// ICH_LR<n>_EL2 (GIC spec, ICH_LR<n>_EL2): State [63:62], HW [61], Group [60],
// Priority [55:48], pINTID [44:32] (EOI at bit 41 when HW == 0), vINTID [31:0]
constexpr uint64_t kPending = 1ull << 62, kActive = 2ull << 62, kHw = 1ull << 61;
constexpr uint64_t kGroup1 = 1ull << 60, kEoi = 1ull << 41;
uint64_t priority(unsigned p)
{
    return uint64_t(p) << 48;
}
uint64_t lr(uint64_t vintid, uint64_t extra = 0)
{
    return kPending | kGroup1 | priority(0xA0) | extra | vintid;
}

struct GicEntry : Run {
    void SetUp() override
    {
        Run::SetUp();
        activate();
    }
    void set_lr(unsigned n, uint64_t value) { env.mem[run + RMI_ENTER_GICV3_LRS + 8 * n] = value; }
    // enter with these LRs (the others Invalid); did the realm run?
    uint64_t enter_with(std::initializer_list<uint64_t> lrs)
    {
        for (unsigned n = 0; n < 16; n++)
            set_lr(n, 0);
        unsigned n = 0;
        for (uint64_t v : lrs)
            set_lr(n++, v);
        size_t runs = pcs.size();
        uint64_t status = enter();
        EXPECT_EQ(pcs.size(), runs + (status == 0 ? 1 : 0)) << "a refused entry runs nothing";
        return status;
    }
    const uint64_t rec_err = code(RMI_ERROR_REC);
};

TEST_F(GicEntry, HcrOnlyTheHostsBits)
{
    env.mem[run + RMI_ENTER_GICV3_HCR] = 0x40FE; // UIE..VGrp1DIE, TDIR
    EXPECT_EQ(enter_with({}), 0u);
    // En, vSGIEOICount, TC, TSEI, DVIM, EOIcount, RES0
    for (unsigned bit : {0u, 8u, 10u, 13u, 15u, 27u, 63u}) {
        env.mem[run + RMI_ENTER_GICV3_HCR] = 1ull << bit;
        EXPECT_EQ(enter_with({}), rec_err) << "ICH_HCR_EL2 bit " << bit;
    }
}

TEST_F(GicEntry, ValidListRegistersAreAccepted)
{
    // an SGI, a PPI, an SPI, an LPI; active, pending+active, group 0; EOI with HW == 0
    EXPECT_EQ(enter_with({lr(1), lr(27, kEoi), (3ull << 62) | 40, kActive | priority(0xF8) | 8192}),
              0u);
}

TEST_F(GicEntry, HwMustBeZero)
{
    EXPECT_EQ(enter_with({lr(40, kHw)}), rec_err);
    EXPECT_EQ(enter_with({lr(40, kHw | (40ull << 32))}), rec_err); // even naming a pINTID
}

TEST_F(GicEntry, UnimplementedPriorityBitsAreRes0)
{
    // 5 priority bits by default: Priority[2:0] are RES0
    EXPECT_EQ(enter_with({lr(40) & ~priority(0xFF)}), 0u);
    EXPECT_EQ(enter_with({(lr(40) & ~priority(0xFF)) | priority(0x04)}), rec_err);
    r.env.vgic.pri_bits = 8; // all eight implemented
    EXPECT_EQ(enter_with({(lr(40) & ~priority(0xFF)) | priority(0x04)}), 0u);
}

TEST_F(GicEntry, PintidOnlyEoiWithoutHw)
{
    EXPECT_EQ(enter_with({lr(40, kEoi)}), 0u);
    EXPECT_EQ(enter_with({lr(40, 1ull << 32)}), rec_err);
    EXPECT_EQ(enter_with({lr(40, 1ull << 44)}), rec_err);
}

TEST_F(GicEntry, VintidRanges)
{
    EXPECT_EQ(enter_with({lr(1019)}), 0u);
    for (uint64_t id : {1020ull, 1023ull, 1024ull, 1056ull, 4096ull, 8191ull, 65536ull, 1ull << 31})
        EXPECT_EQ(enter_with({lr(id)}), rec_err) << "vINTID " << id;
    EXPECT_EQ(enter_with({lr(65535)}), 0u); // 16 ID bits by default
    r.env.vgic.id_bits = 24;
    EXPECT_EQ(enter_with({lr(65536)}), 0u);
    EXPECT_EQ(enter_with({lr(1ull << 24)}), rec_err);
    r.env.vgic.ext_range = true; // GICv3.1: extended PPIs and SPIs
    for (uint64_t id : {1056ull, 1119ull, 4096ull, 5119ull})
        EXPECT_EQ(enter_with({lr(id)}), 0u) << "vINTID " << id;
    for (uint64_t id : {1055ull, 1120ull, 4095ull, 5120ull})
        EXPECT_EQ(enter_with({lr(id)}), rec_err) << "vINTID " << id;
}

TEST_F(GicEntry, NoTwoListRegistersWithOneVintid)
{
    EXPECT_EQ(enter_with({lr(40), lr(41)}), 0u);
    EXPECT_EQ(enter_with({lr(40), lr(41), lr(40)}), rec_err);
    EXPECT_EQ(enter_with({lr(40), lr(41), lr(40) & ~(3ull << 62)}), 0u); // an Invalid one may
}

TEST_F(GicEntry, OnlyImplementedListRegistersThatAreNotInvalidCount)
{
    uint64_t junk = kHw | (0x1FFFull << 32) | priority(0x07) | 1022; // every rule broken
    EXPECT_EQ(enter_with({junk & ~(3ull << 62)}), 0u);               // but Invalid
    set_lr(4, lr(40, kHw)); // LR4: the default interface has 4 (LR0..LR3)
    EXPECT_EQ(enter(), 0u);
    r.env.vgic.list_regs = 16;
    EXPECT_EQ(enter(), rec_err);
}

TEST_F(GicEntry, Orderings)
{
    // [rec_align, run_pas, ...] < [realm_new, ..., rec_gicv3] (B4.3.14.2.1)
    set_lr(0, lr(40, kHw));
    EXPECT_EQ(call(RMI_REC_ENTER, rec + 8, run), code(RMI_ERROR_INPUT));     // rec_align
    EXPECT_EQ(call(RMI_REC_ENTER, rec, delegated()), code(RMI_ERROR_INPUT)); // run_pas
    EXPECT_EQ(enter(), rec_err);
    // rec_gicv3 and rec_mmio share a bracket and a status; the spec orders neither way, and
    // the LR is refused before the MMIO completion could change the REC
    EXPECT_EQ(enter(RMI_ENTER_EMUL_MMIO), rec_err);
}

} // namespace
