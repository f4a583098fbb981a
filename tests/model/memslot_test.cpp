// The host's view of realm memory through `{ realm, ipa }`: KVM's memslot indexed by the GPA
// without the stolen bit, each page backed by the VMM's memory (there from the start) or by its
// guest_memfd page (once populated or faulted in), chosen by the page's memory attribute unless
// `backing:` names one. End to end through the rmesim command.
#include <gtest/gtest.h>

#include "run_scenario.hpp"

namespace
{

// The VMM's memory for r0's 16MB memslot is the bottom of the host's pool (DRAM at
// 0x8000_0000): GPA G is backed by host page G.
TEST(Memslot, ASharedPageTheRealmHasNotTouchedIsTheVmmsPage)
{
    Ran r = run_one_realm_scenario(
        "untouched-shared",
        R"(  - { id: share, on: r0.vcpu0, share: { ipa: 0x8090_0000, size: 4K } }
  - id: host-writes
    on: host
    store: { realm: r0, ipa: 0x8090_0000, size: 8, value: 0x77 }
    expect: { result: ok, pa: 0x8090_0000, host_ipa: 0x8090_0000, pas: ns }
  - id: realm-reads
    on: r0.vcpu0
    load: { va: 0xffff_0000_0090_0000, size: 8 }
    expect: { result: ok, value: 0x77, pas: ns, pa: 0x8090_0000 }
expect:
  - { memory: { pa: { realm: r0, ipa: 0x80_8090_0000 } }, value: 0x77 }
  - { gpi: { realm: r0, ipa: 0x8090_0000 }, is: ns }
)");
    EXPECT_EQ(r.status, 0) << r.output;
}

// Either alias names the same memslot page; a private page's private backing is the delegated
// granule, its shared backing (asked for by name) the VMM's page, untouched.
TEST(Memslot, TheStrippedGpaResolvesToTheSamePageFromEitherAlias)
{
    Ran r = run_one_realm_scenario("stripped",
                                   R"(  - id: realm-writes
    on: r0.vcpu0
    store: { va: 0xffff_0000_00a0_0000, size: 8, value: 0x55 }
    expect: { result: ok, pas: realm }
  - id: through-the-shared-alias
    on: host
    load: { realm: r0, ipa: 0x80_80a0_0000, size: 8 }
    expect: { result: gpf, gpi: realm, host_ipa: 0x80a0_0000 }
  - id: the-vmm-page
    on: host
    load: { realm: r0, ipa: 0x80_80a0_0000, size: 8, backing: shared }
    expect: { result: ok, pa: 0x80a0_0000, value: 0 }
expect:
  - { granule: { realm: r0, ipa: 0x80_80a0_0000 }, state: DATA }
  - { granule: { realm: r0, ipa: 0x80a0_0000, backing: private }, state: DATA }
  - { gpi: { realm: r0, ipa: 0x80a0_0000, backing: shared }, is: ns }
)");
    EXPECT_EQ(r.status, 0) << r.output;
}

// A private page the realm shares loses its guest_memfd page (DATA_DESTROY, undelegated): the
// VMM's page backs it; made private again and touched, a new granule does.
TEST(Memslot, APrivatePagesBackingFollowsItsRipasChanges)
{
    Ran r = run_one_realm_scenario(
        "converted",
        R"(  - { id: touch, on: r0.vcpu0, store: { va: 0xffff_0000_00a0_0000, size: 8, value: 0x55 } }
  - { id: share, on: r0.vcpu0, share: { ipa: 0x80a0_0000, size: 4K } }
  - id: now-the-vmm-page
    on: host
    load: { realm: r0, ipa: 0x80a0_0000, size: 8 }
    expect: { result: ok, pa: 0x80a0_0000, pas: ns, gpi: ns }
  - { id: unshare, on: r0.vcpu0, unshare: { ipa: 0x80a0_0000, size: 4K } }
  - { id: touch-again, on: r0.vcpu0, store: { va: 0xffff_0000_00a0_0000, size: 8, value: 0x66 } }
expect:
  - { granule: { realm: r0, ipa: 0x80a0_0000 }, state: DATA }
  - { gpi: { realm: r0, ipa: 0x80_80a0_0000 }, is: realm }
)");
    EXPECT_EQ(r.status, 0) << r.output;

    r = run_one_realm_scenario(
        "converted-gone",
        R"(  - { id: touch, on: r0.vcpu0, store: { va: 0xffff_0000_00a0_0000, size: 8, value: 0x55 } }
  - { id: share, on: r0.vcpu0, share: { ipa: 0x80a0_0000, size: 4K } }
  - { id: gone, on: host, load: { realm: r0, ipa: 0x80a0_0000, size: 8, backing: private } }
)");
    EXPECT_TRUE(errored_with(r,
                             ":11:27: step 'gone': nothing backs IPA 0x80a00000 of realm 'r0' in "
                             "the host's memslot: the page is shared and guest_memfd holds no "
                             "private page for GPA 0x80a00000"));
}

TEST(Memslot, NothingBacksAPrivatePageTheRealmHasNotTouched)
{
    Ran r = run_one_realm_scenario("untouched-private", R"(  - id: s
    on: host
    load: { realm: r0, ipa: 0x80_80f0_0000, size: 8 }
expect:
  - { gpi: { realm: r0, ipa: 0x80e0_0000 }, is: realm }
)");
    EXPECT_TRUE(
        errored_with(r, ":11:5: step 's': nothing backs IPA 0x8080f00000 of realm 'r0' in "
                        "the host's memslot: the page is private and guest_memfd has no page "
                        "for GPA 0x80f00000 yet (neither populated nor touched by the realm)"));
    EXPECT_TRUE(errored_with(r,
                             ":13:5: final expectation: nothing backs IPA 0x80e00000 of realm "
                             "'r0' in the host's memslot: the page is private and guest_memfd has "
                             "no page for GPA 0x80e00000 yet"));
}

TEST(Memslot, NothingBacksAGpaOutsideTheMemslot)
{
    Ran r = run_one_realm_scenario("outside", R"(  - id: s
    on: host
    delegate: { realm: r0, ipa: 0x80_9000_0000 }
)");
    EXPECT_TRUE(errored_with(r, ":11:5: step 's': nothing backs IPA 0x8090000000 of realm 'r0' in "
                                "the host's memslot: its GPA 0x90000000 lies outside the memslot "
                                "[0x80000000, 0x81000000)"));
}

// A realm no step built has no memslot; a destroyed one's went with it (KVM's VM is gone).
TEST(Memslot, NothingBacksAnIpaOfARealmNeverBuiltOrDestroyed)
{
    Ran r = run_one_realm_scenario("gone",
                                   R"(  - { id: s, on: host, load: { va: 0x8000_0000, size: 8 } }
expect:
  - { gpi: { realm: r0, ipa: 0x8000_0000 }, is: ns }
)");
    EXPECT_TRUE(failed_with(r,
                            ":11:5: final expectation: nothing backs IPA 0x80000000 of realm 'r0' "
                            "in the host's memslot: the realm was never built"));
    r = run_one_realm_scenario(
        "destroyed",
        R"(  - { id: touch, on: r0.vcpu0, store: { va: 0xffff_0000_00a0_0000, size: 8, value: 1 } }
  - { id: destroy, on: host, destroy: r0 }
expect:
  - { gpi: { realm: r0, ipa: 0x80a0_0000 }, is: ns }
)");
    EXPECT_TRUE(failed_with(r,
                            ":12:5: final expectation: nothing backs IPA 0x80a00000 of realm 'r0' "
                            "in the host's memslot: the realm was destroyed, and its memslot with "
                            "it"));
}

TEST(Memslot, TheRealmCannotBeBuiltWithoutRoomForTheVmmsMemory)
{
    Ran r = run_scenario("no-room", R"(scenario: no-room
platform:
  pa_bits: 40
  memory:
    - { name: dram, base: 0x8000_0000, size: 64M }
realms:
  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, size: 64M } }
steps:
  - { id: s, on: host, load: { realm: r0, ipa: 0x8000_0000, size: 8 } }
)");
    EXPECT_TRUE(errored_with(r,
                             ":7:5: the host could not build realm 'r0': its pool has no room for "
                             "the VMM's 0x4000000 bytes of guest RAM (the memslot's shared "
                             "backing)"));
}

} // namespace
