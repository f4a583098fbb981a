#include "model/vcd_view.hpp"

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
    CoreSignals &c = cores_[e.core];
    switch (e.kind) {
    case RME_EV_STEP_BEGIN: /* a realm's build (index 0) is part of the step that needs it */
        if (e.u.step_change.index)
            tracer_.record(c.step, at(e.cycle), e.u.step_change.index);
        break;
    case RME_EV_RUN_END:
        tracer_.record(c.step, at(e.cycle), 0);
        break;
    case RME_EV_GPT_TRANSITION:
        tracer_.record(rmm_.gpt_op, at(e.end), e.u.gpt.pa);
        break;
    case RME_EV_SOFTWARE:
        tracer_.record(c.software, at(e.cycle), e.u.software.to);
        break;
    case RME_EV_EXCEPTION:
        /* the class and target of the last synchronous exception (an IRQ has no syndrome) */
        if (e.u.exception.type == EXC_SYNC) {
            tracer_.record(c.exception_ec, at(e.cycle), e.u.exception.esr >> 26);
            tracer_.record(c.exception_el, at(e.cycle), e.u.exception.to_el);
        }
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
    default:
        break;
    }
}

} // namespace rmesim
