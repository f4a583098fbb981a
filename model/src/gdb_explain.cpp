// `monitor explain` of the GDB server: the last data access (or faulting fetch) the realm
// vCPUs' code made, told from its ACCESS record as `rmesim explain` tells a guest's access
// (ExplainDecoder's descriptor, GPC and ESR decoding): the instruction, VA, the walk, IPA, PA,
// PAS, GPI, the fault and its syndrome, the cycles.
#include <cstdio>

#include "model/gdb_server.hpp"
#include "model/text.hpp"

extern "C" {
#include "cpu/a64_disasm.h"
#include "gpc/gpt_desc.h"
}

namespace rmesim
{

void GdbServer::on_event(const rme_event &e)
{
    if (e.kind != RME_EV_ACCESS)
        return;
    const rme_ev_access &r = e.u.access;
    if (r.origin != RME_ACC_GUEST || !r.has_pc ||
        (r.access->kind == MMU_FETCH && r.access->fault == MMU_OK))
        return;
    last_ = r;
    last_access_ = *r.access; /* the record's pointer lives only during the emit */
    last_.access = &last_access_;
    last_core_ = e.core;
    uint64_t took = e.end - e.cycle;
    last_memory_cycles_ = took > r.access->cycles ? took - r.access->cycles : 0;
    have_last_ = true;
}

std::string GdbServer::explain_last() const
{
    if (!have_last_)
        return "no data access by the realm's code yet\n";
    const rme_access &a = last_access_;
    ExplainDecoder decode(explain_);
    char insn[96];
    a64_disasm(last_.insn, last_.pc, insn, sizeof insn);
    const char *op = a.kind == MMU_READ ? "load" : a.kind == MMU_WRITE ? "store" : "fetch";
    std::vector<std::string> lines;
    lines.push_back(fmt("%-9s PC %s: %s", "code", hex(last_.pc).c_str(),
                        last_.insn || a.kind != MMU_FETCH ? insn : "?"));
    lines.push_back(fmt("%-9s core%u, R-EL%u, %u-byte %s of VA %s", "access", last_core_, last_.el,
                        a.size, op, hex(a.va).c_str()));
    decode.fetch_lines(a, true, lines);
    if (a.tlb > 0)
        lines.push_back(fmt("%-9s %s hit (no walk)", "TLB", a.tlb == 1 ? "L1" : "L2"));
    bool had_output = a.fault == MMU_OK || (a.fault >= MMU_FAULT_GPF && !a.on_walk);
    if (had_output)
        lines.push_back(fmt("%-9s IPA %s -> PA %s, %s PAS, GPI %s", "output", hex(a.ipa).c_str(),
                            hex(a.pa).c_str(), rme_pas_name(a.pas),
                            a.gpc.gpi_found ? gpi_name(a.gpc.gpi) : "(not checked)"));
    if (a.fault != MMU_OK) {
        lines.push_back(fmt(
            "%-9s %s at stage %u level %d%s -> EL%u: ESR %s, FAR %s%s", "fault",
            mmu_fault_name(a.fault), a.fault_stage, a.fault_level, a.on_walk ? " on a walk" : "",
            a.target_el, hex(a.esr).c_str(), hex(a.far).c_str(),
            a.hpfar_valid
                ? (", HPFAR " + hex(a.hpfar) + " (IPA " + hex((a.hpfar >> 4) << 12) + ")").c_str()
                : ""));
        lines.push_back("          ESR: " + ExplainDecoder::esr(a.esr));
    } else if (last_.reached_memory) {
        lines.push_back(fmt("%-9s %s %s", "memory", a.kind == MMU_WRITE ? "wrote" : "read",
                            hex(last_.value).c_str()));
    } else {
        lines.push_back(fmt("%-9s refused: a synchronous External abort", "memory"));
    }
    lines.push_back(fmt("%-9s %s", "cycles", decode.split(a, last_memory_cycles_).c_str()));
    std::string text;
    for (const std::string &l : lines)
        text += l + "\n";
    return text;
}

} // namespace rmesim
