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

bool L1Cache::access(uint64_t pa, rme_pas pas)
{
    uint64_t line = pa >> kLineBits;
    uint64_t tag = (line << 2) | uint64_t(pas);
    Way *set = &lines_[(set_mask_ ? line & set_mask_ : line % sets_) * ways_];
    Way *victim = set;
    clock_++;
    for (unsigned w = 0; w < ways_; w++) {
        if (set[w].tag == tag) {
            set[w].used = clock_;
            hits_++;
            return true;
        }
        if (set[w].used < victim->used)
            victim = &set[w];
    }
    victim->tag = tag;
    victim->used = clock_;
    misses_++;
    return false;
}

void L1Cache::invalidate_all()
{
    for (auto &w : lines_)
        w = Way{};
}

} // namespace rmesim
