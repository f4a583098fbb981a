// TLBs: hits cost no walk, eviction, staleness without maintenance, every TLBI scope, and
// repeated hits for a caller that remembers them.
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

// A repeated L1 hit (tlb_find_l1, for a caller's fast path): the same entry, statistics and
// ageing as the full lookup, and nothing done when the full lookup would answer otherwise.
namespace
{

tlb_entry page_entry(uint64_t va, uint64_t pa, uint8_t span = 0)
{
    tlb_entry e = entry(MMU_NS_EL2, va, pa);
    e.span = span;
    return e;
}

bool same_stats(const tlb_stats &a, const tlb_stats &b)
{
    return a.lookups == b.lookups && a.l1_hits == b.l1_hits && a.l2_hits == b.l2_hits &&
           a.misses == b.misses && a.fills == b.fills && a.evictions == b.evictions &&
           a.invalidated == b.invalidated;
}

struct TlbRepeat : ::testing::Test {
    tlb_config cfg{4, 16, 2, 1, 3, 0, 0, 0};
    mmu_tlb *full = tlb_create(&cfg), *fast = tlb_create(&cfg);
    mmu_regime r = regime(MMU_NS_EL2);
    ~TlbRepeat() override
    {
        tlb_destroy(full);
        tlb_destroy(fast);
    }
    void fill_both(const tlb_entry &e)
    {
        tlb_fill(full, &e);
        tlb_fill(fast, &e);
    }
    // the PA page each TLB answers for va (0: a miss), the full lookup on both
    uint64_t pa_page(mmu_tlb *t, uint64_t va)
    {
        int level;
        uint64_t c = 0;
        const tlb_entry *e = tlb_find(t, &r, va, &level, &c);
        return e ? e->pa_page : 0;
    }
};

TEST_F(TlbRepeat, RepeatedHitsCountAgeAndAnswerAsTheFullLookup)
{
    // two pages used in turn (an instruction page and a data page), in a 4-entry L1
    fill_both(page_entry(0x1000, 0x8000'1000));
    fill_both(page_entry(0x2000, 0x8000'2000));
    fill_both(page_entry(0x3000, 0x8000'3000));
    int level;
    uint64_t c = 0;
    struct Remembered {
        unsigned index;
        bool first;
    } rem[2];
    uint64_t pages[2] = {0x1000, 0x3000};
    for (unsigned i = 0; i < 2; i++) {
        ASSERT_NE(tlb_find(fast, &r, pages[i], &level, &c), nullptr);
        int index = tlb_last_l1(fast, &r, pages[i], &rem[i].first);
        ASSERT_GE(index, 0);
        rem[i].index = unsigned(index);
        EXPECT_TRUE(rem[i].first);
        ASSERT_NE(tlb_find(full, &r, pages[i], &level, &c), nullptr);
    }
    uint64_t generation = tlb_generation(fast);
    for (unsigned n = 0; n < 100; n++) {
        unsigned i = n % 2;
        uint64_t c_full = 0, c_fast = 0;
        const tlb_entry *a = tlb_find(full, &r, pages[i] + 8 * n, &level, &c_full);
        const tlb_entry *b = tlb_find_l1(fast, &r, pages[i] + 8 * n, tlb_generation(fast),
                                         rem[i].index, rem[i].first, &c_fast);
        ASSERT_NE(a, nullptr);
        ASSERT_NE(b, nullptr);
        EXPECT_EQ(a->pa_page, b->pa_page);
        EXPECT_EQ(c_full, c_fast);
    }
    EXPECT_EQ(tlb_generation(fast), generation); // hits change no entry
    EXPECT_TRUE(same_stats(tlb_get_stats(full), tlb_get_stats(fast)));
    // the ageing was the same: two more pages evict the same (least recently used) entries
    fill_both(page_entry(0x4000, 0x8000'4000));
    fill_both(page_entry(0x5000, 0x8000'5000));
    EXPECT_NE(tlb_generation(fast), generation);
    for (uint64_t va = 0x1000; va <= 0x5000; va += 0x1000)
        EXPECT_EQ(pa_page(full, va), pa_page(fast, va)) << "va " << va;
    EXPECT_TRUE(same_stats(tlb_get_stats(full), tlb_get_stats(fast)));
}

TEST_F(TlbRepeat, TheGenerationMovesOnFillPromotionAndInvalidation)
{
    uint64_t g = tlb_generation(fast);
    tlb_fill(fast, &(const tlb_entry &)page_entry(0x1000, 0x8000'1000));
    EXPECT_NE(tlb_generation(fast), g);
    for (uint64_t p = 2; p <= 6; p++) /* evict 0x1000 from the L1; the L2 keeps it */
        tlb_fill(fast, &(const tlb_entry &)page_entry(p << 12, 0x9000'0000 + (p << 12)));
    g = tlb_generation(fast);
    int level;
    uint64_t c = 0;
    ASSERT_NE(tlb_find(fast, &r, 0x1000, &level, &c), nullptr);
    EXPECT_EQ(level, 2);
    EXPECT_NE(tlb_generation(fast), g); // promoted into the L1
    g = tlb_generation(fast);
    ASSERT_NE(tlb_find(fast, &r, 0x1000, &level, &c), nullptr);
    EXPECT_EQ(level, 1);
    EXPECT_EQ(tlb_generation(fast), g); // an L1 hit changes nothing
    bool first = false;
    int index = tlb_last_l1(fast, &r, 0x1000, &first);
    ASSERT_GE(index, 0);
    tlb_invalidate(fast, TLB_EL2_VA, 0, 0, 0x9000);
    EXPECT_NE(tlb_generation(fast), g); // even an invalidation that drops nothing
    // a repeat remembered at the old generation is refused, counting nothing
    tlb_stats before = tlb_get_stats(fast);
    EXPECT_EQ(tlb_find_l1(fast, &r, 0x1000, g, unsigned(index), first, &c), nullptr);
    EXPECT_TRUE(same_stats(tlb_get_stats(fast), before));
    g = tlb_generation(fast);
    tlb_invalidate_pa(fast, 0, 0x1000);
    EXPECT_NE(tlb_generation(fast), g);
}

// Two L1 entries hold one page (a 2 MB block entry and a page inside it, as a table change
// without maintenance can leave): the full lookup answers with the last-hit entry when it holds
// the page, else with the first that does. A repeat that would answer otherwise does nothing.
TEST_F(TlbRepeat, RefusedWhenTheLastHitEntryAlsoHoldsThePage)
{
    tlb_fill(fast, &(const tlb_entry &)page_entry(0x201000, 0x9000'0000));    /* L1 slot 0 */
    tlb_fill(fast, &(const tlb_entry &)page_entry(0x200000, 0x8020'0000, 9)); /* slot 1 */
    int level;
    uint64_t c = 0;
    ASSERT_EQ(tlb_find(fast, &r, 0x201000, &level, &c)->pa_page, 0x90000u); /* the page's */
    bool first = false;
    int page = tlb_last_l1(fast, &r, 0x201000, &first);
    ASSERT_EQ(page, 0);
    EXPECT_TRUE(first);
    ASSERT_EQ(tlb_find(fast, &r, 0x300000, &level, &c)->pa_page, 0x80200u); /* the block hit */
    tlb_stats before = tlb_get_stats(fast);
    EXPECT_EQ(tlb_find_l1(fast, &r, 0x201000, tlb_generation(fast), unsigned(page), first, &c),
              nullptr);
    EXPECT_TRUE(same_stats(tlb_get_stats(fast), before));
    // the full lookup's answer, which the caller then gets: the block
    EXPECT_EQ(tlb_find(fast, &r, 0x201000, &level, &c)->pa_page, 0x80200u);
}

TEST_F(TlbRepeat, AnEntryFoundAsTheLastHitButNotTheFirstIsRepeatedOnlyWhileItIsTheLastHit)
{
    tlb_fill(fast, &(const tlb_entry &)page_entry(0x500000, 0xB000'0000)); /* L1 slot 0 */
    tlb_fill(fast, &(const tlb_entry &)page_entry(0x201000, 0x9000'0000)); /* slot 1 */
    tlb_fill(fast, &(const tlb_entry &)page_entry(0x400000, 0xA000'0000)); /* slot 2 */
    int level;
    uint64_t c = 0;
    ASSERT_NE(tlb_find(fast, &r, 0x201000, &level, &c), nullptr); /* last hit: slot 1 */
    tlb_invalidate(fast, TLB_EL2_VA, 0, 0, 0x500000);
    tlb_fill(fast, &(const tlb_entry &)page_entry(0x200000, 0x8020'0000, 9)); /* into slot 0 */
    ASSERT_EQ(tlb_find(fast, &r, 0x201000, &level, &c)->pa_page, 0x90000u);   /* the last hit */
    bool first = true;
    int page = tlb_last_l1(fast, &r, 0x201000, &first);
    ASSERT_EQ(page, 1);
    EXPECT_FALSE(first); // the block in slot 0 holds the page too
    tlb_stats before = tlb_get_stats(fast);
    const tlb_entry *e =
        tlb_find_l1(fast, &r, 0x201000, tlb_generation(fast), unsigned(page), first, &c);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->pa_page, 0x90000u);
    EXPECT_EQ(tlb_get_stats(fast).l1_hits, before.l1_hits + 1);
    // the last hit moves to slot 2: the full lookup would scan and find the block first
    ASSERT_NE(tlb_find(fast, &r, 0x400000, &level, &c), nullptr);
    before = tlb_get_stats(fast);
    EXPECT_EQ(tlb_find_l1(fast, &r, 0x201000, tlb_generation(fast), unsigned(page), first, &c),
              nullptr);
    EXPECT_TRUE(same_stats(tlb_get_stats(fast), before));
    EXPECT_EQ(tlb_find(fast, &r, 0x201000, &level, &c)->pa_page, 0x80200u);
}

TEST_F(TlbRepeat, NoLastHitForAPageTheLastHitEntryDoesNotHold)
{
    tlb_fill(fast, &(const tlb_entry &)page_entry(0x1000, 0x8000'1000));
    bool first = false;
    EXPECT_EQ(tlb_last_l1(fast, &r, 0x7000, &first), -1);
}

} // namespace
