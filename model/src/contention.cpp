#include "model/contention.hpp"

namespace rmesim
{

uint64_t ContentionModel::book(uint64_t arrival, uint32_t occupancy)
{
    requests_++;
    if (occupancy == 0)
        return 0;
    uint64_t index = arrival / bucket_;
    for (;;) {
        uint64_t &used = used_[index];
        // A request larger than a bucket takes a whole empty bucket (and no more).
        if (used == 0 || used + occupancy <= bucket_) {
            uint64_t start = index * bucket_ + used;
            used += occupancy;
            uint64_t delay = start > arrival ? start - arrival : 0;
            total_queueing_ += delay;
            return delay;
        }
        index++;
    }
}

void ContentionModel::retire_before(uint64_t now)
{
    uint64_t limit = now / bucket_;
    used_.erase(used_.begin(), used_.lower_bound(limit));
}

} // namespace rmesim
