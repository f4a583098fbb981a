// A core's L1 data cache as the model needs it: tags only, for timing. Memory stays the one
// functional store (no data is held here), so a hit changes how long an access takes, never
// what it returns. Lines are tagged with their PAS, as RME requires of caches (a line filled
// in one PAS never hits for another). Write-allocate; write-backs and coherence traffic are not
// modelled (docs/timing.md).
#pragma once

#include <cstdint>
#include <vector>

extern "C" {
#include "mem/pas.h"
}

namespace rmesim
{

class L1Cache
{
  public:
    static constexpr unsigned kLineBits = 6; // 64-byte lines

    // lines == 0: no cache
    L1Cache(unsigned lines, unsigned ways);
    bool enabled() const { return sets_ != 0; }
    // Look the line of pa up; on a miss, fill it (evicting the least recently used way).
    bool access(uint64_t pa, rme_pas pas);
    void invalidate_all();
    uint64_t hits() const { return hits_; }
    uint64_t misses() const { return misses_; }

  private:
    struct Way {
        uint64_t tag = ~0ull; // line address << 2 | PAS
        uint64_t used = 0;
    };
    unsigned sets_ = 0, ways_ = 0;
    uint64_t set_mask_ = 0; // sets_ - 1 when sets_ is a power of two (no division), else 0
    std::vector<Way> lines_;
    uint64_t clock_ = 0, hits_ = 0, misses_ = 0;
};

inline bool L1Cache::access(uint64_t pa, rme_pas pas) // on every L1D access: inline
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

} // namespace rmesim
