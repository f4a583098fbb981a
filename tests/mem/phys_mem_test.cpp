#include <gtest/gtest.h>

extern "C" {
#include "mem/phys_mem.h"
}

namespace
{

struct PhysMem : ::testing::Test {
    phys_mem *mem = phys_mem_create();
    ~PhysMem() override { phys_mem_destroy(mem); }
};

TEST_F(PhysMem, HugeRegionCostsNothingUntilTouched)
{
    ASSERT_EQ(phys_mem_add_ram(mem, "dram", 0x80'0000'0000ull, 1ull << 40), PHYS_MEM_OK);
    EXPECT_EQ(phys_mem_resident_pages(mem), 0u);
    uint64_t v = 1;
    EXPECT_EQ(phys_mem_read(mem, 0xFF'0000'0000ull, RME_PAS_NS, 8, &v), MEM_OK);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(phys_mem_resident_pages(mem), 0u); // reads of untouched memory allocate nothing
    EXPECT_EQ(phys_mem_write(mem, 0xFF'0000'0008ull, RME_PAS_NS, 4, 0xdeadbeef), MEM_OK);
    EXPECT_EQ(phys_mem_resident_pages(mem), 1u);
}

TEST_F(PhysMem, LittleEndianAllSizes)
{
    ASSERT_EQ(phys_mem_add_ram(mem, "dram", 0x8000'0000, 1 << 20), PHYS_MEM_OK);
    ASSERT_EQ(phys_mem_write(mem, 0x8000'0000, RME_PAS_NS, 8, 0x1122334455667788ull), MEM_OK);
    uint64_t v;
    ASSERT_EQ(phys_mem_read(mem, 0x8000'0000, RME_PAS_NS, 1, &v), MEM_OK);
    EXPECT_EQ(v, 0x88u);
    ASSERT_EQ(phys_mem_read(mem, 0x8000'0002, RME_PAS_REALM, 2, &v), MEM_OK);
    EXPECT_EQ(v, 0x5566u); // storage is PAS-agnostic: the GPC, not the store, separates worlds
    ASSERT_EQ(phys_mem_read(mem, 0x8000'0004, RME_PAS_NS, 4, &v), MEM_OK);
    EXPECT_EQ(v, 0x11223344u);
    ASSERT_EQ(phys_mem_write(mem, 0x8000'0001, RME_PAS_NS, 2, 0xABCDEF),
              MEM_OK); // truncated to size
    ASSERT_EQ(phys_mem_read(mem, 0x8000'0000, RME_PAS_NS, 8, &v), MEM_OK);
    EXPECT_EQ(v, 0x1122334455CDEF88ull);
    EXPECT_EQ(phys_mem_read(mem, 0x8000'0000, RME_PAS_NS, 3, &v), MEM_EXTERNAL_ABORT);
}

TEST_F(PhysMem, AccessCrossingPagesAndOutsideRam)
{
    ASSERT_EQ(phys_mem_add_ram(mem, "dram", 0x8000'0000, 0x2000), PHYS_MEM_OK);
    ASSERT_EQ(phys_mem_write(mem, 0x8000'0FFC, RME_PAS_NS, 8, 0x0102030405060708ull), MEM_OK);
    uint64_t v;
    ASSERT_EQ(phys_mem_read(mem, 0x8000'0FFC, RME_PAS_NS, 8, &v), MEM_OK);
    EXPECT_EQ(v, 0x0102030405060708ull);
    EXPECT_EQ(phys_mem_resident_pages(mem), 2u);
    EXPECT_EQ(phys_mem_read(mem, 0x8000'1FFC, RME_PAS_NS, 8, &v),
              MEM_EXTERNAL_ABORT); // runs off the end
    EXPECT_EQ(phys_mem_write(mem, 0x7FFF'FFF8, RME_PAS_NS, 8, 1), MEM_EXTERNAL_ABORT);
}

TEST_F(PhysMem, OverlapAndBadRangesRejected)
{
    ASSERT_EQ(phys_mem_add_ram(mem, "a", 0x8000'0000, 0x10'0000), PHYS_MEM_OK);
    EXPECT_EQ(phys_mem_add_ram(mem, "b", 0x800F'F000, 0x1000), PHYS_MEM_OVERLAP);
    EXPECT_EQ(phys_mem_add_ram(mem, "c", 0x7FFF'F000, 0x2000), PHYS_MEM_OVERLAP);
    EXPECT_EQ(phys_mem_add_ram(mem, "d", 0x9000'0000, 0), PHYS_MEM_BAD_RANGE);
    EXPECT_EQ(phys_mem_add_ram(mem, "e", 0x9000'0800, 0x1000), PHYS_MEM_BAD_RANGE);
    EXPECT_EQ(phys_mem_add_ram(mem, "f", 0xFFFF'FFFF'FFFF'F000ull, 0x2000), PHYS_MEM_BAD_RANGE);
    EXPECT_EQ(phys_mem_add_ram(mem, "g", 0x8010'0000, 0x1000), PHYS_MEM_OK); // adjacent is fine
}

struct Recorder {
    uint64_t last_offset = 0, last_value = 0;
    unsigned last_size = 0;
    rme_pas last_pas = RME_PAS_ROOT;
    int writes = 0;
};

bool dev_read(void *dev, uint64_t offset, unsigned, rme_pas, uint64_t *value)
{
    *value = 0x40 + offset;
    (void)dev;
    return offset < 0x100;
}
bool dev_write(void *dev, uint64_t offset, unsigned size, rme_pas pas, uint64_t value)
{
    auto *r = static_cast<Recorder *>(dev);
    r->last_offset = offset;
    r->last_size = size;
    r->last_value = value;
    r->last_pas = pas;
    r->writes++;
    return true;
}

TEST_F(PhysMem, DeviceDispatchGetsOffsetSizeAndPas)
{
    static const mem_device_ops ops = {dev_read, dev_write};
    Recorder rec;
    ASSERT_EQ(phys_mem_add_device(mem, "uart0", 0x10'0000, 0x1000, &ops, &rec), PHYS_MEM_OK);
    ASSERT_EQ(phys_mem_write(mem, 0x10'0000, RME_PAS_NS, 1, 0x48), MEM_OK);
    EXPECT_EQ(rec.writes, 1);
    EXPECT_EQ(rec.last_offset, 0u);
    EXPECT_EQ(rec.last_value, 0x48u);
    EXPECT_EQ(rec.last_size, 1u);
    EXPECT_EQ(rec.last_pas, RME_PAS_NS);
    uint64_t v;
    ASSERT_EQ(phys_mem_read(mem, 0x10'0018, RME_PAS_NS, 4, &v), MEM_OK);
    EXPECT_EQ(v, 0x58u);
    EXPECT_EQ(phys_mem_read(mem, 0x10'0200, RME_PAS_NS, 4, &v),
              MEM_EXTERNAL_ABORT); // device refused
    EXPECT_STREQ(phys_mem_owner(mem, 0x10'0004), "uart0");
    EXPECT_FALSE(phys_mem_is_ram(mem, 0x10'0000, 4));
    EXPECT_FALSE(phys_mem_read_bytes(mem, 0x10'0000, &v, 4)); // bulk copies are RAM only
}

TEST_F(PhysMem, PortChargesLatency)
{
    static const mem_device_ops ops = {dev_read, dev_write};
    Recorder rec;
    ASSERT_EQ(phys_mem_add_ram(mem, "dram", 0x8000'0000, 0x1000), PHYS_MEM_OK);
    ASSERT_EQ(phys_mem_add_device(mem, "uart0", 0x10'0000, 0x1000, &ops, &rec), PHYS_MEM_OK);
    phys_mem_set_latency(mem, 100, 7);
    mem_port port = phys_mem_port(mem);
    uint64_t cycles = 0, v;
    ASSERT_EQ(mem_read(&port, 0x8000'0000, RME_PAS_NS, 8, &v, &cycles), MEM_OK);
    ASSERT_EQ(mem_write(&port, 0x10'0000, RME_PAS_NS, 1, 1, &cycles), MEM_OK);
    EXPECT_EQ(cycles, 107u);
}

TEST_F(PhysMem, ManyPagesSurviveRehash)
{
    ASSERT_EQ(phys_mem_add_ram(mem, "dram", 0, 1ull << 32), PHYS_MEM_OK);
    for (uint64_t i = 0; i < 5000; i++)
        ASSERT_EQ(phys_mem_write(mem, i * 0x1000 * 7, RME_PAS_NS, 8, i + 1), MEM_OK);
    EXPECT_EQ(phys_mem_resident_pages(mem), 5000u);
    for (uint64_t i = 0; i < 5000; i++) {
        uint64_t v;
        ASSERT_EQ(phys_mem_read(mem, i * 0x1000 * 7, RME_PAS_NS, 8, &v), MEM_OK);
        ASSERT_EQ(v, i + 1);
    }
}

} // namespace
