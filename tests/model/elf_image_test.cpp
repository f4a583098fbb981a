// The ELF reader (model/elf_image.hpp): a good image as GNU ld lays out a static AArch64
// executable (two PT_LOADs, text R+X at 0x400000, data R+W with .bss), and a malformed-image
// corpus made from it, one defect each, every one refused with its own message.
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "elf_builder.hpp"
#include "model/elf_image.hpp"

using rmesim::ElfImage;

namespace
{

void put(std::vector<uint8_t> &f, size_t at, uint64_t v, unsigned bytes)
{
    put_le(f, at, v, bytes);
}

// Offsets of the fields the corpus corrupts.
constexpr size_t kPhoff = 64, kPh1 = kPhoff + 56;
constexpr size_t P_TYPE = 0, P_FLAGS = 4, P_OFFSET = 8, P_VADDR = 16, P_MEMSZ = 40;

// 0x20 bytes of text at file offset 0x1000 (vaddr 0x400000, entry 0x400008), 0x10 bytes of
// data at 0x2000 (vaddr 0x411000, memsz 0x10010: .bss).
std::vector<uint8_t> good_image()
{
    std::vector<uint8_t> text(0x20), data(0x10);
    for (unsigned i = 0; i < 0x20; i++)
        text[i] = uint8_t(0xA0 + i);
    for (unsigned i = 0; i < 0x10; i++)
        data[i] = uint8_t(0x10 + i);
    return build_elf(0x400008, {{0x400000, 5, text, 0}, {0x411000, 6, data, 0x10010}});
}

std::string refusal(const std::vector<uint8_t> &f)
{
    ElfImage image;
    std::string error;
    EXPECT_FALSE(rmesim::parse_elf_image("bad.elf", f, image, error));
    return error;
}

} // namespace

TEST(ElfImage, ReadsTheSegmentsOfAGoodImage)
{
    ElfImage image;
    std::string error;
    ASSERT_TRUE(rmesim::parse_elf_image("good.elf", good_image(), image, error)) << error;
    EXPECT_EQ(image.entry, 0x400008u);
    ASSERT_EQ(image.segments.size(), 2u);
    const auto &text = image.segments[0], &data = image.segments[1];
    EXPECT_EQ(text.vaddr, 0x400000u);
    EXPECT_EQ(text.memsz, 0x20u);
    EXPECT_TRUE(text.read && text.exec && !text.write);
    ASSERT_EQ(text.bytes.size(), 0x20u);
    EXPECT_EQ(text.bytes[0], 0xA0);
    EXPECT_EQ(text.bytes[0x1F], 0xBF);
    EXPECT_EQ(data.vaddr, 0x411000u);
    EXPECT_EQ(data.filesz, 0x10u);
    EXPECT_EQ(data.memsz, 0x10010u);
    EXPECT_TRUE(data.read && data.write && !data.exec);
    EXPECT_EQ(data.bytes.size(), 0x10u);
    EXPECT_EQ(data.bytes[0xF], 0x1F);
}

// One defect per case, made from the good image; the message names the file and the problem.
struct BadCase {
    const char *name;
    std::function<void(std::vector<uint8_t> &)> spoil;
    const char *message;
};

class ElfImageBad : public ::testing::TestWithParam<BadCase>
{
};

TEST_P(ElfImageBad, IsRefusedWithItsReason)
{
    std::vector<uint8_t> f = good_image();
    GetParam().spoil(f);
    std::string error = refusal(f);
    EXPECT_EQ(error.rfind("bad.elf: ", 0), 0u) << error;
    EXPECT_NE(error.find(GetParam().message), std::string::npos) << error;
}

const BadCase kBad[] = {
    {"empty", [](auto &f) { f.clear(); }, "not an ELF file"},
    {"not_elf", [](auto &f) { f[1] = 'X'; }, "not an ELF file"},
    {"ident_truncated", [](auto &f) { f.resize(10); }, "truncated ELF header (10 bytes)"},
    {"elf32", [](auto &f) { f[4] = 1; }, "not a 64-bit ELF file (EI_CLASS 1, ELFCLASS32)"},
    {"big_endian", [](auto &f) { f[5] = 2; }, "not little-endian (EI_DATA 2, ELFDATA2MSB)"},
    {"version", [](auto &f) { f[6] = 0; }, "unknown ELF version (EI_VERSION 0)"},
    {"header_truncated", [](auto &f) { f.resize(40); }, "truncated ELF header (40 of 64 bytes)"},
    {"x86_64", [](auto &f) { put(f, 18, 62, 2); }, "not an AArch64 file (e_machine 62"},
    {"shared_object", [](auto &f) { put(f, 16, 3, 2); }, "not an executable (e_type 3, ET_DYN"},
    {"relocatable", [](auto &f) { put(f, 16, 1, 2); }, "not an executable (e_type 1, ET_REL"},
    {"no_program_headers", [](auto &f) { put(f, 56, 0, 2); }, "no program headers"},
    {"pn_xnum", [](auto &f) { put(f, 56, 0xFFFF, 2); }, "PN_XNUM"},
    {"phentsize", [](auto &f) { put(f, 54, 64, 2); }, "program header entries of 64 bytes"},
    {"phdrs_truncated", [](auto &f) { f.resize(kPh1 + 20); }, "truncated program header table"},
    {"phoff_past_end", [](auto &f) { put(f, 32, ~0ull - 8, 8); }, "truncated program header table"},
    {"segment_truncated", [](auto &f) { f.resize(0x2008); },
     "program header 1 (PT_LOAD at 0x411000): truncated segment data"},
    {"segment_offset_past_end", [](auto &f) { put(f, kPhoff + P_OFFSET, ~0ull, 8); },
     "program header 0 (PT_LOAD at 0x400000): truncated segment data"},
    {"filesz_over_memsz", [](auto &f) { put(f, kPh1 + P_MEMSZ, 8, 8); },
     "p_filesz 0x10 is larger than p_memsz 0x8"},
    {"wraps", [](auto &f) { put(f, kPh1 + P_MEMSZ, ~0ull, 8); }, "wraps around the address space"},
    {"overlapping", [](auto &f) { put(f, kPh1 + P_VADDR, 0x400010, 8); },
     "program header 1 (PT_LOAD at 0x400010) overlaps the PT_LOAD at 0x400000"},
    {"no_pt_load",
     [](auto &f) {
         put(f, kPhoff + P_TYPE, 4, 4); /* PT_NOTE */
         put(f, kPh1 + P_TYPE, 4, 4);
     },
     "no PT_LOAD segment"},
    {"interpreter", [](auto &f) { put(f, kPh1 + P_TYPE, 3, 4); }, "PT_INTERP"},
    {"dynamic", [](auto &f) { put(f, kPh1 + P_TYPE, 2, 4); }, "PT_DYNAMIC"},
    {"entry_in_data", [](auto &f) { put(f, 24, 0x411000, 8); },
     "the entry point 0x411000 is in no executable PT_LOAD segment"},
    {"text_not_executable", [](auto &f) { put(f, kPhoff + P_FLAGS, 4, 4); },
     "the entry point 0x400008 is in no executable PT_LOAD segment"},
};

INSTANTIATE_TEST_SUITE_P(Corpus, ElfImageBad, ::testing::ValuesIn(kBad),
                         [](const auto &info) { return std::string(info.param.name); });

TEST(ElfImage, AMissingFileIsRefusedByName)
{
    ElfImage image;
    std::string error;
    EXPECT_FALSE(rmesim::read_elf_image("/nonexistent/prog.elf", image, error));
    EXPECT_EQ(error, "/nonexistent/prog.elf: cannot open: No such file or directory");
}

TEST(ElfImage, ReadsAFileFromDisk)
{
    std::string path = ::testing::TempDir() + "elf_image_test.elf";
    std::vector<uint8_t> f = good_image();
    FILE *out = std::fopen(path.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    ASSERT_EQ(std::fwrite(f.data(), 1, f.size(), out), f.size());
    std::fclose(out);
    ElfImage image;
    std::string error;
    ASSERT_TRUE(rmesim::read_elf_image(path, image, error)) << error;
    EXPECT_EQ(image.segments.size(), 2u);
    f.resize(0x1010); /* cut inside the first segment's data */
    out = std::fopen(path.c_str(), "wb");
    std::fwrite(f.data(), 1, f.size(), out);
    std::fclose(out);
    EXPECT_FALSE(rmesim::read_elf_image(path, image, error));
    EXPECT_EQ(error, path + ": program header 0 (PT_LOAD at 0x400000): truncated segment data "
                            "(0x20 bytes at offset 0x1000, file of 0x1010 bytes)");
    std::remove(path.c_str());
}

// libsystemc, which rmesim_platform links, references sc_main (with C linkage); these tests
// start no simulation.
extern "C" int sc_main(int, char **)
{
    return 0;
}
