// Realms that run the code of an ELF image (image: FILE): the image read and checked before the
// run, laid out for the host to load with RMI_DATA_CREATE (measured, as KVM's VMM populates a
// realm), and run steps on its vCPUs, each an A64 core (model/a64_vcpu.hpp).
#include <algorithm>
#include <cinttypes>
#include <cstring>

#include "model/realm_image.hpp"
#include "model/simulation.hpp"
#include "model/text.hpp"

namespace rmesim
{

// The realm's image read before the run (realm_image.cpp), and its vCPUs' A64 cores
bool Simulation::load_image(RealmState &rs, std::string &error)
{
    const scn_realm &c = *rs.cfg;
    if (!c.image_file)
        return true;
    RealmImage image;
    if (!read_realm_image(s_, c, image, error))
        return false;
    rs.image = std::move(image.bytes);
    rs.image_ipa = image.ipa;
    rs.entry = image.entry;
    for (unsigned v = 0; v < c.vcpus; v++)
        rs.a64.push_back(std::make_unique<A64Vcpu>(c.name, v, *platform_));
    return true;
}

// run: the vCPU runs its code until the step's goal (an instruction count, a PC, a text in the
// devices' output), an idle WFI,
// or a REC exit the host does not come back from (stop_at:, SYSTEM_OFF, a refused memory fault).
void Simulation::do_run(const scn_step &step, CoreState &cs, StepResult &out)
{
    const scn_action &a = step.action;
    RealmState *built = begin_vcpu_step(step, cs, out);
    if (!built)
        return;
    RealmState &rs = *built;
    unsigned v = step.actor.vcpu;
    A64Vcpu &cpu = *rs.a64[v];
    A64Goal goal;
    goal.max_instructions = a.max_instructions;
    goal.has_pc = a.has_until_pc;
    goal.pc = a.until_pc;
    if (a.until_output) { /* the text in what the devices print from this step on */
        std::vector<size_t> before;
        for (unsigned d = 0; d < s_.platform.n_devices; d++)
            before.push_back(std::strlen(device_output(d)));
        std::string text = a.until_output;
        goal.output_reached = [this, before, text] {
            for (unsigned d = 0; d < before.size(); d++)
                if (std::strstr(device_output(d) + before[d], text.c_str()))
                    return true;
            return false;
        };
    }
    cpu.set_goal(goal);
    guest_program none{};
    RealmRun run{&cpu, v, &cs, &out};
    kvm_run_log log{};
    bool ok = run_program(rs, none, run, log, false, step.stop_at);
    observe_exits(log, -1, out);
    if (rs.stopped_by.empty())
        rs.stopped_by.resize(rs.cfg->vcpus);
    rs.stopped_by[v] = rs.kvm.pending[v] ? &step : nullptr;
    const char *end = run_end(log, rs.kvm, v);
    out.set("result", Observed::name(end ? end : "ok"));
    std::string why = cpu.ended();
    out.set("until", Observed::name(why == "trap" ? "exit" : why.empty() ? "exit" : why.c_str()));
    out.set("instructions", Observed::num(cpu.executed()));
    out.set("pc", Observed::num(cpu.state().pc));
    for (unsigned i = 0; i < 31; i++)
        out.set("gprs." + std::to_string(i), Observed::num(cpu.state().x[i]));
    if (!ok)
        note_run_failure(step, out, log, "the vCPU's run");
    kvm_run_log_free(&log);
}

} // namespace rmesim
