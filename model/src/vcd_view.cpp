#include "model/vcd_view.hpp"

#include <algorithm>

extern "C" {
#include "rmm/rmi.h"
}

namespace rmesim
{

VcdView::VcdView(Tracer &tracer, sc_core::sc_time period, unsigned cores,
                 const std::vector<std::string> &devices, const ValueNamer *step_names,
                 bool real_code)
    : tracer_(tracer), period_(period), cores_(cores)
{
    for (unsigned i = 0; i < cores; i++)
        cores_[i].declare(tracer, i, step_names, real_code);
    rmm_.declare(tracer);
    host_.declare(tracer);
    for (const std::string &name : devices) {
        devices_.emplace_back();
        devices_.back().declare(tracer, name);
    }
    for (CoreSignals &c : cores_) /* every core starts outside any step */
        tracer.record(c.step, sc_core::SC_ZERO_TIME, 0);
    tracer.record(host_.mmio, sc_core::SC_ZERO_TIME, 0); /* a pulse per MMIO exit */
}

void VcdView::on_event(const rme_event &e)
{
    if (!tracer_.enabled()) /* the records cost nothing more when nobody traces */
        return;
    CoreSignals &c = cores_[e.core];
    switch (e.kind) {
    case RME_EV_STEP_BEGIN: /* a realm's build (index 0) is part of the step that needs it */
        if (e.u.step_change.index)
            tracer_.record(c.step, at(e.cycle), e.u.step_change.index);
        tracer_.step_began(e.u.step_change.id, at(e.cycle));
        break;
    case RME_EV_STEP_END:
        tracer_.step_ended(e.u.step_change.id, at(e.end));
        break;
    case RME_EV_RUN_END:
        tracer_.record(c.step, at(e.cycle), 0);
        break;
    case RME_EV_SOFTWARE:
        tracer_.record(c.software, at(e.cycle), e.u.software.to);
        break;
    case RME_EV_ACCESS:
        access(c, e);
        break;
    case RME_EV_EXCEPTION: {
        /* the exception's class and target EL from when it is taken until the ERET that leaves
         * that EL; the core is at the target EL once its handler runs */
        const rme_ev_exception &x = e.u.exception;
        tracer_.record(c.exception_ec, at(e.cycle),
                       x.type == EXC_SYNC ? (x.esr >> 26) & 0x3F : 0x100 + unsigned(x.type));
        tracer_.record(c.exception_el, at(e.cycle), x.to_el);
        c.exception_at = x.to_el;
        tracer_.record(c.el, at(e.end), x.to_el);
        tracer_.record(c.sec_state, at(e.end), x.to_ss);
        break;
    }
    case RME_EV_ERET:
        if (e.u.eret.from_el == c.exception_at) {
            tracer_.record_idle(c.exception_ec, at(e.cycle));
            tracer_.record_idle(c.exception_el, at(e.cycle));
            c.exception_at = 4;
        }
        tracer_.record(c.el, at(e.cycle), e.u.eret.to_el);
        tracer_.record(c.sec_state, at(e.cycle), e.u.eret.to_ss);
        break;
    case RME_EV_CALL:
    case RME_EV_CALL_RETURN:
        call(e);
        break;
    case RME_EV_REC_EXIT: /* the exit's reason while the host handles it */
        if (!e.u.rec_exit.exit->rmi_status)
            tracer_.record(host_.rec_exit, at(e.cycle), e.u.rec_exit.exit->reason);
        break;
    case RME_EV_HOST_DECISION: {
        const kvm_exit &x = *e.u.rec_exit.exit;
        if (x.reason == RMI_EXIT_SYNC && !x.rmi_status) {
            tracer_.record(host_.host_ipa, at(e.cycle), x.gpa);
            tracer_.record_idle(host_.host_ipa, at(e.end));
        }
        tracer_.record_idle(host_.rec_exit, at(e.end));
        break;
    }
    case RME_EV_MMIO: {
        const DeviceSignals &d = devices_[e.u.mmio.device];
        tracer_.record(d.offset, at(e.cycle), e.u.mmio.offset);
        tracer_.record(d.value, at(e.cycle), e.u.mmio.value);
        tracer_.record(d.write, at(e.cycle), e.u.mmio.write);
        tracer_.record(host_.mmio, at(e.cycle), 1);
        tracer_.record(host_.mmio, at(e.cycle + 1), 0);
        break;
    }
    case RME_EV_GPT_TRANSITION: /* EL3 at work on a granule */
        tracer_.record(c.el, at(e.cycle), 3);
        tracer_.record(c.sec_state, at(e.cycle), RME_SS_ROOT);
        tracer_.record(rmm_.gpt_op, at(e.cycle), e.u.gpt.pa);
        tracer_.record_idle(rmm_.gpt_op, at(e.end));
        break;
    default:
        break;
    }
}

// One GPC check on the core's signals from `from` for its cycles: the PA, PAS and GPI it checked,
// its result and level, the GPT entries it read. Returns when it ended.
uint64_t VcdView::gpc_check(CoreSignals &c, uint64_t from, uint64_t pa, rme_pas pas,
                            const gpc_result &g)
{
    sc_core::sc_time t = at(from), end = at(std::min(from + g.cycles, access_end_));
    tracer_.record(c.pa, t, pa);
    tracer_.record(c.pas, t, pas);
    if (g.gpi_found)
        tracer_.record(c.gpi, t, g.gpi);
    else
        tracer_.record_idle(c.gpi, t);
    tracer_.record(c.gpc, t, g.kind);
    if (g.gpi_found || g.kind != GPC_OK)
        tracer_.record(c.gpt_level, t, g.gpt_level);
    const int fetched[2] = {c.gpt_l0_pa, c.gpt_l1_pa};
    for (unsigned i = 0; i < g.fetches && i < 2; i++) {
        tracer_.record(fetched[i], t, g.fetch_pa[i]);
        tracer_.record_idle(fetched[i], end);
    }
    for (int s : {c.gpc, c.gpt_level})
        tracer_.record_idle(s, end);
    return from + g.cycles;
}

// The step's own accesses, and a guest's that are the step's instruction or fault, phase by
// phase: the TLB, each descriptor fetch (its GPC check, then the read), the output's GPC check,
// memory. The inputs and what each phase found show while the access lasts; its outcome (fault)
// from its last cycle until the next access on the core.
void VcdView::access(CoreSignals &c, const rme_event &e)
{
    const rme_ev_access &r = e.u.access;
    const rme_access &a = *r.access;
    bool fault = a.fault != MMU_OK;
    if (r.origin != RME_ACC_STEP && !r.has_pc &&
        !(r.origin == RME_ACC_GUEST && (r.primary || fault)))
        return; /* the guest's page-table writes, KVM's and the RMM's own: the log has them */
    if (r.has_pc && c.pc >= 0) /* real code: every access, under the PC of its instruction */
        tracer_.record(c.pc, at(e.cycle), r.pc);
    sc_core::sc_time t = at(e.cycle), done = at(e.end);
    access_end_ = e.end;
    uint64_t last = e.end > e.cycle + 1 ? e.end - 1 : e.cycle;
    tracer_.record(c.el, t, r.el);
    tracer_.record(c.sec_state, t, r.ss);
    tracer_.record(c.access, t, a.kind == MMU_READ ? 1 : a.kind == MMU_WRITE ? 2 : 3);
    tracer_.record(c.va, t, a.va);
    tracer_.record_idle(c.fault, t);
    /* an output GPF still has its IPA and PA; a stage-2 fault on the output IPA its IPA */
    bool output_checked = !fault || (a.fault >= MMU_FAULT_GPF && !a.on_walk);
    if (r.ipa_bits && (output_checked || (a.fault_stage == 2 && !a.s1ptw))) {
        tracer_.record(c.ipa, t, a.ipa);
        tracer_.record(c.ipa_half, t, (a.ipa >> (r.ipa_bits - 1)) & 1);
    }
    if (a.tlb >= 0)
        tracer_.record(c.tlb, t, unsigned(a.tlb));
    tracer_.record(c.walk_fetches, t, a.n_fetches);
    /* the stage-2 NS bit of the output (FEAT_RME: descriptor bit 55 selects the NS PAS for a
     * Realm): the leaf's, or that of the entry the walk stopped at; after a TLB hit, the PAS */
    bool realm = r.regime == MMU_REALM_EL10 && r.ipa_bits;
    if (realm && a.n_fetches == 0 && output_checked)
        tracer_.record(c.s2_ns, t, a.pas == RME_PAS_NS);
    uint64_t walk_cycles = 0;
    for (unsigned i = 0; i < a.n_fetches; i++)
        walk_cycles += a.fetches[i].cycles - a.fetches[i].gpc.cycles;
    uint64_t cursor = e.cycle + a.cycles_tlb + (a.cycles_s1 + a.cycles_s2 - walk_cycles);
    auto clamp = [&](uint64_t cycle) { return at(std::min(std::max(cycle, e.cycle), last)); };
    for (unsigned i = 0; i < a.n_fetches; i++) {
        const mmu_fetch &f = a.fetches[i];
        sc_core::sc_time ft = clamp(cursor);
        tracer_.record(c.walk, ft, 8u * f.stage + unsigned(f.level + 1));
        if (f.stage == 1 && r.ipa_bits)
            tracer_.record(c.walk_ipa, ft, f.ipa);
        else
            tracer_.record_idle(c.walk_ipa, ft);
        tracer_.record(c.walk_pa, ft, f.pa);
        tracer_.record_idle(c.walk_desc, ft);
        uint64_t read_at = gpc_check(c, std::min(cursor, last), f.pa, f.pas, f.gpc);
        if (f.gpc.kind == GPC_OK) {
            tracer_.record(c.walk_desc, clamp(read_at), f.desc);
            if (realm && f.stage == 2 && !f.for_s1_table && i + 1 == a.n_fetches)
                tracer_.record(c.s2_ns, clamp(read_at), (f.desc >> 55) & 1);
        }
        cursor += f.cycles;
    }
    for (int s : {c.walk, c.walk_ipa, c.walk_pa, c.walk_desc})
        tracer_.record_idle(s, clamp(cursor));
    if (output_checked) /* the output's check; the PA stays on for the memory access */
        gpc_check(c, std::min(cursor, last), a.pa, a.pas, a.gpc);
    for (int s :
         {c.access, c.va, c.ipa, c.ipa_half, c.s2_ns, c.pa, c.pas, c.gpi, c.tlb, c.walk_fetches})
        tracer_.record_idle(s, done);
    /* the fault signal's values are the mmu_fault codes; memory's refusal is SEA */
    tracer_.record(c.fault, at(last),
                   fault              ? unsigned(a.fault)
                   : r.reached_memory ? 0
                                      : MMU_FAULT_SEA);
}

// The host's RMI call on rmm.rmi while the RMM handles it, then its status; a realm's RSI or PSCI
// call likewise on rmm.rsi (an RSI call by its FID's low byte, 0x90.., a PSCI call as 0x40 + its
// function number, so that PSCI functions and RSI commands read apart). The RMM's own calls to EL3
// show as EL3 at work (GPT_TRANSITION).
void VcdView::call(const rme_event &e)
{
    const rme_ev_call &c = e.u.call;
    bool from_realm = c.caller_ss == RME_SS_REALM && c.caller_el == 1;
    bool from_host = c.caller_ss == RME_SS_NS;
    if (!from_realm && !from_host)
        return;
    int call = from_host ? rmm_.rmi : rmm_.rsi,
        status = from_host ? rmm_.rmi_status : rmm_.rsi_status;
    if (e.kind == RME_EV_CALL) { /* the status is the last call's to return (calls may follow
                                  * each other in the same cycle) */
        bool rsi = (c.fid & 0xFFFFFF00u) == 0xC4000100u;
        tracer_.record(call, at(e.cycle), from_host || rsi ? c.fid & 0xFF : 0x40 | (c.fid & 0x1F));
        return;
    }
    tracer_.record(status, at(e.end), c.result & 0xFF);
    tracer_.record_idle(call, at(e.end));
}

} // namespace rmesim
