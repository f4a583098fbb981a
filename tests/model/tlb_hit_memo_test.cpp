// The fast path's memo of L1 TLB hits: what it remembers, what it answers, and when it forgets.
#include <gtest/gtest.h>

#include "model/tlb_hit_memo.hpp"

namespace rmesim
{
namespace
{

struct Memo : ::testing::Test {
    tlb_config cfg{4, 16, 2, 1, 3, 0, 0, 0};
    mmu_tlb *tlb = tlb_create(&cfg);
    mmu_regime host{};
    TlbHitMemo memo;
    const unsigned cls = TlbHitMemo::access_class(MMU_READ, 2);

    Memo()
    {
        host.kind = MMU_NS_EL2;
        host.el = 2;
        tlb_entry e{};
        e.regime = MMU_NS_EL2;
        e.va_page = 0x4000'1000 >> 12;
        e.pa_page = e.ipa_page = 0x8000'5000 >> 12;
        e.global = true;
        e.pas = RME_PAS_NS;
        e.gpi = 0x9;
        tlb_fill(tlb, &e);
    }
    ~Memo() override { tlb_destroy(tlb); }

    // The record of a TLB hit on va as the MMU makes it (the lookup made, the fields from_tlb()
    // fills): what the memo is given to remember.
    rme_access translated(uint64_t va)
    {
        rme_access a;
        rme_access_init(&a, va, 8, MMU_READ);
        tlb_entry out;
        a.tlb = tlb_lookup(tlb, &host, va, &out, &a.cycles_tlb);
        a.cycles = a.cycles_tlb;
        a.pa = (out.pa_page << 12) | (va & 0xFFF);
        a.ipa = a.pa;
        a.pas = RME_PAS_NS;
        return a;
    }
};

TEST_F(Memo, ARememberedHitIsLookedUpInTheTlbAndAnsweredForTheNewOffset)
{
    memo.check_regime(host, tlb);
    rme_access first = translated(0x4000'1008); /* the walk's fill made it: now an L1 hit */
    ASSERT_EQ(first.tlb, 1);
    ASSERT_NE(memo.fill(tlb, host, 0x4000'1008, cls, first, true, "dram"), nullptr);
    tlb_stats before = tlb_get_stats(tlb);

    TlbHitMemo::Entry *e = memo.find(tlb, host, 0x4000'1ff0, 8, cls);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->hit.va, 0x4000'1ff0u);
    EXPECT_EQ(e->hit.pa, 0x8000'5ff0u);
    EXPECT_EQ(e->hit.tlb, 1);
    EXPECT_TRUE(e->cacheable);
    EXPECT_STREQ(e->owner, "dram");
    tlb_stats after = tlb_get_stats(tlb); /* counted as the TLB's own hit */
    EXPECT_EQ(after.lookups, before.lookups + 1);
    EXPECT_EQ(after.l1_hits, before.l1_hits + 1);
    EXPECT_EQ(memo.hits(), 1u);

    EXPECT_EQ(memo.find(tlb, host, 0x4000'2000, 8, cls), nullptr); /* another page */
    EXPECT_EQ(memo.find(tlb, host, 0x4000'1000, 8, TlbHitMemo::access_class(MMU_WRITE, 2)),
              nullptr); /* another class: its permissions were not checked */
}

TEST_F(Memo, OnlyAnL1HitWithNoWalkOrFaultIsRemembered)
{
    memo.check_regime(host, tlb);
    rme_access a = translated(0x4000'1000);
    rme_access miss = a, fault = a, walked = a;
    miss.tlb = 0;
    fault.fault = MMU_FAULT_PERMISSION;
    walked.n_fetches = 1;
    EXPECT_EQ(memo.fill(tlb, host, 0x4000'1000, cls, miss, true), nullptr);
    EXPECT_EQ(memo.fill(tlb, host, 0x4000'1000, cls, fault, true), nullptr);
    EXPECT_EQ(memo.fill(tlb, host, 0x4000'1000, cls, walked, true), nullptr);
    EXPECT_EQ(memo.find(tlb, host, 0x4000'1000, 8, cls), nullptr);
}

TEST_F(Memo, ForgetsWhenTheTlbChangesOrTheRegimeDoes)
{
    memo.check_regime(host, tlb);
    memo.fill(tlb, host, 0x4000'1000, cls, translated(0x4000'1000), true);
    ASSERT_NE(memo.find(tlb, host, 0x4000'1000, 8, cls), nullptr);

    tlb_invalidate(tlb, TLB_ALL, 0, 0, 0); /* maintenance moves the generation */
    EXPECT_EQ(memo.find(tlb, host, 0x4000'1000, 8, cls), nullptr);

    tlb_entry e{};
    e.regime = MMU_NS_EL2;
    e.va_page = 0x4000'1000 >> 12;
    e.pa_page = e.ipa_page = 0x8000'5000 >> 12;
    e.global = true;
    tlb_fill(tlb, &e);
    memo.fill(tlb, host, 0x4000'1000, cls, translated(0x4000'1000), true);
    ASSERT_NE(memo.find(tlb, host, 0x4000'1000, 8, cls), nullptr);
    mmu_regime other = host;
    other.s1.asid = 7;
    memo.check_regime(other, tlb); /* another ASID: the table is emptied */
    memo.check_regime(host, tlb);
    EXPECT_EQ(memo.find(tlb, host, 0x4000'1000, 8, cls), nullptr);
}

} // namespace
} // namespace rmesim
