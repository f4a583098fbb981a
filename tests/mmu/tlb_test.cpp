// TLBs: hits cost no walk, eviction, staleness without maintenance, and every TLBI scope.
#include <gtest/gtest.h>

extern "C" {
#include "mmu/tlb.h"
}

namespace
{

tlb_entry entry(mmu_regime_kind kind, uint64_t va, uint64_t pa, uint16_t vmid = 0,
                uint16_t asid = 0, bool global = true)
{
    tlb_entry e{};
    e.regime = uint8_t(kind);
    e.va_page = va >> 12;
    e.pa_page = pa >> 12;
    e.ipa_page = pa >> 12;
    e.vmid = vmid;
    e.asid = asid;
    e.global = global;
    e.pas = RME_PAS_NS;
    e.gpi = 0x9;
    return e;
}

mmu_regime regime(mmu_regime_kind kind, uint16_t vmid = 0, uint16_t asid = 0)
{
    mmu_regime r{};
    r.kind = kind;
    r.vmid = vmid;
    r.s1.asid = asid;
    return r;
}

struct Tlb : ::testing::Test {
    tlb_config cfg{4, 16, 2, 1, 3, 0, 0, 0};
    mmu_tlb *t = tlb_create(&cfg);
    ~Tlb() override { tlb_destroy(t); }
    int look(const mmu_regime &r, uint64_t va, uint64_t *cycles = nullptr)
    {
        tlb_entry out;
        uint64_t c = 0;
        int hit = tlb_lookup(t, &r, va, &out, &c);
        if (cycles)
            *cycles = c;
        return hit;
    }
};

TEST_F(Tlb, MissFillL1HitAndL2HitWithTheirCosts)
{
    mmu_regime host = regime(MMU_NS_EL2);
    uint64_t c;
    EXPECT_EQ(look(host, 0x1000, &c), 0);
    EXPECT_EQ(c, 4u); // both levels probed
    tlb_fill(t, &(const tlb_entry &)entry(MMU_NS_EL2, 0x1000, 0x8000'1000));
    EXPECT_EQ(look(host, 0x1234, &c), 1);
    EXPECT_EQ(c, 1u);
    // Five more pages evict the first from the 4-entry L1; the L2 still has it.
    for (uint64_t p = 1; p <= 5; p++)
        tlb_fill(t, &(const tlb_entry &)entry(MMU_NS_EL2, 0x1000 + p * 0x1000, 0x9000'0000));
    EXPECT_EQ(look(host, 0x1000, &c), 2);
    EXPECT_EQ(c, 4u);
    EXPECT_EQ(look(host, 0x1000, &c), 1); // promoted
    tlb_stats st = tlb_get_stats(t);
    EXPECT_GE(st.evictions, 1u);
    EXPECT_EQ(st.l2_hits, 1u);
}

TEST_F(Tlb, TaggedByRegimeVmidAndAsid)
{
    tlb_fill(t, &(const tlb_entry &)entry(MMU_REALM_EL10, 0x1000, 0x9000'0000, 1, 7, false));
    EXPECT_EQ(look(regime(MMU_REALM_EL10, 1, 7), 0x1000), 1);
    EXPECT_EQ(look(regime(MMU_REALM_EL10, 2, 7), 0x1000), 0); // other VMID
    EXPECT_EQ(look(regime(MMU_REALM_EL10, 1, 8), 0x1000), 0); // other ASID, not global
    EXPECT_EQ(look(regime(MMU_NS_EL2), 0x1000), 0);           // other regime
}

TEST_F(Tlb, EachScopeDropsWhatItNames)
{
    auto fill_all = [&] {
        tlb_invalidate(t, TLB_ALL, 0, 0, 0);
        tlb_fill(t, &(const tlb_entry &)entry(MMU_NS_EL2, 0x1000, 0x8000'0000));
        tlb_fill(t, &(const tlb_entry &)entry(MMU_EL3, 0x2000, 0x8000'1000));
        tlb_fill(t, &(const tlb_entry &)entry(MMU_REALM_EL10, 0x3000, 0x8000'2000, 1, 5, false));
        tlb_fill(t, &(const tlb_entry &)entry(MMU_REALM_EL10, 0x4000, 0x8000'3000, 2, 5, false));
    };
    const struct {
        tlb_scope scope;
        uint16_t vmid, asid;
        uint64_t va;
        bool host, el3, r1, r2;
    } cases[] = {
        {TLB_EL2, 0, 0, 0, false, true, true, true},
        {TLB_EL3, 0, 0, 0, true, false, true, true},
        {TLB_EL10, 0, 0, 0, true, true, false, false},
        {TLB_EL10_VMID, 1, 0, 0, true, true, false, true},
        {TLB_EL10_ASID, 2, 5, 0, true, true, true, false},
        {TLB_EL10_VA, 1, 5, 0x3000, true, true, false, true},
        {TLB_EL10_VA, 1, 6, 0x3000, true, true, true, true}, // other ASID: kept
        {TLB_EL2_VA, 0, 0, 0x1000, false, true, true, true},
        {TLB_ALL, 0, 0, 0, false, false, false, false},
    };
    for (auto c : cases) {
        fill_all();
        tlb_invalidate(t, c.scope, c.vmid, c.asid, c.va);
        EXPECT_EQ(look(regime(MMU_NS_EL2), 0x1000) != 0, c.host) << c.scope;
        EXPECT_EQ(look(regime(MMU_EL3), 0x2000) != 0, c.el3) << c.scope;
        EXPECT_EQ(look(regime(MMU_REALM_EL10, 1, 5), 0x3000) != 0, c.r1) << c.scope;
        EXPECT_EQ(look(regime(MMU_REALM_EL10, 2, 5), 0x4000) != 0, c.r2) << c.scope;
    }
}

// A TLBI reaches the entries of the security state it is issued for: the host's VMALLE1 for
// VMID 1 leaves a realm's VMID 1 entries, and the RMM's ALLE2 the host's EL2 entries.
TEST_F(Tlb, ScopesStayInTheirSecurityState)
{
    auto fill = [&] {
        tlb_invalidate(t, TLB_ALL, 0, 0, 0);
        tlb_fill(t, &(const tlb_entry &)entry(MMU_NS_EL10, 0x1000, 0x8000'0000, 1));
        tlb_fill(t, &(const tlb_entry &)entry(MMU_REALM_EL10, 0x1000, 0x8000'1000, 1));
        tlb_fill(t, &(const tlb_entry &)entry(MMU_NS_EL2, 0x2000, 0x8000'2000));
        tlb_fill(t, &(const tlb_entry &)entry(MMU_REALM_EL2, 0x2000, 0x8000'3000));
    };
    fill();
    tlb_invalidate_ss(t, TLB_EL10_VMID, RME_SS_NS, 1, 0, 0);
    EXPECT_EQ(look(regime(MMU_NS_EL10, 1), 0x1000), 0);
    EXPECT_NE(look(regime(MMU_REALM_EL10, 1), 0x1000), 0);
    tlb_invalidate_ss(t, TLB_EL10_VA, RME_SS_REALM, 1, 0, 0x1000);
    EXPECT_EQ(look(regime(MMU_REALM_EL10, 1), 0x1000), 0);
    fill();
    tlb_invalidate_ss(t, TLB_EL2, RME_SS_REALM, 0, 0, 0);
    EXPECT_NE(look(regime(MMU_NS_EL2), 0x2000), 0);
    EXPECT_EQ(look(regime(MMU_REALM_EL2), 0x2000), 0);
    tlb_invalidate_ss(t, TLB_EL10, RME_SS_REALM, 0, 0, 0);
    EXPECT_NE(look(regime(MMU_NS_EL10, 1), 0x1000), 0);
    // without a security state (the old form), both go
    tlb_invalidate(t, TLB_EL10_VMID, 1, 0, 0);
    EXPECT_EQ(look(regime(MMU_NS_EL10, 1), 0x1000), 0);
}

TEST_F(Tlb, PaRangeDropsCombinedEntries)
{
    tlb_fill(t, &(const tlb_entry &)entry(MMU_NS_EL2, 0x1000, 0x8000'1000));
    tlb_fill(t, &(const tlb_entry &)entry(MMU_NS_EL2, 0x2000, 0x8000'5000));
    EXPECT_EQ(tlb_invalidate_pa(t, 0x8000'4000, 0x1000), 0u);
    EXPECT_GE(tlb_invalidate_pa(t, 0x8000'5000, 0x1000), 1u);
    EXPECT_EQ(look(regime(MMU_NS_EL2), 0x2000), 0);
    EXPECT_EQ(look(regime(MMU_NS_EL2), 0x1000), 1);
}

} // namespace
