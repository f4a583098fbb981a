#include <gtest/gtest.h>

extern "C" {
#include "host/vdev.h"
}

namespace
{

struct Pl011 : ::testing::Test {
    vdev *dev = vdev_create(vdev_find_model("PL011"), "uart0");
    ~Pl011() override { vdev_destroy(dev); }
    uint64_t rd(uint64_t off)
    {
        uint64_t v = 0xdead;
        EXPECT_TRUE(vdev_read(dev, off, 4, &v)) << std::hex << off;
        return v;
    }
};

TEST_F(Pl011, ModelIsFoundByNameCaseInsensitively)
{
    ASSERT_NE(dev, nullptr);
    EXPECT_EQ(vdev_find_model("pl011"), dev->model);
    EXPECT_EQ(vdev_find_model("ns16550"), nullptr);
    EXPECT_STREQ(dev->name, "uart0");
}

TEST_F(Pl011, DataRegisterWritesAreEmitted)
{
    EXPECT_TRUE(vdev_write(dev, 0x000, 1, 0x48));
    EXPECT_TRUE(vdev_write(dev, 0x000, 4, 0x169)); // only bits [7:0] are data
    EXPECT_STREQ(vdev_output(dev), "Hi");
    EXPECT_EQ(dev->writes, 2u);
}

TEST_F(Pl011, ResetValuesAProbeReads)
{
    EXPECT_EQ(rd(0x018), 0x90u);  // FR: TXFE | RXFE
    EXPECT_EQ(rd(0x030), 0x300u); // CR: TXE | RXE
    EXPECT_EQ(rd(0x034), 0x12u);  // IFLS
    uint32_t periph = 0, cell = 0;
    for (int i = 0; i < 4; i++) {
        periph |= uint32_t(rd(0xFE0 + 4 * i)) << (8 * i);
        cell |= uint32_t(rd(0xFF0 + 4 * i)) << (8 * i);
    }
    EXPECT_EQ(periph, 0x00141011u); // part 0x011 (PL011), designer 0x41 (Arm)
    EXPECT_EQ(cell, 0xB105F00Du);   // the PrimeCell identification
}

TEST_F(Pl011, ControlAndInterruptRegisters)
{
    EXPECT_TRUE(vdev_write(dev, 0x030, 4, 0x301)); // enable
    EXPECT_EQ(rd(0x030), 0x301u);
    EXPECT_TRUE(vdev_write(dev, 0x038, 4, 0x20)); // unmask TX
    EXPECT_EQ(rd(0x040), 0x20u);                  // MIS = RIS & IMSC
    EXPECT_TRUE(vdev_write(dev, 0x044, 4, 0x20)); // clear
    EXPECT_EQ(rd(0x03C), 0u);
    EXPECT_TRUE(vdev_write(dev, 0x000, 1, 'x')); // sending raises TX again
    EXPECT_EQ(rd(0x03C), 0x20u);
}

TEST_F(Pl011, ReservedAndOutOfRangeOffsetsAreRefused)
{
    uint64_t v;
    EXPECT_FALSE(vdev_read(dev, 0x100, 4, &v));
    EXPECT_FALSE(vdev_write(dev, 0x100, 4, 1));
    EXPECT_FALSE(vdev_read(dev, 0x1000, 4, &v));
}

TEST_F(Pl011, ReachableOnThePhysicalBus)
{
    phys_mem *mem = phys_mem_create();
    ASSERT_EQ(phys_mem_add_device(mem, "uart0", 0x10'0000, 0x1000, &vdev_mem_ops, dev),
              PHYS_MEM_OK);
    EXPECT_EQ(phys_mem_write(mem, 0x10'0000, RME_PAS_NS, 1, 'A'), MEM_OK);
    uint64_t v;
    EXPECT_EQ(phys_mem_read(mem, 0x10'0018, RME_PAS_NS, 4, &v), MEM_OK);
    EXPECT_EQ(v, 0x90u);
    EXPECT_STREQ(vdev_output(dev), "A");
    phys_mem_destroy(mem);
}

} // namespace
