// The generated manifest (a64corpus_manifest.h) names files that exist, every program in its
// O2 and O0 builds, and ELF files that follow the loading contract of README.md: ELF64,
// little-endian, AArch64, ET_EXEC, no interpreter, dynamic section or TLS, 4 KiB-aligned
// PT_LOAD segments, no segment both writable and executable, the entry point in an executable
// segment and a .bss (the stack) in the writable one.
#include <gtest/gtest.h>

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "a64corpus_manifest.h"

namespace
{

std::vector<char> read_all(const char *path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Corpus : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        if (A64CORPUS_COUNT == 0)
            GTEST_SKIP() << "no corpus in this build (the cross tools were not found)";
    }
};

TEST_F(Corpus, TheCountIsTheNumberOfEntries)
{
    for (int i = 0; i < A64CORPUS_COUNT; i++)
        EXPECT_NE(a64corpus_programs[i].name, nullptr) << i;
    EXPECT_EQ(a64corpus_programs[A64CORPUS_COUNT].name, nullptr);
}

TEST_F(Corpus, EveryProgramHasAnO2AndAnO0Build)
{
    std::map<std::string, std::set<std::string>> variants;
    for (int i = 0; i < A64CORPUS_COUNT; i++)
        variants[a64corpus_programs[i].name].insert(a64corpus_programs[i].variant);
    EXPECT_GE(variants.size(), 6u);
    for (const auto &[name, set] : variants) {
        EXPECT_TRUE(set.count("O2")) << name;
        EXPECT_TRUE(set.count("O0")) << name;
    }
}

TEST_F(Corpus, EntriesNameTheirFiles)
{
    for (int i = 0; i < A64CORPUS_COUNT; i++) {
        const a64corpus_program &p = a64corpus_programs[i];
        SCOPED_TRACE(std::string(p.name) + "-" + p.variant);
        EXPECT_FALSE(read_all(p.expected_out).empty());
        EXPECT_GE(p.expected_status, 0);
        EXPECT_LE(p.expected_status, 255);
        std::vector<char> listing = read_all(p.listing);
        std::string head =
            std::string(p.name) + "-" + p.variant + ".elf:     file format elf64-littleaarch64";
        std::string text(listing.begin(), listing.end());
        EXPECT_NE(text.find(head), std::string::npos) << "listing " << p.listing;
        EXPECT_NE(text.find("<_start>:"), std::string::npos) << "listing " << p.listing;
    }
}

TEST_F(Corpus, ElfFilesFollowTheLoadingContract)
{
    for (int i = 0; i < A64CORPUS_COUNT; i++) {
        const a64corpus_program &p = a64corpus_programs[i];
        SCOPED_TRACE(p.elf);
        std::vector<char> f = read_all(p.elf);
        ASSERT_GE(f.size(), sizeof(Elf64_Ehdr));
        Elf64_Ehdr eh;
        std::memcpy(&eh, f.data(), sizeof eh);
        ASSERT_EQ(std::memcmp(eh.e_ident, ELFMAG, SELFMAG), 0);
        EXPECT_EQ(eh.e_ident[EI_CLASS], ELFCLASS64);
        EXPECT_EQ(eh.e_ident[EI_DATA], ELFDATA2LSB);
        EXPECT_EQ(eh.e_machine, EM_AARCH64);
        EXPECT_EQ(eh.e_type, ET_EXEC);
        ASSERT_EQ(eh.e_phentsize, sizeof(Elf64_Phdr));
        ASSERT_LE(eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr), f.size());
        bool entry_executable = false, has_bss = false;
        int loads = 0;
        for (unsigned k = 0; k < eh.e_phnum; k++) {
            Elf64_Phdr ph;
            std::memcpy(&ph, f.data() + eh.e_phoff + k * sizeof ph, sizeof ph);
            EXPECT_NE(ph.p_type, PT_INTERP);
            EXPECT_NE(ph.p_type, PT_DYNAMIC);
            EXPECT_NE(ph.p_type, PT_TLS);
            if (ph.p_type != PT_LOAD)
                continue;
            loads++;
            EXPECT_EQ(ph.p_align, 4096u);
            EXPECT_EQ(ph.p_vaddr % 4096, ph.p_offset % 4096);
            EXPECT_LE(ph.p_filesz, ph.p_memsz);
            EXPECT_LE(ph.p_offset + ph.p_filesz, f.size());
            EXPECT_FALSE((ph.p_flags & PF_W) && (ph.p_flags & PF_X)) << "segment " << k;
            if ((ph.p_flags & PF_X) && eh.e_entry >= ph.p_vaddr &&
                eh.e_entry < ph.p_vaddr + ph.p_filesz)
                entry_executable = true;
            if ((ph.p_flags & PF_W) && ph.p_memsz >= ph.p_filesz + 65536)
                has_bss = true;
        }
        EXPECT_EQ(loads, 2);
        EXPECT_TRUE(entry_executable);
        EXPECT_TRUE(has_bss) << "no writable segment with the 64 KiB stack in its .bss";
    }
}

} // namespace
