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

} // namespace rmesim
