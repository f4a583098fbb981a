// VCD tracing through SystemC's own trace file (sc_trace), without a wait() per access.
//
// Cores run ahead of the kernel inside a quantum, so they cannot write traced values "now".
// They record (time, signal, value) events instead; a replay thread, which never runs ahead of
// the kernel, applies them in time order at their own times, and sc_trace samples them there.
// Every event a core records is at or after the kernel's current time, so nothing arrives late.
#pragma once

#include <cstdint>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include <systemc>

namespace rmesim
{

// Names for the values of an enumerated signal, shown by GTKWave through a translate filter.
using EnumNames = std::vector<std::pair<uint64_t, std::string>>;

struct TraceOptions {
    std::vector<std::string> signal_filters; // glob patterns on signal paths; empty = all
    bool windowed = false;
    sc_core::sc_time window_start, window_end; // events outside are dropped
};

class Tracer : public sc_core::sc_module
{
  public:
    explicit Tracer(sc_core::sc_module_name name);
    ~Tracer() override;

    // Declare a signal (before the simulation starts). `path` is hierarchical, dot-separated,
    // e.g. "core0.el". Returns a handle, or -1 if the filters exclude it.
    int declare(const std::string &path, unsigned width, const EnumNames *names = nullptr,
                const std::string &group = "");

    // Open the VCD (before the simulation starts). Without a call, record() is a cheap no-op.
    void open(const std::string &vcd_path, const TraceOptions &options);
    bool enabled() const { return file_ != nullptr; }

    // Record a value change at absolute time t (t >= sc_time_stamp()).
    void record(int signal, sc_core::sc_time t, uint64_t value);

    // Block the calling thread until every recorded event has been applied.
    void drain();

    // Close the VCD; optionally replace its $date section with a fixed text so that two runs
    // give byte-identical files. Then write the .gtkw save file and its filter files.
    void close(bool fixed_date);
    // `span` is the simulated time the view should fit (the end of the run).
    void write_gtkw(const std::string &gtkw_path, const std::string &vcd_path,
                    sc_core::sc_time span) const;

    uint64_t events() const { return events_; }
    // Events recorded for a time the kernel had already passed (applied at the kernel's time).
    // The platform records before it synchronises, so this stays 0; tests check it.
    uint64_t late_events() const { return late_; }

  private:
    struct Signal {
        std::string path, group;
        unsigned width;
        const EnumNames *names;
        sc_dt::uint64 value = 0;
        bool set_before_window = false; // its last value before --trace-window opens
        sc_dt::uint64 before_window = 0;
    };
    struct Event {
        uint64_t time_ps, seq;
        int signal;
        uint64_t value;
        bool operator>(const Event &o) const
        {
            return time_ps != o.time_ps ? time_ps > o.time_ps : seq > o.seq;
        }
    };
    void replay();
    bool wanted(const std::string &path) const;

    std::vector<Signal> signals_;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> queue_;
    sc_core::sc_event arrived_, drained_;
    sc_core::sc_trace_file *file_ = nullptr;
    std::string vcd_path_;
    TraceOptions options_;
    uint64_t seq_ = 0, events_ = 0, late_ = 0;
};

} // namespace rmesim
