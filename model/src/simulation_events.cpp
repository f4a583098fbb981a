// The runner's own records: a step that is over, and every core's and memory target's counters
// when the timeline ends.
#include "model/simulation.hpp"

#include "model/atomic_file.hpp"

namespace rmesim
{

using namespace sc_core;

void Simulation::end_step(CoreState &cs, const StepResult &r)
{
    rme_ev_step step{r.step_id.c_str(), r.index, &r};
    rme_event e = EventSink::make(RME_EV_STEP_END, r.start_cycle, r.start_cycle + r.cycles);
    e.u.step_change = step;
    e.step = &step;
    cs.sink.emit(e);
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

bool Simulation::write_results(int exit_code, std::string &error) const
{
    ResultsView::Run run;
    run.scenario = s_.file;
    run.exit_code = exit_code;
    for (const std::string &set : opt_.sets) { /* --set PATH=VALUE: a later one wins, as applied */
        size_t equals = set.find('=');
        run.overrides[set.substr(0, equals)] =
            equals == std::string::npos ? std::string() : set.substr(equals + 1);
    }
    run.clock_mhz = s_.platform.clock_mhz;
    run.step_failures = judge_->step_failures();
    for (size_t i = 0; i < failures_.size(); i++)
        if (!judge_->is_step_failure(i))
            run.final_failures.push_back(failures_[i]);
    std::map<std::string, std::string> texts;
    if (opt_.results_explain && explain_) {
        texts = explain_->texts();
        run.explain = &texts;
    }
    return write_file_atomically(opt_.results_path, results_->json(run), error);
}

} // namespace rmesim
