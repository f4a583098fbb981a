#include "model/tracer.hpp"

#include <charconv>

#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>

#include "model/gtkw_writer.hpp"

namespace rmesim
{

using namespace sc_core;

namespace
{
uint64_t ps_of(sc_time t)
{
    return uint64_t(t.value()); // the kernel's resolution is 1 ps (sc_time's default)
}

// VCD identifiers: printable ASCII from '!' to '~', least significant first.
std::string vcd_id(size_t n)
{
    std::string id;
    do {
        id += char('!' + n % 94);
        n /= 94;
    } while (n);
    return id;
}
} // namespace

Tracer::~Tracer() = default; /* an unfinished trace's temporary file goes with out_ */

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
    enabled_ = true;
    if (!options.step.empty())
        from_ps_ = UINT64_MAX; /* opens when the step begins */
    else if (options.windowed) {
        from_ps_ = ps_of(options.window_start);
        to_ps_ = ps_of(options.window_end);
    }
}

bool Tracer::start(std::string &error)
{
    if (!enabled_)
        return true;
    if (!out_.open(vcd_path_, error)) {
        enabled_ = false;
        return false;
    }
    file_ = out_.file();
    /* a VCD streamed to a pipe and cut by a signal ends with a comment that says so */
    out_.set_interrupted_marker("\n$comment rmesim: interrupted, the trace is incomplete $end\n");
    return true;
}

int Tracer::declare(const std::string &path, unsigned width, const EnumNames *names,
                    const std::string &group)
{
    if (!enabled_ || !wanted(path))
        return -1;
    signals_.push_back({path, group, vcd_id(signals_.size()), width, names});
    return int(signals_.size() - 1);
}

int Tracer::declare_named(const std::string &path, unsigned width, const ValueNamer *namer,
                          const std::string &group)
{
    static const EnumNames by_namer; /* a string variable, its text from the namer */
    int signal = declare(path, width, &by_namer, group);
    if (signal >= 0)
        signals_[size_t(signal)].namer = namer;
    return signal;
}

std::vector<std::string> Tracer::unmatched_filters() const
{
    std::vector<std::string> none;
    for (const auto &pattern : options_.signal_filters) {
        bool any = false;
        for (const Signal &s : signals_)
            any |= fnmatch(pattern.c_str(), s.path.c_str(), 0) == 0;
        if (!any)
            none.push_back(pattern);
    }
    return none;
}

void Tracer::push(int signal, sc_time t, uint64_t value, bool idle)
{
    if (!enabled_ || signal < 0) /* records made before start() wait in the queue */
        return;
    sc_time now = sc_time_stamp();
    if (t < now) { /* a caller that synchronised before recording: shown late */
        t = now;
        late_++;
    }
    /* the kernel has passed every record older than now: none older can still arrive. While
     * the traced step runs, its end is not known yet (a parallel: group ends it when its
     * longest step is over): hold its records until it is */
    if (!(step_seen_ && !step_done_))
        flush_before(ps_of(now));
    Event e{ps_of(t), seq_++, signal, value, idle};
    /* in order (a record no older than the last one): appended to the sorted run; else (another
     * core's, from earlier in the quantum) into the heap of late records */
    if (head_ == pending_.size() || e.time_ps >= pending_.back().time_ps)
        pending_.push_back(e);
    else
        out_of_order_.push(e);
    min_pending_ps_ = std::min(min_pending_ps_, e.time_ps);
    events_++;
}

void Tracer::record(int signal, sc_time t, uint64_t value)
{
    push(signal, t, value, false);
}

void Tracer::record_idle(int signal, sc_time t)
{
    push(signal, t, 0, true);
}

void Tracer::step_began(const char *id, sc_time t)
{
    /* records already absorbed are older than the kernel, so older than t; the ones still
     * queued are applied against from_ps_ when their time comes */
    if (enabled_ && !step_seen_ && id && options_.step == id) {
        from_ps_ = ps_of(t);
        step_seen_ = true;
    }
}

void Tracer::step_ended(const char *id, sc_time t)
{
    if (enabled_ && step_seen_ && !step_done_ && id && options_.step == id) {
        to_ps_ = ps_of(t);
        step_done_ = true;
    }
}

void Tracer::flush_before(uint64_t time_ps)
{
    if (!file_ || min_pending_ps_ >= time_ps)
        return;
    /* merge the sorted run and the heap in (time, seq) order */
    for (;;) {
        bool from_run = head_ < pending_.size(), from_heap = !out_of_order_.empty();
        if (from_run && from_heap)
            from_run = out_of_order_.top() > pending_[head_];
        if (from_run && pending_[head_].time_ps < time_ps) {
            apply(pending_[head_++]);
        } else if (!from_run && from_heap && out_of_order_.top().time_ps < time_ps) {
            apply(out_of_order_.top());
            out_of_order_.pop();
        } else {
            break;
        }
    }
    if (head_ == pending_.size()) {
        pending_.clear();
        head_ = 0;
    } else if (head_ > pending_.size() / 2) {
        pending_.erase(pending_.begin(), pending_.begin() + long(head_));
        head_ = 0;
    }
    min_pending_ps_ = std::min(head_ < pending_.size() ? pending_[head_].time_ps : UINT64_MAX,
                               out_of_order_.empty() ? UINT64_MAX : out_of_order_.top().time_ps);
}

// One record, in time order: before the window it only sets the value the window opens with.
void Tracer::apply(const Event &e)
{
    if (e.time_ps > to_ps_)
        return;
    Signal &s = signals_[size_t(e.signal)];
    if (from_ps_ == UINT64_MAX || e.time_ps <= from_ps_) {
        s.value = e.value;
        s.idle = e.idle;
        return;
    }
    if (!dumped_)
        dump_at(from_ps_);
    if (e.time_ps != written_time_) { /* a value that changed and changed back is no change */
        write_changes();
        written_time_ = e.time_ps;
    }
    s.value = e.value;
    s.idle = e.idle;
    if (!s.dirty) {
        s.dirty = true;
        dirty_.push_back(size_t(e.signal));
    }
}

namespace
{

// The eight binary digits of each byte, most significant first: a value is written a byte at a
// time.
struct ByteBits {
    char bits[256][8];
    constexpr ByteBits() : bits()
    {
        for (int v = 0; v < 256; v++)
            for (int b = 0; b < 8; b++)
                bits[v][b] = char('0' + ((v >> (7 - b)) & 1));
    }
};
constexpr ByteBits kByteBitsTable;
constexpr const char (&kByteBits)[256][8] = kByteBitsTable.bits;

// Formatting by hand: fprintf per value change was most of a trace's cost.
char *put_decimal(char *p, uint64_t v)
{
    return std::to_chars(p, p + 20, v).ptr; /* two digits a step, no division */
}

} // namespace

void Tracer::put_long(const char *data, size_t n)
{
    flush_text();
    if (file_)
        std::fwrite(data, 1, n, file_);
}

void Tracer::flush_text()
{
    if (file_ && text_used_)
        std::fwrite(text_.get(), 1, text_used_, file_);
    text_used_ = 0;
}

void Tracer::write_changes()
{
    bool stamped = false;
    for (size_t i : dirty_) {
        Signal &s = signals_[i];
        s.dirty = false;
        if (s.idle == s.written_idle && (s.idle || s.value == s.written_value))
            continue;
        if (!stamped) {
            char line[24], *p = line;
            *p++ = '#';
            p = put_decimal(p, written_time_);
            *p++ = '\n';
            put(line, size_t(p - line));
        }
        stamped = true;
        stamp_ = written_time_;
        write_value(s);
    }
    dirty_.clear();
}

void Tracer::write_value(Signal &s)
{
    s.written_value = s.value;
    s.written_idle = s.idle;
    if (s.names) {
        const char *text = "NONE";
        size_t n = 4;
        char hex[24];
        std::string named;
        if (!s.idle) {
            if (s.namer) { /* a run step's name, from its index */
                named = (*s.namer)(s.value);
                text = named.data();
                n = named.size();
            } else {
                auto it = std::find_if(s.names->begin(), s.names->end(),
                                       [&](const auto &v) { return v.first == s.value; });
                if (it != s.names->end()) {
                    text = it->second.data();
                    n = it->second.size();
                } else {
                    n = size_t(std::snprintf(hex, sizeof hex, "0x%" PRIx64, s.value));
                    text = hex;
                }
            }
        }
        char line[160];
        if (n + 2 > sizeof line) { /* a long name: a character at a time */
            put("s", 1);
            for (size_t i = 0; i < n; i++) {
                char c = text[i] <= ' ' || text[i] > '~' ? '_' : text[i];
                put(&c, 1);
            }
            put(" ", 1);
        } else {
            line[0] = 's';
            for (size_t i = 0; i < n; i++) /* a VCD value ends at white space */
                line[1 + i] = text[i] <= ' ' || text[i] > '~' ? '_' : text[i];
            line[n + 1] = ' ';
            put(line, n + 2);
        }
        put(s.id.data(), s.id.size());
        put("\n", 1);
        return;
    }
    char line[2 + 64 + 64 + 1], *p = line; /* "b", 64 bits, " ", an id of 64 at most, "\n" */
    if (s.width == 1) {
        *p++ = s.idle ? 'x' : s.value ? '1' : '0';
    } else if (s.idle) {
        *p++ = 'b';
        *p++ = 'x';
        *p++ = ' ';
    } else {
        *p++ = 'b';
        int top = 63 - (s.value ? __builtin_clzll(s.value) : 63);
        for (int b = top; b >= 0 && (b + 1) % 8;
             b--) /* the bits above the whole bytes, one by one */
            *p++ = char('0' + ((s.value >> b) & 1));
        for (int byte = (top + 1) / 8 - 1; byte >= 0; byte--) {
            std::memcpy(p, kByteBits[(s.value >> (8 * byte)) & 0xFF], 8); /* eight at a time */
            p += 8;
        }
        *p++ = ' ';
    }
    if (s.id.size() <= 64) { /* identifiers are a few characters: one copy of the line */
        std::memcpy(p, s.id.data(), s.id.size());
        p += s.id.size();
        *p++ = '\n';
        put(line, size_t(p - line));
        return;
    }
    put(line, size_t(p - line));
    put(s.id.data(), s.id.size());
    put("\n", 1);
}

void Tracer::write_header()
{
    if (options_.fixed_date) {
        put("$date\n    (fixed for reproducible traces)\n$end\n");
    } else {
        char text[64];
        std::time_t now = std::time(nullptr);
        std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
        put(std::string("$date\n    ") + text + "\n$end\n");
    }
    put("$version\n    rmesim\n$end\n$timescale\n    1 ps\n$end\n$scope module rmesim $end\n");
    /* one scope per path prefix ("core0", "rmm", ...), in declaration order */
    std::string scope;
    for (const Signal &s : signals_) {
        size_t dot = s.path.rfind('.');
        std::string prefix = dot == std::string::npos ? "" : s.path.substr(0, dot);
        if (prefix != scope) {
            if (!scope.empty())
                put("$upscope $end\n");
            if (!prefix.empty()) {
                std::string scope_name = prefix;
                for (char &c : scope_name) /* a device's name, as the scenario spells it */
                    if (c <= ' ' || c > '~')
                        c = '_';
                put("$scope module " + scope_name + " $end\n");
            }
            scope = prefix;
        }
        std::string name = s.path.substr(dot == std::string::npos ? 0 : dot + 1);
        if (s.names)
            put("$var string 1 " + s.id + " " + name + " $end\n");
        else
            put("$var wire " + std::to_string(s.width) + " " + s.id + " " + name +
                (s.width > 1 ? " [" + std::to_string(s.width - 1) + ":0]" : "") + " $end\n");
    }
    if (!scope.empty())
        put("$upscope $end\n");
    put("$upscope $end\n$enddefinitions $end\n");
    header_ = true;
}

// The state every signal is in when the window opens.
void Tracer::dump_at(uint64_t time_ps)
{
    if (!header_)
        write_header();
    put("#" + std::to_string(time_ps) + "\n$dumpvars\n");
    for (Signal &s : signals_)
        write_value(s);
    put("$end\n");
    written_time_ = stamp_ = time_ps;
    dumped_ = true;
}

bool Tracer::close(sc_time end, std::string &error)
{
    if (!file_)
        return true;
    flush_before(UINT64_MAX);
    uint64_t end_ps = ps_of(end);
    if (!options_.step.empty() && !step_seen_)
        error = "--trace-step " + options_.step + ": the step did not run";
    else if (!dumped_ && from_ps_ > end_ps)
        error = "--trace-window starts at " + std::to_string(from_ps_ / 1000) +
                " ns, after the run's end at " + std::to_string(end_ps / 1000) + " ns";
    else {
        if (!dumped_)
            dump_at(from_ps_);
        write_changes();
        uint64_t last = std::min(end_ps, to_ps_);
        if (stamp_ > last) /* a record past the window was written: the window would lie */
            error = "internal error: the trace was written to " + std::to_string(stamp_) +
                    " ps, past its window's end at " + std::to_string(last) + " ps";
        if (last > stamp_) /* the trace lasts to the end */
            put("#" + std::to_string(last) + "\n");
        to_ps_ = last;
    }
    flush_text();
    file_ = nullptr;
    if (!error.empty())
        out_.discard(); /* never a half-written trace */
    else
        out_.commit(error);
    return error.empty();
}

bool Tracer::write_gtkw(const std::string &gtkw_path, const std::string &vcd_path, sc_time span,
                        std::string &error) const
{
    GtkwWriter g;
    uint64_t from = from_ps_ == UINT64_MAX ? 0 : from_ps_;
    uint64_t to = std::min(to_ps_, ps_of(span));
    g.view(vcd_path, gtkw_path, from, to > from ? to : from);
    for (const Signal &s : signals_)
        g.signal("rmesim." + s.path, s.group, s.width, s.names != nullptr);
    return g.write(gtkw_path, error);
}

} // namespace rmesim
