#include "model/l1_cache.hpp"

namespace rmesim
{

L1Cache::L1Cache(unsigned lines, unsigned ways)
{
    if (lines == 0 || ways == 0 || lines % ways)
        return;
    sets_ = lines / ways;
    ways_ = ways;
    set_mask_ = (sets_ & (sets_ - 1)) == 0 ? sets_ - 1 : 0;
    lines_.resize(lines);
}

void L1Cache::invalidate_all()
{
    for (auto &w : lines_)
        w = Way{};
}

} // namespace rmesim
