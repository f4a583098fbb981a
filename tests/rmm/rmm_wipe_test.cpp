// The RMM's wipe through its environment's zero_granule (the platform's DC ZVA of the granule,
// docs/timing.md "The RMM's wipe"): the granule reads back zero, its storage is released, and a
// GPF on the granule fails the command as a GPF on the first of 512 stores did.
#include <gtest/gtest.h>

#include <set>

extern "C" {
#include "mem/phys_mem.h"
#include "rmm/rmi.h"
#include "rmm/rmm.h"
}

namespace
{

constexpr uint64_t kDram = 0x8000'0000, kDramSize = 0x100'0000;

// Memory in a phys_mem, a GPI per granule (absent: NS), EL3 that may lie about a delegation.
struct WipeEnv {
    phys_mem *mem = phys_mem_create();
    std::set<uint64_t> realm;
    bool lying_el3 = false;
    unsigned zeroed = 0; // zero_granule calls that zeroed
    uint64_t cycles = 0;
    WipeEnv() { phys_mem_add_ram(mem, "dram", kDram, kDramSize); }
    ~WipeEnv() { phys_mem_destroy(mem); }
    bool is_realm(uint64_t pa) const { return realm.count(pa & ~0xFFFull) != 0; }
};

rmm_mem_result access(void *ctx, uint64_t pa, rme_pas pas, bool write, uint64_t *value)
{
    auto *e = static_cast<WipeEnv *>(ctx);
    if (e->is_realm(pa) != (pas == RME_PAS_REALM))
        return RMM_MEM_GPF;
    mem_status st = write ? phys_mem_write(e->mem, pa, pas, 8, *value)
                          : phys_mem_read(e->mem, pa, pas, 8, value);
    return st == MEM_OK ? RMM_MEM_OK : RMM_MEM_ABORT;
}
rmm_mem_result zero_granule(void *ctx, uint64_t pa)
{
    auto *e = static_cast<WipeEnv *>(ctx);
    if (!e->is_realm(pa))
        return RMM_MEM_GPF;
    if (!phys_mem_zero(e->mem, pa, 0x1000))
        return RMM_MEM_ABORT;
    e->zeroed++;
    return RMM_MEM_OK;
}
int delegate(void *ctx, uint64_t pa)
{
    auto *e = static_cast<WipeEnv *>(ctx);
    if (e->is_realm(pa))
        return -3;
    if (!e->lying_el3)
        e->realm.insert(pa);
    return 0;
}
int undelegate(void *ctx, uint64_t pa)
{
    auto *e = static_cast<WipeEnv *>(ctx);
    if (!e->is_realm(pa))
        return -3;
    e->realm.erase(pa);
    return 0;
}

struct Wipe : ::testing::Test {
    WipeEnv env;
    rmm r{};
    void SetUp() override
    {
        rmm_env e{&env, access,  delegate, undelegate, 40,          &env.cycles,
                  500,  nullptr, nullptr,  {},         zero_granule};
        pa_range dram{kDram, kDramSize};
        ASSERT_TRUE(rmm_init(&r, &e, &dram, 1));
    }
    void TearDown() override { rmm_fini(&r); }
    uint64_t call(uint64_t fid, uint64_t a1)
    {
        uint64_t in[8] = {fid, a1}, out[8];
        rmm_handle_rmi(&r, in, out);
        return out[0];
    }
    uint64_t read_ns(uint64_t pa)
    {
        uint64_t v = ~0ull;
        EXPECT_EQ(phys_mem_read(env.mem, pa, RME_PAS_NS, 8, &v), MEM_OK);
        return v;
    }
};

TEST_F(Wipe, DelegationZeroesTheGranuleAndReleasesItsStorage)
{
    const uint64_t pa = kDram + 0x7000;
    for (uint64_t off = 0; off < 0x1000; off += 0x200) // the host's data, all over the granule
        ASSERT_EQ(phys_mem_write(env.mem, pa + off, RME_PAS_NS, 8, 0xC0FFEE00 + off), MEM_OK);
    ASSERT_EQ(phys_mem_write(env.mem, pa + 0x1000, RME_PAS_NS, 8, 0x1234), MEM_OK); // next one
    ASSERT_EQ(phys_mem_resident_pages(env.mem), 2u);
    ASSERT_EQ(call(RMI_GRANULE_DELEGATE, pa), rmi_pack(RMI_SUCCESS, 0));
    EXPECT_EQ(env.zeroed, 1u);                       // one operation, not 512 stores
    EXPECT_EQ(phys_mem_resident_pages(env.mem), 1u); // the wiped page holds no host memory
    ASSERT_EQ(call(RMI_GRANULE_UNDELEGATE, pa), rmi_pack(RMI_SUCCESS, 0));
    for (uint64_t off = 0; off < 0x1000; off += 0x200) // what the host finds after it
        EXPECT_EQ(read_ns(pa + off), 0u) << off;
    EXPECT_EQ(read_ns(pa + 0x1000), 0x1234u); // its neighbour untouched
    EXPECT_FALSE(r.faulted);
}

// EL3 said yes but left the granule NS: the wipe's access takes a GPF, the delegation fails
// with the state unchanged, the RMM records the fault at the granule, and nothing is zeroed.
TEST_F(Wipe, AGpfOnTheGranuleFailsTheCommandAndZeroesNothing)
{
    const uint64_t pa = kDram + 0x3000;
    ASSERT_EQ(phys_mem_write(env.mem, pa + 8, RME_PAS_NS, 8, 0x5EC2E7), MEM_OK);
    env.lying_el3 = true;
    EXPECT_EQ(call(RMI_GRANULE_DELEGATE, pa), rmi_pack(RMI_ERROR_INPUT, 0));
    EXPECT_TRUE(r.faulted);
    EXPECT_EQ(r.fault_pa, pa);
    EXPECT_EQ(granule_find(&r.granules, pa)->state, GRANULE_UNDELEGATED);
    EXPECT_EQ(env.zeroed, 0u);
    EXPECT_EQ(read_ns(pa + 8), 0x5EC2E7u);
}

} // namespace
