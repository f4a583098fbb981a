// `rmesim explain`, a view of the event stream: each step's story, one line per stage, built
// from its records (the access with its walk and GPC checks, the exception, the RMI calls and
// EL3's GTSI work inside them, REC exits and the host's decisions, the VMM, the guest's boot
// and run), then what the step observed. A realm's build and a guest's boot nest inside the
// step that needs them, as their records do.
#pragma once

#include <string>
#include <vector>

#include "model/event_stream.hpp"

namespace rmesim
{

class ExplainView : public EventObserver
{
  public:
    ExplainView(unsigned cores, std::vector<std::string> device_names);

    void on_event(const rme_event &e) override;
    // Every step that is over, in order (realm builds included); or those named, in that order.
    void print(const std::vector<std::string> &steps) const;

  private:
    // The story being told on a core: a step, a realm's build inside it, a guest's boot.
    struct Story {
        std::vector<std::string> lines;
        bool boot = false;
        std::string realm; // the realm vCPU whose run this is
        unsigned vcpu = 0;
        bool primary_seen = false, primary_explained = false;
        size_t exit_at = 0;      // where the host's line for the REC exit goes
        bool step_fault = false; // the step's own access faulted: its exception is told
        unsigned gtsi_ops = 0;   // the RMM's last GTSI call: EL3's operations, cycles, result
        uint64_t gtsi_cycles = 0;
        int gtsi_rc = 0;
        bool rmm_gpf = false; // the RMM's own access failed during the RMI call
        uint64_t rmm_gpf_pa = 0;
        bool rmm_gpf_found = false;
        unsigned rmm_gpf_gpi = 0;
    };
    void step_access(Story &s, const rme_event &e);
    void guest_access(Story &s, const rme_event &e);
    void rmm_access(Story &s, const rme_event &e);
    void call_return(Story &s, const rme_event &e);
    void gpt_transition(Story &s, const rme_event &e);
    void guest_run(std::vector<Story> &stack, const rme_event &e);
    void step_end(std::vector<Story> &stack, const rme_event &e);

    std::vector<std::vector<Story>> stacks_; // per core
    std::vector<std::string> devices_;
    std::vector<std::pair<std::string, std::string>> told_; // step id, its story
};

} // namespace rmesim
