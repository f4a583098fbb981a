// A seeded random generator of A64 instruction sequences for the differential test against
// QEMU (user-mode subset: data processing of every kind, loads and stores of every size and
// addressing mode into a buffer, pairs, exclusives, load-acquire/store-release, LSE atomics,
// forward branches, flags, NZCV and TPIDR_EL0 moves, DC ZVA).
//
// Register conventions inside a sequence: X28 holds the buffer's middle and is never written;
// X27 is the base register of memory accesses, set by an ADD/SUB from X28 just before each one
// (so pre/post-index writeback cannot walk out of the buffer); SP is written only by a group
// that saves it in X27 and restores it. Branches
// only target the start of a group (a memory access and its base set-up are one group) or the
// end of the sequence, and only forwards, so every sequence ends.
#ifndef TESTS_A64_GEN_HPP
#define TESTS_A64_GEN_HPP

#include <array>
#include <cstdint>
#include <random>
#include <vector>

namespace a64test
{

constexpr unsigned kBufSize = 2048;    // bytes of the data buffer
constexpr unsigned kBaseOffset = 1024; // X28 = buffer + kBaseOffset
constexpr unsigned kSpOffset = 1536;   // SP = buffer + kSpOffset (16-byte aligned)
constexpr unsigned kPoolWords = 16;    // literal pool words just before the body

struct Sequence {
    std::array<uint64_t, 31> regs{}; // X28 is replaced by the buffer's middle
    uint32_t nzcv = 0;
    std::array<uint32_t, kPoolWords> pool{};
    std::vector<uint32_t> body;
};

// Generate one sequence of about `length` instructions.
Sequence generate(std::mt19937_64 &rng, unsigned length);

} // namespace a64test

#endif
