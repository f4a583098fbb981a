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

std::string counted(uint64_t n, const char *noun, const char *plural)
{
    std::string text = std::to_string(n) + " ";
    if (n == 1)
        return text + noun;
    return text + (plural ? std::string(plural) : std::string(noun) + "s");
}

} // namespace rmesim
