// The check in the architecture's priority order (D9.4 Table D9-2, ASL GranuleProtectionCheck),
// each fault alone and in pairs, and the GPT cache with its TLBI semantics.
#include "gpc_fixture.hpp"

namespace
{

struct Check : GpcFixture {
    void standard() { build({{kDram, kDramSize, GPI_NS, false}}); }
    void set_gpccr(uint64_t v) { gpc_set_registers(unit, v, gpc_gptbr(unit)); }
};

TEST_F(Check, DefaultMapPassesNsAndFaultsRealm)
{
    standard();
    gpc_result r = check(kDram + 0x5000, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_OK);
    EXPECT_EQ(r.gpi, GPI_NS);
    EXPECT_EQ(r.gpt_level, 1u);
    EXPECT_EQ(r.fetches, 2u);
    // the walk's reads as made: the L0 table entry, then the L1 entry it points at
    EXPECT_EQ(r.fetch_pa[0], l0_entry_pa(kDram + 0x5000));
    EXPECT_EQ(r.fetch_pa[1], l1_entry_pa(kDram + 0x5000));
    EXPECT_EQ(r.fetch_desc[0] & 0x000FFFFFFFFFF000ull, l1_entry_pa(kDram + 0x5000) & ~0xFFFull);
    EXPECT_EQ(r.fetch_desc[1], l1_word(kDram + 0x5000));
    r = check(kDram + 0x5000, RME_PAS_REALM, RME_SS_REALM); // priority 11: GPF at level 1
    EXPECT_EQ(r.kind, GPC_FAULT_GPF);
    EXPECT_EQ(r.gpt_level, 1u);
    r = check(0x1000, RME_PAS_REALM, RME_SS_REALM); // unlisted memory is Block-ANY at level 0
    EXPECT_EQ(r.kind, GPC_OK);
    EXPECT_EQ(r.gpi, GPI_ANY);
    EXPECT_EQ(r.gpt_level, 0u);
    EXPECT_EQ(r.fetches, 1u);
}

TEST_F(Check, GpcDisabledChecksNothing)
{
    standard();
    set_gpccr(gpc_gpccr(unit) & ~GPCCR_GPC);
    uint64_t before = gpc_get_stats(unit).checks;
    gpc_result r = check(kDram, RME_PAS_REALM);
    EXPECT_EQ(r.kind, GPC_OK);
    EXPECT_FALSE(r.gpi_found);
    EXPECT_EQ(r.fetches, 0u);
    EXPECT_EQ(gpc_get_stats(unit).checks, before); // a disabled GPC makes no check to count
}

// Priority 1: inconsistent registers are a GPT walk fault at level 0.
TEST_F(Check, P1ConfigurationFaults)
{
    standard();
    uint64_t good = gpc_gpccr(unit);
    const uint64_t bad[] = {
        good | (3ull << GPCCR_PGS_SHIFT),                              // PGS reserved
        (good & ~(3ull << GPCCR_SH_SHIFT)) | (1ull << GPCCR_SH_SHIFT), // SH 01 reserved
        (good & ~(0xFull << 8)) /* NC */,                              // NC + IS: invalid
        (good & ~GPCCR_PPS_MASK) | 6,                                  // 52 bits > PARange 48
        (good & ~GPCCR_PPS_MASK) | 7,                                  // PPS reserved
    };
    for (uint64_t v : bad) {
        set_gpccr(v);
        gpc_result r = check(kDram, RME_PAS_NS);
        EXPECT_EQ(r.kind, GPC_FAULT_WALK) << std::hex << v;
        EXPECT_EQ(r.gpt_level, 0u);
        EXPECT_EQ(r.fetches, 0u);
    }
    // NC with Outer Shareable is allowed.
    set_gpccr((good & ~(0xFull << 8) & ~(3ull << GPCCR_SH_SHIFT)) | (2ull << GPCCR_SH_SHIFT));
    EXPECT_EQ(check(kDram, RME_PAS_NS).kind, GPC_OK);
}

// Priority 2 (GPC2): a disabled PAS faults before anything else but configuration.
TEST_F(Check, P2PasDisable)
{
    gpc2 = true;
    standard();
    uint64_t good = gpc_gpccr(unit);
    set_gpccr(good | GPCCR_NSPAD);
    gpc_result r = check(kDram, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_FAULT_GPF);
    EXPECT_EQ(r.gpt_level, 0u);
    EXPECT_EQ(r.fetches, 0u);
    // Pair P2 + P3: an NS access above PPS would pass, but NSPAD wins.
    EXPECT_EQ(check(1ull << 41, RME_PAS_NS).kind, GPC_FAULT_GPF);
    // Pair P1 + P2: configuration first.
    set_gpccr((good | GPCCR_NSPAD) | (3ull << GPCCR_PGS_SHIFT));
    EXPECT_EQ(check(kDram, RME_PAS_NS).kind, GPC_FAULT_WALK);
    // Root cannot be disabled; RLPAD/SPAD hit their PAS only.
    set_gpccr(good | GPCCR_RLPAD | GPCCR_SPAD);
    EXPECT_EQ(check(0x1000, RME_PAS_ROOT, RME_SS_ROOT).kind, GPC_OK);
    EXPECT_EQ(check(0x1000, RME_PAS_REALM, RME_SS_REALM).kind, GPC_FAULT_GPF);
    EXPECT_EQ(check(0x1000, RME_PAS_SECURE, RME_SS_SECURE).kind, GPC_FAULT_GPF);
    EXPECT_EQ(check(0x1000, RME_PAS_NS).kind, GPC_OK);
}

TEST_F(Check, PasDisableBitsAreIgnoredWithoutGpc2)
{
    standard();
    set_gpccr(gpc_gpccr(unit) | GPCCR_NSPAD);
    EXPECT_EQ(check(kDram, RME_PAS_NS).kind, GPC_OK);
}

// Priority 3: above PPS, Non-secure passes without a lookup; the others take a GPF at level 0.
TEST_F(Check, P3AbovePps)
{
    standard();
    gpc_result r = check(1ull << 40, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_OK);
    EXPECT_EQ(r.fetches, 0u);
    r = check(1ull << 40, RME_PAS_REALM, RME_SS_REALM);
    EXPECT_EQ(r.kind, GPC_FAULT_GPF);
    EXPECT_EQ(r.gpt_level, 0u);
    // Pair P3 + P4: the GPTBR is above PPS too, but the access above PPS decides first.
    gpc_set_registers(unit, gpc_gpccr(unit), (1ull << 40) >> 12);
    EXPECT_EQ(check(1ull << 40, RME_PAS_ROOT, RME_SS_ROOT).kind, GPC_FAULT_GPF);
}

TEST_F(Check, P3AppsaaLetsEveryPasThrough)
{
    gpc2 = true;
    standard();
    set_gpccr(gpc_gpccr(unit) | GPCCR_APPSAA);
    EXPECT_EQ(check(1ull << 40, RME_PAS_REALM, RME_SS_REALM).kind, GPC_OK);
}

// Priority 4: the L0 table base above PPS is a GPT address size fault.
TEST_F(Check, P4GptbrAbovePps)
{
    standard();
    gpc_set_registers(unit, gpc_gpccr(unit), (1ull << 40) >> 12);
    gpc_result r = check(kDram, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_FAULT_ADDR_SIZE);
    EXPECT_EQ(r.gpt_level, 0u);
    EXPECT_EQ(r.fetches, 0u);
}

// Priority 5: the L0 fetch aborts (no memory there).
TEST_F(Check, P5L0FetchAborts)
{
    standard();
    gpc_set_registers(unit, gpc_gpccr(unit), 0x4000'0000 >> 12);
    gpc_result r = check(kDram, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_FAULT_EABT);
    EXPECT_EQ(r.gpt_level, 0u);
}

// Priority 6: an invalid L0 descriptor.
TEST_F(Check, P6InvalidL0)
{
    standard();
    poke(l0_entry_pa(kDram), 0x0);
    EXPECT_EQ(check(kDram, RME_PAS_NS).kind, GPC_FAULT_WALK);
    poke(l0_entry_pa(kDram), 0x31); // Block with reserved GPI 0b0011
    gpc_result r = check(kDram, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_FAULT_WALK); // a walk fault, not a GPF
    EXPECT_EQ(r.gpt_level, 0u);
}

// Priority 7 and the pair P6 + P7: an L0 table address above PPS.
TEST_F(Check, P7TableAddressAbovePps)
{
    standard();
    poke(l0_entry_pa(kDram), (1ull << 40) | 0x3);
    gpc_result r = check(kDram, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_FAULT_ADDR_SIZE);
    EXPECT_EQ(r.gpt_level, 0u);
    EXPECT_EQ(r.fetches, 1u);
    poke(l0_entry_pa(kDram), (1ull << 40) | 0x13); // also RES0 set: invalid first (P6)
    EXPECT_EQ(check(kDram, RME_PAS_NS).kind, GPC_FAULT_WALK);
}

// Priority 8: a GPF from a level-0 block.
TEST_F(Check, P8GpfAtLevel0)
{
    build({{0x4000'0000, 0x4000'0000, GPI_ROOT, true}, {kDram, kDramSize, GPI_NS, false}});
    gpc_result r = check(0x4000'1000, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_FAULT_GPF);
    EXPECT_EQ(r.gpt_level, 0u);
    EXPECT_EQ(r.gpi, GPI_ROOT);
}

// Priority 9: the L1 fetch aborts; pair P7 + P9: the address check comes first.
TEST_F(Check, P9L1FetchAborts)
{
    standard();
    poke(l0_entry_pa(kDram), 0x2000'0000 | 0x3); // below PPS, but no memory there
    gpc_result r = check(kDram, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_FAULT_EABT);
    EXPECT_EQ(r.gpt_level, 1u);
}

// Priority 10: an invalid L1 descriptor, including a reserved GPI in another slot.
TEST_F(Check, P10InvalidL1)
{
    standard();
    poke(l1_entry_pa(kDram), 0x9999'9999'9999'9939ull); // slot 1 reserved, slot 0 is NS
    gpc_result r = check(kDram, RME_PAS_NS);            // looks at slot 0
    EXPECT_EQ(r.kind, GPC_FAULT_WALK);
    EXPECT_EQ(r.gpt_level, 1u);
    poke(l1_entry_pa(kDram), 0x091); // contiguous with Contig 00
    EXPECT_EQ(check(kDram, RME_PAS_NS).kind, GPC_FAULT_WALK);
    // Pair P10 + P11: a realm access to an invalid NS word is a walk fault, not a GPF.
    EXPECT_EQ(check(kDram, RME_PAS_REALM, RME_SS_REALM).kind, GPC_FAULT_WALK);
}

TEST_F(Check, ContiguousDescriptorGivesItsGpiForTheWholeBlock)
{
    build({{kDram, kDramSize, GPI_NS, false}}, 40, 30, 12, 2ull << 20);
    EXPECT_EQ(l1_word(kDram), 0x191u); // 2MB contiguous NS
    gpc_result r = check(kDram + 0x1F'F000, RME_PAS_NS);
    EXPECT_EQ(r.kind, GPC_OK);
    EXPECT_EQ(r.gpi, GPI_NS);
}

// ---- the GPT cache ----

struct Cache : Check {
    void SetUp() override
    {
        cache_entries = 64;
        build({{kDram, kDramSize, GPI_NS, false}}, 40, 30, 12, 2ull << 20);
    }
};

TEST_F(Cache, HitAfterWalkCostsNoFetch)
{
    gpc_result a = check(kDram + 0x3000, RME_PAS_NS);
    EXPECT_FALSE(a.cache_hit);
    EXPECT_EQ(a.fetches, 2u);
    gpc_result b = check(kDram + 0x3000, RME_PAS_REALM, RME_SS_REALM); // denied result cached too
    EXPECT_TRUE(b.cache_hit);
    EXPECT_EQ(b.fetches, 0u);
    EXPECT_EQ(b.kind, GPC_FAULT_GPF);
    EXPECT_EQ(b.cycles, 2u);
}

TEST_F(Cache, StaleWithoutTlbiFreshWithIt)
{
    uint64_t pa = kDram + 0x40'0000; // inside a 2MB contiguous block
    EXPECT_EQ(check(pa, RME_PAS_NS).kind, GPC_OK);
    ASSERT_EQ(gpt_write_gpi(unit, pa, GPI_REALM, nullptr), 0);
    EXPECT_EQ(check(pa, RME_PAS_NS).kind, GPC_OK); // stale: the cached contiguous entry
    // A granule-sized RPALOS does not cover the 2MB contiguous entry: still stale.
    EXPECT_EQ(gpc_tlbi_rpa(unit, gpc_tlbi_rpa_operand(pa, 4096), true), 0u);
    EXPECT_EQ(check(pa, RME_PAS_NS).kind, GPC_OK);
    // One that covers the block drops it.
    EXPECT_EQ(gpc_tlbi_rpa(unit, gpc_tlbi_rpa_operand(pa, 2ull << 20), true), 1u);
    EXPECT_EQ(check(pa, RME_PAS_NS).kind, GPC_FAULT_GPF);
}

TEST_F(Cache, GranuleEntryDroppedByOverlappingRange)
{
    uint64_t pa = kDram + 0x40'0000;
    ASSERT_EQ(gpt_write_gpi(unit, pa + 0x1000, GPI_NS, nullptr), 0); // words are granules now
    EXPECT_EQ(check(pa + 0x1000, RME_PAS_NS).kind, GPC_OK);
    ASSERT_EQ(gpt_write_gpi(unit, pa + 0x1000, GPI_REALM, nullptr), 0);
    EXPECT_EQ(check(pa + 0x1000, RME_PAS_NS).kind, GPC_OK); // stale
    // SIZE 4KB at the granule: drops it. A misaligned base (for 16KB) drops nothing.
    EXPECT_EQ(gpc_tlbi_rpa(unit, gpc_tlbi_rpa_operand(pa + 0x1000, 16 << 10), true), 0u);
    EXPECT_EQ(gpc_tlbi_rpa(unit, gpc_tlbi_rpa_operand(pa + 0x1000, 4 << 10), false), 1u);
    EXPECT_EQ(check(pa + 0x1000, RME_PAS_NS).kind, GPC_FAULT_GPF);
}

TEST_F(Cache, ReservedSizeInvalidatesNothingAndPaallEverything)
{
    check(kDram, RME_PAS_NS);
    check(kDram + (4ull << 20), RME_PAS_NS);
    EXPECT_EQ(gpc_tlbi_rpa(unit, (kDram >> 12) | (0xAull << 44), true), 0u);
    gpc_tlbi_paall(unit);
    EXPECT_FALSE(check(kDram, RME_PAS_NS).cache_hit);
    EXPECT_FALSE(check(kDram + (4ull << 20), RME_PAS_NS).cache_hit);
    gpc_stats st = gpc_get_stats(unit);
    EXPECT_EQ(st.invalidations, 2u);
    EXPECT_EQ(st.cache_misses, 4u);
}

TEST(GpcTlbiOperand, AsTfaBuildsIt)
{
    EXPECT_EQ(gpc_tlbi_rpa_operand(0x8'8020'5000ull, 4096), 0x880205u);
    EXPECT_EQ(gpc_tlbi_rpa_operand(0x8020'0000ull, 2ull << 20), 0x80200u | (3ull << 44));
}

} // namespace
