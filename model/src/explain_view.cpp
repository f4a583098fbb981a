#include "model/explain_view.hpp"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "model/cost.hpp"
#include "model/step_result.hpp"
#include "model/text.hpp"

extern "C" {
#include "cpu/a64_disasm.h"
#include "gpc/report.h"
#include "rmm/rmi.h"
#include "scenario/names.h"
}

namespace rmesim
{

namespace
{
const char *op_name(mmu_access_kind k)
{
    return k == MMU_READ ? "load" : k == MMU_WRITE ? "store" : "fetch";
}

// Whether the access's output address went through the GPC (not a TLB hit, not a walk fault).
bool output_checked(const rme_access &acc)
{
    return (acc.fault == MMU_OK || acc.fault >= MMU_FAULT_GPF) && !acc.on_walk && acc.tlb <= 0;
}

// The cycles of an access's event beyond the translation's: the data access's own memory time.
uint64_t memory_cycles(const rme_event &e)
{
    uint64_t translation = e.u.access.access->cycles;
    return e.end > e.cycle + translation ? e.end - e.cycle - translation : 0;
}
} // namespace

ExplainView::ExplainView(unsigned cores, std::vector<std::string> device_names,
                         ExplainPlatform platform)
    : stacks_(cores), devices_(std::move(device_names)), platform_(platform), decode_(platform)
{
}

// One line per descriptor fetch (stage, level, where, PAS, what it read, its cost), then the
// descriptor's fields (in a realm's stage 2, the RMM's RTT state) and the GPC's check of the
// fetch address with its own share of the cost.
void ExplainView::fetch_lines(Story &s, const rme_access &acc, bool realm) const
{
    decode_.fetch_lines(acc, realm, s.lines);
}

// The access for --json: every fetch decoded, the output's GPC check, the fault with its ESR
// decoded, and the cycles by stage.
void ExplainView::access_record(Story &s, const rme_event &e, const char *who) const
{
    const rme_ev_access &r = e.u.access;
    const rme_access &acc = *r.access;
    bool realm = r.origin == RME_ACC_GUEST;
    Json j;
    j.begin_object().field("record", "access").field("who", who).field("el", r.el);
    j.field("state", rme_sec_state_name(r.ss)).field("op", op_name(acc.kind));
    j.field("size", acc.size).hex("va", acc.va);
    if (realm)
        j.hex("ipa", acc.ipa);
    if (acc.fault == MMU_OK || (acc.fault >= MMU_FAULT_GPF && !acc.on_walk)) /* it had one */
        j.hex("pa", acc.pa).field("pas", rme_pas_name(acc.pas));
    j.field("tlb", acc.tlb);
    j.begin_array("fetches");
    for (unsigned i = 0; i < acc.n_fetches; i++)
        decode_.json_fetch(j, acc.fetches[i], realm);
    j.end_array();
    if (output_checked(acc))
        decode_.json_gpc(j, "output_gpc", acc.gpc, acc.pa);
    j.field("fault", mmu_fault_name(acc.fault));
    if (acc.fault != MMU_OK) {
        j.field("fault_stage", acc.fault_stage).field("fault_level", acc.fault_level);
        j.field("on_walk", acc.on_walk).field("target_el", acc.target_el);
        ExplainDecoder::json_esr(j, "esr", acc.esr);
        j.hex("far", acc.far);
        if (acc.hpfar_valid)
            j.hex("hpfar", acc.hpfar);
    } else {
        j.field("reached_memory", r.reached_memory);
        if (r.reached_memory)
            j.hex("value", r.value);
    }
    decode_.json_split(j, acc, memory_cycles(e));
    s.records.push_back(j.end_object().str());
}

// An exception's syndrome: a line with every field by name, and a record for --json.
void ExplainView::esr_record(Story &s, const char *what, unsigned to_el, uint64_t esr,
                             uint64_t far) const
{
    s.lines.push_back("            ESR: " + ExplainDecoder::esr(esr));
    Json j;
    j.begin_object().field("record", what);
    if (to_el)
        j.field("to_el", to_el);
    ExplainDecoder::json_esr(j, "esr", esr);
    s.records.push_back(j.hex("far", far).end_object().str());
}

void ExplainView::on_event(const rme_event &e)
{
    std::vector<Story> &stack = stacks_[e.core];
    if (e.kind == RME_EV_STEP_BEGIN) {
        stack.emplace_back();
        return;
    }
    if (e.kind == RME_EV_STEP_END) {
        step_end(stack, e);
        return;
    }
    if (stack.empty()) /* before the first step, after the last: nothing to tell it in */
        return;
    Story &s = stack.back();
    switch (e.kind) {
    case RME_EV_ACCESS:
        if (e.u.access.origin == RME_ACC_STEP)
            step_access(s, e);
        else if (e.u.access.origin == RME_ACC_GUEST)
            guest_access(s, e);
        else if (e.u.access.origin == RME_ACC_RMM)
            rmm_access(s, e);
        break;
    case RME_EV_EXCEPTION: {
        const rme_ev_exception &x = e.u.exception;
        if (x.source == RME_EXC_INJECTED) {
            s.lines.push_back(fmt("%-9s takes the SEA the RMM injected: ESR_EL1 %s, ELR_EL1 "
                                  "%s; the step ends",
                                  "realm", hex(x.esr).c_str(), hex(x.elr).c_str()));
            esr_record(s, "injected_sea", 1, x.esr, x.far);
        } else if (x.source == RME_EXC_ABORT && s.step_fault) {
            s.step_fault = false;
            const char *ec = scn_name_of(&scn_ec_names, unsigned(x.esr >> 26));
            s.lines.push_back(fmt("%-9s %s to EL%u: ESR %s (EC %s), FAR %s%s", "exception",
                                  x.esr >> 26 == 0x1E ? "GPC exception" : "abort", x.to_el,
                                  hex(x.esr).c_str(), ec ? ec : "?", hex(x.far).c_str(),
                                  x.mfar_valid ? (", MFAR " + hex(x.mfar)).c_str() : ""));
            esr_record(s, "exception", x.to_el, x.esr, x.far);
        }
        break;
    }
    case RME_EV_CALL:
        if (e.u.call.caller_ss == RME_SS_REALM && e.u.call.caller_el == 1)
            s.lines.push_back(fmt("%-9s SMC %s(%s) -> R-EL2", "realm", e.u.call.name,
                                  hex(e.u.call.args[0]).c_str()));
        else if (e.u.call.caller_ss == RME_SS_NS)
            s.rmm_gpf = false; /* the RMM's failures are told per call */
        break;
    case RME_EV_CALL_RETURN:
        call_return(s, e);
        break;
    case RME_EV_TLBI: {
        const rme_ev_tlbi &t = e.u.tlbi;
        if (!t.primary)
            break;
        std::string dropped = counted(t.dropped, "cached entry", "cached entries");
        if (t.from_realm)
            s.lines.push_back(fmt("%-9s TLBI from R-EL1%s: %s dropped", "realm",
                                  t.broadcast ? " (broadcast)" : "", dropped.c_str()));
        else
            s.lines.push_back(fmt("%-9s TLBI %s%s: %s dropped", "tlbi", t.op,
                                  t.broadcast ? " (broadcast)" : "", dropped.c_str()));
        break;
    }
    case RME_EV_GPT_TRANSITION:
        gpt_transition(s, e);
        break;
    case RME_EV_GPT_WRITE:
        s.lines.push_back(fmt("%-9s raw write of GPI %s for %s, no TLBI (caches may keep the old "
                              "result)",
                              "el3", gpi_name(e.u.gpt.gpi), hex(e.u.gpt.pa).c_str()));
        break;
    case RME_EV_EL3_MAP:
        s.lines.push_back(fmt("%-9s maps the 1GB block at %s in the %s PAS (EL3 table entry "
                              "%s = %s), TLBI ALLE3",
                              "el3", hex(e.u.el3_map.va).c_str(), rme_pas_name(e.u.el3_map.pas),
                              hex(e.u.el3_map.entry).c_str(), hex(e.u.el3_map.desc).c_str()));
        break;
    case RME_EV_HOST_LOOKUP:
        s.lines.push_back(
            fmt("%-9s IPA %s of realm '%s' is backed by %s %s (%s)", "host",
                hex(e.u.lookup.ipa).c_str(), e.u.lookup.realm,
                e.u.lookup.shared ? "the VMM's page" : "the delegated granule",
                hex(e.u.lookup.pa).c_str(),
                e.u.lookup.shared ? "shared backing" : "private backing, guest_memfd"));
        break;
    case RME_EV_REC_EXIT: /* the host's account goes here, before what handling it caused */
        s.exit_at = s.lines.size();
        break;
    case RME_EV_HOST_DECISION: {
        const kvm_exit &x = *e.u.rec_exit.exit;
        std::string line;
        const char *reason = scn_name_of(&scn_rec_exit_reasons, unsigned(x.reason));
        if (x.rmi_status)
            line = fmt("%-9s REC_ENTER failed with %s", "host",
                       scn_name_of(&scn_rmi_status, rmi_status_of(x.rmi_status)));
        else if (x.reason == RMI_EXIT_SYNC)
            line = fmt("%-9s REC exit SYNC: ESR %s, HPFAR %s, FAR %s -> IPA %s, without the "
                       "stolen bit %s: %s",
                       "host", hex(x.esr).c_str(), hex(x.hpfar).c_str(), hex(x.far).c_str(),
                       hex(x.ipa).c_str(), hex(x.gpa).c_str(), kvm_exit_action_name(x.action));
        else
            line = fmt("%-9s REC exit %s: %s", "host", reason ? reason : "?",
                       kvm_exit_action_name(x.action));
        if (x.action == KVM_ACT_MEMORY_FAULT)
            line += fmt(" (KVM_EXIT_MEMORY_FAULT to the VMM: GPA %s, size %s, %s): %s",
                        hex(x.mf_gpa).c_str(), hex(x.mf_size).c_str(),
                        x.mf_private ? "to private" : "to shared",
                        x.vmm_converted ? "it converts (KVM_SET_MEMORY_ATTRIBUTES) and runs again"
                                        : "it refuses, and the vCPU stops");
        if (x.action == KVM_ACT_STOPPED)
            line += " (the host stops here: the exit stays pending)";
        if (x.action == KVM_ACT_RIPAS_REJECT)
            line += " (no RMI_RTT_SET_RIPAS)";
        if (x.reenters)
            line += x.enter_flags & RMI_ENTER_EMUL_MMIO    ? "; re-enters with EMUL_MMIO"
                    : x.enter_flags & RMI_ENTER_INJECT_SEA ? "; re-enters with INJECT_SEA"
                    : x.enter_flags & RMI_ENTER_RIPAS_RESPONSE
                        ? "; re-enters with RIPAS_RESPONSE REJECT"
                        : "; re-enters";
        if (x.rmi_status) { /* no exit to read: the host learns it from the call's status */
            s.lines.push_back(line);
        } else {
            auto at = s.lines.begin() + long(std::min(s.exit_at, s.lines.size()));
            if (x.reason == RMI_EXIT_SYNC) { /* the ESR as the RMM lets the host see it */
                Story exit;
                esr_record(exit, "rec_exit", 0, x.esr, x.far);
                exit.lines[0].replace(exit.lines[0].find("ESR:"), 4, "ESR as the RMM exposes it:");
                at = s.lines.insert(at, exit.lines[0]);
                s.records.push_back(exit.records[0]);
            }
            s.lines.insert(at, line);
        }
        break;
    }
    case RME_EV_MMIO: {
        const rme_ev_mmio &m = e.u.mmio;
        s.lines.push_back(fmt("%-9s %s emulates a %u-byte %s at offset %s: %s", "vmm",
                              devices_[m.device].c_str(), m.size, m.write ? "write" : "read",
                              hex(m.offset).c_str(), hex(m.value).c_str()));
        break;
    }
    case RME_EV_REALM_BUILT: {
        const rme_ev_realm &r = e.u.realm;
        s.lines.push_back(fmt("%-9s realm '%s' ACTIVE: RD %s, %s at level %d (%s), VMID %u, "
                              "%s delegated",
                              "host", r.name, hex(r.rd).c_str(),
                              counted(r.num_start, "starting RTT").c_str(), r.start_level,
                              hex(r.rtt_base).c_str(), r.vmid,
                              counted(r.granules, "granule").c_str()));
        break;
    }
    case RME_EV_REALM_DESTROYED: {
        const rme_ev_realm &r = e.u.realm;
        if (r.failed_fid) {
            const char *name = scn_name_of(&scn_rmi_commands, unsigned(r.failed_fid & 0xFFFF));
            s.lines.push_back(
                fmt("%-9s teardown stopped: RMI_%s failed", "host", name ? name : "?"));
        } else {
            s.lines.push_back(fmt("%-9s realm '%s' destroyed, %s undelegated", "host", r.name,
                                  counted(r.granules, "granule").c_str()));
        }
        break;
    }
    case RME_EV_GUEST_RUN_BEGIN:
    case RME_EV_GUEST_RUN_END:
        guest_run(stack, e);
        break;
    default:
        break;
    }
}

// A host's or EL3's own access: each stage, and of a repeated one (count) the first, the last
// and any that faulted, with how many passed in between.
void ExplainView::step_access(Story &s, const rme_event &e)
{
    const rme_ev_access &r = e.u.access;
    const rme_access &acc = *r.access;
    size_t keep = s.lines.size();
    s.lines.push_back(fmt("%-9s %s EL%u, %s state, %u-byte %s of VA %s", "access",
                          r.el == 3 ? "el3" : "host", r.el, rme_sec_state_name(r.ss), acc.size,
                          op_name(acc.kind), hex(acc.va).c_str()));
    fetch_lines(s, acc, false);
    if (acc.tlb > 0)
        s.lines.push_back(fmt("%-9s %s hit: PA %s, %s PAS, GPI %s (no walk) [%s]", "TLB",
                              acc.tlb == 1 ? "L1" : "L2", hex(acc.pa).c_str(),
                              rme_pas_name(acc.pas), gpi_name(acc.gpc.gpi),
                              decode_.cycles(acc.cycles_tlb).c_str()));
    bool fault = acc.fault != MMU_OK;
    if (output_checked(acc))
        s.lines.push_back(fmt("%-9s PA %s, %s PAS: %s", "GPC", hex(acc.pa).c_str(),
                              rme_pas_name(acc.pas), decode_.gpc(acc.gpc, acc.pa).c_str()));
    if (!fault && !r.reached_memory) {
        fault = true; /* memory refused it: a synchronous External abort */
        s.lines.push_back(fmt("%-9s PA %s: %s -> synchronous External abort", "memory",
                              hex(acc.pa).c_str(), r.target ? r.target : "nothing there"));
    } else if (!fault) {
        bool store = acc.kind == MMU_WRITE;
        s.lines.push_back(fmt("%-9s %s %s %s %s", "memory", store ? "wrote" : "read",
                              hex(r.value).c_str(), store ? "to" : "from",
                              r.target ? r.target : "?"));
    }
    s.lines.push_back(fmt("%-9s %s", "cycles", decode_.split(acc, memory_cycles(e)).c_str()));
    s.step_fault = fault;
    bool quiet = r.repeat > 0 && r.repeat + 1 < r.repeats;
    if (!quiet || fault)
        access_record(s, e, r.el == 3 ? "el3" : "host");
    if (quiet && !fault)
        s.lines.resize(keep);
    else if (r.repeat > 0 && !fault && keep)
        s.lines.insert(s.lines.begin() + long(keep),
                       "  ... " + counted(r.repeat - 1, "access", "accesses") + " in between ...");
}

// A realm guest's instruction: the step's own, told once with its walk; a fault, told always.
void ExplainView::guest_access(Story &s, const rme_event &e)
{
    const rme_ev_access &r = e.u.access;
    const rme_access &acc = *r.access;
    bool first = r.primary && !s.primary_seen;
    bool told = first; /* this access is in the story: its output check and cycles follow */
    if (first) {
        s.primary_seen = true;
        s.lines.push_back(fmt("%-9s %s.vcpu%u R-EL1, %u-byte %s of VA %s", "access",
                              s.realm.c_str(), s.vcpu, acc.size, op_name(acc.kind),
                              hex(acc.va).c_str()));
        fetch_lines(s, acc, true);
        if (acc.tlb > 0)
            s.lines.push_back(fmt("%-9s %s hit: IPA %s, PA %s (no walk) [%s]", "TLB",
                                  acc.tlb == 1 ? "L1" : "L2", hex(acc.ipa).c_str(),
                                  hex(acc.pa).c_str(), decode_.cycles(acc.cycles_tlb).c_str()));
    }
    bool retry =
        !first && acc.fault == MMU_OK && r.reached_memory && r.primary && !s.primary_explained;
    if (retry && acc.n_fetches) { /* the retry after the host's fix */
        s.lines.push_back(fmt("%-9s again after the host's answer:", "access"));
        fetch_lines(s, acc, true);
    }
    if ((told || retry) && output_checked(acc))
        s.lines.push_back(fmt("%-9s PA %s, %s PAS: %s", "GPC", hex(acc.pa).c_str(),
                              rme_pas_name(acc.pas), decode_.gpc(acc.gpc, acc.pa).c_str()));
    if (acc.fault != MMU_OK && r.has_pc) { /* real code: the instruction that faulted */
        char text[96];
        a64_disasm(r.insn, r.pc, text, sizeof text);
        s.lines.push_back(fmt("%-9s PC %s: %s (a %u-byte %s of VA %s)", "code", hex(r.pc).c_str(),
                              r.insn || acc.kind != MMU_FETCH ? text : "?", acc.size,
                              op_name(acc.kind), hex(acc.va).c_str()));
        if (!told) /* its walk, as a step's own access is told */
            fetch_lines(s, acc, true);
    }
    if (acc.fault != MMU_OK && acc.target_el == 2) {
        s.lines.push_back(fmt("%-9s %s at stage %u level %d%s -> R-EL2: ESR_EL2 %s, "
                              "FAR_EL2 %s, HPFAR_EL2 %s (IPA %s)",
                              "abort", mmu_fault_name(acc.fault), acc.fault_stage, acc.fault_level,
                              acc.on_walk ? " on a walk" : "", hex(acc.esr).c_str(),
                              hex(acc.far).c_str(), hex(acc.hpfar).c_str(),
                              hex((acc.hpfar >> 4) << 12).c_str()));
        s.lines.push_back("            ESR: " + ExplainDecoder::esr(acc.esr));
        told = true;
    } else if (acc.fault != MMU_OK) { /* the guest's own: Linux would oops; the step ends */
        if (acc.fault >= MMU_FAULT_GPF && !acc.on_walk)
            s.lines.push_back(
                fmt("%-9s %s on the output PA %s (%s PAS, GPI %s), taken at "
                    "R-EL1 (ESR %s)%s",
                    "realm", mmu_fault_name(acc.fault), hex(acc.pa).c_str(), rme_pas_name(acc.pas),
                    acc.gpc.gpi_found ? gpi_name(acc.gpc.gpi) : "-", hex(acc.esr).c_str(),
                    r.has_pc ? ": its code's own vector (VBAR_EL1) takes it" : "; the step ends"));
        else
            s.lines.push_back(
                fmt("%-9s %s at stage 1 level %d, taken at R-EL1 (ESR %s)%s", "realm",
                    mmu_fault_name(acc.fault), acc.fault_level, hex(acc.esr).c_str(),
                    r.has_pc ? ": its code's own vector (VBAR_EL1) takes it" : "; the step ends"));
        s.lines.push_back("            ESR: " + ExplainDecoder::esr(acc.esr));
        told = true;
    } else if (r.reached_memory && r.primary) {
        /* of a repeated access (count), the first only */
        if (!s.primary_explained) {
            s.lines.push_back(fmt("%-9s %s PA %s in the %s PAS (GPI %s): %s", "memory",
                                  acc.kind == MMU_WRITE ? "wrote" : "read", hex(acc.pa).c_str(),
                                  rme_pas_name(acc.pas),
                                  acc.gpc.gpi_found ? gpi_name(acc.gpc.gpi) : "-",
                                  hex(r.value).c_str()));
            told = true;
        }
        s.primary_explained = true;
    }
    if (told) {
        s.lines.push_back(fmt("%-9s %s", "cycles", decode_.split(acc, memory_cycles(e)).c_str()));
        access_record(s, e, "realm");
    }
}

// The RMM's own access to a granule it holds (Realm PAS, VA = PA) that failed: told with the
// call, as TF-RMM would panic there.
void ExplainView::rmm_access(Story &s, const rme_event &e)
{
    const rme_ev_access &r = e.u.access;
    const rme_access &acc = *r.access;
    bool realm_pas = acc.va < (1ull << 47); /* below the RMM's NS window */
    if (s.rmm_gpf || !realm_pas || (acc.fault == MMU_OK && r.reached_memory))
        return;
    s.rmm_gpf = true;
    s.rmm_gpf_pa = acc.va;
    s.rmm_gpf_found = acc.gpc.gpi_found;
    s.rmm_gpf_gpi = acc.gpc.gpi;
}

void ExplainView::call_return(Story &s, const rme_event &e)
{
    const rme_ev_call &c = e.u.call;
    if (c.caller_ss == RME_SS_REALM && c.caller_el == 2 && c.n_args) { /* the RMM's GTSI call */
        s.lines.push_back(std::string("  el3      SMC_RMM_GTSI_") +
                          (c.fid == 0xC40001B0u ? "DELEGATE " : "UNDELEGATE ") + hex(c.args[0]) +
                          ": " + (s.gtsi_rc == 0 ? "done" : "refused") + " (" +
                          std::to_string(s.gtsi_ops) + " GPT operations, " +
                          decode_.cycles(s.gtsi_cycles) + ")");
        return;
    }
    if (c.caller_ss != RME_SS_NS)
        return;
    if (s.rmm_gpf) {
        s.rmm_gpf = false;
        s.lines.push_back(fmt("%-9s the RMM's own access to PA %s (Realm PAS) took a GPF: "
                              "GPI %s. On hardware the RMM would panic here",
                              "rmm", hex(s.rmm_gpf_pa).c_str(),
                              s.rmm_gpf_found ? gpi_name(s.rmm_gpf_gpi) : "?"));
    }
    std::string args;
    for (unsigned i = 0; i < c.n_args; i++)
        args += std::string(i ? ", " : "") + c.arg_names[i] + " " + hex(c.args[i]);
    s.lines.push_back(fmt("%-9s %s(%s) -> %s, index %u [%s]", "rmi", c.name, args.c_str(), c.status,
                          c.index, decode_.cycles(e.end - e.cycle).c_str()));
}

// An EL3 step's transition: the granule, then each write, barrier and maintenance operation.
// The RMM's (a GTSI call) is told with the call's return.
void ExplainView::gpt_transition(Story &s, const rme_event &e)
{
    const rme_ev_gpt_transition &t = e.u.gpt;
    if (t.by_call) {
        s.gtsi_ops = t.log->n;
        s.gtsi_cycles = t.log->cycles;
        s.gtsi_rc = t.rc;
        return;
    }
    s.lines.push_back(fmt("%-9s granule %s -> %s for a %s caller: %s", "el3", hex(t.pa).c_str(),
                          gpi_name(t.gpi), rme_sec_state_name(t.caller),
                          t.rc == 0        ? "done"
                          : t.rc == -EPERM ? "-EPERM"
                                           : "-EINVAL"));
    const gpt_op_log &log = *t.log;
    for (unsigned i = 0; i < log.n; i++) {
        const gpt_op &o = log.ops[i];
        switch (o.kind) {
        case GPT_OP_WRITE: {
            // Consecutive words written with one value (a shatter or a fuse) on one line.
            unsigned n = 1;
            while (i + n < log.n && log.ops[i + n].kind == GPT_OP_WRITE &&
                   log.ops[i + n].value == o.value && log.ops[i + n].addr == o.addr + 8 * n)
                n++;
            if (n == 1)
                s.lines.push_back(fmt("  write     GPT entry %s = %s", hex(o.addr).c_str(),
                                      hex(o.value).c_str()));
            else
                s.lines.push_back(fmt("  write     GPT entries %s..%s (%u words) = %s",
                                      hex(o.addr).c_str(), hex(o.addr + 8 * (n - 1)).c_str(), n,
                                      hex(o.value).c_str()));
            i += n - 1;
            break;
        }
        case GPT_OP_DSB:
            s.lines.push_back("  dsb");
            break;
        case GPT_OP_TLBI_RPALOS:
            s.lines.push_back(
                fmt("  tlbi      RPALOS %s (%s bytes)", hex(o.value).c_str(), hex(o.size).c_str()));
            break;
        case GPT_OP_CMO_POPA:
            s.lines.push_back(fmt("  dc        CIPAPA %s..+%s in the %s PAS", hex(o.addr).c_str(),
                                  hex(o.size).c_str(), rme_pas_name(o.pas)));
            break;
        default: /* register writes, ISB, PAALLOS: only the enable sequence has them */
            break;
        }
    }
}

// A guest's boot is a story of its own, told inside the step's (its RMI calls left out: they
// are many); a step's run opens with how many instructions ran and how many exits it took.
void ExplainView::guest_run(std::vector<Story> &stack, const rme_event &e)
{
    const rme_ev_guest_run &r = e.u.run;
    if (e.kind == RME_EV_GUEST_RUN_BEGIN) {
        if (r.boot)
            stack.emplace_back();
        Story &s = stack.back();
        s.boot = r.boot;
        s.realm = r.realm;
        s.vcpu = r.vcpu;
        s.primary_seen = s.primary_explained = false;
        return;
    }
    if (!r.boot) {
        Story &s = stack.back();
        if (r.instructions == 0 && r.executed) /* real code: no script, what ran is what counts */
            s.lines.insert(s.lines.begin(), fmt("%-9s %s executed, %s", "guest",
                                                counted(r.executed, "A64 instruction").c_str(),
                                                counted(r.exits, "REC exit").c_str()));
        else
            s.lines.insert(s.lines.begin(),
                           fmt("%-9s %s for this step, %" PRIu64 " executed, %s", "guest",
                               counted(r.instructions, "instruction").c_str(), r.executed,
                               counted(r.exits, "REC exit").c_str()));
        return;
    }
    Story boot = std::move(stack.back());
    stack.pop_back();
    Story &s = stack.back();
    s.lines.push_back(fmt("%-9s %s boots: %s (tables, MMU, RSI_VERSION, RSI_REALM_CONFIG, "
                          "RSI_IPA_STATE_SET of its RAM), %s",
                          "guest", r.realm, counted(r.instructions, "instruction").c_str(),
                          counted(r.exits, "REC exit").c_str()));
    for (const std::string &line : boot.lines)
        if (line.compare(0, 3, "rmi") != 0)
            s.lines.push_back("  " + line);
}

} // namespace rmesim
