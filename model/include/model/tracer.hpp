// rmesim's VCD writer. Cores run ahead of the SystemC kernel inside a quantum, so they cannot
// write traced values "now": they record (time, signal, value) and the tracer writes the records
// in time order once the kernel has passed their time (every record is at or after the kernel's
// time when it is made, so a record older than the kernel can no longer arrive). The file
// streams: only the records of the current quantum are held.
//
// Enumerated signals are VCD `string` variables (GTKWave shows the text itself, so names need no
// filter files and survive moving the trace); numeric signals are vectors; a signal with nothing
// to show is idle: `x` for a vector, NONE for an enumeration.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include <systemc>

#include "model/output_file.hpp"

namespace rmesim
{

// Names for the values of an enumerated signal.
using EnumNames = std::vector<std::pair<uint64_t, std::string>>;
// The names of an enumerated signal's values given by a function (the run steps': too many to
// list, StepPlan names them).
using ValueNamer = std::function<std::string(uint64_t)>;

struct TraceOptions {
    std::vector<std::string> signal_filters; // glob patterns on signal paths; empty = all
    bool windowed = false;
    sc_core::sc_time window_start, window_end; // records outside are not written
    std::string step;                          // --trace-step: the window is this step's
    bool fixed_date = false; // a fixed $date, so that two runs give byte-identical files
};

class Tracer
{
  public:
    Tracer() = default;
    ~Tracer();
    Tracer(const Tracer &) = delete;
    Tracer &operator=(const Tracer &) = delete;

    // Trace to this VCD (before signals are declared); start() creates the file once every
    // option has been checked, so that a refused run leaves any earlier trace as it was.
    // Without open(), record() is a cheap no-op.
    void open(const std::string &vcd_path, const TraceOptions &options);
    bool start(std::string &error);
    bool enabled() const { return enabled_; }

    // Declare a signal (after open, before the first record). `path` is hierarchical,
    // dot-separated, e.g. "core0.el". Returns a handle, or -1 if the filters exclude it.
    int declare(const std::string &path, unsigned width, const EnumNames *names = nullptr,
                const std::string &group = "");
    int declare_named(const std::string &path, unsigned width, const ValueNamer *namer,
                      const std::string &group);
    // The --trace-signals patterns that matched no declared signal.
    std::vector<std::string> unmatched_filters() const;

    // Record a value change at absolute time t (t >= sc_time_stamp()), or the signal going idle.
    void record(int signal, sc_core::sc_time t, uint64_t value);
    void record_idle(int signal, sc_core::sc_time t);

    // --trace-step: the step's window, told when it begins and ends.
    void step_began(const char *id, sc_core::sc_time t);
    void step_ended(const char *id, sc_core::sc_time t);

    // Write what is left and close the VCD. False with `error` set when the window never opened
    // (a window after the run's end, a --trace-step that did not run) or the file could not be
    // written.
    bool close(sc_core::sc_time end, std::string &error);
    // The GTKWave save file: every signal in its group, the view on the window (or the run).
    bool write_gtkw(const std::string &gtkw_path, const std::string &vcd_path,
                    sc_core::sc_time span, std::string &error) const;

    uint64_t events() const { return events_; }
    // Records made for a time the kernel had already passed (written at the kernel's time).
    // The platform records before it synchronises, so this stays 0; tests check it.
    uint64_t late_events() const { return late_; }
    // The window the trace shows (after close).
    sc_core::sc_time window_start() const
    {
        return sc_core::sc_time(double(from_ps_), sc_core::SC_PS);
    }
    sc_core::sc_time window_end() const { return sc_core::sc_time(double(to_ps_), sc_core::SC_PS); }

  private:
    struct Signal {
        std::string path, group, id;
        unsigned width;
        const EnumNames *names;
        const ValueNamer *namer = nullptr; // instead of names
        uint64_t value = 0;                // now
        bool idle = true;
        uint64_t written_value = 0; // as the file has it
        bool written_idle = true, dirty = false;
    };
    struct Event {
        uint64_t time_ps, seq;
        int signal;
        uint64_t value;
        bool idle;
        bool operator>(const Event &o) const
        {
            return time_ps != o.time_ps ? time_ps > o.time_ps : seq > o.seq;
        }
    };
    bool wanted(const std::string &path) const;
    void push(int signal, sc_core::sc_time t, uint64_t value, bool idle);
    void flush_before(uint64_t time_ps);
    void apply(const Event &e);
    void write_header();
    // The trace's text goes through one buffer, written out in blocks: a call to fwrite per
    // value cost more than formatting it.
    void put(const char *data, size_t n)
    {
        if (text_used_ + n > kTextBlock) {
            if (n > kTextBlock / 2)
                return put_long(data, n);
            flush_text();
        }
        std::memcpy(text_.get() + text_used_, data, n);
        text_used_ += n;
    }
    void put(const std::string &text) { put(text.data(), text.size()); }
    void put(const char *text) { put(text, std::strlen(text)); }
    void put_long(const char *data, size_t n);
    void flush_text();
    static constexpr size_t kTextBlock = 64 * 1024;
    std::unique_ptr<char[]> text_{new char[kTextBlock]};
    size_t text_used_ = 0;
    void write_value(Signal &s);
    void write_changes(); // the signals changed at written_time_, as they ended it
    void dump_at(uint64_t time_ps);

    std::vector<Signal> signals_;
    std::vector<size_t> dirty_; // signals changed at the time being written
    // Records not yet written: those that arrived in time order in a sorted run (from head_),
    // the others (another core's, from earlier in its quantum) in a heap; written merged in
    // (time, seq) order. One heap of every record cost thousands of instructions per access.
    std::vector<Event> pending_;
    size_t head_ = 0;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> out_of_order_;
    uint64_t min_pending_ps_ = UINT64_MAX;
    OutputFile out_;       // the VCD, renamed into place when closed
    FILE *file_ = nullptr; // out_.file() while it is open
    std::string vcd_path_;
    TraceOptions options_;
    uint64_t from_ps_ = 0, to_ps_ = UINT64_MAX;      // the window; UINT64_MAX from: not yet known
    uint64_t written_time_ = UINT64_MAX, stamp_ = 0; // the time being written; the last #time
    bool enabled_ = false, header_ = false, dumped_ = false, step_seen_ = false, step_done_ = false;
    uint64_t seq_ = 0, events_ = 0, late_ = 0;
};

} // namespace rmesim
