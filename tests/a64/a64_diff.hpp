// The differential run: random sequences (a64_gen.hpp) assembled into static AArch64 Linux
// programs, many per program, run under qemu-aarch64 and on rmesim's A64 core at EL0 with flat
// test memory; every general register, SP, NZCV and the buffer are compared.
#ifndef TESTS_A64_DIFF_HPP
#define TESTS_A64_DIFF_HPP

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace a64test
{

struct DiffTotals {
    uint64_t sequences = 0;
    uint64_t generated = 0; // instructions in the sequences
    uint64_t executed = 0;  // instructions the interpreter executed (branches skip some)
    uint64_t mismatches = 0;
    std::string error;                // a tool failed (assembler, QEMU): no comparison was made
    std::string first_mismatch;       // what differed first, with the sequence's words
    std::array<uint64_t, 64> by_op{}; // instructions executed by enum a64_op
};

// The name of an enum a64_op value ("ADDSUB_EXT"), for the totals.
const char *op_name(unsigned op);

// The tools of `tools` that are not on PATH ("" when all are).
std::string missing_tools(std::initializer_list<const char *> tools);
// What run_diff needs.
#define A64_DIFF_TOOLS "aarch64-linux-gnu-gcc", "qemu-aarch64"

// Run `count` sequences of about `length` instructions each from `seed`, `batch` per program.
DiffTotals run_diff(uint64_t seed, uint64_t count, unsigned length, unsigned batch);

} // namespace a64test

#endif
