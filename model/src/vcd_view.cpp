#include "model/vcd_view.hpp"

#include <algorithm>

extern "C" {
#include "rmm/rmi.h"
}

namespace rmesim
{

VcdView::VcdView(Tracer &tracer, sc_core::sc_time period, unsigned cores,
                 const std::vector<std::string> &devices, const EnumNames *step_names)
    : tracer_(tracer), period_(period), cores_(cores)
{
    for (unsigned i = 0; i < cores; i++)
        cores_[i].declare(tracer, i, step_names);
    rmm_.declare(tracer);
    host_.declare(tracer);
    for (const std::string &name : devices) {
        devices_.emplace_back();
        devices_.back().declare(tracer, name);
    }
    /* host.rec_exit reads NONE until the first exit (the timeline starts a cycle in) */
    tracer.record(host_.rec_exit, period, 0xFF);
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
        /* the class and target of the last synchronous exception from when it is taken (an IRQ
         * has no syndrome); the core is at the target EL once its handler runs */
        const rme_ev_exception &x = e.u.exception;
        if (x.type == EXC_SYNC) {
            tracer_.record(c.exception_ec, at(e.cycle), x.esr >> 26);
            tracer_.record(c.exception_el, at(e.cycle), x.to_el);
        }
        tracer_.record(c.el, at(e.end), x.to_el);
        tracer_.record(c.sec_state, at(e.end), x.to_ss);
        break;
    }
    case RME_EV_ERET:
        tracer_.record(c.el, at(e.cycle), e.u.eret.to_el);
        tracer_.record(c.sec_state, at(e.cycle), e.u.eret.to_ss);
        break;
    case RME_EV_CALL:
    case RME_EV_CALL_RETURN:
        call(e);
        break;
    case RME_EV_REC_EXIT:
        if (!e.u.rec_exit.exit->rmi_status)
            tracer_.record(host_.rec_exit, at(e.cycle), e.u.rec_exit.exit->reason);
        break;
    case RME_EV_HOST_DECISION: {
        const kvm_exit &x = *e.u.rec_exit.exit;
        if (x.reason == RMI_EXIT_SYNC && !x.rmi_status)
            tracer_.record(host_.host_ipa, at(e.cycle), x.gpa);
        tracer_.record(host_.rec_exit, at(e.end), 0xFF);
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
        tracer_.record(c.access, at(e.cycle), 0);
        tracer_.record(c.pa, at(e.cycle), e.u.gpt.pa);
        tracer_.record(rmm_.gpt_op, at(e.end), e.u.gpt.pa);
        break;
    default:
        break;
    }
}

// The step's own accesses, and a guest's that are the step's instruction or fault, on the core's
// access signals: its inputs from its first cycle, its outcome in its last, the walk fetch by
// fetch as it happens.
void VcdView::access(CoreSignals &c, const rme_event &e)
{
    const rme_ev_access &r = e.u.access;
    const rme_access &a = *r.access;
    bool fault = a.fault != MMU_OK;
    if (r.origin != RME_ACC_STEP && !(r.origin == RME_ACC_GUEST && (r.primary || fault)))
        return; /* the guest's page-table writes, KVM's and the RMM's own: the log has them */
    sc_core::sc_time t = at(e.cycle), last = at(e.end > e.cycle + 1 ? e.end - 1 : e.cycle);
    bool two_stage = r.regime == MMU_NS_EL10 || r.regime == MMU_REALM_EL10;
    /* a GPF on the output, or on a walk (the PA the GPC checked), still has a PA and a GPI */
    bool translated = !fault || a.fault >= MMU_FAULT_GPF;
    const mmu_fetch *walk_gpf =
        fault && a.on_walk && a.n_fetches ? &a.fetches[a.n_fetches - 1] : nullptr;
    const gpc_result &g = walk_gpf ? walk_gpf->gpc : a.gpc;
    tracer_.record(c.el, t, r.el);
    tracer_.record(c.sec_state, t, r.ss);
    tracer_.record(c.access, t, a.kind == MMU_READ ? 1 : a.kind == MMU_WRITE ? 2 : 3);
    tracer_.record(c.va, t, a.va);
    tracer_.record(c.ipa, t, two_stage && (!fault || a.fault_stage != 1) ? a.ipa : 0);
    tracer_.record(c.pa, t, translated ? (walk_gpf ? walk_gpf->pa : a.pa) : 0);
    if (translated) {
        tracer_.record(c.pas, t, walk_gpf ? walk_gpf->pas : a.pas);
        if (g.gpi_found)
            tracer_.record(c.gpi, t, g.gpi);
    }
    tracer_.record(c.tlb, t, a.tlb == 1 ? 1 : a.tlb == 2 ? 2 : a.tlb == 0 ? 0 : 3);
    tracer_.record(c.walk_fetches, t, a.n_fetches);
    uint64_t when = e.cycle + a.cycles_tlb;
    for (unsigned i = 0; i < a.n_fetches; i++) {
        const mmu_fetch &f = a.fetches[i];
        tracer_.record(c.walk, std::min(at(when), last),
                       4u * f.stage + unsigned(std::max<int>(f.level, 0)));
        when += f.cycles;
    }
    tracer_.record(c.walk, a.n_fetches ? last : t, 0);
    tracer_.record(c.fault, t, 0);
    tracer_.record(c.gpt_level, last,
                   translated && (g.gpi_found || g.kind != GPC_OK) ? g.gpt_level : 0);
    /* the fault signal's values are the mmu_fault codes; memory's refusal is SEA */
    tracer_.record(c.fault, last, fault ? unsigned(a.fault) : r.reached_memory ? 0 : MMU_FAULT_SEA);
}

// The host's RMI call on rmm.rmi while the RMM handles it, then its status; a realm's RSI or PSCI
// call likewise on rmm.rsi (an RSI call by its FID's low byte, 0x90.., a PSCI call as 0x40 + its
// function number: PSCI_VERSION's low byte would read as NONE). The RMM's own calls to EL3 show
// as EL3 at work (GPT_TRANSITION).
void VcdView::call(const rme_event &e)
{
    const rme_ev_call &c = e.u.call;
    bool from_realm = c.caller_ss == RME_SS_REALM && c.caller_el == 1;
    bool from_host = c.caller_ss == RME_SS_NS;
    if (!from_realm && !from_host)
        return;
    if (e.kind == RME_EV_CALL) {
        bool rsi = (c.fid & 0xFFFFFF00u) == 0xC4000100u;
        tracer_.record(from_host ? rmm_.rmi : rmm_.rsi, at(e.cycle),
                       from_host || rsi ? c.fid & 0xFF : 0x40 | (c.fid & 0x1F));
        return;
    }
    tracer_.record(from_host ? rmm_.rmi_status : rmm_.rsi_status, at(e.end), c.result & 0xFF);
    tracer_.record(from_host ? rmm_.rmi : rmm_.rsi, at(e.end), 0);
}

} // namespace rmesim
