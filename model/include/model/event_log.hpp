// The event log (--log FILE), a view of the event stream: one JSON object per line, each naming
// its record in its first field:
//   "record":"access"     every access software makes through the MMU (a step's own, the
//                         guest's, the host's and the RMM's), with what each stage found and
//                         its cycles
//   "record":"call"       every RMI and RSI call (PSCI through RSI included) and every EL3 call
//                         the RMM makes, with its arguments, status and cycles
//   "record":"exception"  every exception taken (aborts, GPC exceptions, SMCs, the IRQ that
//                         ends a realm's run, an SEA the RMM injects), and
//   "record":"eret"       every exception return
//   "record":"step"       each step's summary: every field its expectations can check
// Records are written in the order they happen on the simulated timeline (a step's accesses,
// calls and exceptions, then the step), so two runs give the same file; each is written as it
// finishes, none held back, so a long run's log streams. A filter (--log-filter) drops records.
#pragma once

#include <cstdio>
#include <utility>

#include "model/event_stream.hpp"
#include "model/json.hpp"
#include "model/json_line.hpp"
#include "model/log_filter.hpp"

namespace rmesim
{

class EventLog : public EventObserver
{
  public:
    explicit EventLog(FILE *f, LogFilter filter = {}) : f_(f), filter_(std::move(filter)) {}
    ~EventLog() override;
    // The log is written to `f`, which the caller owns and closes (an OutputFile in a run).
    // false when not every record reached the file.
    bool finish();
    EventLog(const EventLog &) = delete;
    EventLog &operator=(const EventLog &) = delete;

    void on_event(const rme_event &e) override;

  private:
    bool kept(const rme_event &e) const; // by the filter
    // The record's buffer, emptied; written out as one line.
    Json &record();
    void write_line(const Json &j);
    void access(const rme_event &e);
    void call(const rme_event &e);
    void exception(const rme_event &e);
    void eret(const rme_event &e);
    void step(const rme_event &e);
    FILE *f_;
    Json json_;
    JsonLine line_; // the access records
    LogFilter filter_;
};

} // namespace rmesim
