// Small text helpers the runner's explanations and messages share.
#pragma once

#include <cstdint>
#include <string>

#include "model/json.hpp"

namespace rmesim
{

inline std::string hex(uint64_t v)
{
    return Json::hex_string(v);
}

// printf into a std::string (lines of `explain` and failure messages)
std::string fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

// A count and its noun, agreeing: "1 instruction", "2 instructions", "0 instructions"; `plural`
// when the noun does not take a plain "s" ("access", "accesses").
std::string counted(uint64_t n, const char *noun, const char *plural = nullptr);

} // namespace rmesim
