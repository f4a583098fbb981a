// The per-step results (--results FILE, docs/report.md), a view of the event stream: for each
// step (a realm's build included), its place on the timeline from its STEP_BEGIN and STEP_END
// records, its cost by software from the observations STEP_END carries, and the accesses made
// while it ran from the ACCESS records that name it: cycles by pipeline stage, TLB and GPT
// cache lookups and hits, a latency histogram. One JSON document, the input of `rmesim report`
// and of a sweep's table.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/access_stats.hpp"
#include "model/cost.hpp"
#include "model/event_stream.hpp"

namespace rmesim
{

class ResultsView : public EventObserver
{
  public:
    ResultsView(unsigned cores) : open_(cores) {}

    void on_event(const rme_event &e) override;

    // What the run adds once it is over, beside the records.
    struct Run {
        std::string scenario; // the path as given
        std::map<std::string, std::string> overrides;
        int exit_code = 0;
        unsigned clock_mhz = 0;
        // each step's expectation failures, by the step's index; the rest are the final ones
        std::map<unsigned, std::vector<std::string>> step_failures;
        std::vector<std::string> final_failures;
        // --results-explain: the text `explain --step ID` prints for a step id (null: none)
        const std::map<std::string, std::string> *explain = nullptr;
    };
    std::string json(const Run &run) const;

    // The counts of the accesses made outside any step (none so far: the sums over the steps
    // are the statistics' totals; a test holds them to it).
    AccessStats::Counts outside() const { return outside_.total(); }

  private:
    struct Step {
        std::string id, actor, action;
        unsigned index = 0, core = 0;
        uint64_t start_cycle = 0, cycles = 0;
        std::array<uint64_t, SW_COUNT> cost{};
        AccessStats accesses;
    };
    std::vector<std::vector<Step>> open_; // per core: the step, and a realm's build inside it
    std::vector<Step> done_;              // in the order they ended
    AccessStats outside_;
    uint64_t end_cycle_ = 0;
};

} // namespace rmesim
