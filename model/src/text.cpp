#include "model/text.hpp"

#include <cstdarg>
#include <cstdio>
#include <vector>

namespace rmesim
{

std::string fmt(const char *f, ...)
{
    va_list ap, again;
    va_start(ap, f);
    va_copy(again, ap);
    int n = vsnprintf(nullptr, 0, f, ap);
    va_end(ap);
    std::vector<char> buf(size_t(n > 0 ? n : 0) + 1);
    vsnprintf(buf.data(), buf.size(), f, again);
    va_end(again);
    return buf.data();
}

} // namespace rmesim
