#include "model/event_log.hpp"

#include "model/access_stats.hpp"
#include "model/json.hpp"
#include "model/step_result.hpp"

extern "C" {
#include "cpu/a64_disasm.h"
#include "scenario/names.h"
}

namespace rmesim
{

namespace
{
// The fields every record but the step's starts with.
Json &begin_record(Json &j, const char *record, const rme_event &e)
{
    return j.begin_object()
        .field("record", record)
        .field("step", e.step ? e.step->id : "")
        .field("core", e.core)
        .field("cycle", e.cycle);
}

// Where an exception or a return goes: from which EL and security state, to which.
Json &levels(Json &j, unsigned from_el, rme_sec_state from, unsigned to_el, rme_sec_state to)
{
    return j.field("from_el", from_el)
        .field("from", rme_sec_state_name(from))
        .field("to_el", to_el)
        .field("to", rme_sec_state_name(to));
}

// A step's field that counts something (cycles, costs, accesses, levels, sizes, an EL) is a JSON
// number; an address, a register or a syndrome stays a hex string.
bool is_count(const std::string &path)
{
    static const char *const counts[] = {
        "accesses", "cycles",         "dropped",     "esr_ec",        "loads",
        "stores",   "exception.el",   "fault_level", "gpt_level",     "gpt_transitions",
        "index",    "ipa_bits",       "mmio.size",   "out.aux_count", "out.len",
        "out.size", "out.walk_level", "walk_fetches"};
    if (path.compare(0, 5, "cost.") == 0)
        return true;
    for (const char *c : counts)
        if (path == c)
            return true;
    return false;
}

const char *source_name(rme_ev_exception_source s)
{
    static const char *const names[] = {"abort", "call", "irq", "injected"};
    return names[s];
}

const char *type_name(pe_exception_type t)
{
    return t == EXC_SYNC ? "sync" : t == EXC_IRQ ? "irq" : t == EXC_FIQ ? "fiq" : "serror";
}
} // namespace

bool EventLog::kept(const rme_event &e) const
{
    switch (e.kind) {
    case RME_EV_ACCESS:
        return filter_.keeps("access", e.step ? e.step->id : "", e.core,
                             AccessStats::regime_name(e.u.access.regime));
    case RME_EV_CALL_RETURN:
    case RME_EV_EXCEPTION:
    case RME_EV_ERET:
        return filter_.keeps(e.kind == RME_EV_CALL_RETURN ? "call"
                             : e.kind == RME_EV_EXCEPTION ? "exception"
                                                          : "eret",
                             e.step ? e.step->id : "", e.core, nullptr);
    case RME_EV_STEP_END: {
        const StepResult &r = *static_cast<const StepResult *>(e.u.step_change.result);
        return filter_.keeps("step", r.step_id, r.core, nullptr);
    }
    default:
        return false;
    }
}

EventLog::~EventLog() = default;

bool EventLog::finish()
{
    return std::fflush(f_) == 0 && std::ferror(f_) == 0;
}

void EventLog::on_event(const rme_event &e)
{
    if (!filter_.empty() && !kept(e))
        return;
    switch (e.kind) {
    case RME_EV_ACCESS:
        access(e);
        break;
    case RME_EV_CALL_RETURN:
        call(e);
        break;
    case RME_EV_EXCEPTION:
        exception(e);
        break;
    case RME_EV_ERET:
        eret(e);
        break;
    case RME_EV_STEP_END:
        step(e);
        break;
    default: /* the VCD and the statistics show the rest */
        break;
    }
}

Json &EventLog::record()
{
    json_.clear(); /* one buffer for every record: its capacity stays */
    return json_;
}

void EventLog::write_line(const Json &j)
{
    std::fwrite(j.str().data(), 1, j.str().size(), f_);
    std::fputc('\n', f_);
}

// Written member by member into one buffer (model/json_line.hpp): the log's most frequent
// record, the same bytes as the general writer makes.
void EventLog::access(const rme_event &e)
{
    const rme_access &a = *e.u.access.access;
    mmu_regime_kind regime = e.u.access.regime;
    JsonLine &j = line_;
    j.begin();
    j.key("record").name("access");
    j.key("step").text(e.step ? e.step->id : "");
    j.key("core").num(e.core);
    j.key("cycle").num(e.cycle);
    j.key("regime").name(AccessStats::regime_name(regime));
    j.key("op").name(a.kind == MMU_READ ? "load" : a.kind == MMU_WRITE ? "store" : "fetch");
    j.key("size").num(a.size);
    j.key("va").hex(a.va);
    if (e.u.access.has_pc) { /* real code: the instruction, as objdump prints it */
        char text[96];
        j.key("pc").hex(e.u.access.pc);
        if (a.kind != MMU_FETCH || e.u.access.reached_memory) {
            a64_disasm(e.u.access.insn, e.u.access.pc, text, sizeof text);
            j.key("insn").text(text);
        }
    }
    bool output_gpf = a.fault >= MMU_FAULT_GPF && !a.on_walk;
    bool translated = a.fault == MMU_OK || output_gpf;
    if ((regime == MMU_NS_EL10 || regime == MMU_REALM_EL10) && (translated || a.fault_stage == 2))
        j.key("ipa").hex(a.ipa);
    if (translated) {
        j.key("pa").hex(a.pa);
        j.key("pas").name(scn_name_of(&scn_pas_names, a.pas));
        if (a.gpc.gpi_found) {
            const char *gpi = scn_name_of(&scn_gpi_names, a.gpc.gpi);
            j.key("gpi").name(gpi ? gpi : "reserved");
        }
    }
    j.key("tlb").name(a.tlb == 1 ? "l1_hit" : a.tlb == 2 ? "l2_hit" : a.tlb == 0 ? "miss" : "none");
    j.key("walk_fetches").num(a.n_fetches);
    j.key("result").name(a.fault == MMU_OK ? "ok" : mmu_fault_name(a.fault));
    if (a.fault != MMU_OK) {
        if (!output_gpf) {
            j.key("fault_stage").num(a.fault_stage);
            j.key("fault_level").signed_num(a.fault_level);
        }
        j.key("on_walk").flag(a.on_walk);
        j.key("esr").hex(a.esr);
        j.key("far").hex(a.far);
        if (a.hpfar_valid)
            j.key("hpfar").hex(a.hpfar);
        if (a.mfar_valid)
            j.key("mfar").hex(a.mfar);
    }
    if (e.u.access.reached_memory)
        j.key("value").hex(e.u.access.value);
    // The parts add up to cycles: the data access's own memory time is what translation left.
    uint64_t cycles = e.end - e.cycle;
    j.key("cycles").num(cycles);
    j.key("stage_cycles").open();
    j.key("tlb").num(a.cycles_tlb);
    j.key("s1_walk").num(a.cycles_s1);
    j.key("s2_walk").num(a.cycles_s2);
    j.key("gpc").num(a.cycles_gpc);
    j.key("memory").num(cycles - a.cycles);
    j.end();
    j.end();
    std::fwrite(j.data(), 1, j.size(), f_);
    std::fputc('\n', f_);
}

void EventLog::call(const rme_event &e)
{
    const rme_ev_call &c = e.u.call;
    Json &j = record();
    begin_record(j, "call", e).field("call", c.name).hex("fid", c.fid);
    j.begin_object("args");
    for (unsigned i = 0; i < c.n_args; i++)
        j.hex(c.arg_names[i], c.args[i]);
    j.end_object();
    j.field("status", c.status).field("index", c.index).field("cycles", e.end - e.cycle);
    j.end_object();
    write_line(j);
}

void EventLog::exception(const rme_event &e)
{
    const rme_ev_exception &x = e.u.exception;
    Json &j = record();
    begin_record(j, "exception", e)
        .field("source", source_name(x.source))
        .field("type", type_name(x.type));
    levels(j, x.from_el, x.from_ss, x.to_el, x.to_ss);
    if (x.type == EXC_SYNC) {
        const char *ec = scn_name_of(&scn_ec_names, unsigned(x.esr >> 26));
        j.field("ec", ec ? ec : "UNKNOWN").hex("esr", x.esr);
        if (x.source == RME_EXC_ABORT || x.source == RME_EXC_INJECTED) /* an SMC has no FAR */
            j.hex("far", x.far);
        if (x.hpfar_valid)
            j.hex("hpfar", x.hpfar);
        if (x.mfar_valid)
            j.hex("mfar", x.mfar);
    }
    j.end_object();
    write_line(j);
}

void EventLog::eret(const rme_event &e)
{
    const rme_ev_eret &r = e.u.eret;
    Json &j = record();
    levels(begin_record(j, "eret", e), r.from_el, r.from_ss, r.to_el, r.to_ss).end_object();
    write_line(j);
}

void EventLog::step(const rme_event &e)
{
    const StepResult &r = *static_cast<const StepResult *>(e.u.step_change.result);
    Json &j = record();
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
            if (is_count(path))
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
    write_line(j);
}

} // namespace rmesim
