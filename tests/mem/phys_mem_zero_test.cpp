// Sparse stays sparse: zeros written to memory never written, and wiped pages, hold no host
// storage (issue 18); what they read back is still zeros.
#include <gtest/gtest.h>

#include <vector>

extern "C" {
#include "mem/phys_mem.h"
}

namespace
{

constexpr uint64_t kBase = 0x8000'0000;

struct PhysMemZero : ::testing::Test {
    phys_mem *mem = phys_mem_create();
    PhysMemZero() { EXPECT_EQ(phys_mem_add_ram(mem, "dram", kBase, 1ull << 30), PHYS_MEM_OK); }
    ~PhysMemZero() override { phys_mem_destroy(mem); }
    uint64_t read8(uint64_t pa)
    {
        uint64_t v = ~0ull;
        EXPECT_EQ(phys_mem_read(mem, pa, RME_PAS_REALM, 8, &v), MEM_OK);
        return v;
    }
};

TEST_F(PhysMemZero, ZerosWrittenToAnUntouchedPageAllocateNothing)
{
    for (uint64_t off = 0; off < PHYS_PAGE_SIZE; off += 8)
        ASSERT_EQ(phys_mem_write(mem, kBase + off, RME_PAS_REALM, 8, 0), MEM_OK);
    std::vector<uint8_t> zeros(3 * PHYS_PAGE_SIZE, 0);
    ASSERT_TRUE(phys_mem_write_bytes(mem, kBase + 0x10'0000 + 12, zeros.data(), zeros.size()));
    EXPECT_EQ(phys_mem_resident_pages(mem), 0u);
    EXPECT_EQ(read8(kBase + 8), 0u);
    // a value other than zero still allocates the page, and only that page
    ASSERT_EQ(phys_mem_write(mem, kBase + 0x2000, RME_PAS_REALM, 1, 0x5A), MEM_OK);
    EXPECT_EQ(phys_mem_resident_pages(mem), 1u);
    EXPECT_EQ(read8(kBase + 0x2000), 0x5Au);
}

TEST_F(PhysMemZero, ZeroReleasesThePagesAndTheyReadZero)
{
    for (uint64_t p = 0; p < 4; p++)
        ASSERT_EQ(phys_mem_write(mem, kBase + p * PHYS_PAGE_SIZE + 0x18, RME_PAS_REALM, 8,
                                 0x1111 * (p + 1)),
                  MEM_OK);
    ASSERT_EQ(phys_mem_resident_pages(mem), 4u);
    EXPECT_EQ(read8(kBase + PHYS_PAGE_SIZE + 0x18), 0x2222u); // the one-entry cache holds it
    ASSERT_TRUE(phys_mem_zero(mem, kBase + PHYS_PAGE_SIZE, 2 * PHYS_PAGE_SIZE));
    EXPECT_EQ(phys_mem_resident_pages(mem), 2u);
    EXPECT_EQ(read8(kBase + PHYS_PAGE_SIZE + 0x18), 0u);
    EXPECT_EQ(read8(kBase + 2 * PHYS_PAGE_SIZE + 0x18), 0u);
    EXPECT_EQ(read8(kBase + 0x18), 0x1111u); // its neighbours keep their data
    EXPECT_EQ(read8(kBase + 3 * PHYS_PAGE_SIZE + 0x18), 0x4444u);
    // written again, a released page is backed again
    ASSERT_EQ(phys_mem_write(mem, kBase + PHYS_PAGE_SIZE, RME_PAS_REALM, 8, 7), MEM_OK);
    EXPECT_EQ(phys_mem_resident_pages(mem), 3u);
    EXPECT_EQ(read8(kBase + PHYS_PAGE_SIZE), 7u);
}

TEST_F(PhysMemZero, ZeroRefusesWhatIsNotWholePagesOfRam)
{
    ASSERT_EQ(phys_mem_write(mem, kBase, RME_PAS_REALM, 8, 9), MEM_OK);
    EXPECT_FALSE(phys_mem_zero(mem, kBase + 8, PHYS_PAGE_SIZE));            // not aligned
    EXPECT_FALSE(phys_mem_zero(mem, kBase, 100));                           // not whole pages
    EXPECT_FALSE(phys_mem_zero(mem, kBase - PHYS_PAGE_SIZE, 0x2000));       // starts before RAM
    EXPECT_FALSE(phys_mem_zero(mem, kBase + (1ull << 30), PHYS_PAGE_SIZE)); // after it
    EXPECT_EQ(read8(kBase), 9u);
    EXPECT_EQ(phys_mem_resident_pages(mem), 1u);
}

// A page handed out for direct access (TLM-2.0 DMI) is released too, after the hook has told
// its holders; the next access gets new storage.
TEST_F(PhysMemZero, TheReleaseHookHearsOfEachPageFreedBeforeItIs)
{
    std::vector<uint64_t> told;
    phys_mem_on_release(
        mem,
        [](void *ctx, uint64_t pa) { static_cast<std::vector<uint64_t> *>(ctx)->push_back(pa); },
        &told);
    uint8_t *p = phys_mem_page_ptr(mem, kBase + 0x5000);
    ASSERT_NE(p, nullptr);
    p[3] = 0xEE;
    EXPECT_EQ(read8(kBase + 0x5000), 0xEE000000u);
    ASSERT_TRUE(phys_mem_zero(mem, kBase + 0x4000, 3 * PHYS_PAGE_SIZE)); // 0x4000 and 0x6000: none
    EXPECT_EQ(told, std::vector<uint64_t>{kBase + 0x5000});
    EXPECT_EQ(phys_mem_resident_pages(mem), 0u);
    EXPECT_EQ(read8(kBase + 0x5000), 0u);
    EXPECT_EQ(phys_mem_page_if_present(mem, kBase + 0x5000), nullptr);
}

// Pages written and released many times over: the table does not grow without bound and every
// live page keeps its data through the rehashes.
TEST_F(PhysMemZero, ChurnKeepsLivePagesAndItsTableBounded)
{
    for (uint64_t round = 0; round < 20000; round++) {
        uint64_t pa = kBase + (round % 4096) * PHYS_PAGE_SIZE * 3;
        ASSERT_EQ(phys_mem_write(mem, pa, RME_PAS_REALM, 8, round + 1), MEM_OK);
        if (round >= 8) { // keep the last 8 written pages
            uint64_t old = kBase + ((round - 8) % 4096) * PHYS_PAGE_SIZE * 3;
            ASSERT_TRUE(phys_mem_zero(mem, old, PHYS_PAGE_SIZE));
        }
    }
    EXPECT_EQ(phys_mem_resident_pages(mem), 8u);
    for (uint64_t round = 20000 - 8; round < 20000; round++)
        EXPECT_EQ(read8(kBase + (round % 4096) * PHYS_PAGE_SIZE * 3), round + 1);
    // 8 pages, the table at its first size (1024 slots of 24 bytes) and the ranges
    EXPECT_LE(phys_mem_host_bytes(mem), 8 * PHYS_PAGE_SIZE + 1024 * 24 + 8192);
}

} // namespace
