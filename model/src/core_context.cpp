// A core's records: what the software on it does, told to its sink (model/events.h).
#include "model/core_context.hpp"

namespace rmesim
{

void CoreContext::set_running(const std::string &id, unsigned index)
{
    step_id = id;
    step = rme_ev_step{step_id.c_str(), index, nullptr};
    sink.set_step(&step);
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

void CoreContext::emit_access(const mmu_regime &r, rme_ev_access_origin origin, bool primary,
                              const rme_access &acc, uint64_t cycles, uint64_t start_cycle,
                              const uint64_t *value, const char *target, unsigned repeat,
                              unsigned repeats) const
{
    rme_event e = EventSink::make(RME_EV_ACCESS, start_cycle, start_cycle + cycles);
    unsigned ipa_bits = mmu_regime_two_stage(&r) && r.s2.enabled ? 64 - r.s2.tsz[0] : 0;
    e.u.access = {r.kind,     origin,  primary,          r.el,
                  r.ss,       &acc,    value != nullptr, value ? *value : 0,
                  target,     repeat,  repeats,          ipa_bits,
                  insn_valid, insn_pc, insn_word};
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

} // namespace rmesim
