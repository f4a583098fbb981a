#include "model/results_view.hpp"

#include <algorithm>

#include "model/json.hpp"
#include "model/step_result.hpp"

namespace rmesim
{

namespace
{

// hits / lookups, or null when nothing was looked up
void rate(Json &j, const char *key, uint64_t lookups, uint64_t hits)
{
    j.begin_object(key).field("lookups", lookups).field("hits", hits);
    if (lookups)
        j.field("hit_rate", double(hits) / double(lookups));
    else
        j.raw("hit_rate", "null");
    j.end_object();
}

void failures(Json &j, const std::vector<std::string> &list)
{
    j.begin_array("failures");
    for (const std::string &f : list)
        j.field(nullptr, f);
    j.end_array();
}

} // namespace

void ResultsView::on_event(const rme_event &e)
{
    switch (e.kind) {
    case RME_EV_STEP_BEGIN:
        open_[e.core].emplace_back();
        break;
    case RME_EV_ACCESS:
        (open_[e.core].empty() ? outside_ : open_[e.core].back().accesses)
            .record(e.u.access.regime, *e.u.access.access, e.end - e.cycle);
        break;
    case RME_EV_STEP_END: {
        const auto &r = *static_cast<const StepResult *>(e.u.step_change.result);
        Step s;
        if (!open_[e.core].empty()) {
            s = std::move(open_[e.core].back());
            open_[e.core].pop_back();
        }
        s.id = r.step_id;
        s.actor = r.actor;
        s.action = r.action;
        s.index = r.index;
        s.core = e.core;
        s.start_cycle = r.start_cycle;
        s.cycles = r.cycles;
        for (unsigned w = 0; w < SW_COUNT; w++) {
            auto it = r.fields.find(std::string("cost.") + software_name(w));
            s.cost[w] = it == r.fields.end() ? 0 : it->second.number;
        }
        done_.push_back(std::move(s));
        break;
    }
    case RME_EV_RUN_END:
        end_cycle_ = std::max(end_cycle_, e.u.run_end.cycles);
        break;
    default:
        break;
    }
}

std::string ResultsView::json(const Run &run) const
{
    static const std::vector<std::string> none;
    Json j;
    j.begin_object().field("format", "rmesim-results/1").field("scenario", run.scenario);
    j.begin_object("overrides");
    for (const auto &[path, value] : run.overrides)
        j.field(path.c_str(), value);
    j.end_object();
    j.field("exit_code", run.exit_code).field("clock_mhz", run.clock_mhz);
    j.field("cycles", end_cycle_).begin_array("steps");
    for (const Step &s : done_) {
        auto f = run.step_failures.find(s.index);
        const std::vector<std::string> &fails =
            s.index && f != run.step_failures.end() ? f->second : none;
        const AccessStats::Counts a = s.accesses.total();
        j.begin_object().field("step", s.id).field("index", s.index).field("core", s.core);
        j.field("actor", s.actor).field("action", s.action).field("start_cycle", s.start_cycle);
        j.field("cycles", s.cycles).field("passed", fails.empty());
        failures(j, fails);
        j.begin_object("cost");
        for (unsigned w = 0; w < SW_COUNT; w++)
            j.field(software_name(w), s.cost[w]);
        j.end_object();
        AccessStats::write_stage_cycles(j, "stage_cycles", a);
        j.field("accesses", a.accesses);
        rate(j, "tlb", a.tlb_l1_hits + a.tlb_l2_hits + a.tlb_misses, a.tlb_l1_hits + a.tlb_l2_hits);
        rate(j, "gpt_cache", a.gpt_cache_lookups, a.gpt_cache_hits);
        AccessStats::write_latency(j, "latency_histogram", a);
        if (run.explain) {
            auto text = run.explain->find(s.id);
            j.field("explain", text == run.explain->end() ? std::string() : text->second);
        }
        j.end_object();
    }
    j.end_array().begin_object("final").field("passed", run.final_failures.empty());
    failures(j, run.final_failures);
    j.end_object().end_object();
    return j.str() + "\n";
}

} // namespace rmesim
