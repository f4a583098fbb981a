// A REC exit left pending (a step's `stop_at:`, or a memory fault the VMM refused) and the host
// step that answers it later (`complete:`), and what a realm's call returned.
#include <cinttypes>

#include "model/where.hpp"
#include "model/simulation.hpp"
#include "model/text.hpp"

extern "C" {
#include "rmm/psci.h"
}

namespace rmesim
{

// How a run ended when not at the host's kick: `pending` (it stopped at an exit, stop_at:), or
// `stopped` (the VMM refused a memory fault and stopped the vCPU); nullptr otherwise.
const char *Simulation::run_end(const kvm_run_log &log, const kvm_realm &kvm, unsigned v)
{
    if (kvm.pending[v])
        return "pending";
    const kvm_exit *last = log.n ? &log.exits[log.n - 1] : nullptr;
    if (last && last->action == KVM_ACT_MEMORY_FAULT && !last->vmm_converted)
        return "stopped";
    return nullptr;
}

// The host's answer to vCPU's pending exit as the step gives it; false (with the failure noted)
// when the step's answer does not fit the exit.
bool Simulation::answer_for(const scn_step &step, const kvm_exit &x, kvm_response &answer)
{
    const scn_action &a = step.action;
    const char *reason = scn_name_of(&scn_rec_exit_reasons, unsigned(x.reason));
    bool ripas = x.reason == RMI_EXIT_RIPAS_CHANGE;
    bool psci_completed = x.reason == RMI_EXIT_PSCI &&
                          (x.gpr0 == PSCI_CPU_ON_32 || x.gpr0 == PSCI_CPU_ON_64 ||
                           x.gpr0 == PSCI_AFFINITY_INFO_32 || x.gpr0 == PSCI_AFFINITY_INFO_64);
    const char *wrong = nullptr;
    if (a.has_response && !ripas)
        wrong = "response: answers a RIPAS_CHANGE exit";
    if (a.has_psci_status && !psci_completed)
        wrong = "status: answers a PSCI_CPU_ON or PSCI_AFFINITY_INFO exit";
    if (wrong) {
        run_error(fmt("%s: step '%s': %s; the pending exit is %s", where(s_, step.pos).c_str(),
                      step.id ? step.id : "?", wrong, reason ? reason : "?"));
        return false;
    }
    answer = kvm_response{};
    answer.ripas_reject = a.has_response && a.response == 1; /* RSI_REJECT */
    answer.has_psci_status = a.has_psci_status;
    answer.psci_status = a.psci_status;
    return true;
}

// complete: the host answers the exit an earlier step left pending, then runs the vCPU on (the
// rest of its guest's work) until the host's kick, as KVM_RUN does.
void Simulation::do_complete(const scn_step &step, CoreState &cs, StepResult &out)
{
    const scn_action &a = step.action;
    RealmState &rs = realms_[a.realm];
    unsigned v = a.vcpu;
    out.actor = "host";
    out.start_cycle = cs.core->now_cycles();
    const kvm_exit *pending = rs.built ? rs.kvm.pending[v] : nullptr;
    if (!pending) {
        run_error(fmt("%s: step '%s': %s.vcpu%u has no REC exit pending (an "
                      "earlier step of it stops at one with stop_at:)",
                      where(s_, step.pos).c_str(), out.step_id.c_str(), rs.cfg->name, v));
        return;
    }
    kvm_response answer;
    if (!answer_for(step, *pending, answer))
        return;
    const scn_step *stopped = rs.stopped_by.empty() ? nullptr : rs.stopped_by[v];
    guest_program none{};
    RealmRun run{rs.vcpus[v].get(), v, &cs, &out};
    kvm_run_log log{};
    bool ok = run_program(rs, none, run, log, false, step.stop_at, &answer);
    observe_exits(log, -1, out);
    rmm_rec *rec = rmm_rec_at(&sw_->the_rmm(), rs.kvm.recs[v]);
    rs.stopped_by[v] = rs.kvm.pending[v] ? stopped : nullptr;
    const char *end = run_end(log, rs.kvm, v);
    out.set("result", Observed::name(end ? end : "ok"));
    /* the call the pending exit interrupted, now that it returned */
    if (stopped && stopped->action.kind == SCN_ACT_RSI && rec && !rs.smc[v].pending)
        observe_call(rs, stopped->action, *rec, out);
    for (unsigned i = 0; rec && i < 31; i++)
        out.set("gprs." + std::to_string(i), Observed::num(rec->gprs[i]));
    if (!ok)
        note_run_failure(step, out, log, "the pending exit");
    kvm_run_log_free(&log);
}

// A run the host could not finish: what it failed at, as the last exit says.
void Simulation::note_run_failure(const scn_step &step, const StepResult &out,
                                  const kvm_run_log &log, const char *what)
{
    const kvm_exit *last = log.n ? &log.exits[log.n - 1] : nullptr;
    Core *core = Core::current();
    std::string cause = core ? pool_ran_dry(pool_failures_at_step_[core->index()]) : "";
    run_error(fmt("%s: step '%s': the host could not complete %s (%s)%s%s",
                  where(s_, step.pos).c_str(), out.step_id.c_str(), what,
                  !last              ? "no REC exit"
                  : last->rmi_status ? "REC_ENTER failed"
                                     : kvm_exit_action_name(last->action),
                  cause.empty() ? "" : ": ", cause.c_str()));
}

std::string Simulation::pool_ran_dry(uint64_t before)
{
    if (sw_->firmware().host_pool_failures() == before)
        return "";
    const scn_region &pool = s_.platform.memory[s_.platform.host_pool];
    return fmt("the host's pool (memory region '%s', %s bytes) ran out of pages; give host_pool "
               "a larger region",
               pool.name, hex(pool.size).c_str());
}

// What a realm's RSI or PSCI call returned: its status and outputs by name.
void Simulation::observe_call(RealmState &rs, const scn_action &a, const rmm_rec &rec,
                              StepResult &out)
{
    uint64_t fid = scn_rsi_fid(a.command);
    bool psci = a.command >= 0x80000000u;
    const char *st = scn_name_of(psci ? &scn_psci_status : &scn_rsi_status, unsigned(rec.gprs[0]));
    out.set("status", Observed::name(st ? st : psci ? "?" : "NOT_SUPPORTED"));
    if (psci)
        out.set("out.value", Observed::num(rec.gprs[0]));
    if (fid == RSI_REALM_CONFIG) {
        guest_realm_config_done(&rs.g, rec.gprs[0], rec.gprs[1]);
        out.set("ipa_bits", Observed::num(rec.gprs[1]));
    } else if (fid == RSI_VERSION) {
        out.set("out.lower", Observed::num(rec.gprs[1]));
        out.set("out.higher", Observed::num(rec.gprs[2]));
    } else if (fid == RSI_FEATURES) {
        out.set("out.value", Observed::num(rec.gprs[1]));
    } else if (fid == RSI_HOST_CALL) {
        out.set("out.value", Observed::num(rec.gprs[3])); /* the answer's X0 */
    } else if (fid == RSI_ATTESTATION_TOKEN_INIT) {
        out.set("out.size", Observed::num(rec.gprs[1])); /* upper bound of the token */
    } else if (fid == RSI_ATTESTATION_TOKEN_CONTINUE) {
        out.set("out.len", Observed::num(rec.gprs[1])); /* bytes written this call */
    } else if (fid == RSI_MEASUREMENT_READ) {
        out.set("out.value", Observed::num(rec.gprs[1])); /* its first 64 bits */
    } else if (fid == RSI_IPA_STATE_SET && rec.gprs[0] == RSI_SUCCESS) {
        out.set("out.new_base", Observed::num(rec.gprs[1])); /* how far the host went */
        const char *response = scn_name_of(&scn_rsi_responses, unsigned(rec.gprs[2]));
        out.set("out.response", Observed::name(response ? response : "?"));
    } else if (fid == RSI_IPA_STATE_GET) {
        out.set("out.out_top", Observed::num(rec.gprs[1]));
        const char *ripas = scn_name_of(&scn_ripas, unsigned(rec.gprs[2]));
        out.set("out.ripas", Observed::name(ripas ? ripas : "?"));
    }
}

} // namespace rmesim
