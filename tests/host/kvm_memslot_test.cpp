// The host's lookup of a realm IPA in its memslot (kvm_memslot_lookup): by the GPA without the
// stolen bit, the VMM's page for the shared backing (there from the start), the populated or
// faulted-in granule for the private one, the page's memory attribute choosing between them.
#include "kvm_fixture.hpp"

namespace
{

using namespace hosttest;

constexpr uint64_t kStolen = 1ull << 39; // a 40-bit realm's top IPA bit

struct Memslot : KvmFixture {
    void SetUp() override
    {
        KvmFixture::SetUp();
        uint64_t failed = 0;
        kvm_realm_config c = config(0x1000); // one image page at 0x8000_0000
        ASSERT_EQ(kvm_realm_create(&host, &c, &realm, &failed), 0u) << std::hex << failed;
    }
};

TEST_F(Memslot, EitherAliasOfAPopulatedPageIsItsGranule)
{
    std::vector<RmiCall> data = calls_of(RMI_DATA_CREATE);
    ASSERT_FALSE(data.empty()); /* the last one succeeded (the first found no RTTs) */
    ASSERT_EQ(data.back().out[0], 0u);
    kvm_lookup l{};
    for (uint64_t ipa : {0x8000'0018ull, kStolen | 0x8000'0018ull}) {
        ASSERT_TRUE(kvm_memslot_lookup(&realm, ipa, KVM_BACKING_BY_ATTRIBUTE, &l))
            << std::hex << ipa;
        EXPECT_EQ(l.gpa, 0x8000'0018u);
        EXPECT_EQ(l.pa, data.back().in[2] + 0x18); // the delegated granule, the offset kept
        EXPECT_FALSE(l.shared);
        EXPECT_FALSE(l.attr_shared);
    }
}

TEST_F(Memslot, TheSharedBackingIsTheVmmsPageFromTheStart)
{
    kvm_lookup l{};
    ASSERT_TRUE(kvm_memslot_lookup(&realm, kStolen | 0x8090'0000, KVM_BACKING_SHARED, &l));
    EXPECT_EQ(l.pa, realm.vmm_ram + 0x90'0000);
    EXPECT_TRUE(l.shared);
    EXPECT_NE(realm.vmm_ram, 0u);
    EXPECT_EQ(realm.n_shared, 0u); // nothing mapped at the unprotected alias yet
}

TEST_F(Memslot, APrivatePageNobodyTouchedHasNoBackingYet)
{
    kvm_lookup l{};
    EXPECT_FALSE(kvm_memslot_lookup(&realm, 0x8090'0000, KVM_BACKING_BY_ATTRIBUTE, &l));
    EXPECT_EQ(l.why, KVM_NOT_POPULATED);
    EXPECT_EQ(l.pa, 0u);
    EXPECT_FALSE(kvm_memslot_lookup(&realm, kStolen | 0x8090'0000, KVM_BACKING_PRIVATE, &l));
    EXPECT_EQ(l.why, KVM_NOT_POPULATED);
}

TEST_F(Memslot, NothingOutsideTheMemslotOrAfterTeardown)
{
    kvm_lookup l{};
    EXPECT_FALSE(kvm_memslot_lookup(&realm, 0x8100'0000, KVM_BACKING_SHARED, &l));
    EXPECT_EQ(l.why, KVM_NO_MEMSLOT);
    EXPECT_EQ(l.gpa, 0x8100'0000u);
    EXPECT_FALSE(kvm_memslot_lookup(&realm, kStolen | 0x7fff'f000, KVM_BACKING_BY_ATTRIBUTE, &l));
    EXPECT_EQ(l.why, KVM_NO_MEMSLOT);
    uint64_t failed = 0;
    ASSERT_EQ(kvm_realm_destroy(&host, &realm, &failed), 0u) << std::hex << failed;
    EXPECT_FALSE(kvm_memslot_lookup(&realm, 0x8000'0000, KVM_BACKING_SHARED, &l));
    EXPECT_EQ(l.why, KVM_NO_MEMSLOT);
}

} // namespace
