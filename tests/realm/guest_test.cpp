// The realm guest's programs: what Linux executes for its boot's RSI calls and for ioremap.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

extern "C" {
#include "realm/guest.h"
#include "rmm/rsi.h"
}

namespace
{

constexpr uint64_t kRam = 0x8000'0000, kRamSize = 16ull << 20;
constexpr uint64_t kOaMask = 0x0000'FFFF'FFFF'F000ull;

struct GuestTest : ::testing::Test {
    guest g{};
    guest_program p{};
    void SetUp() override { start(false); }
    void start(bool ioremap_seed)
    {
        guest_free(&g);
        guest_config cfg{kRam, kRamSize, kRam, 64 * 1024, 0xFFFF'0000'0000'0000ull, ioremap_seed};
        guest_init(&g, &cfg);
    }
    // its tables and MMU, then (in a realm) what RSI_REALM_CONFIG told it
    void boot(bool realm)
    {
        ASSERT_TRUE(guest_boot(&g, &p));
        if (realm)
            guest_realm_config_done(&g, RSI_SUCCESS, 40);
    }
    // the last instruction of the program (of a run of stores, its last store): the leaf entry
    // of a mapping
    guest_op leaf() const { return guest_op_at(&p.ops[p.n - 1], p.ops[p.n - 1].repeat); }
    void TearDown() override
    {
        guest_program_free(&p);
        guest_free(&g);
    }
    std::vector<const guest_op *> smcs() const
    {
        std::vector<const guest_op *> out;
        for (size_t i = 0; i < p.n; i++)
            if (p.ops[i].kind == GOP_SMC)
                out.push_back(&p.ops[i]);
        return out;
    }
};

// The boot's page tables are runs: each new table's 512 clearing stores one op, the linear
// map's leaf entries of a table one op; the instructions they stand for are the same stores,
// one per 8 bytes, with each page's descriptor.
TEST_F(GuestTest, TableClearsAndTheLinearMapAreRunsOfStores)
{
    boot(false);
    std::vector<guest_op> insns;
    for (size_t i = 0; i < p.n; i++)
        for (uint64_t k = 0; k <= p.ops[i].repeat; k++)
            insns.push_back(guest_op_at(&p.ops[i], k));
    ASSERT_EQ(insns.size(), p.insns);
    EXPECT_LT(p.n * 50, p.insns) << "16 MB: 8 tables cleared and 4,096 pages mapped";
    size_t leaves = 0, zeros = 0;
    for (const guest_op &op : insns) {
        if (op.kind != GOP_STORE)
            continue;
        EXPECT_EQ(op.repeat, 0u);
        EXPECT_EQ(op.size, 8u);
        zeros += op.value == 0;
        if ((op.value & 3) == 3 && (op.value & (1ull << 10)) && (op.value & (1ull << 54)))
            leaves++; /* a linear-map page: valid, AF, UXN */
    }
    EXPECT_EQ(leaves, kRamSize / 4096);
    EXPECT_EQ(zeros % 512, 0u) << "whole tables cleared";
    /* the leaf of the RAM's last page: where it is and what it maps */
    auto last_leaf = std::find_if(insns.rbegin(), insns.rend(), [](const guest_op &op) {
        return op.kind == GOP_STORE && (op.value & (1ull << 54));
    });
    ASSERT_NE(last_leaf, insns.rend());
    EXPECT_EQ(last_leaf->value & kOaMask, kRam + kRamSize - 4096);
    EXPECT_EQ(last_leaf->va % 4096, 8u * 511) << "the last entry of its table";
}

// arm64_rsi_init: version, config, then the memory node's RAM made RIPAS RAM without touching
// DESTROYED granules, repeated up to the range's top; a failed call returns early past it all.
TEST_F(GuestTest, RsiInitSetsItsRamToRamAfterTheConfig)
{
    ASSERT_TRUE(guest_boot(&g, &p));
    size_t boot_end = p.n;
    ASSERT_TRUE(guest_rsi_init(&g, &p));
    auto calls = smcs();
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0]->args[0], RSI_VERSION);
    EXPECT_EQ(calls[1]->args[0], RSI_REALM_CONFIG);
    const guest_op &set = *calls[2];
    EXPECT_EQ(set.args[0], RSI_IPA_STATE_SET);
    EXPECT_EQ(set.args[1], kRam);
    EXPECT_EQ(set.args[2], kRam + kRamSize);
    EXPECT_EQ(set.args[3], RSI_RIPAS_RAM);
    EXPECT_EQ(set.args[4], 0u); /* RSI_NO_CHANGE_DESTROYED */
    EXPECT_EQ(set.loop_top, kRam + kRamSize);
    EXPECT_EQ(&set, &p.ops[p.n - 1]);
    /* each CBNZ X0 after a call lands at the program's end */
    unsigned branches = 0;
    for (size_t i = boot_end; i < p.n; i++)
        if (p.ops[i].kind == GOP_CBNZ) {
            branches++;
            EXPECT_EQ(p.ops[i].reg, 0u);
            EXPECT_EQ(i + 1 + p.ops[i].skip, p.n);
        }
    EXPECT_EQ(branches, 2u);
}

TEST_F(GuestTest, RsiInitOutcomeFromTheRegisters)
{
    ASSERT_TRUE(guest_rsi_init(&g, &p));
    uint64_t gprs[31] = {0};
    gprs[0] = 1; /* RSI_VERSION failed: ipa_width never read */
    EXPECT_EQ(guest_rsi_init_done(&g, gprs), GUEST_RSI_ABSENT);
    EXPECT_EQ(g.prot_ns_shared, 0u);
    gprs[0] = RSI_SUCCESS;
    gprs[19] = 40;
    gprs[1] = kRam + kRamSize;
    gprs[2] = RSI_ACCEPT;
    EXPECT_EQ(guest_rsi_init_done(&g, gprs), GUEST_RSI_PRESENT);
    EXPECT_EQ(g.prot_ns_shared, 1ull << 39);
    gprs[1] = kRam + 0x1000; /* the host rejected the rest: Linux panics */
    gprs[2] = RSI_REJECT;
    EXPECT_EQ(guest_rsi_init_done(&g, gprs), GUEST_RSI_PANICKED);
    gprs[2] = RSI_ACCEPT;
    gprs[0] = RSI_ERROR_INPUT;
    EXPECT_EQ(guest_rsi_init_done(&g, gprs), GUEST_RSI_PANICKED);
}

constexpr uint64_t kUart = 0x10'0000, kVa = 0xFFFF'8000'0020'0000ull, kShared = 1ull << 39;
constexpr uint64_t kOa = 0x0000'FFFF'FFFF'F000ull;

// Merged Linux (ioremap_prot): RAM is refused before anything is mapped.
TEST_F(GuestTest, MergedIoremapRefusesRam)
{
    boot(true);
    size_t booted = p.n;
    EXPECT_EQ(guest_ioremap(&g, &p, kRam + 0x10'0000, 0x1000, kVa), GUEST_IOREMAP_REFUSED);
    EXPECT_EQ(p.n, booted);
    EXPECT_EQ(guest_ioremap(&g, &p, kRam + kRamSize, 0x1000, kVa), GUEST_IOREMAP_MAPPED);
}

// ... and a device is probed with RSI_IPA_STATE_GET over its granules; the alias is chosen at
// run time (X20: 0 for protected, PROT_NS_SHARED otherwise) and or-ed into the entry.
TEST_F(GuestTest, MergedIoremapProbesTheRipasBeforeChoosingTheAlias)
{
    boot(true);
    ASSERT_EQ(guest_ioremap(&g, &p, kUart + 0x18, 8, kVa), GUEST_IOREMAP_MAPPED);
    auto calls = smcs();
    ASSERT_EQ(calls.size(), 1u);
    const guest_op &get = *calls[0];
    EXPECT_EQ(get.args[0], RSI_IPA_STATE_GET);
    EXPECT_EQ(get.args[1], kUart);
    EXPECT_EQ(get.args[2], kUart + 0x1000);
    EXPECT_EQ(get.loop_top, kUart + 0x1000);
    EXPECT_EQ(get.loop_x2, 3u); /* RIPAS DEV: the only one that keeps it protected */
    const guest_op &choose = (&get)[1];
    ASSERT_EQ(choose.kind, GOP_CSEL);
    EXPECT_EQ(choose.reg, unsigned(GUEST_IOREMAP_PROT_REG));
    EXPECT_EQ(choose.value, kShared);
    ASSERT_EQ(leaf().kind, GOP_STORE);
    EXPECT_EQ(leaf().value & kOa, kUart);
    EXPECT_EQ(leaf().or_reg, unsigned(GUEST_IOREMAP_PROT_REG));
}

// Before RSI (not a realm) there is no hook: the address as it is, no probe.
TEST_F(GuestTest, MergedIoremapOutsideARealmMapsTheAddress)
{
    boot(false);
    ASSERT_EQ(guest_ioremap(&g, &p, kUart, 0x1000, kVa), GUEST_IOREMAP_MAPPED);
    EXPECT_TRUE(smcs().empty());
    EXPECT_EQ(leaf().value & kOa, kUart);
    EXPECT_EQ(leaf().or_reg, 0u);
}

// The seed patch: no probe, the unprotected alias for everything, RAM included.
TEST_F(GuestTest, SeedIoremapMapsEverythingUnprotected)
{
    start(true);
    boot(true);
    ASSERT_EQ(guest_ioremap(&g, &p, kUart, 0x1000, kVa), GUEST_IOREMAP_MAPPED);
    EXPECT_TRUE(smcs().empty());
    EXPECT_EQ(leaf().value & kOa, kUart | kShared);
    ASSERT_EQ(guest_ioremap(&g, &p, kRam + 0x10'0000, 0x1000, kVa + 0x1000), GUEST_IOREMAP_MAPPED);
    EXPECT_EQ(leaf().value & kOa, (kRam + 0x10'0000) | kShared);
    EXPECT_TRUE(smcs().empty());
}

} // namespace
