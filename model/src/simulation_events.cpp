// What the platform and the software models tell the event stream (model/events.h): each
// record is emitted once, to the core's sink, and every view takes it from there.
#include "model/simulation.hpp"

namespace rmesim
{

using namespace sc_core;

void CoreContext::set_running(const std::string &id, unsigned index)
{
    step_id = id;
    step = rme_ev_step{step_id.c_str(), index, nullptr};
    sink.set_step(&step);
}

void Simulation::end_step(CoreState &cs, const StepResult &r)
{
    rme_ev_step step{r.step_id.c_str(), r.index, &r};
    rme_event e = EventSink::make(RME_EV_STEP_END, r.start_cycle, r.start_cycle + r.cycles);
    e.u.step_change = step;
    e.step = &step;
    cs.sink.emit(e);
}

void CoreContext::take(const rme_ev_exception &x, uint64_t cycle, uint64_t entered) const
{
    rme_event e = EventSink::make(RME_EV_EXCEPTION, cycle, entered);
    e.u.exception = x;
    sink.emit(e);
}

void CoreContext::eret(const rme_ev_eret &r, uint64_t cycle) const
{
    rme_event e = EventSink::make(RME_EV_ERET, cycle, cycle);
    e.u.eret = r;
    sink.emit(e);
}

void CoreContext::note_access(const mmu_regime &r, rme_ev_access_origin origin, bool primary,
                              const rme_access &acc, uint64_t cycles, uint64_t start_cycle,
                              const uint64_t *value, const char *target, unsigned repeat,
                              unsigned repeats) const
{
    rme_event e = EventSink::make(RME_EV_ACCESS, start_cycle, start_cycle + cycles);
    e.u.access = {r.kind, origin, primary, r.el, r.ss, &acc, value != nullptr, value ? *value : 0,
                  target, repeat, repeats};
    sink.emit(e);
}

void CoreContext::note_call(uint64_t start_cycle, const char *name, uint64_t fid,
                            unsigned caller_el, rme_sec_state caller_ss, const CallArgs &args,
                            const char *status, unsigned index, uint64_t result) const
{
    rme_event e = EventSink::make(status ? RME_EV_CALL_RETURN : RME_EV_CALL, start_cycle,
                                  status ? core->now_cycles() : start_cycle);
    rme_ev_call &c = e.u.call;
    c.n_args = 0;
    c.name = name;
    c.fid = fid;
    c.caller_el = caller_el;
    c.caller_ss = caller_ss;
    for (unsigned i = 0; i < args.n; i++) {
        c.arg_names[i] = args.names[i];
        c.args[i] = args.values[i];
    }
    c.n_args = args.n;
    c.status = status;
    c.index = index;
    c.result = result;
    sink.emit(e);
}

// Every core's counters and every memory target's, at the end of the timeline.
void Simulation::end_run()
{
    uint64_t now = uint64_t(sc_time_stamp() / period_);
    for (auto &cs : sw_->cores()) {
        uint64_t by_software[SW_COUNT];
        for (unsigned w = 0; w < SW_COUNT; w++)
            by_software[w] = cs.core->account_cycles(w);
        rme_event e = EventSink::make(RME_EV_RUN_END, now, now);
        rme_ev_run_end &r = e.u.run_end;
        r.cycles = cs.core->total_cycles();
        r.memory_cycles = cs.core->port_cycles();
        r.cycles_by_software = by_software;
        r.n_software = SW_COUNT;
        r.gpc = gpc_get_stats(cs.gpc);
        r.tlb = tlb_get_stats(cs.tlb);
        r.l1d_hits = cs.core->l1d().hits();
        r.l1d_misses = cs.core->l1d().misses();
        cs.sink.set_step(nullptr);
        cs.sink.emit(e);
    }
    for (const auto &t : platform_->targets()) {
        rme_event e = EventSink::make(RME_EV_TARGET_END, now, now);
        e.u.target = {t->name(), t->is_ram(), t->accesses(), t->contention().total_queueing()};
        sw_->cores()[0].sink.emit(e);
    }
}

} // namespace rmesim
