// The differential run: random sequences (a64_gen.hpp) assembled into static AArch64 Linux
// programs, many per program, run under qemu-aarch64 and on rmesim's A64 core at EL0 with flat
// test memory; every general register, SP, NZCV and the buffer are compared.
#ifndef TESTS_A64_DIFF_HPP
#define TESTS_A64_DIFF_HPP

#include <cstdint>
#include <string>

namespace a64test
{

struct DiffTotals {
    uint64_t sequences = 0;
    uint64_t generated = 0; // instructions in the sequences
    uint64_t executed = 0;  // instructions the interpreter executed (branches skip some)
    uint64_t mismatches = 0;
    std::string error;          // a tool failed (assembler, QEMU): no comparison was made
    std::string first_mismatch; // what differed first, with the sequence's words
};

// The cross tools the run needs; an empty string when all are on PATH, else the missing ones.
std::string missing_tools();

// Run `count` sequences of about `length` instructions each from `seed`, `batch` per program.
DiffTotals run_diff(uint64_t seed, uint64_t count, unsigned length, unsigned batch);

} // namespace a64test

#endif
