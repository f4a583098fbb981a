#include "model/contention.hpp"

namespace rmesim
{

uint64_t ContentionModel::book(uint64_t arrival, uint32_t occupancy)
{
    requests_++;
    if (occupancy == 0)
        return 0;
    // The request starts in the first bucket at or after its arrival that still has room, after
    // the service already booked there, and its service time fills buckets from there on.
    uint64_t index = arrival / bucket_;
    while (used_[index] >= bucket_)
        index++;
    uint64_t start = index * bucket_ + used_[index];
    if (start < arrival)
        start = arrival;
    for (uint64_t left = occupancy; left;) {
        uint64_t &used = used_[index++];
        uint64_t take = bucket_ - used < left ? bucket_ - used : left;
        used += take;
        left -= take;
    }
    uint64_t delay = start - arrival;
    total_queueing_ += delay;
    return delay;
}

void ContentionModel::retire_before(uint64_t now)
{
    uint64_t limit = now / bucket_;
    used_.erase(used_.begin(), used_.lower_bound(limit));
}

} // namespace rmesim
