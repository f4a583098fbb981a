// The corpus of tests/a64corpus on rmesim's A64 core (built only when that directory's manifest
// target exists): every program, in every build, writes what its expected file (QEMU's output)
// holds and ends with the expected status under the minimal EL1 of a64_elf_run.cpp; every
// instruction line of its objdump -d listing is what a64_disasm() prints.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "a64_disasm_check.hpp"
#include "a64_elf_run.hpp"
#include "a64corpus_manifest.h"

namespace
{

std::string slurp(const char *path)
{
    std::ifstream f(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

TEST(A64Corpus, ProgramsGiveQemusOutput)
{
    if (A64CORPUS_COUNT == 0)
        GTEST_SKIP() << "no corpus: the cross tools are missing (tests/a64corpus says which)";
    uint64_t instructions = 0;
    for (int k = 0; k < A64CORPUS_COUNT; k++) {
        const a64corpus_program &p = a64corpus_programs[k];
        a64test::ElfRun r = a64test::run_elf(p.elf, 200'000'000);
        std::string what = std::string(p.name) + "-" + p.variant;
        ASSERT_EQ(r.error, "") << what;
        EXPECT_EQ(r.out, slurp(p.expected_out)) << what;
        EXPECT_EQ(r.status, p.expected_status) << what << " " << r.fault;
        instructions += r.instructions;
    }
    RecordProperty("instructions", std::to_string(instructions));
}

TEST(A64Corpus, ListingsMatchTheDisassembler)
{
    if (A64CORPUS_COUNT == 0)
        GTEST_SKIP() << "no corpus: the cross tools are missing (tests/a64corpus says which)";
    for (int k = 0; k < A64CORPUS_COUNT; k++) {
        const a64corpus_program &p = a64corpus_programs[k];
        a64test::DisasmTotals t = a64test::check_listing(p.listing);
        ASSERT_EQ(t.error, "") << p.listing;
        std::string first;
        for (auto &m : t.first)
            first += "\n  " + m;
        EXPECT_EQ(t.mismatches, 0u) << p.listing << first;
    }
}

} // namespace
