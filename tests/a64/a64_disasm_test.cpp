// The disassembler against objdump: every word the decoder accepts, from the random sequences
// of the differential test and from the whole 32-bit space.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <unistd.h>

#include "a64_diff.hpp"
#include "a64_disasm_check.hpp"
#include "a64_gen.hpp"
#include "a64_tools.hpp"

extern "C" {
#include "cpu/a64_decode.h"
#include "cpu/a64_disasm.h"
}

namespace
{

void expect_matches(const std::vector<uint32_t> &words)
{
    a64test::DisasmTotals t = a64test::check_disasm(words);
    ASSERT_EQ(t.error, "");
    EXPECT_EQ(t.compared, words.size());
    std::string first;
    for (auto &m : t.first)
        first += "\n  " + m;
    EXPECT_EQ(t.mismatches, 0u) << first;
}

TEST(A64Disasm, GeneratedSequencesMatchObjdump)
{
    A64_REQUIRE_TOOLS("aarch64-linux-gnu-as", "aarch64-linux-gnu-objdump");
    std::mt19937_64 rng(7);
    std::vector<uint32_t> words;
    while (words.size() < 20000) {
        a64test::Sequence s = a64test::generate(rng, 64);
        words.insert(words.end(), s.body.begin(), s.body.end());
    }
    expect_matches(words);
}

TEST(A64Disasm, RandomDecodableWordsMatchObjdump)
{
    A64_REQUIRE_TOOLS("aarch64-linux-gnu-as", "aarch64-linux-gnu-objdump");
    expect_matches(a64test::random_valid_words(11, 100000));
}

TEST(A64Disasm, SystemSpaceMatchesObjdump)
{
    A64_REQUIRE_TOOLS("aarch64-linux-gnu-as", "aarch64-linux-gnu-objdump");
    std::vector<uint32_t> words;
    for (uint32_t k = 0; k < 128; k++) // every hint (CRm:op2)
        words.push_back(0xD503201Fu | (k << 5));
    for (uint32_t k = 0; k < 128; k++) // barriers and CLREX: CRm, op2
        words.push_back(0xD503301Fu | (k << 5));
    for (uint32_t k = 0; k < 1024; k++) // PSTATE: op1, CRm, op2
        words.push_back(0xD500401Fu | ((k >> 7) << 16) | ((k & 0x7F) << 5));
    std::mt19937_64 rng(5);
    for (int k = 0; k < 20000; k++) // the whole system space: L, op0, op1, CRn, CRm, op2, Rt
        words.push_back(0xD5000000u | ((uint32_t)rng() & 0x3FFFFF));
    for (uint32_t enc = 0; enc < 0x8000; enc++) // MRS and MSR of every register the core has
        if (a64_sysreg_name(enc))
            for (uint32_t base : {0xD5300000u, 0xD5100000u})
                words.push_back(base | (enc << 5) | ((uint32_t)rng() & 31));
    for (uint32_t enc = 0; enc < 0x4000; enc++) // every SYS operation it has
        if (a64_sys_op_find(enc))
            for (uint32_t rt : {31u, (uint32_t)rng() & 31})
                words.push_back(0xD5080000u | (enc << 5) | rt);
    for (int k = 0; k < 2000; k++) // exception generation, branches to registers, ERET
        words.push_back((k & 1 ? 0xD4000000u : 0xD6000000u) | ((uint32_t)rng() & 0x1FFFFFF));
    std::vector<uint32_t> valid;
    for (uint32_t w : words)
        if (a64test::comparable(w))
            valid.push_back(w);
    EXPECT_GT(valid.size(), 350u);
    expect_matches(valid);
}

// Code a compiler really emits: tests/a64/disasm_sample.c linked with -mgeneral-regs-only at -O0,
// -O2 and -Os, for Armv8.0 and Armv8.1 (LSE atomics); every instruction must decode and print as
// objdump prints it.
TEST(A64Disasm, CompiledCodeMatchesObjdump)
{
    A64_REQUIRE_TOOLS("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objdump");
    char tmpl[] = "/tmp/rmesim-a64cc-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    std::string dir = tmpl;
    uint64_t compared = 0;
    for (const char *flags : {"-O0 -march=armv8-a", "-O2 -march=armv8-a", "-Os -march=armv8.1-a",
                              "-O2 -march=armv8.1-a"}) {
        // linked (with libgcc's outline atomics), so that calls have their targets
        std::string obj = dir + "/sample";
        std::string cc = std::string("aarch64-linux-gnu-gcc -mgeneral-regs-only -nostdlib ") +
                         "-static -Wl,-e,0 -Wl,--unresolved-symbols=ignore-all " + flags + " -o " +
                         obj + " " + A64_SOURCE_DIR + "/disasm_sample.c -lgcc";
        ASSERT_EQ(std::system(cc.c_str()), 0) << cc;
        a64test::DisasmTotals t = a64test::check_object(obj);
        ASSERT_EQ(t.error, "");
        std::string first;
        for (auto &m : t.first)
            first += "\n  " + m;
        EXPECT_EQ(t.mismatches, 0u) << flags << first;
        compared += t.compared;
    }
    EXPECT_GT(compared, 500u);
    std::filesystem::remove_all(dir);
}

} // namespace
