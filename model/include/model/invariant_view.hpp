// `run --check-invariants`: the RMM's security invariants (rmm/invariants.h) checked on the
// platform itself after every step and at the end of the run: the RMM's granule table and
// realms against the GPT in simulated memory (read as EL3 would, from memory, not from any
// cache) and the RTTs as memory holds them; and every NS access that reaches memory, against the
// RMM's granule table. A violation is a failure of the step after which
// it was first seen (exit 1). A step that ends while another core is inside an RMI call is not
// followed by a check: that call's state is half made. docs/security.md.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "model/event_stream.hpp"

extern "C" {
#include "scenario/scenario.h"
}

namespace rmesim
{

class SoftwareStack;
class StepPlan;

class InvariantView : public EventObserver
{
  public:
    InvariantView(SoftwareStack &sw, const scenario &s, const StepPlan &plan,
                  std::vector<std::string> &failures)
        : sw_(sw), s_(s), plan_(plan), failures_(failures)
    {
    }
    void on_event(const rme_event &e) override;
    // after the last step: the state the run leaves
    void finish();
    uint64_t checks() const { return checks_; }
    uint64_t skipped() const { return skipped_; }

  private:
    SoftwareStack &sw_;
    const scenario &s_;
    const StepPlan &plan_;
    std::vector<std::string> &failures_;
    uint64_t checks_ = 0, skipped_ = 0;
    std::set<std::string> reported_;
    void check(const std::string &after);
    void access(const rme_event &e);
    void report(const rme_event &e, const std::string &sentence);
};

} // namespace rmesim
