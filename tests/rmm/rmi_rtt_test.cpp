// The RTT and DATA commands: every failure condition with its status and index (B4.3.1-3,
// B4.3.15-22), the orderings the specification fixes, and what success leaves in the tables.
#include "fake_platform.hpp"

namespace
{

using namespace rmmtest;

constexpr uint64_t kL2 = 2ull << 20, kL1 = 1ull << 30;
constexpr uint64_t kUnprot = 1ull << 39; // the first unprotected IPA of a 40-bit realm

struct Rtt : RmmFixture {
    uint64_t rd = 0;
    void SetUp() override
    {
        RmmFixture::SetUp();
        rd = new_realm();
    }
    rtt_entry_info entry(uint64_t ipa, int level)
    {
        rtt_entry_info e{};
        EXPECT_TRUE(rmm_rtt_entry(&r, rd, ipa, level, &e));
        return e;
    }
    uint64_t src_page(uint64_t tag)
    {
        uint64_t pg = page();
        env.mem[pg + 8] = tag;
        return pg;
    }
};

TEST_F(Rtt, CreateUnfoldsTheParent)
{
    uint64_t rtt = delegated();
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0x4000'0000, 2), 0u);
    EXPECT_EQ(state(rtt), GRANULE_RTT);
    rtt_entry_info e = entry(0x4000'0000, 1);
    EXPECT_EQ(e.state, RMI_TABLE);
    e = entry(0x4020'0000, 2);
    EXPECT_EQ(e.level, 2);
    EXPECT_EQ(e.state, RMI_UNASSIGNED);
    EXPECT_EQ(e.ripas, RMI_RIPAS_EMPTY);
    EXPECT_FALSE(e.ns);
    // in the unprotected half the children are UNASSIGNED_NS
    uint64_t ns_rtt = delegated();
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, ns_rtt, kUnprot, 2), 0u);
    e = entry(kUnprot + kL2, 2);
    EXPECT_TRUE(e.ns);
    EXPECT_EQ(e.state, RMI_UNASSIGNED);
    EXPECT_EQ(env.read(ns_rtt + 8), 1ull << 55);
}

TEST_F(Rtt, CreateFailureConditions)
{
    const uint64_t input = code(RMI_ERROR_INPUT);
    uint64_t rtt = delegated();
    EXPECT_EQ(call(RMI_RTT_CREATE, rd + 8, rtt, 0, 2), input);              // rd_align
    EXPECT_EQ(call(RMI_RTT_CREATE, rtt, rtt, 0, 2), input);                 // rd_state
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0, 1), input);                  // level_bound: start
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0, 4), input);                  // level_bound
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0x1000, 2), input);             // ipa_align (1GB)
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, rtt, 1ull << 40, 2), input);         // ipa_bound
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, rtt + 8, 0, 2), input);              // rtt_align
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, page(), 0, 2), input);               // rtt_state
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, 0x1000, 0, 2), input);               // rtt_bound
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0, 3), code(RMI_ERROR_RTT, 1)); // rtt_walk
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0, 2), 0u);
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, delegated(), 0, 2), code(RMI_ERROR_RTT, 1)); // rtte_state
    // [ipa_bound] < [rtt_walk]: out of range and no parent gives INPUT
    EXPECT_EQ(call(RMI_RTT_CREATE, rd, delegated(), 1ull << 40, 3), input);
    // [rd_state] < [rtt_walk]
    EXPECT_EQ(call(RMI_RTT_CREATE, delegated(), delegated(), 0x4000'0000, 3), input);
}

TEST_F(Rtt, ReadEntryOutputs)
{
    uint64_t out[8];
    ASSERT_EQ(call(RMI_RTT_READ_ENTRY, rd, 0x4000'0000, 3, 0, 0, out), 0u);
    EXPECT_EQ(out[1], 1u); // the walk stopped at the starting level
    EXPECT_EQ(out[2], uint64_t(RMI_UNASSIGNED));
    EXPECT_EQ(out[3], 0u);
    EXPECT_EQ(out[4], uint64_t(RMI_RIPAS_EMPTY));
    uint64_t rtt = delegated();
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0x4000'0000, 2), 0u);
    ASSERT_EQ(call(RMI_RTT_READ_ENTRY, rd, 0x4000'0000, 1, 0, 0, out), 0u);
    EXPECT_EQ(out[2], uint64_t(RMI_TABLE));
    EXPECT_EQ(out[3], rtt); // a TABLE shows its RTT
    const uint64_t input = code(RMI_ERROR_INPUT);
    EXPECT_EQ(call(RMI_RTT_READ_ENTRY, rd, 0, 0), input);          // level_bound
    EXPECT_EQ(call(RMI_RTT_READ_ENTRY, rd, 0x800, 3), input);      // ipa_align
    EXPECT_EQ(call(RMI_RTT_READ_ENTRY, rd, 1ull << 40, 3), input); // ipa_bound
    EXPECT_EQ(call(RMI_RTT_READ_ENTRY, page(), 0, 3), input);      // rd_state
}

TEST_F(Rtt, InitRipasMarksRamEntryByEntry)
{
    uint64_t out[8];
    // at level 1 a 1GB entry cannot be marked for 16MB: no_progress
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4000'0000, 0x4100'0000), code(RMI_ERROR_RTT, 1));
    rtts_to(rd, 0x4000'0000, 2);
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4000'0000, 0x4100'0000, 0, 0, out), 0u);
    EXPECT_EQ(out[1], 0x4100'0000u); // eight 2MB entries at once
    EXPECT_EQ(entry(0x40E0'0000, 2).ripas, RMI_RIPAS_RAM);
    EXPECT_EQ(entry(0x4100'0000, 2).ripas, RMI_RIPAS_EMPTY);
    // base_align: a base inside a 2MB entry
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4120'1000, 0x4140'0000), code(RMI_ERROR_RTT, 2));
    // top not aligned to the entry: nothing can be done (no_progress)
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4120'0000, 0x4120'1000), code(RMI_ERROR_RTT, 2));
    const uint64_t input = code(RMI_ERROR_INPUT);
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4120'0000, 0x4120'0000), input);      // size_valid
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4120'0000, kUnprot + 0x1000), input); // top_bound
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4120'0000, 0x4140'0800), input);      // top_gran_align
    // rtte_state: an ASSIGNED entry
    rtts_to(rd, 0x4140'0000, 3);
    ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, delegated(), 0x4140'0000), 0u);
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4140'0000, 0x4140'1000), code(RMI_ERROR_RTT, 3));
    // realm_state, after the RD checks
    ASSERT_EQ(call(RMI_REALM_ACTIVATE, rd), 0u);
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4160'0000, 0x4180'0000), code(RMI_ERROR_REALM));
    EXPECT_EQ(call(RMI_RTT_INIT_RIPAS, rd + 8, 0x4160'0000, 0x4180'0000), input);
}

TEST_F(Rtt, DataCreateCopiesAndMaps)
{
    rtts_to(rd, 0x4000'0000, 3);
    uint64_t data = delegated(), src = src_page(0xabcdef);
    ASSERT_EQ(call(RMI_DATA_CREATE, rd, data, 0x4000'0000, src, RMI_DATA_MEASURE_CONTENT), 0u);
    EXPECT_EQ(state(data), GRANULE_DATA);
    EXPECT_EQ(env.read(data + 8), 0xabcdefu);
    rtt_entry_info e = entry(0x4000'0000, 3);
    EXPECT_EQ(e.state, RMI_ASSIGNED);
    EXPECT_EQ(e.ripas, RMI_RIPAS_RAM); // DATA_CREATE makes it RAM
    EXPECT_EQ(e.desc & 0x0000FFFFFFFFF000ull, data);
    EXPECT_EQ(e.desc & 3, 3u);       // a valid page
    EXPECT_EQ(e.desc >> 55 & 1, 0u); // protected: NS = 0
    // and the level-3 RTT is now live
    EXPECT_EQ(call(RMI_RTT_DESTROY, rd, 0x4000'0000, 3), code(RMI_ERROR_RTT, 3));
}

TEST_F(Rtt, DataCreateFailureConditions)
{
    rtts_to(rd, 0x4000'0000, 2);
    const uint64_t input = code(RMI_ERROR_INPUT);
    uint64_t data = delegated(), src = src_page(1);
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, data, 0x4000'0000, src, 2), input);         // flags
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, data, 0x4000'0000, src + 8, 0), input);     // src_align
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, data, 0x4000'0000, delegated(), 0), input); // src_pas
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, page(), 0x4000'0000, src, 0), input);       // data_state
    EXPECT_EQ(call(RMI_DATA_CREATE, page(), data, 0x4000'0000, src, 0), input);     // rd_state
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, data, 0x4000'0800, src, 0), input);         // ipa_align
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, data, kUnprot, src, 0), input);             // ipa_bound
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, data, 0x4000'0000, src, 0),
              code(RMI_ERROR_RTT, 2)); // rtt_walk: no level-3 table
    rtts_to(rd, 0x4000'0000, 3);
    ASSERT_EQ(call(RMI_DATA_CREATE, rd, data, 0x4000'0000, src, 0), 0u);
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, delegated(), 0x4000'0000, src, 0),
              code(RMI_ERROR_RTT, 3)); // rtte_state
    // realm_state after activation; [rd_state] < [realm_state]
    ASSERT_EQ(call(RMI_REALM_ACTIVATE, rd), 0u);
    EXPECT_EQ(call(RMI_DATA_CREATE, rd, delegated(), 0x4000'1000, src, 0), code(RMI_ERROR_REALM));
    EXPECT_EQ(call(RMI_DATA_CREATE, rd + 8, delegated(), 0x4000'1000, src, 0), input);
    // DATA_CREATE_UNKNOWN works in ACTIVE
    EXPECT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, delegated(), 0x4000'1000), 0u);
}

TEST_F(Rtt, DataCreateUnknownKeepsRipas)
{
    rtts_to(rd, 0x4000'0000, 3);
    ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, delegated(), 0x4000'0000), 0u);
    rtt_entry_info e = entry(0x4000'0000, 3);
    EXPECT_EQ(e.state, RMI_ASSIGNED);
    EXPECT_EQ(e.ripas, RMI_RIPAS_EMPTY); // unchanged: an invalid descriptor
    EXPECT_EQ(e.desc & 1, 0u);
    // with RIPAS RAM the same command gives a valid mapping
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, 0x4000'1000, 0x4000'2000), 0u);
    ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, delegated(), 0x4000'1000), 0u);
    EXPECT_EQ(entry(0x4000'1000, 3).desc & 3, 3u);
    EXPECT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, delegated(), kUnprot + 0x1000),
              code(RMI_ERROR_INPUT)); // ipa_bound
}

TEST_F(Rtt, DataDestroyLeavesDestroyedAndWipes)
{
    rtts_to(rd, 0x4000'0000, 3);
    uint64_t data = delegated(), out[8];
    ASSERT_EQ(call(RMI_DATA_CREATE, rd, data, 0x4000'0000, src_page(0x77), 0), 0u);
    env.tlbis.clear();
    ASSERT_EQ(call(RMI_DATA_DESTROY, rd, 0x4000'0000, 0, 0, 0, out), 0u);
    EXPECT_EQ(out[1], data);
    EXPECT_GT(out[2], 0x4000'0000u); // top: past the now empty entries
    EXPECT_EQ(state(data), GRANULE_DELEGATED);
    EXPECT_EQ(env.read(data + 8), 0u); // wiped
    rtt_entry_info e = entry(0x4000'0000, 3);
    EXPECT_EQ(e.state, RMI_UNASSIGNED);
    EXPECT_EQ(e.ripas, RMI_RIPAS_DESTROYED); // RAM -> DESTROYED (A5.2.5)
    ASSERT_FALSE(env.tlbis.empty());         // the old mapping is invalidated
    // rtte_state: not ASSIGNED any more; rtt_walk: no level-3 table there
    EXPECT_EQ(call(RMI_DATA_DESTROY, rd, 0x4000'0000), code(RMI_ERROR_RTT, 3));
    EXPECT_EQ(call(RMI_DATA_DESTROY, rd, 0x4020'0000), code(RMI_ERROR_RTT, 2));
    EXPECT_EQ(call(RMI_DATA_DESTROY, rd, kUnprot), code(RMI_ERROR_INPUT)); // ipa_bound
}

TEST_F(Rtt, MapAndUnmapUnprotected)
{
    uint64_t ipa = kUnprot | 0x10'0000, ns = page(), out[8];
    uint64_t desc = ns | (6ull << 2) | (3ull << 6);
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa, 3, desc), code(RMI_ERROR_RTT, 1)); // rtt_walk
    rtts_to(rd, ipa, 3);
    const uint64_t input = code(RMI_ERROR_INPUT);
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa, 3, desc | 1ull << 52), input); // attr_valid
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa, 3, ns | (4ull << 2)), input);  // FWB reserved
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa, 3, desc + 0x800), input);      // addr_align
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa & ~kUnprot, 3, desc), input);   // protected
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa, 0, desc), input);              // level_bound
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa, 4, desc), input);
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa + 0x800, 3, desc), input); // ipa_align
    ASSERT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa, 3, desc), 0u);
    rtt_entry_info e = entry(ipa, 3);
    EXPECT_TRUE(e.ns);
    EXPECT_EQ(e.state, RMI_ASSIGNED);
    EXPECT_EQ(e.desc >> 55 & 1, 1u); // NS: the access goes to the Non-secure PAS
    EXPECT_EQ(e.desc & 3, 3u);
    EXPECT_EQ(e.desc & 0x0000FFFFFFFFF000ull, ns);
    ASSERT_EQ(call(RMI_RTT_READ_ENTRY, rd, ipa, 3, 0, 0, out), 0u);
    EXPECT_EQ(out[3], desc); // the host's fields, not the RMM's NS/AF/XN/SH
    EXPECT_EQ(out[4], uint64_t(RMI_RIPAS_EMPTY));
    EXPECT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, ipa, 3, desc),
              code(RMI_ERROR_RTT, 3)); // rtte_state
    env.tlbis.clear();
    ASSERT_EQ(call(RMI_RTT_UNMAP_UNPROTECTED, rd, ipa, 3, 0, 0, out), 0u);
    EXPECT_GT(out[1], ipa);
    EXPECT_FALSE(env.tlbis.empty());
    EXPECT_EQ(entry(ipa, 3).state, RMI_UNASSIGNED);
    EXPECT_EQ(call(RMI_RTT_UNMAP_UNPROTECTED, rd, ipa, 3), code(RMI_ERROR_RTT, 3));
    EXPECT_EQ(call(RMI_RTT_UNMAP_UNPROTECTED, rd, kUnprot + kL1, 3), code(RMI_ERROR_RTT, 1));
}

TEST_F(Rtt, DestroyReturnsTheTableAndLeavesDestroyed)
{
    uint64_t rtt = delegated(), out[8];
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0x4000'0000, 2), 0u);
    EXPECT_EQ(call(RMI_RTT_DESTROY, rd, 0x4000'0000, 1), code(RMI_ERROR_INPUT));  // level_bound
    EXPECT_EQ(call(RMI_RTT_DESTROY, rd, 0x4000'0000, 3), code(RMI_ERROR_RTT, 2)); // rtte_state
    EXPECT_EQ(call(RMI_RTT_DESTROY, rd, 0x8000'0000, 2), code(RMI_ERROR_RTT, 1)); // not TABLE
    ASSERT_EQ(call(RMI_RTT_DESTROY, rd, 0x4000'0000, 2, 0, 0, out), 0u);
    EXPECT_EQ(out[1], rtt);
    EXPECT_EQ(state(rtt), GRANULE_DELEGATED);
    rtt_entry_info e = entry(0x4000'0000, 1);
    EXPECT_EQ(e.state, RMI_UNASSIGNED);
    EXPECT_EQ(e.ripas, RMI_RIPAS_DESTROYED);
    // in the unprotected half: UNASSIGNED_NS again
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, delegated(), kUnprot, 2), 0u);
    ASSERT_EQ(call(RMI_RTT_DESTROY, rd, kUnprot, 2), 0u);
    EXPECT_TRUE(entry(kUnprot, 1).ns);
    // rtt_live: an ASSIGNED_NS entry does not keep an RTT alive, an ASSIGNED one does
    rtts_to(rd, kUnprot, 3);
    ASSERT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, kUnprot, 3, page() | (6ull << 2)), 0u);
    EXPECT_EQ(call(RMI_RTT_DESTROY, rd, kUnprot, 3), 0u);
}

TEST_F(Rtt, FoldUnassignedAndRefusals)
{
    uint64_t rtt = delegated(), out[8];
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, delegated(), 0x4000'0000, 2), 0u);
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0x4020'0000, 3), 0u);
    const uint64_t input = code(RMI_ERROR_INPUT);
    EXPECT_EQ(call(RMI_RTT_FOLD, rd, 0x4020'0000, 1), input); // level_bound (start)
    EXPECT_EQ(call(RMI_RTT_FOLD, rd, 0x4020'1000, 3), input); // ipa_align
    EXPECT_EQ(call(RMI_RTT_FOLD, rd, 1ull << 40, 3), input);  // ipa_bound
    EXPECT_EQ(call(RMI_RTT_FOLD, rd, 0x8000'0000, 3), code(RMI_ERROR_RTT, 1)); // rtt_walk
    EXPECT_EQ(call(RMI_RTT_FOLD, rd, 0x4040'0000, 3), code(RMI_ERROR_RTT, 2)); // rtte_state
    // rtt_homo: one entry differs
    uint64_t data = delegated();
    ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, data, 0x4020'5000), 0u);
    EXPECT_EQ(call(RMI_RTT_FOLD, rd, 0x4020'0000, 3), code(RMI_ERROR_RTT, 3));
    ASSERT_EQ(call(RMI_DATA_DESTROY, rd, 0x4020'5000), 0u); // EMPTY stays EMPTY: all alike again
    ASSERT_EQ(call(RMI_RTT_FOLD, rd, 0x4020'0000, 3, 0, 0, out), 0u);
    EXPECT_EQ(out[1], rtt);
    EXPECT_EQ(state(rtt), GRANULE_DELEGATED);
    rtt_entry_info e = entry(0x4020'0000, 2);
    EXPECT_EQ(e.level, 2);
    EXPECT_EQ(e.state, RMI_UNASSIGNED);
    EXPECT_EQ(e.ripas, RMI_RIPAS_EMPTY);
    // the level-2 RTT is no longer live: it can be destroyed
    EXPECT_EQ(call(RMI_RTT_DESTROY, rd, 0x4000'0000, 2), 0u);
}

TEST_F(Rtt, FoldAssignedPagesIntoABlock)
{
    uint64_t base = 0x4020'0000;
    rtts_to(rd, base, 3);
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, base, base + (2ull << 20)), 0u);
    uint64_t pages = delegated(512); // 2MB, 2MB-aligned
    for (uint64_t i = 0; i < 512; i++)
        ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, pages + i * 0x1000, base + i * 0x1000), 0u);
    uint64_t out[8];
    ASSERT_EQ(call(RMI_RTT_FOLD, rd, base, 3, 0, 0, out), 0u);
    rtt_entry_info e = entry(base, 2);
    EXPECT_EQ(e.level, 2);
    EXPECT_EQ(e.state, RMI_ASSIGNED);
    EXPECT_EQ(e.ripas, RMI_RIPAS_RAM);
    EXPECT_EQ(e.desc & 3, 1u); // a valid block descriptor
    EXPECT_EQ(e.desc & 0x0000FFFFFFFFF000ull, pages);
    // a page of a block cannot be destroyed on its own
    EXPECT_EQ(call(RMI_DATA_DESTROY, rd, base + 0x1000), code(RMI_ERROR_RTT, 2));
    // unfolding it again gives the 512 pages back, still mapped
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, delegated(), base, 3), 0u);
    e = entry(base + 0x5000, 3);
    EXPECT_EQ(e.state, RMI_ASSIGNED);
    EXPECT_EQ(e.desc & 0x0000FFFFFFFFF000ull, pages + 0x5000);
    EXPECT_EQ(call(RMI_DATA_DESTROY, rd, base + 0x5000), 0u);
}

TEST_F(Rtt, FoldNeedsContiguousAlignedPages)
{
    uint64_t base = 0x4020'0000;
    rtts_to(rd, base, 3);
    ASSERT_EQ(call(RMI_RTT_INIT_RIPAS, rd, base, base + (2ull << 20)), 0u);
    uint64_t pages = delegated(512);
    // the same pages in the wrong order: not contiguous
    for (uint64_t i = 0; i < 512; i++)
        ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, pages + (i ^ 1) * 0x1000, base + i * 0x1000),
                  0u);
    EXPECT_EQ(call(RMI_RTT_FOLD, rd, base, 3), code(RMI_ERROR_RTT, 3));
}

TEST_F(Rtt, FoldUnprotectedMappings)
{
    uint64_t base = kUnprot | 0x20'0000, ns = 0x9000'0000; // an NS block the host owns
    rtts_to(rd, base, 3);
    for (uint64_t i = 0; i < 512; i++)
        ASSERT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, base + i * 0x1000, 3,
                       (ns + i * 0x1000) | (6ull << 2) | (3ull << 6)),
                  0u);
    ASSERT_EQ(call(RMI_RTT_FOLD, rd, base, 3), 0u);
    rtt_entry_info e = entry(base, 2);
    EXPECT_EQ(e.level, 2);
    EXPECT_TRUE(e.ns);
    EXPECT_EQ(e.state, RMI_ASSIGNED);
    EXPECT_EQ(e.desc >> 55 & 1, 1u);
    EXPECT_EQ(e.desc & 0x0000FFFFFFFFF000ull, ns);
    EXPECT_EQ(e.desc & (0x3Full << 2), (6ull << 2) | (3ull << 6)); // MemAttr, S2AP: the host's
}

} // namespace
