#include "model/event_log.hpp"

#include "model/access_stats.hpp"
#include "model/json.hpp"

extern "C" {
#include "scenario/names.h"
}

namespace rmesim
{

namespace
{
// The fields every access and call record starts with.
Json &begin_record(Json &j, const char *record, const EventLog::Where &w)
{
    return j.begin_object()
        .field("record", record)
        .field("step", w.step)
        .field("core", w.core)
        .field("cycle", w.cycle);
}
} // namespace

EventLog::~EventLog()
{
    std::fclose(f_);
}

void EventLog::access(const Where &w, mmu_regime_kind regime, const rme_access &a, uint64_t cycles,
                      const uint64_t *value)
{
    Json j;
    begin_record(j, "access", w)
        .field("regime", AccessStats::regime_name(regime))
        .field("op", a.kind == MMU_READ    ? "load"
                     : a.kind == MMU_WRITE ? "store"
                                           : "fetch")
        .field("size", a.size)
        .hex("va", a.va);
    bool output_gpf = a.fault >= MMU_FAULT_GPF && !a.on_walk;
    bool translated = a.fault == MMU_OK || output_gpf;
    if ((regime == MMU_NS_EL10 || regime == MMU_REALM_EL10) && (translated || a.fault_stage == 2))
        j.hex("ipa", a.ipa);
    if (translated) {
        j.hex("pa", a.pa).field("pas", scn_name_of(&scn_pas_names, a.pas));
        if (a.gpc.gpi_found) {
            const char *gpi = scn_name_of(&scn_gpi_names, a.gpc.gpi);
            j.field("gpi", gpi ? gpi : "reserved");
        }
    }
    j.field("tlb", a.tlb == 1   ? "l1_hit"
                   : a.tlb == 2 ? "l2_hit"
                   : a.tlb == 0 ? "miss"
                                : "none")
        .field("walk_fetches", a.n_fetches)
        .field("result", a.fault == MMU_OK ? "ok" : mmu_fault_name(a.fault));
    if (a.fault != MMU_OK) {
        if (!output_gpf)
            j.field("fault_stage", a.fault_stage).field("fault_level", int64_t(a.fault_level));
        j.field("on_walk", a.on_walk).hex("esr", a.esr).hex("far", a.far);
        if (a.hpfar_valid)
            j.hex("hpfar", a.hpfar);
        if (a.mfar_valid)
            j.hex("mfar", a.mfar);
    }
    if (value)
        j.hex("value", *value);
    j.field("cycles", cycles).end_object();
    std::fprintf(f_, "%s\n", j.str().c_str());
}

void EventLog::call(const Where &w, const char *name, uint64_t fid,
                    const std::vector<std::pair<std::string, uint64_t>> &args, const char *status,
                    unsigned index, uint64_t cycles)
{
    Json j;
    begin_record(j, "call", w).field("call", name).hex("fid", fid);
    j.begin_object("args");
    for (const auto &[arg, v] : args)
        j.hex(arg.c_str(), v);
    j.end_object();
    j.field("status", status).field("index", index).field("cycles", cycles).end_object();
    std::fprintf(f_, "%s\n", j.str().c_str());
}

void EventLog::step(const StepResult &r)
{
    Json j;
    j.begin_object()
        .field("record", "step")
        .field("step", r.step_id)
        .field("core", r.core)
        .field("actor", r.actor)
        .field("action", r.action)
        .field("start_cycle", r.start_cycle);
    for (const auto &[path, o] : r.fields) {
        switch (o.kind) {
        case Observed::NUMBER:
            if (path == "cycles" || path == "accesses" || path == "gpt_level" ||
                path == "exception.el" || path == "esr_ec")
                j.field(path.c_str(), o.number);
            else
                j.hex(path.c_str(), o.number);
            break;
        case Observed::BOOL:
            j.field(path.c_str(), o.flag);
            break;
        default:
            j.field(path.c_str(), o.text);
        }
    }
    j.end_object();
    std::fprintf(f_, "%s\n", j.str().c_str());
}

} // namespace rmesim
