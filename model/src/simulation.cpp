#include "model/where.hpp"
#include "model/simulation.hpp"

#include "model/gdb_server.hpp"
#include "model/text.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstring>
#include <functional>
#include <new>
#include <set>

namespace rmesim
{

using namespace sc_core;

namespace
{

// A thread that runs the scenario's timeline.
struct Driver : sc_module {
    std::function<void()> body;
    Driver(sc_module_name name, std::function<void()> b) : sc_module(name), body(std::move(b))
    {
        SC_HAS_PROCESS(Driver);
        SC_THREAD(run);
    }
    void run() { body(); }
};

bool actor_supported(const scn_step &st)
{
    if (st.actor.kind == SCN_ACTOR_REALM) {
        switch (st.action.kind) {
        case SCN_ACT_LOAD:
        case SCN_ACT_STORE:
        case SCN_ACT_FETCH:
        case SCN_ACT_MAP:
        case SCN_ACT_IOREMAP:
        case SCN_ACT_SHARE:
        case SCN_ACT_UNSHARE:
        case SCN_ACT_RUN:
            return true;
        case SCN_ACT_TLBI: /* the EL1 operations; the EL2 and EL3 ones are UNDEFINED at EL1 */
            return st.action.tlbi_op <= SCN_TLBI_ASIDE1IS;
        case SCN_ACT_RSI:
            return rmm_rsi_implements(scn_rsi_fid(st.action.command));
        default:
            return false;
        }
    }
    switch (st.action.kind) {
    case SCN_ACT_LOAD:
    case SCN_ACT_STORE:
    case SCN_ACT_FETCH:
        return true;
    case SCN_ACT_GPT_TRANSITION:
    case SCN_ACT_GPT_WRITE:
    case SCN_ACT_DELEGATE:
    case SCN_ACT_UNDELEGATE:
    case SCN_ACT_DESTROY:
    case SCN_ACT_COMPLETE:
        return true;
    case SCN_ACT_RMI: /* the commands the RMM implements so far */
        return rmm_implements(RMI_FID(st.action.command));
    case SCN_ACT_TLBI: /* PA-based operations exist at EL3 only (C5.5.19) */
        return st.actor.kind == SCN_ACTOR_EL3 ||
               (st.actor.kind == SCN_ACTOR_HOST && st.action.tlbi_op < SCN_TLBI_PAALL);
    default:
        return false;
    }
}

void collect_unsupported(const scenario &s, const scn_step *steps, size_t n,
                         std::vector<std::string> &out)
{
    for (size_t i = 0; i < n; i++) {
        const scn_step &st = steps[i];
        if (st.action.kind == SCN_ACT_PARALLEL || st.action.kind == SCN_ACT_REPEAT) {
            collect_unsupported(s, st.action.children, st.action.n_children, out);
            continue;
        }
        if (actor_supported(st))
            continue;
        std::string what = scn_action_name(st.action.kind);
        if (st.action.kind == SCN_ACT_RMI)
            what += std::string(" ") + scn_name_of(&scn_rmi_commands, st.action.command);
        if (st.action.kind == SCN_ACT_RSI)
            what += std::string(" ") + scn_name_of(&scn_rsi_commands, st.action.command);
        if (st.action.kind == SCN_ACT_TLBI)
            what += std::string(" ") + scn_name_of(&scn_tlbi_ops, st.action.tlbi_op);
        const char *actor = st.actor.kind == SCN_ACTOR_HOST  ? "host"
                            : st.actor.kind == SCN_ACTOR_EL3 ? "el3"
                                                             : "a realm vCPU";
        out.push_back(where(s, st.action.pos) + ": '" + what + "' on " + actor +
                      (st.action.kind == SCN_ACT_TLBI && st.actor.kind == SCN_ACTOR_REALM
                           ? " is UNDEFINED at EL1 (a realm vCPU has the EL1 operations only)"
                       : st.action.kind == SCN_ACT_TLBI && st.actor.kind == SCN_ACTOR_HOST
                           ? " is UNDEFINED below EL3 (PA-based TLB maintenance is EL3's)"
                       : st.action.kind == SCN_ACT_RMI || st.action.kind == SCN_ACT_RSI
                           ? " is not yet implemented by the RMM model (docs/rmm.md lists what is)"
                           : " is not yet supported (docs/scenarios.md lists what is)"));
    }
}

} // namespace

std::vector<std::string> Simulation::unsupported(const scenario &s)
{
    std::vector<std::string> out;
    collect_unsupported(s, s.steps, s.n_steps, out);
    return out;
}

Simulation::Simulation(const scenario &s, const RunOptions &options) : s_(s), opt_(options)
{
    sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING); // the kernel's chatter is not output
    period_ = sc_time(1e6 / s.platform.clock_mhz, SC_PS);
}

Simulation::~Simulation()
{
    for (auto &rs : realms_) {
        kvm_realm_free(&rs.kvm);
        guest_free(&rs.g);
    }
}

// The GTKWave save file beside the VCD: out.vcd -> out.gtkw.
std::string Simulation::gtkw_path() const
{
    return opt_.gtkw_path();
}

// ---- platform ------------------------------------------------------------------------------

// The scenario's machine as the platform's plain description.
rme_machine Simulation::machine_of(const scn_platform &p, std::vector<rme_machine_range> &memory,
                                   std::vector<rme_machine_device> &devices)
{
    rme_machine m;
    rme_machine_defaults(&m);
    m.cores = p.cores;
    m.clock_mhz = p.clock_mhz;
    m.quantum = p.quantum;
    m.pa_range = p.pa_range;
    m.feat_gpc2 = p.feat_gpc2;
    m.feat_sel2 = p.feat_sel2;
    for (size_t i = 0; i < p.n_memory; i++)
        memory.push_back({p.memory[i].name, p.memory[i].base, p.memory[i].size});
    for (size_t i = 0; i < p.n_devices; i++)
        devices.push_back(
            {p.devices[i].name, p.devices[i].model, p.devices[i].base, p.devices[i].size});
    m.memory = memory.data();
    m.n_memory = memory.size();
    m.devices = devices.data();
    m.n_devices = devices.size();
    m.tlb_l1 = {p.tlb_l1.entries, p.tlb_l1.ways};
    m.tlb_l2 = {p.tlb_l2.entries, p.tlb_l2.ways};
    m.walk_cache = {p.walk_cache.entries, p.walk_cache.ways};
    m.gpt_cache = {p.gpt_cache.entries, p.gpt_cache.ways};
    m.l1d = {p.l1d.entries, p.l1d.ways};
    std::copy(p.timing, p.timing + TIMING_COUNT, m.timing);
    return m;
}

bool Simulation::build_platform(std::string &error)
{
    const scn_platform &p = s_.platform;
    std::vector<rme_machine_range> memory;
    std::vector<rme_machine_device> devices;
    platform_ = std::make_unique<Platform>(machine_of(p, memory, devices));
    mem_ = platform_->memory();
    sw_ = std::make_unique<SoftwareStack>(*platform_, stream_);
    if (!sw_->build_firmware(s_, opt_.verbose, error))
        return false;
    platform_->complete();

    /* every output can be written, before anything runs; a file that exists is left as it is
     * until the run has something to put in it */
    for (const std::string &path :
         {opt_.vcd_path, opt_.vcd_path.empty() ? std::string() : gtkw_path(), opt_.stats_path,
          opt_.log_path, opt_.results_path})
        if (!path.empty() && !can_write(path, error))
            return false;
    tracer_ = std::make_unique<Tracer>();
    stats_ = std::make_unique<StatsView>(s_.name, p.clock_mhz, p.cores);
    errors_on_core_.assign(p.cores, 0);
    pool_failures_at_step_.assign(p.cores, 0);
    stream_.subscribe(*stats_);
    plan_ = std::make_unique<StepPlan>(s_);
    judge_ = std::make_unique<Judge>(s_, *stats_, failures_);
    stream_.subscribe(*judge_);
    if (opt_.check_invariants) {
        invariants_ = std::make_unique<InvariantView>(*sw_, s_, *plan_, failures_);
        stream_.subscribe(*invariants_);
    }
    if (!opt_.results_path.empty()) {
        results_ = std::make_unique<ResultsView>(p.cores);
        stream_.subscribe(*results_);
    }
    if (!opt_.vcd_path.empty()) {
        TraceOptions to;
        to.signal_filters = opt_.trace_signals;
        to.windowed = opt_.trace_window;
        to.window_start = sc_time(opt_.window_start_ns, SC_NS);
        to.window_end = sc_time(opt_.window_end_ns, SC_NS);
        to.step = opt_.trace_step;
        to.fixed_date = opt_.fixed_date;
        tracer_->open(opt_.vcd_path, to);
    }
    total_steps_ = plan_->total();
    /* the VCD's step signal: the run step's index, shown by its name */
    step_namer_ = [this](uint64_t index) {
        std::string name = "IDLE";
        plan_->at(index, &name);
        return name;
    };
    std::vector<std::string> device_names;
    for (size_t i = 0; i < p.n_devices; i++)
        device_names.push_back(p.devices[i].name);
    bool real_code = false; /* a realm runs A64 code: the cores' PCs are traced */
    for (size_t i = 0; i < s_.n_realms; i++)
        real_code |= s_.realms[i].image_file != nullptr;
    vcd_ = std::make_unique<VcdView>(*tracer_, period_, p.cores, device_names, &step_namer_,
                                     real_code);
    if (tracer_->enabled()) /* an unsubscribed view costs nothing per record */
        stream_.subscribe(*vcd_);
    if (!trace_options_match(error))
        return false;
    if (explaining()) {
        ExplainPlatform clock{p.clock_mhz, unsigned(__builtin_ctzll(p.pgs))};
        explain_ = std::make_unique<ExplainView>(p.cores, device_names, clock);
        stream_.subscribe(*explain_);
    }

    realms_.resize(s_.n_realms);
    for (size_t i = 0; i < s_.n_realms; i++) {
        realms_[i].cfg = &s_.realms[i];
        if (!load_image(realms_[i], error))
            return false;
    }
    if (gdb_) { /* every A64 vCPU is one of its threads, in the scenario's order */
        gdb_->attach(*platform_, ExplainPlatform{p.clock_mhz, unsigned(__builtin_ctzll(p.pgs))});
        for (RealmState &rs : realms_)
            for (auto &vcpu : rs.a64)
                gdb_->add(*vcpu);
        stream_.subscribe(*gdb_);
    }
    return sw_->reset(s_, error);
}

// Trace options that would select nothing are an error: every --trace-signals pattern matches
// a signal, and --trace-step names a step of the scenario or a realm's build.
bool Simulation::trace_options_match(std::string &error) const
{
    for (const std::string &pattern : tracer_->unmatched_filters()) {
        error = "rmesim: --trace-signals '" + pattern +
                "' matches no signal (signals are named like core0.pa, rmm.rmi, host.rec_exit: "
                "docs/tracing.md lists them)";
        return false;
    }
    if (opt_.trace_step.empty())
        return true;
    if (plan_->has(opt_.trace_step))
        return true;
    std::string known;
    std::function<void(const scn_step *, size_t)> list = [&](const scn_step *st, size_t n) {
        for (size_t i = 0; i < n; i++)
            if (st[i].action.kind == SCN_ACT_PARALLEL || st[i].action.kind == SCN_ACT_REPEAT)
                list(st[i].action.children, st[i].action.n_children);
            else
                known += (known.empty() ? "" : ", ") + plan_->listing(st[i]);
    };
    list(s_.steps, s_.n_steps);
    for (size_t i = 0; i < s_.n_realms; i++) {
        std::string build = std::string(s_.realms[i].name) + ".build";
        if (build == opt_.trace_step)
            return true;
        known += ", " + build;
    }
    error = "rmesim: --trace-step '" + opt_.trace_step + "': no such step in " + s_.file +
            " (steps: " + known + ")";
    return false;
}

// ---- running --------------------------------------------------------------------------------

int Simulation::run()
{
    std::string error;
    if (!build_platform(error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 2;
    }
    // Statistic names are checked before anything runs.
    for (size_t i = 0; i < s_.n_finals; i++)
        if (s_.finals[i].kind == SCN_FINAL_STAT) {
            bool known = false;
            for (const std::string &k : StatsView::names())
                known |= k == s_.finals[i].text;
            if (!known) {
                std::string list;
                for (const std::string &k : StatsView::names())
                    list += (list.empty() ? "" : ", ") + k;
                std::fprintf(stderr, "%s: unknown statistic '%s' (known: %s)\n",
                             where(s_, s_.finals[i].pos).c_str(), s_.finals[i].text, list.c_str());
                return 2;
            }
        }
    if (!opt_.log_path.empty()) {
        if (!log_file_.open(opt_.log_path, error)) {
            std::fprintf(stderr, "rmesim: %s\n", error.c_str());
            return 2;
        }
        /* a stream cut by a signal says so in a record of its own */
        log_file_.set_interrupted_marker("\n{\"record\":\"interrupted\",\"complete\":false}\n");
        log_ = std::make_unique<EventLog>(log_file_.file(), opt_.log_filter);
        stream_.subscribe(*log_);
    }
    if (!tracer_->start(error)) {
        std::fprintf(stderr, "rmesim: %s\n", error.c_str());
        return 2;
    }
    Driver driver("sequencer", [this] { sequencer(); });
    sc_start();
    end_time_ = sc_time_stamp();
    if (invariants_)
        invariants_->finish();
    bool finals_ok = out_of_memory_ || judge_->finals(*this); /* not judged: the run stopped */
    std::vector<std::string> unwritten = finish_outputs();
    if (tracer_->late_events()) /* an internal error: the trace would misplace these values */
        errors_.push_back(std::string(s_.file) + ": internal error: " +
                          counted(tracer_->late_events(), "trace event") + " recorded late");
    for (const auto &e : errors_)
        std::fprintf(stderr, "%s\n", e.c_str());
    for (const auto &f : failures_)
        std::fprintf(stderr, "%s\n", f.c_str());
    bool ok = failures_.empty() && finals_ok;
    /* a scenario that could not run as written (exit 2) has no results to write */
    if (results_ && errors_.empty() && !write_results(ok ? 0 : 1, error))
        unwritten.push_back(error);
    if (!opt_.quiet || !ok || !errors_.empty()) {
        uint64_t cycles = 0;
        for (const auto &cs : sw_->cores())
            cycles = std::max(cycles, cs.core->total_cycles());
        /* an error is not an expectation that failed: the scenario could not run as written */
        std::string errors = errors_.empty() ? "" : counted(errors_.size(), "error") + ", ";
        std::printf("%s: %s — %s, %s%s failed, %.1f ns simulated (%s at %u MHz)\n", s_.name,
                    !errors_.empty() ? "ERROR"
                    : ok             ? "PASS"
                                     : "FAIL",
                    counted(steps_done_, "step").c_str(), errors.c_str(),
                    counted(failures_.size(), "expectation").c_str(), end_time_.to_seconds() * 1e9,
                    counted(cycles, "cycle").c_str(), s_.platform.clock_mhz);
    }
    for (const std::string &e : unwritten)
        std::fprintf(stderr, "rmesim: %s\n", e.c_str());
    return !unwritten.empty() || !errors_.empty() ? 2 : ok ? 0 : 1;
}

// Whether `path` can be written, without touching a file that is there.
bool Simulation::can_write(const std::string &path, std::string &error)
{
    bool existed = access(path.c_str(), F_OK) == 0;
    if (existed ? access(path.c_str(), W_OK) == 0 : [&] {
            FILE *f = std::fopen(path.c_str(), "w");
            if (f) {
                std::fclose(f);
                std::remove(path.c_str());
            }
            return f != nullptr;
        }())
        return true;
    error = "rmesim: cannot write " + path + ": " + std::strerror(errno);
    return false;
}

// Close the trace, the log and write the statistics; what could not be written is removed
// (never left half-written) and told.
std::vector<std::string> Simulation::finish_outputs()
{
    std::vector<std::string> unwritten;
    std::string error;
    if (tracer_->enabled() && (!tracer_->close(end_time_, error) ||
                               !tracer_->write_gtkw(gtkw_path(), opt_.vcd_path, end_time_, error)))
        unwritten.push_back(error.empty() ? "cannot write " + gtkw_path() : error);
    error.clear();
    if (log_) {
        bool flushed = log_->finish();
        if (!log_file_.commit(error) || !flushed) /* commit names the reason */
            unwritten.push_back(error.empty() ? "cannot write " + opt_.log_path : error);
    }
    if (!opt_.stats_path.empty()) {
        OutputFile stats;
        error.clear();
        if (!stats.open(opt_.stats_path, error) ||
            std::fprintf(stats.file(), "%s\n", stats_->json(end_time_.to_seconds() * 1e9).c_str()) <
                0 ||
            !stats.commit(error))
            unwritten.push_back(error.empty() ? "cannot write " + opt_.stats_path : error);
    }
    return unwritten;
}

void Simulation::sequencer()
{
    progress_ = Progress{};
    progress_.wall_start = progress_.last_print = std::chrono::steady_clock::now();
    progress_.tty = isatty(STDERR_FILENO) && !opt_.quiet;
    // The VCD holds one value per signal per time; the initial values are dumped at time 0, so
    // the timeline starts one cycle later for the first step's values to show.
    wait(period_);
    run_steps(s_.steps, s_.n_steps, "");
    if (progress_.printed)
        std::fprintf(stderr, "\n");
    end_run();
    sc_stop();
}

// One step list, in order; a repeat runs its body `times` times (nothing copied), its steps named
// with the iteration (StepPlan).
void Simulation::run_steps(const scn_step *steps, size_t n, const std::string &iteration)
{
    for (size_t i = 0; i < n && !out_of_memory_; i++) {
        const scn_step &st = steps[i];
        if (st.action.kind == SCN_ACT_REPEAT) {
            for (uint64_t k = 1; k <= st.action.times && !out_of_memory_; k++)
                run_steps(st.action.children, st.action.n_children, StepPlan::suffix(iteration, k));
            continue;
        }
        run_group(st, iteration);
    }
}

void Simulation::run_group(const scn_step &st, const std::string &iteration)
{
    std::vector<const scn_step *> group;
    if (st.action.kind == SCN_ACT_PARALLEL)
        for (size_t j = 0; j < st.action.n_children; j++)
            group.push_back(&st.action.children[j]);
    else
        group.push_back(&st);
    // Every step of a group starts at the same simulated time, or its `after:` cycles later.
    std::vector<StepResult> results(group.size());
    for (size_t j = 0; j < group.size(); j++) {
        const scn_step *one = group[j];
        CoreState &cs = sw_->cores()[unsigned(one->core)];
        StepResult *out = &results[j];
        unsigned idx = unsigned(++progress_.step_index);
        out->step_id = plan_->base(*one) + iteration;
        out->index = idx;
        cs.core->post([this, one, &cs, out, idx](Core &) {
            if (one->after)
                cs.core->idle_for(one->after);
            cs.set_running(out->step_id, idx);
            /* a realm step is the host's KVM_RUN until the REC runs */
            cs.core->set_account(one->actor.kind == SCN_ACTOR_EL3 ? SW_EL3 : SW_HOST);
            for (unsigned w = 0; w < SW_COUNT; w++)
                cs.cost_mark[w] = cs.core->account_cycles(w);
            out->start_cycle = cs.core->now_cycles();
            rme_event e = EventSink::make(RME_EV_STEP_BEGIN, out->start_cycle, out->start_cycle);
            e.u.step_change = cs.step;
            cs.sink.emit(e);
            uint64_t transitions = cs.gpt_transitions;
            unsigned errors = errors_on_core_[cs.core->index()];
            pool_failures_at_step_[cs.core->index()] = sw_->firmware().host_pool_failures();
            try {
                run_step(*one, cs, *out);
                if (phys_mem_out_of_memory(mem_)) /* a page write failed: an abort it was not */
                    throw std::bad_alloc();
            } catch (const std::bad_alloc &) { /* not the platform's memory: rmesim's own */
                out_of_memory_ = true;
                run_error(fmt("%s: step '%s': rmesim ran out of memory running it (this "
                              "machine's memory or the process's address-space limit, not the "
                              "simulated platform's); the run stops here",
                              where(s_, one->pos).c_str(), out->step_id.c_str()));
            }
            out->errored = errors_on_core_[cs.core->index()] != errors;
            /* how many granules EL3 moved between PASes during the step (RMM requests) */
            out->set("gpt_transitions", Observed::num(cs.gpt_transitions - transitions));
            out->cycles = cs.core->now_cycles() - out->start_cycle;
            out->set("cycles", Observed::num(out->cycles));
            note_cost(cs, *out);
        });
    }
    for (const scn_step *one : group) {
        Core &core = *sw_->cores()[unsigned(one->core)].core;
        while (!core.idle())
            wait(core.done_event());
    }
    for (size_t j = 0; j < group.size(); j++) {
        end_step(sw_->cores()[results[j].core], results[j]); /* the views keep what they need */
        steps_done_++;
    }
    auto now = std::chrono::steady_clock::now();
    if (progress_.tty && now - progress_.wall_start > std::chrono::seconds(1) &&
        now - progress_.last_print > std::chrono::milliseconds(250)) {
        double secs = std::chrono::duration<double>(now - progress_.wall_start).count();
        std::fprintf(stderr,
                     "\r[rmesim] step %" PRIu64 "/%" PRIu64
                     ", %.1f us simulated, %.0f trace events/s",
                     steps_done_, total_steps_, sc_time_stamp().to_seconds() * 1e6,
                     double(tracer_->events()) / secs);
        progress_.last_print = now;
        progress_.printed = true;
    }
}

void Simulation::run_error(std::string message)
{
    errors_.push_back(std::move(message));
    if (Core *core = Core::current())
        errors_on_core_[core->index()]++;
}

void Simulation::run_step(const scn_step &step, CoreState &cs, StepResult &out)
{
    out.core = cs.core->index();
    out.actor = step.actor.kind == SCN_ACTOR_HOST ? "host" : "el3";
    out.action = scn_action_name(step.action.kind);
    if (step.actor.kind == SCN_ACTOR_REALM) {
        if (step.action.kind == SCN_ACT_RUN)
            do_run(step, cs, out);
        else
            do_realm_step(step, cs, out);
        return;
    }
    switch (step.action.kind) {
    case SCN_ACT_LOAD:
    case SCN_ACT_STORE:
    case SCN_ACT_FETCH:
        do_access(step, cs, out);
        break;
    case SCN_ACT_GPT_TRANSITION:
        do_gpt_transition(step, cs, out);
        break;
    case SCN_ACT_GPT_WRITE:
        do_gpt_write(step, cs, out);
        break;
    case SCN_ACT_TLBI:
        do_tlbi(step, cs, out);
        break;
    case SCN_ACT_RMI:
    case SCN_ACT_DELEGATE:
    case SCN_ACT_UNDELEGATE:
        do_rmi(step, cs, out);
        break;
    case SCN_ACT_DESTROY:
        do_destroy(step, cs, out);
        break;
    case SCN_ACT_COMPLETE:
        do_complete(step, cs, out);
        break;
    default:
        break; /* refused before the run by unsupported() */
    }
}

// The simulated memory's own accounting, for `{ stat: memory.host_bytes, max: N }`: what a
// configured-but-untouched RAM costs is tested without measuring the process.
uint64_t Simulation::memory_resident_pages() const
{
    return phys_mem_resident_pages(mem_);
}

uint64_t Simulation::memory_host_bytes() const
{
    return phys_mem_host_bytes(mem_);
}

} // namespace rmesim
