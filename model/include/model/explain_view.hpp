// `rmesim explain`, a view of the event stream: each step's story, one line per stage, built
// from its records (the access with its walk and GPC checks, the exception, the RMI calls and
// EL3's GTSI work inside them, REC exits and the host's decisions, the VMM, the guest's boot
// and run), then what the step observed. A realm's build and a guest's boot nest inside the
// step that needs them, as their records do.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/event_stream.hpp"
#include "model/explain_decode.hpp"

namespace rmesim
{

class ExplainView : public EventObserver
{
  public:
    ExplainView(unsigned cores, std::vector<std::string> device_names, ExplainPlatform platform);

    void on_event(const rme_event &e) override;
    // Every step that is over, in order (realm builds included); or those named, in that order:
    // as text, or as one JSON document (--json).
    void print(const std::vector<std::string> &steps, bool json = false) const;

    // Each step id's text, as `print({id})` prints it.
    std::map<std::string, std::string> texts() const;

  private:
    // The story being told on a core: a step, a realm's build inside it, a guest's boot.
    struct Story {
        std::vector<std::string> lines;
        std::vector<std::string> records; // JSON: the accesses and exceptions, decoded
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
    void fetch_lines(Story &s, const rme_access &acc, bool realm) const;
    void access_record(Story &s, const rme_event &e, const char *who) const;
    void esr_record(Story &s, const char *what, unsigned to_el, uint64_t esr, uint64_t far) const;
    void step_access(Story &s, const rme_event &e);
    void guest_access(Story &s, const rme_event &e);
    void rmm_access(Story &s, const rme_event &e);
    void call_return(Story &s, const rme_event &e);
    void gpt_transition(Story &s, const rme_event &e);
    void guest_run(std::vector<Story> &stack, const rme_event &e);
    void step_end(std::vector<Story> &stack, const rme_event &e);

    std::vector<std::vector<Story>> stacks_; // per core
    std::vector<std::string> devices_;
    ExplainPlatform platform_;
    ExplainDecoder decode_;
    struct Told {
        std::string id, text, json;
    };
    std::vector<Told> told_; // each step's story, as text and as a JSON object
};

} // namespace rmesim
