#include "model/tracer.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include <fstream>
#include <sstream>

namespace rmesim
{

using namespace sc_core;

Tracer::Tracer(sc_module_name name) : sc_module(name)
{
    SC_HAS_PROCESS(Tracer);
    SC_THREAD(replay);
}

Tracer::~Tracer()
{
    if (file_)
        sc_close_vcd_trace_file(file_);
}

bool Tracer::wanted(const std::string &path) const
{
    if (options_.signal_filters.empty())
        return true;
    for (const auto &pattern : options_.signal_filters)
        if (fnmatch(pattern.c_str(), path.c_str(), 0) == 0)
            return true;
    return false;
}

void Tracer::open(const std::string &vcd_path, const TraceOptions &options)
{
    options_ = options;
    vcd_path_ = vcd_path;
    std::string base = vcd_path;
    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
        base.resize(base.size() - 4);
    file_ = sc_create_vcd_trace_file(base.c_str());
    file_->set_time_unit(1, SC_PS);
}

int Tracer::declare(const std::string &path, unsigned width, const EnumNames *names,
                    const std::string &group)
{
    if (!file_ || !wanted(path))
        return -1;
    signals_.push_back({path, group, width, names});
    return int(signals_.size() - 1);
}

void Tracer::record(int signal, sc_time t, uint64_t value)
{
    if (!file_ || signal < 0)
        return;
    if (t < sc_time_stamp()) { /* a caller that synchronised before recording: shown late */
        t = sc_time_stamp();
        late_++;
    }
    if (options_.windowed) {
        if (t > options_.window_end)
            return;
        if (t < options_.window_start) { /* kept as the value the window opens with */
            signals_[size_t(signal)].before_window = value;
            signals_[size_t(signal)].set_before_window = true;
            return;
        }
    }
    queue_.push({uint64_t(t.value()), seq_++, signal, value});
    events_++;
    arrived_.notify(SC_ZERO_TIME);
}

void Tracer::replay()
{
    // sc_trace needs stable addresses: register once the signal set is final (elaboration done).
    for (auto &s : signals_)
        sc_trace(file_, s.value, s.path, int(s.width));
    if (options_.windowed) {
        /* every event before the window has been recorded by the time the kernel reaches it
         * (cores record at or after the kernel's time): the window opens with their values */
        if (options_.window_start > sc_time_stamp())
            wait(options_.window_start - sc_time_stamp());
        for (auto &s : signals_)
            if (s.set_before_window)
                s.value = s.before_window;
    }
    for (;;) {
        if (queue_.empty()) {
            drained_.notify(SC_ZERO_TIME);
            wait(arrived_);
            continue;
        }
        const Event &next = queue_.top();
        sc_time at(double(next.time_ps), SC_PS);
        if (at > sc_time_stamp()) {
            wait(at - sc_time_stamp(), arrived_); // an earlier event may still arrive
            continue;
        }
        while (!queue_.empty() && queue_.top().time_ps <= uint64_t(sc_time_stamp().value())) {
            signals_[queue_.top().signal].value = queue_.top().value;
            queue_.pop();
        }
        wait(SC_ZERO_TIME);
    }
}

void Tracer::drain()
{
    while (file_ && !queue_.empty())
        wait(drained_);
}

void Tracer::close(bool fixed_date)
{
    if (!file_)
        return;
    sc_close_vcd_trace_file(file_);
    file_ = nullptr;
    if (!fixed_date)
        return;
    std::ifstream in(vcd_path_);
    std::stringstream out;
    std::string line;
    bool in_date = false;
    while (std::getline(in, line)) {
        if (line.rfind("$date", 0) == 0) {
            in_date = true;
            out << "$date\n     (fixed for reproducible traces)\n$end\n";
        }
        if (!in_date)
            out << line << '\n';
        if (in_date && line.find("$end") != std::string::npos)
            in_date = false;
    }
    in.close();
    std::ofstream(vcd_path_, std::ios::trunc) << out.str();
}

void Tracer::write_gtkw(const std::string &gtkw_path, const std::string &vcd_path,
                        sc_time span) const
{
    std::ofstream g(gtkw_path, std::ios::trunc);
    // The view: the whole run, or the --trace-window when there is one.
    sc_time from = SC_ZERO_TIME, to = span;
    if (options_.windowed) {
        from = options_.window_start;
        to = std::min(options_.window_end, span);
    }
    // GTKWave's zoom is a power of two; at 1600 pixels wide, zoom 0 shows about 5 ps.
    double ps = std::max((to > from ? to - from : SC_ZERO_TIME).to_seconds() * 1e12, 10.0);
    /* the primary marker at the window's start: GTKWave 3.3.118 (Debian 12) may ignore
     * [timestart] when it sizes its window, and the marker still finds the place */
    char zoom[64];
    std::snprintf(zoom, sizeof zoom, "*%.6f %" PRIu64, -std::log2(ps / 5.0),
                  options_.windowed ? uint64_t(from.to_seconds() * 1e12 + 0.5) : uint64_t(0));
    g << "[dumpfile] \"" << vcd_path << "\"\n[timestart] "
      << uint64_t(from.to_seconds() * 1e12 + 0.5) << "\n[size] 1600 900\n"
      << zoom << "\n[signals_width] 260\n[sst_width] 220\n";
    // One filter file per distinct enumeration, next to the save file.
    // One filter file per (enumeration, width), in first-use order: GTKWave matches the value
    // as it displays it, in hex zero-padded to the signal's width.
    struct Filter {
        const EnumNames *names;
        unsigned width;
        std::string file;
    };
    std::vector<Filter> filters;
    std::string dir = gtkw_path.substr(0, gtkw_path.find_last_of('/') + 1);
    std::string stem = gtkw_path.substr(dir.size());
    if (stem.size() > 5)
        stem.resize(stem.size() - 5);
    std::string group;
    for (const auto &s : signals_) {
        if (s.group != group) {
            if (!group.empty())
                g << "@1000200\n-" << group << "\n";
            group = s.group;
            if (!group.empty())
                g << "@800200\n-" << group << "\n";
        }
        std::string name = "SystemC." + s.path;
        if (s.names) {
            size_t n = 0;
            while (n < filters.size() &&
                   (filters[n].names != s.names || filters[n].width != s.width))
                n++;
            if (n == filters.size()) {
                std::string file = dir + stem + ".filter" + std::to_string(n + 1) + ".txt";
                std::ofstream f(file, std::ios::trunc);
                int digits = int((s.width + 3) / 4);
                for (const auto &[value, text] : *s.names) {
                    char hex[24];
                    std::snprintf(hex, sizeof hex, "%0*llX", digits, (unsigned long long)value);
                    f << hex << ' ' << text << '\n';
                }
                filters.push_back({s.names, s.width, file});
            }
            g << "^" << n + 1 << ' ' << filters[n].file << "\n@2022\n";
        } else {
            g << (s.width == 1 ? "@28\n" : "@22\n");
        }
        g << name << (s.width > 1 ? "[" + std::to_string(s.width - 1) + ":0]" : "") << "\n";
    }
    if (!group.empty())
        g << "@1000200\n-" << group << "\n";
}

} // namespace rmesim
