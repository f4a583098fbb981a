#include "model/stats_view.hpp"

#include <algorithm>

#include "model/cost.hpp"
#include "model/json.hpp"
#include "model/step_result.hpp"

extern "C" {
#include "scenario/names.h"
}

namespace rmesim
{

StatsView::StatsView(std::string scenario, unsigned clock_mhz, unsigned cores)
    : scenario_(std::move(scenario)), clock_mhz_(clock_mhz), cores_(cores)
{
}

void StatsView::on_event(const rme_event &e)
{
    switch (e.kind) {
    case RME_EV_ACCESS:
        cores_[e.core].accesses.record(e.u.access.regime, *e.u.access.access, e.end - e.cycle);
        break;
    case RME_EV_EXCEPTION: {
        const rme_ev_exception &x = e.u.exception;
        const char *ec =
            x.type == EXC_IRQ ? "IRQ" : scn_name_of(&scn_ec_names, unsigned(x.esr >> 26));
        cores_[e.core].exceptions++;
        cores_[e.core].exceptions_by_class[ec ? ec : "UNKNOWN"]++;
        break;
    }
    case RME_EV_REC_EXIT:
        if (!e.u.rec_exit.exit->rmi_status)
            rec_exits_[e.u.rec_exit.exit->reason]++;
        break;
    case RME_EV_STEP_END: {
        const auto &r = *static_cast<const StepResult *>(e.u.step_change.result);
        step_cycles_[r.cycles ? 64 - unsigned(__builtin_clzll(r.cycles)) : 0]++;
        steps_ += e.u.step_change.index > 0;
        break;
    }
    case RME_EV_RUN_END: {
        PerCore &c = cores_[e.core];
        c.end = e.u.run_end;
        c.cycles_by_software.assign(e.u.run_end.cycles_by_software,
                                    e.u.run_end.cycles_by_software + e.u.run_end.n_software);
        c.end.cycles_by_software = nullptr; /* the record's pointer is gone after the call */
        break;
    }
    case RME_EV_TARGET_END:
        targets_.push_back(
            {e.u.target.name, e.u.target.ram, e.u.target.accesses, e.u.target.queueing_cycles});
        break;
    default:
        break;
    }
}

const std::vector<std::string> &StatsView::names()
{
    static const std::vector<std::string> list = {"cycles",
                                                  "steps",
                                                  "gpc.checks",
                                                  "gpc.cycles",
                                                  "gpc.cache_hits",
                                                  "gpc.cache_misses",
                                                  "gpc.walks",
                                                  "gpc.fetches",
                                                  "gpc.faults",
                                                  "gpc.invalidations",
                                                  "exceptions",
                                                  "dram.accesses",
                                                  "dram.queueing_cycles",
                                                  "rmm.granules_delegated",
                                                  "memory.resident_pages",
                                                  "memory.host_bytes",
                                                  "l1d.hits",
                                                  "l1d.misses",
                                                  "mmu.accesses",
                                                  "mmu.tlb_hits",
                                                  "mmu.tlb_misses",
                                                  "mmu.stage1_fetches",
                                                  "mmu.stage2_fetches",
                                                  "mmu.faults",
                                                  "mmu.cycles",
                                                  "mmu.tlb_cycles",
                                                  "mmu.s1_walk_cycles",
                                                  "mmu.s2_walk_cycles",
                                                  "mmu.walk_cycles",
                                                  "mmu.memory_cycles",
                                                  "host.rec_exits",
                                                  "cost.host",
                                                  "cost.el3",
                                                  "cost.rmm",
                                                  "cost.realm",
                                                  "cost.vmm"};
    static const std::vector<std::string> with_reasons = [] {
        std::vector<std::string> all = list;
        /* the exits of one reason: host.rec_exits.RIPAS_CHANGE */
        for (size_t i = 0; i < scn_rec_exit_reasons.count; i++)
            all.push_back(std::string("host.rec_exits.") + scn_rec_exit_reasons.names[i].name);
        return all;
    }();
    return with_reasons;
}

uint64_t StatsView::value(const std::string &name) const
{
    uint64_t v = 0;
    if (name == "steps")
        return steps_;
    if (name == "host.rec_exits") {
        for (const auto &[reason, n] : rec_exits_)
            v += n;
        return v;
    }
    static const std::string by_reason = "host.rec_exits.";
    if (name.compare(0, by_reason.size(), by_reason) == 0) {
        const scn_name *reason =
            scn_name_lookup(&scn_rec_exit_reasons, name.c_str() + by_reason.size());
        auto n = reason ? rec_exits_.find(reason->code) : rec_exits_.end();
        return n == rec_exits_.end() ? 0 : n->second;
    }
    if (name == "dram.accesses" || name == "dram.queueing_cycles") {
        for (const auto &t : targets_)
            if (t.ram)
                v += name == "dram.accesses" ? t.accesses : t.queueing_cycles;
        return v;
    }
    AccessStats::Counts mmu;
    for (const auto &c : cores_) {
        const gpc_stats &g = c.end.gpc;
        if (name == "cycles")
            v = std::max(v, c.end.cycles);
        else if (name == "exceptions")
            v += c.exceptions;
        else if (name == "l1d.hits" || name == "l1d.misses")
            v += name == "l1d.hits" ? c.end.l1d_hits : c.end.l1d_misses;
        else if (name.compare(0, 5, "cost.") == 0) {
            for (unsigned w = 0; w < c.cycles_by_software.size() && w < SW_COUNT; w++)
                if (name.compare(5, std::string::npos, software_name(w)) == 0)
                    v += c.cycles_by_software[w];
        } else if (name.compare(0, 4, "gpc.") == 0 && name != "gpc.cycles") {
            const std::string k = name.substr(4);
            v += k == "checks"         ? g.checks
                 : k == "cache_hits"   ? g.cache_hits
                 : k == "cache_misses" ? g.cache_misses
                 : k == "walks"        ? g.walks
                 : k == "fetches"      ? g.fetches
                 : k == "faults"       ? g.faults
                                       : g.invalidations;
        } else
            mmu += c.accesses.total();
    }
    if (name == "gpc.cycles") /* every GPC check of every access: from the access records */
        v = mmu.gpc_cycles;
    else if (name.compare(0, 4, "mmu.") == 0)
        v = name == "mmu.accesses"         ? mmu.accesses
            : name == "mmu.tlb_hits"       ? mmu.tlb_l1_hits + mmu.tlb_l2_hits
            : name == "mmu.tlb_misses"     ? mmu.tlb_misses
            : name == "mmu.stage1_fetches" ? mmu.stage1_fetches
            : name == "mmu.stage2_fetches" ? mmu.stage2_fetches
            : name == "mmu.cycles"         ? mmu.cycles
            : name == "mmu.tlb_cycles"     ? mmu.tlb_cycles
            : name == "mmu.s1_walk_cycles" ? mmu.s1_walk_cycles
            : name == "mmu.s2_walk_cycles" ? mmu.s2_walk_cycles
            : name == "mmu.walk_cycles"    ? mmu.s1_walk_cycles + mmu.s2_walk_cycles
            : name == "mmu.memory_cycles"  ? mmu.memory_cycles
                                           : mmu.faults;
    return v;
}

std::string StatsView::json(double simulated_ns) const
{
    Json j;
    j.begin_object().field("scenario", scenario_).field("clock_mhz", clock_mhz_);
    j.field("simulated_ns", simulated_ns).field("steps", steps_);
    j.begin_array("cores");
    for (size_t i = 0; i < cores_.size(); i++) {
        const PerCore &c = cores_[i];
        const gpc_stats &st = c.end.gpc;
        j.begin_object()
            .field("core", uint64_t(i))
            .field("cycles", c.end.cycles)
            .field("memory_cycles", c.end.memory_cycles)
            .field("exceptions", c.exceptions);
        j.begin_object("exceptions_by_class");
        for (const auto &[ec, n] : c.exceptions_by_class)
            j.field(ec.c_str(), n);
        j.end_object();
        j.begin_object("cycles_by_software");
        for (unsigned w = 0; w < c.cycles_by_software.size(); w++)
            j.field(software_name(w), c.cycles_by_software[w]);
        j.end_object();
        j.begin_object("gpc")
            .field("checks", st.checks)
            .field("cache_hits", st.cache_hits)
            .field("cache_misses", st.cache_misses)
            .field("hit_rate", st.checks ? double(st.cache_hits) / double(st.checks) : 0.0)
            .field("walks", st.walks)
            .field("fetches", st.fetches)
            .field("faults", st.faults)
            .field("invalidations", st.invalidations)
            .field("cycles", c.accesses.total().gpc_cycles)
            .end_object();
        const tlb_stats &tl = c.end.tlb;
        j.begin_object("tlb")
            .field("lookups", tl.lookups)
            .field("l1_hits", tl.l1_hits)
            .field("l2_hits", tl.l2_hits)
            .field("misses", tl.misses)
            .field("hit_rate",
                   tl.lookups ? double(tl.l1_hits + tl.l2_hits) / double(tl.lookups) : 0.0)
            .field("fills", tl.fills)
            .field("evictions", tl.evictions)
            .field("invalidated", tl.invalidated)
            .field("walk_cache_lookups", tl.wc_lookups)
            .field("walk_cache_hits", tl.wc_hits)
            .end_object();
        j.begin_object("l1d")
            .field("hits", c.end.l1d_hits)
            .field("misses", c.end.l1d_misses)
            .end_object();
        AccessStats::write_stage_cycles(j, "stage_cycles", c.accesses.total());
        j.begin_object("translation");
        c.accesses.write(j);
        j.end_object();
        j.end_object();
    }
    j.end_array();
    AccessStats::Counts all;
    for (const PerCore &c : cores_)
        all += c.accesses.total();
    AccessStats::write_stage_cycles(j, "stage_cycles", all);
    j.begin_object("host").field("rec_exits", value("host.rec_exits"));
    j.begin_object("rec_exits_by_reason");
    for (const auto &[reason, n] : rec_exits_) {
        const char *name = scn_name_of(&scn_rec_exit_reasons, unsigned(reason));
        j.field(name ? name : "UNKNOWN", n);
    }
    j.end_object().end_object();
    j.begin_array("targets");
    for (const auto &t : targets_)
        j.begin_object()
            .field("name", t.name)
            .field("accesses", t.accesses)
            .field("queueing_cycles", t.queueing_cycles)
            .end_object();
    j.end_array();
    j.begin_array("step_cycles_histogram");
    for (const auto &[bucket, count] : step_cycles_)
        j.begin_object()
            .field("below", uint64_t(bucket >= 64 ? UINT64_MAX : (1ull << bucket)))
            .field("steps", count)
            .end_object();
    j.end_array().end_object();
    return j.str();
}

} // namespace rmesim
