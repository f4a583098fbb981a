// Tests that need the AArch64 cross tools: skipped when one is missing, unless CI is set (then
// the test fails: scripts/bootstrap installs them).
#ifndef TESTS_A64_TOOLS_HPP
#define TESTS_A64_TOOLS_HPP

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "a64_diff.hpp"

namespace a64test
{
inline bool under_ci()
{
    const char *ci = std::getenv("CI");
    return ci && *ci && std::string(ci) != "false" && std::string(ci) != "0";
}
} // namespace a64test

#define A64_REQUIRE_TOOLS(...)                                                                     \
    do {                                                                                           \
        std::string missing_ = a64test::missing_tools({__VA_ARGS__});                              \
        if (!missing_.empty()) {                                                                   \
            if (a64test::under_ci())                                                               \
                FAIL() << "CI is set and " << missing_ << " is missing (scripts/bootstrap)";       \
            GTEST_SKIP() << missing_ << " not found; scripts/bootstrap installs it";               \
        }                                                                                          \
    } while (0)

#endif
