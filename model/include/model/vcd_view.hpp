// The VCD trace, a view of the event stream: each record sets the signals that show it, at the
// simulated time of its cycle (the Tracer writes them in time order).
#pragma once

#include <vector>

#include "model/event_stream.hpp"
#include "model/trace_signals.hpp"
#include "model/tracer.hpp"

namespace rmesim
{

class VcdView : public EventObserver
{
  public:
    // Declares every signal on `tracer` (before the simulation starts): per core, the RMM's, the
    // host's and each device's.
    // real_code: a realm runs A64 code, and each core has a `pc` signal for it
    VcdView(Tracer &tracer, sc_core::sc_time period, unsigned cores,
            const std::vector<std::string> &devices, const ValueNamer *step_names,
            bool real_code = false);

    void on_event(const rme_event &e) override;

  private:
    void access(CoreSignals &c, const rme_event &e);
    uint64_t gpc_check(CoreSignals &c, uint64_t from, uint64_t pa, rme_pas pas,
                       const gpc_result &g);
    void call(const rme_event &e);
    sc_core::sc_time at(uint64_t cycle) const { return period_ * double(cycle); }
    Tracer &tracer_;
    uint64_t access_end_ = 0; // the cycle the access being shown ends
    sc_core::sc_time period_;
    std::vector<CoreSignals> cores_;
    RmmSignals rmm_;
    HostSignals host_;
    std::vector<DeviceSignals> devices_;
};

} // namespace rmesim
