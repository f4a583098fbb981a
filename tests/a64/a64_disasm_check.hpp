// The disassembler compared with aarch64-linux-gnu-objdump -d: words assembled with `.inst`,
// objdump's text (without the " <symbol>" it adds to addresses) against a64_disasm()'s.
#ifndef TESTS_A64_DISASM_CHECK_HPP
#define TESTS_A64_DISASM_CHECK_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace a64test
{

struct DisasmTotals {
    uint64_t compared = 0, mismatches = 0;
    std::string error;
    std::vector<std::string> first; // the first mismatches: "word: objdump | rmesim"
};

DisasmTotals check_disasm(const std::vector<uint32_t> &words);
// Every instruction objdump -d shows in an object file.
DisasmTotals check_object(const std::string &object);
// Every instruction line of a listing objdump -d wrote.
DisasmTotals check_listing(const std::string &listing);

// A word the decoder accepts and whose text objdump and rmesim can agree on (not an MRS/MSR of
// one of the hundreds of system registers objdump names and this core does not have).
bool comparable(uint32_t word);

// Words the decoder accepts, drawn at random from the whole 32-bit space.
std::vector<uint32_t> random_valid_words(uint64_t seed, size_t count);

} // namespace a64test

#endif
