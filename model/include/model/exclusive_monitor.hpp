// The global exclusive monitor of a platform (Arm ARM B2.9.x, "The global monitor"): each PE's
// marked physical block (the Exclusives Reservation Granule, 64 bytes here: CTR_EL0.ERG 4), set
// by a load-exclusive and lost when another observer writes into the block. A store-exclusive
// passes only while its PE's mark holds. The A64 cores' writes clear it (A64Binding); the
// software models' own writes do not (they never share a lock with the realm's code).
#pragma once

#include <cstdint>
#include <vector>

namespace rmesim
{

class GlobalMonitor
{
  public:
    static constexpr uint64_t kGranule = 64;

    explicit GlobalMonitor(unsigned cores) : marks_(cores) {}

    void mark(unsigned core, uint64_t pa) { marks_[core] = {true, pa & ~(kGranule - 1)}; }
    bool holds(unsigned core) const { return marks_[core].valid; }
    void clear(unsigned core) { marks_[core].valid = false; }
    // A write of [pa, pa + size) by `core`: every other PE's mark on those blocks is lost.
    void written(unsigned core, uint64_t pa, unsigned size)
    {
        uint64_t first = pa & ~(kGranule - 1), last = (pa + size - 1) & ~(kGranule - 1);
        for (unsigned c = 0; c < marks_.size(); c++)
            if (c != core && marks_[c].valid && marks_[c].block >= first && marks_[c].block <= last)
                marks_[c].valid = false;
    }

  private:
    struct Mark {
        bool valid = false;
        uint64_t block = 0;
    };
    std::vector<Mark> marks_;
};

} // namespace rmesim
