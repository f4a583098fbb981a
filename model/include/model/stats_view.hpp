// The statistics (--stats FILE and final `stat:` expectations), a view of the event stream:
// accesses by regime from the access records, exceptions by class from the exception records,
// REC exits by reason from the host's, steps from the step records, and each core's and memory
// target's own counters from the records that close the run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/access_stats.hpp"
#include "model/event_stream.hpp"

namespace rmesim
{

class StatsView : public EventObserver
{
  public:
    StatsView(std::string scenario, unsigned clock_mhz, unsigned cores);

    void on_event(const rme_event &e) override;
    AccessUse access_use() const override { return AccessUse::kCounts; }
    AccessStats *access_counts(unsigned core) override { return &cores_[core].accesses; }

    // The names a final `stat:` expectation may use; value() of one of them (after the run).
    static const std::vector<std::string> &names();
    uint64_t value(const std::string &name) const;

    // The JSON of --stats; the run ended at simulated_ns.
    std::string json(double simulated_ns) const;

  private:
    struct PerCore {
        AccessStats accesses;
        uint64_t exceptions = 0;
        std::map<std::string, uint64_t> exceptions_by_class; // EC name, or IRQ
        rme_ev_run_end end{};
        std::vector<uint64_t> cycles_by_software;
    };
    struct Target {
        std::string name;
        bool ram;
        uint64_t accesses, queueing_cycles;
    };
    std::string scenario_;
    unsigned clock_mhz_;
    std::vector<PerCore> cores_;
    std::vector<Target> targets_;
    std::map<uint64_t, uint64_t> rec_exits_; // by RmiRecExit.exit_reason
    uint64_t steps_ = 0;
    std::map<unsigned, uint64_t> step_cycles_; // power-of-two buckets, builds included
};

} // namespace rmesim
