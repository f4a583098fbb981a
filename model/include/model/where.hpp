// Where a node of a scenario is, for messages: "FILE:LINE:COLUMN", or "--set:N" for a node that
// override N (rmesim --set) brought.
#pragma once

#include <string>

extern "C" {
#include "scenario/scenario.h"
}

namespace rmesim
{

inline std::string where(const scenario &s, scn_pos p)
{
    std::string buf(std::string(s.file).size() + 48, '\0');
    scn_where(s.file, p, buf.data(), buf.size());
    buf.resize(std::char_traits<char>::length(buf.c_str()));
    return buf;
}

} // namespace rmesim
