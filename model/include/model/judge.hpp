// The expectation judge, a view: each step's expectations against the observations its
// STEP_END record carries, and after the run the final expectations against the statistics and
// the machine's state, which it reads through an Inspector (it reaches into nothing else).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/event_stream.hpp"
#include "model/stats_view.hpp"
#include "model/step_plan.hpp"
#include "model/step_result.hpp"

extern "C" {
#include "rmm/rmm.h"
#include "scenario/scenario.h"
}

namespace rmesim
{

// What the final expectations read of the machine when the run is over.
class Inspector
{
  public:
    virtual ~Inspector() = default;
    // The GPI the GPT gives pa now, walked from memory past every cache; false above the PPS.
    virtual bool gpi(uint64_t pa, unsigned &gpi) const = 0;
    virtual bool memory(uint64_t pa, rme_pas pas, unsigned size, uint64_t &value) const = 0;
    // The scenario's realm as the RMM holds it; null when never built (built false) or destroyed.
    virtual const rmm_realm *realm(unsigned index, bool &built) const = 0;
    virtual bool rtt_entry(unsigned realm, uint64_t ipa, int level, rtt_entry_info &e) const = 0;
    virtual const char *device_output(unsigned device) const = 0;
    virtual const granule *granule_at(uint64_t pa) const = 0;
    virtual uint64_t granules_owned() const = 0; // granules the RMM holds (not UNDELEGATED)
    // The simulated memory's own accounting (mem/phys_mem.h): the 4K pages with host storage
    // behind them, and the host bytes it holds (pages and page table).
    virtual uint64_t memory_resident_pages() const = 0;
    virtual uint64_t memory_host_bytes() const = 0;
    // The page behind a realm's IPA in the host's memslot (backing: enum scn_backing); false,
    // saying why, when nothing backs it.
    virtual bool backing_pa(unsigned realm, uint64_t ipa, unsigned backing, uint64_t &pa,
                            std::string &why) const = 0;
    // An RTT or a REC's auxiliary granule of a realm the host built; false, saying why, when
    // there is none (yet).
    virtual bool named_pa(const scn_pa_name &name, uint64_t &pa, std::string &why) const = 0;
};

// "level-2 RTT mapping IPA 0x80000000", "auxiliary granule 1 of REC 0": for messages.
std::string pa_name_text(const scn_pa_name &name);

class Judge : public EventObserver
{
  public:
    // Failures are appended to `failures` as "FILE:LINE:COLUMN: ..." lines.
    Judge(const scenario &s, const StatsView &stats, std::vector<std::string> &failures);

    void on_event(const rme_event &e) override;
    AccessUse access_use() const override { return AccessUse::kIgnores; } // step ends only
    // The final expectations; true when every one held.
    bool finals(const Inspector &state);
    // The failures of each step's expectations, by the step's index (1..).
    const std::map<unsigned, std::vector<std::string>> &step_failures() const { return by_step_; }
    // Whether failures[position] is a step's (rather than a final expectation's or the run's).
    bool is_step_failure(size_t position) const { return step_failure_at_.count(position) > 0; }

  private:
    void step(const scn_step &step, const StepResult &r);
    std::string where(scn_pos p) const;
    const scenario &s_;
    const StatsView &stats_;
    std::vector<std::string> &failures_;
    StepPlan plan_; // the step each index (1..) runs
    std::map<unsigned, std::vector<std::string>> by_step_;
    std::set<size_t> step_failure_at_; // positions in failures_
};

} // namespace rmesim
