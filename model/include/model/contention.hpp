// Bandwidth-limited targets for a loosely-timed platform.
//
// Cores run ahead of each other by up to a quantum, so requests do not reach a target in time
// order. A "busy until" queue would make the second core's requests wait behind the first
// core's whole quantum. Instead each target books its service time into fixed-size time
// buckets: a request starts after the service already booked in the first bucket around its
// arrival that has room, and its own service fills that bucket and, if longer, the next ones.
// Requests only queue behind work booked near their own time, and the result is
// deterministic. Within a quantum the core that runs first books first.
#pragma once

#include <cstdint>
#include <map>

namespace rmesim
{

class ContentionModel
{
  public:
    // bucket_cycles: the width of one bucket; capacity per bucket equals its width
    // (a target serves one request at a time).
    explicit ContentionModel(uint64_t bucket_cycles = 64) : bucket_(bucket_cycles) {}

    // Book `occupancy` cycles of service for a request arriving at `arrival` (in cycles).
    // Returns the queueing delay in cycles (0 when the target had room).
    uint64_t book(uint64_t arrival, uint32_t occupancy);

    // Forget buckets that end before `now` (they can no longer be booked by anyone).
    void retire_before(uint64_t now);

    uint64_t total_queueing() const { return total_queueing_; }
    uint64_t requests() const { return requests_; }

  private:
    uint64_t bucket_;
    std::map<uint64_t, uint64_t> used_; // bucket index -> cycles booked
    uint64_t total_queueing_ = 0;
    uint64_t requests_ = 0;
};

} // namespace rmesim
