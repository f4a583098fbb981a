// rmm_check_invariants: a whole realm lifecycle reports nothing at any step, and each kind of
// corruption made on purpose is reported by its sentence.
#include <gmock/gmock.h>

#include "fake_platform.hpp"

namespace
{

using namespace rmmtest;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Invariants : RmmFixture {
    static constexpr uint64_t kIpa = 0x20'0000; // protected
    uint64_t rd = 0, data = 0;
    static std::string hex(uint64_t v)
    {
        char b[24];
        snprintf(b, sizeof b, "%#llx", (unsigned long long)v);
        return b;
    }
    // a realm with one DATA granule at kIpa, mapped through level-3 RTTs
    void realm_with_data()
    {
        rd = new_realm();
        rtts_to(rd, kIpa, 3);
        data = delegated();
        ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd, data, kIpa), 0u);
    }
    // the level-3 RTT entry for ipa
    uint64_t &entry(uint64_t realm, uint64_t ipa)
    {
        rtt_entry_info e{};
        EXPECT_TRUE(rmm_rtt_entry(&r, realm, ipa, 3, &e));
        return env.mem[e.rtt + 8 * ((ipa >> 12) & 511)];
    }
};

TEST_F(Invariants, AWholeLifecycleReportsNothing)
{
    EXPECT_THAT(invariants(), IsEmpty());
    realm_with_data();
    EXPECT_THAT(invariants(), IsEmpty());
    uint64_t src = page();
    env.mem[src] = 42;
    ASSERT_EQ(call(RMI_DATA_CREATE, rd, delegated(), kIpa + 0x1000, src, 1), 0u);
    // no level-3 RTT there yet: the walk stops at level 1
    ASSERT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, 1ull << 39, 3, page()), code(RMI_ERROR_RTT, 1));
    rtts_to(rd, 1ull << 39, 3);
    ASSERT_EQ(call(RMI_RTT_MAP_UNPROTECTED, rd, 1ull << 39, 3, page()), 0u);
    uint64_t rec = delegated();
    ASSERT_EQ(call(RMI_REC_CREATE, rd, rec, rec_params(0)), 0u);
    ASSERT_EQ(call(RMI_REALM_ACTIVATE, rd), 0u);
    EXPECT_THAT(invariants(), IsEmpty());
    // tear down as a host does
    ASSERT_EQ(call(RMI_REC_DESTROY, rec), 0u);
    ASSERT_EQ(call(RMI_DATA_DESTROY, rd, kIpa), 0u);
    ASSERT_EQ(call(RMI_DATA_DESTROY, rd, kIpa + 0x1000), 0u);
    ASSERT_EQ(call(RMI_RTT_UNMAP_UNPROTECTED, rd, 1ull << 39, 3), 0u);
    EXPECT_THAT(invariants(), IsEmpty());
    for (uint64_t ipa : {kIpa, uint64_t(1) << 39})
        for (int l = 3; l >= 2; l--)
            ASSERT_EQ(call(RMI_RTT_DESTROY, rd, ipa & ~((1ull << (12 + 9 * (4 - l))) - 1), l), 0u);
    ASSERT_EQ(call(RMI_REALM_DESTROY, rd), 0u);
    EXPECT_THAT(invariants(), IsEmpty());
    EXPECT_EQ(call(RMI_GRANULE_UNDELEGATE, data), 0u);
    EXPECT_THAT(invariants(), IsEmpty());
}

TEST_F(Invariants, GranuleStateAgainstGpi)
{
    uint64_t pa = delegated();
    env.gpt.erase(pa); // EL3 gave it back to NS behind the RMM's back
    EXPECT_THAT(invariants(), ElementsAre(HasSubstr("is DELEGATED in the RMM but its GPI is ns")));
    env.gpt[pa] = REALM;
    uint64_t ns = page();
    (void)state(ns); // the RMM has a record of it: UNDELEGATED
    env.gpt[ns] = REALM;
    EXPECT_THAT(invariants(),
                ElementsAre(HasSubstr("is UNDELEGATED in the RMM but its GPI is realm")));
    env.gpt[ns] = SECURE;
    EXPECT_THAT(invariants(), ElementsAre(HasSubstr("GPI is secure")));
}

TEST_F(Invariants, RttReferenceCount)
{
    realm_with_data();
    rtt_entry_info e{};
    ASSERT_TRUE(rmm_rtt_entry(&r, rd, kIpa, 3, &e));
    granule_find(&r.granules, e.rtt)->refcount = 2;
    EXPECT_THAT(invariants(), ElementsAre(HasSubstr("has 1 live entries but refcount 2")));
}

TEST_F(Invariants, EntriesInTheWrongHalf)
{
    realm_with_data();
    entry(rd, kIpa + 0x1000) = 1ull << 55; // UNASSIGNED_NS in the protected half
    EXPECT_THAT(invariants(), ElementsAre(HasSubstr("unprotected entry for IPA 0x201000 (RTT")));
    entry(rd, kIpa + 0x1000) = 0;
    EXPECT_THAT(invariants(), IsEmpty());
    // the first level-1 entry of the unprotected half (second starting RTT) made protected
    env.mem[rmm_realm_at(&r, rd)->rtt_base + 0x1000] = 0;
    EXPECT_THAT(invariants(), ElementsAre(HasSubstr("protected entry for IPA 0x8000000000 (RTT")));
}

TEST_F(Invariants, AssignedEntryMustMapItsOwnData)
{
    realm_with_data();
    granule_find(&r.granules, data)->state = GRANULE_DELEGATED;
    EXPECT_THAT(invariants(), ElementsAre(HasSubstr("ASSIGNED entry's granule 0x")));
    granule_find(&r.granules, data)->state = GRANULE_DATA;
    EXPECT_THAT(invariants(), IsEmpty());
    // a second realm whose entry is pointed at the first realm's DATA: held twice, its own by none
    uint64_t rd2 = new_realm(2);
    rtts_to(rd2, kIpa, 3);
    uint64_t data2 = delegated();
    ASSERT_EQ(call(RMI_DATA_CREATE_UNKNOWN, rd2, data2, kIpa), 0u);
    uint64_t &e2 = entry(rd2, kIpa);
    e2 = (e2 & ~0xFFFFFFFFF000ull) | data;
    auto found = invariants();
    // reported in PA order (the host allocates downward)
    EXPECT_THAT(found,
                ElementsAre(HasSubstr("DATA granule " + hex(data2) + " is held by 0 realms"),
                            HasSubstr("DATA granule " + hex(data) + " is held by 2 realms")));
}

TEST_F(Invariants, RecsAndTheirRealm)
{
    rd = new_realm();
    uint64_t rec = delegated();
    ASSERT_EQ(call(RMI_REC_CREATE, rd, rec, rec_params(0)), 0u);
    EXPECT_THAT(invariants(), IsEmpty());
    granule_find(&r.granules, rd)->refcount = 0;
    EXPECT_THAT(invariants(), ElementsAre(HasSubstr("has 1 RECs but refcount 0")));
    granule_find(&r.granules, rd)->refcount = 1;
    rmm_rec *c = rmm_rec_at(&r, rec);
    uint64_t aux0 = c->aux[0];
    granule_find(&r.granules, aux0)->state = GRANULE_DELEGATED;
    EXPECT_THAT(invariants(),
                ElementsAre(HasSubstr("REC aux granule " + hex(aux0) + " is DELEGATED")));
    granule_find(&r.granules, aux0)->state = GRANULE_REC_AUX;
    c->realm = nullptr;
    auto found = invariants();
    EXPECT_EQ(found.size(), 3u + RMI_REC_AUX_GRANULES);
    EXPECT_THAT(found, Contains(HasSubstr("REC " + hex(rec) + " does not belong to a live realm")));
    EXPECT_THAT(found, Contains(HasSubstr("RD " + hex(rd) + " has 0 RECs but refcount 1")));
    EXPECT_THAT(found, Contains(HasSubstr("REC granule " + hex(rec) + " is held by 0 realms")));
    EXPECT_THAT(found, Contains(HasSubstr("REC_AUX granule " + hex(aux0) + " is held by 0")));
}

TEST_F(Invariants, StrayDataAndRmmFaults)
{
    uint64_t pa = delegated();
    granule_find(&r.granules, pa)->state = GRANULE_DATA;
    EXPECT_THAT(invariants(), ElementsAre(HasSubstr("DATA granule " + hex(pa) + " is held by 0")));
    granule_find(&r.granules, pa)->state = GRANULE_DELEGATED;
    r.faulted = true;
    r.fault_pa = pa;
    EXPECT_THAT(invariants(), ElementsAre("the RMM took a fault on its own memory at " + hex(pa)));
}

} // namespace
