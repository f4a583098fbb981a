// Realms end to end: the host (host/kvm.c) builds them and runs their vCPUs as KVM_RUN does,
// every RMI call a timed SMC through EL3; the RMM enters the REC and the guest's instructions
// (realm/guest.c) run on the same core through the realm's stage 1, stage 2 and the GPC, until
// a trap brings it back to R-EL2; the host sees the REC exit and, for MMIO, its VMM's device.
#include <cinttypes>
#include <cstdarg>
#include <cstring>

#include "model/simulation.hpp"
#include "model/text.hpp"

extern "C" {
#include "rmm/psci.h"
}

namespace rmesim
{

using namespace sc_core;

namespace
{

// TCR_ELx.IPS / PS (D24.2): the output size in bits
unsigned ips_bits(uint64_t ips)
{
    static const unsigned bits[8] = {32, 36, 40, 42, 44, 48, 52, 52};
    return bits[ips & 7];
}

// The realm's EL1&0 regime as the RMM programs the PE on entry: the REC's EL1 registers for
// stage 1, the realm's RTT (VTTBR = rtt_base, VTCR from its IPA width and start level) for
// stage 2, its VMID.
mmu_regime realm_regime(const rmm_rec &rec, unsigned pa_bits)
{
    const rmm_realm &realm = *rec.realm;
    mmu_regime r{};
    r.kind = MMU_REALM_EL10;
    r.el = 1;
    r.ss = RME_SS_REALM;
    r.vmid = realm.vmid;
    r.s1.enabled = rec.el1.sctlr & 1;
    r.s1.granule_bits = 12;
    r.s1.ttbr[0] = rec.el1.ttbr0 & 0x0000FFFFFFFFFFFEull;
    r.s1.ttbr[1] = rec.el1.ttbr1 & 0x0000FFFFFFFFFFFEull;
    r.s1.tsz[0] = unsigned(rec.el1.tcr & 0x3F);
    r.s1.tsz[1] = unsigned((rec.el1.tcr >> 16) & 0x3F);
    r.s1.two_ranges = true;
    r.s1.oa_bits = ips_bits(rec.el1.tcr >> 32);
    r.s1.mair = rec.el1.mair;
    r.s1.asid = uint16_t(rec.el1.ttbr0 >> 48);
    r.s2.enabled = true;
    r.s2.granule_bits = 12;
    r.s2.ttbr[0] = realm.rtt_base;
    r.s2.tsz[0] = 64 - realm.ipa_bits;
    r.s2.start_level = realm.start_level;
    r.s2.concat = realm.num_start;
    r.s2.oa_bits = pa_bits;
    return r;
}

} // namespace

// A one-stage regime on one of the platform's block maps (host, EL3, RMM): 48-bit VAs from
// TTBR0, 4KB granule, MAIR attribute 0 Device-nGnRnE and 1 Normal write-back.
mmu_regime Simulation::single_stage_regime(mmu_regime_kind kind, unsigned el, rme_sec_state ss,
                                           uint64_t ttbr) const
{
    mmu_regime r{};
    r.kind = kind;
    r.el = el;
    r.ss = ss;
    r.s1.enabled = true;
    r.s1.granule_bits = 12;
    r.s1.ttbr[0] = ttbr;
    r.s1.tsz[0] = 16;
    r.s1.oa_bits = s_.platform.pa_range;
    r.s1.mair = 0xFF00;
    return r;
}

int Simulation::device_at(uint64_t addr) const
{
    for (size_t i = 0; i < s_.platform.n_devices; i++) {
        const scn_device &d = s_.platform.devices[i];
        if (addr - d.base < d.size)
            return int(i);
    }
    return -1;
}

// ---- the host's environment ---------------------------------------------------------------

kvm_env Simulation::host_env(CoreState &cs)
{
    (void)cs; /* the callbacks find their core with here() */
    return kvm_env{this,
                   &Simulation::kvm_rmi,
                   &Simulation::kvm_access,
                   &Simulation::kvm_alloc,
                   &Simulation::kvm_mmio,
                   &Simulation::kvm_exit_seen,
                   &Simulation::kvm_exit_handled};
}

void Simulation::kvm_rmi(void *ctx, const uint64_t in[8], uint64_t out[8])
{
    auto *sim = static_cast<Simulation *>(ctx);
    CoreState &cs = sim->here();
    sim->rmi_call(cs, in, out, *cs.host_result);
}

bool Simulation::kvm_access(void *ctx, uint64_t pa, bool write, uint64_t *value)
{
    auto *sim = static_cast<Simulation *>(ctx);
    return sim->host_access(sim->here(), pa, write, value);
}

uint64_t Simulation::kvm_alloc(void *ctx)
{
    return pool_alloc(&static_cast<Simulation *>(ctx)->host_pool_);
}

// The VMM: the device that claims the guest-physical address emulates the access.
bool Simulation::kvm_mmio(void *ctx, uint64_t gpa, bool write, unsigned size, uint64_t *value)
{
    auto *sim = static_cast<Simulation *>(ctx);
    CoreState &cs = sim->here();
    cs.core->charge(sim->s_.platform.timing[TIMING_VMM_MMIO_EXIT]);
    int d = sim->device_at(gpa);
    if (d < 0) {
        if (!write)
            *value = 0; /* kvmtool: an access nothing claims reads as zero */
        return false;
    }
    uint64_t off = gpa - sim->s_.platform.devices[d].base;
    vdev *dev = sim->devices_[size_t(d)];
    bool ok = write ? vdev_write(dev, off, size, *value) : vdev_read(dev, off, size, value);
    sc_time t = sim->core_now(cs);
    const DeviceSignals &ds = sim->device_signals_[size_t(d)];
    sim->tracer_->record(ds.offset, t, off);
    sim->tracer_->record(ds.value, t, *value);
    sim->tracer_->record(ds.write, t, write);
    sim->tracer_->record(sim->host_signals_.mmio, t, 1);
    sim->tracer_->record(sim->host_signals_.mmio, t + sim->period_, 0);
    if (cs.host_result)
        cs.host_result->explain.push_back(fmt("%-9s %s emulates a %u-byte %s at offset %s: %s",
                                              "vmm", dev->name, size, write ? "write" : "read",
                                              hex(off).c_str(), hex(*value).c_str()));
    return ok;
}

// The host reads the exit: host.rec_exit shows its reason until the host has handled it.
void Simulation::kvm_exit_seen(void *ctx, const kvm_exit *x)
{
    auto *sim = static_cast<Simulation *>(ctx);
    CoreState &cs = sim->here();
    if (!x->rmi_status)
        sim->tracer_->record(sim->host_signals_.rec_exit, sim->core_now(cs), x->reason);
    if (cs.realm_run)
        cs.realm_run->exits_seen++;
}

void Simulation::kvm_exit_handled(void *ctx, const kvm_exit *x)
{
    auto *sim = static_cast<Simulation *>(ctx);
    CoreState &cs = sim->here();
    if (x->reason == RMI_EXIT_SYNC && !x->rmi_status)
        sim->tracer_->record(sim->host_signals_.host_ipa, sim->core_now(cs), x->gpa);
    cs.core->charge(sim->s_.platform.timing[TIMING_HOST_EXIT_HANDLER]);
    sim->tracer_->record(sim->host_signals_.rec_exit, sim->core_now(cs), 0xFF);
    if (!cs.host_result)
        return;
    const char *reason = scn_name_of(&scn_rec_exit_reasons, unsigned(x->reason));
    if (x->rmi_status)
        cs.host_result->explain.push_back(
            fmt("%-9s REC_ENTER failed with %s", "host",
                scn_name_of(&scn_rmi_status, rmi_status_of(x->rmi_status))));
    else if (x->reason == RMI_EXIT_SYNC)
        cs.host_result->explain.push_back(
            fmt("%-9s REC exit SYNC: ESR %s, HPFAR %s, FAR %s -> IPA %s, without the stolen bit "
                "%s: %s",
                "host", hex(x->esr).c_str(), hex(x->hpfar).c_str(), hex(x->far).c_str(),
                hex(x->ipa).c_str(), hex(x->gpa).c_str(), kvm_exit_action_name(x->action)));
    else
        cs.host_result->explain.push_back(fmt("%-9s REC exit %s: %s", "host", reason ? reason : "?",
                                              kvm_exit_action_name(x->action)));
}

bool Simulation::host_access(CoreState &cs, uint64_t pa, bool write, uint64_t *value)
{
    cs.state.el = 2;
    mmu_regime r = single_stage_regime(MMU_NS_EL2, 2, RME_SS_NS, host_ttbr_);
    return access8(cs, r, pa, write, value) == MMU_OK;
}

// An 8-byte access by software on the core through a regime, then memory, timed: the fault
// the translation or the GPC raised (MMU_FAULT_SEA when memory refused it), or MMU_OK.
mmu_fault Simulation::access8(CoreState &cs, const mmu_regime &r, uint64_t va, bool write,
                              uint64_t *value)
{
    mmu_env env = mmu_env_of(cs);
    rme_access acc{};
    acc.va = va;
    acc.size = 8;
    acc.kind = write ? MMU_WRITE : MMU_READ;
    acc.sf = true;
    uint64_t mark = cs.core->port_cycles(), op = 0;
    mmu_translate(&r, &env, &acc);
    op += acc.cycles;
    mmu_fault f = acc.fault;
    if (f == MMU_OK &&
        (write ? mem_write(cs.core->port(), acc.pa, acc.pas, 8, *value, &op)
               : mem_read(cs.core->port(), acc.pa, acc.pas, 8, value, &op)) != MEM_OK)
        f = MMU_FAULT_SEA;
    cs.core->settle(op, mark);
    return f;
}

// ---- the RMM's view of the realm ------------------------------------------------------------

void Simulation::rmm_tlbi_s2(void *ctx, uint16_t vmid, uint64_t, bool)
{
    // TF-RMM's stage-2 invalidation: TLBI IPAS2E1IS then VMALLE1IS, because the TLB holds
    // combined stage-1+2 entries. Broadcast to every core.
    auto *sim = static_cast<Simulation *>(ctx);
    for (auto &c : sim->cores_)
        tlb_invalidate_ss(c.tlb, TLB_EL10_VMID, RME_SS_REALM, vmid, 0, 0);
    if (Core::current())
        sim->here().core->charge(sim->s_.platform.timing[TIMING_TLBI_BROADCAST] +
                                 sim->s_.platform.timing[TIMING_DSB]);
}

void Simulation::rmm_run_rec(void *ctx, rmm_rec *rec, rmm_trap *trap)
{
    auto *sim = static_cast<Simulation *>(ctx);
    RealmRun *run = sim->here().realm_run;
    if (!run) { /* no realm step in progress: the host's kick arrives at once */
        trap->kind = RMM_TRAP_IRQ;
        return;
    }
    sim->run_guest(*run->realm, run->vcpu, rec, trap);
}

// The guest's instructions from the REC's PC until one traps to R-EL2. Running out of
// instructions is the step's end: the host's kick arrives as an IRQ.
void Simulation::run_guest(RealmState &rs, unsigned vcpu, rmm_rec *rec, rmm_trap *trap)
{
    CoreState &cs = here();
    pe &p = cs.state;
    const uint64_t *t = s_.platform.timing;
    RealmRun &run = *cs.realm_run;
    const std::vector<guest_op> &code = rs.code[vcpu];
    const uint64_t entry = rs.kvm.cfg.entry, end = entry + 4 * code.size();
    cs.core->charge(t[TIMING_EXCEPTION_RETURN]); /* ERET from R-EL2 into the realm */
    p.el = 1;
    tracer_->record(cs.signals.el, core_now(cs), 1);
    if (run.rsi_in_flight) {
        tracer_->record(rmm_signals_.rsi_status, core_now(cs), rec->gprs[0] & 0xFF);
        tracer_->record(rmm_signals_.rsi, core_now(cs), 0);
        run.rsi_in_flight = false;
        /* rsi_set_memory_range: call again from new_base (X1) while it is below top */
        size_t at = size_t((rec->pc - entry) / 4);
        if (rec->pc > entry && at <= code.size() && code[at - 1].kind == GOP_SMC &&
            code[at - 1].loop_top && rec->gprs[0] == RSI_SUCCESS && rec->gprs[2] == RSI_ACCEPT &&
            rec->gprs[1] < code[at - 1].loop_top && rec->gprs[1] > code[at - 1].args[1]) {
            run.smc_again = rec->gprs[1];
            rec->pc -= 4;
        }
    }
    bool trapped = false;
    while (!trapped) {
        if (rec->sea_injected) {
            /* the SEA the RMM injected: Linux's handler ends the access (a fixup or an oops) */
            rec->sea_injected = false;
            StepResult &out = *run.out;
            out.set("result", Observed::name("sea"));
            out.set("exception.el", Observed::num(1));
            const char *ec = scn_name_of(&scn_ec_names, unsigned(rec->el1.esr >> 26));
            out.set("exception.ec", Observed::name(ec ? ec : "UNKNOWN"));
            out.set("esr", Observed::num(rec->el1.esr));
            out.explain.push_back(fmt("%-9s takes the SEA the RMM injected: ESR_EL1 %s, ELR_EL1 "
                                      "%s; the step ends",
                                      "realm", hex(rec->el1.esr).c_str(),
                                      hex(rec->el1.elr).c_str()));
            tracer_->record(cs.signals.exception_ec, core_now(cs), rec->el1.esr >> 26);
            tracer_->record(cs.signals.exception_el, core_now(cs), 1);
            if (!run.stopped_at)
                run.stopped_at = rec->el1.elr;
            rec->pc = end;
        }
        if (rec->pc < entry || rec->pc >= end || (rec->pc - entry) % 4) {
            trap->kind = RMM_TRAP_IRQ;
            break;
        }
        const guest_op &op = code[(rec->pc - entry) / 4];
        run.instructions++;
        switch (op.kind) {
        case GOP_MSR: {
            uint64_t *regs[] = {&rec->el1.sctlr, &rec->el1.tcr,  &rec->el1.ttbr0,
                                &rec->el1.ttbr1, &rec->el1.mair, &rec->el1.vbar};
            *regs[op.sysreg] = op.value;
            cs.core->charge(1);
            rec->pc += 4;
            break;
        }
        case GOP_TLBI:
            tlb_invalidate_ss(cs.tlb, TLB_EL10_VMID, RME_SS_REALM, rec->realm->vmid, 0, 0);
            cs.core->charge(t[TIMING_TLBI_LOCAL] + t[TIMING_DSB]);
            rec->pc += 4;
            break;
        case GOP_TLBI_VA: /* TLBI VAALE1IS: this page, every ASID, every core */
            for (auto &c : cores_)
                tlb_invalidate_leaf_ss(c.tlb, TLB_EL10_VA, RME_SS_REALM, rec->realm->vmid, 0,
                                       op.va);
            cs.core->charge(t[TIMING_TLBI_BROADCAST]);
            rec->pc += 4;
            break;
        case GOP_SMC: {
            for (unsigned i = 0; i < 5; i++)
                rec->gprs[i] = op.args[i];
            if (run.smc_again) { /* Linux's loop: the next call starts at the new_base */
                rec->gprs[1] = run.smc_again;
                run.smc_again = 0;
            }
            trap->kind = RMM_TRAP_SMC;
            trap->esr = (0x17ull << 26) | (1ull << 25);
            if (op.primary && run.primary_exit < 0)
                run.primary_exit = long(run.exits_seen);
            cs.core->charge(t[TIMING_RSI_HANDLER]);
            tracer_->record(rmm_signals_.rsi, core_now(cs), op.args[0] & 0xFF);
            run.rsi_in_flight = true;
            const char *name = scn_name_of(&scn_rsi_commands, unsigned(op.args[0] & 0xFFFF));
            run.out->explain.push_back(fmt("%-9s SMC RSI_%s(%s) -> R-EL2", "realm",
                                           name ? name : "?", hex(op.args[1]).c_str()));
            trapped = true;
            break;
        }
        default:
            guest_memory_op(rs, rec, op, trap, trapped);
            break;
        }
    }
    cs.core->charge(t[TIMING_EXCEPTION_ENTRY]); /* to R-EL2 */
    p.el = 2;
    tracer_->record(cs.signals.el, core_now(cs), 2);
}

// One line per descriptor fetch of an access's walk (stage, level, where, PAS, what, GPC).
void Simulation::explain_fetches(StepResult &out, const rme_access &acc)
{
    for (unsigned i = 0; i < acc.n_fetches; i++) {
        const mmu_fetch &f = acc.fetches[i];
        out.explain.push_back(
            fmt("  s%u L%d    %sdescriptor at %s%s (%s PAS): %s  [GPC: %s%s, %" PRIu64 " cycles]",
                f.stage, f.level, f.for_s1_table ? "(for a stage-1 table) " : "",
                f.stage == 1 ? ("IPA " + hex(f.ipa) + " = PA ").c_str() : "PA ", hex(f.pa).c_str(),
                rme_pas_name(f.pas), f.gpc.kind == GPC_OK ? hex(f.desc).c_str() : "not read",
                f.gpc.gpi_found ? "GPI " : "", f.gpc.gpi_found ? gpi_name(f.gpc.gpi) : "no GPI",
                f.cycles));
    }
}

void Simulation::guest_memory_op(RealmState &rs, rmm_rec *rec, const guest_op &op, rmm_trap *trap,
                                 bool &trapped)
{
    CoreState &cs = here();
    pe &p = cs.state;
    RealmRun &run = *cs.realm_run;
    StepResult &out = *run.out;
    const uint64_t end = rs.kvm.cfg.entry + 4 * rs.code[run.vcpu].size();
    mmu_regime r = realm_regime(*rec, s_.platform.pa_range);
    /* TF-RMM runs realms with HCR_EL2.{TGE,GPF} = {0,0} (HCR_REALM_FLAGS): a GPF on the output
     * of a realm access (an NS page the host re-delegated behind an ASSIGNED_NS mapping) is the
     * realm's own fault; one on a stage-2 walk still goes to R-EL2 */
    mmu_env env{cs.gpc, cs.tlb, cs.core->port(), bool(p.regs[SCR_EL3] & SCR_EL3_GPF), false, false};
    rme_access acc{};
    acc.va = op.va;
    acc.size = op.size;
    acc.kind = op.kind == GOP_LOAD ? MMU_READ : op.kind == GOP_STORE ? MMU_WRITE : MMU_FETCH;
    acc.srt = op.reg;
    acc.sf = op.size == 8; /* LDR/STR Xt for 8 bytes, Wt (LDRB, LDRH...) below */
    if (op.kind == GOP_STORE)
        rec->gprs[op.reg] = op.value;
    uint64_t mark = cs.core->port_cycles(), cyc = 0;
    sc_time t0 = core_now(cs);
    mmu_translate(&r, &env, &acc);
    cyc += acc.cycles;
    bool first = op.primary && !run.primary_seen;
    bool fault = acc.fault != MMU_OK;
    StepResult trace;
    trace.set("va", Observed::num(op.va));
    if (acc.fault_stage != 1 || !fault)
        trace.set("ipa", Observed::num(acc.ipa));
    trace.set("walk_fetches", Observed::num(acc.n_fetches));
    trace.set("tlb", Observed::name(acc.tlb > 0 ? "hit" : "miss"));
    if (first) {
        run.primary_seen = true;
        out.set("va", Observed::num(op.va));
        out.set("walk_fetches", Observed::num(acc.n_fetches));
        out.set("tlb", Observed::name(acc.tlb > 0 ? "hit" : "miss"));
        /* a GPC fault on the output address is neither stage's: both translated */
        bool output_gpf = fault && acc.fault >= MMU_FAULT_GPF && !acc.on_walk;
        bool s1_fault = fault && !output_gpf && acc.fault_stage == 1;
        out.set("stage1", Observed::name(s1_fault ? mmu_fault_name(acc.fault) : "ok"));
        if (!s1_fault) {
            out.set("ipa", Observed::num(acc.ipa));
            out.set("stage2",
                    Observed::name(fault && !output_gpf ? mmu_fault_name(acc.fault) : "ok"));
        }
        if (fault)
            out.set("fault_level", Observed::num(uint64_t(int64_t(acc.fault_level))));
        out.explain.push_back(fmt("%-9s %s.vcpu%u R-EL1, %u-byte %s of VA %s", "access",
                                  rs.cfg->name, run.vcpu, op.size,
                                  op.kind == GOP_LOAD    ? "load"
                                  : op.kind == GOP_STORE ? "store"
                                                         : "fetch",
                                  hex(op.va).c_str()));
        explain_fetches(out, acc);
        if (acc.tlb > 0)
            out.explain.push_back(fmt("%-9s %s hit: IPA %s, PA %s (no walk)", "TLB",
                                      acc.tlb == 1 ? "L1" : "L2", hex(acc.ipa).c_str(),
                                      hex(acc.pa).c_str()));
    }
    if (fault) {
        run.faults++;
        trace.set("result", Observed::name(mmu_fault_name(acc.fault)));
        if (acc.target_el == 2) {
            /* a stage-2 (or GPC) abort: to the RMM at R-EL2 with the syndrome in ESR_EL2 */
            trap->kind = op.kind == GOP_FETCH ? RMM_TRAP_INSTR_ABORT : RMM_TRAP_DATA_ABORT;
            trap->esr = acc.esr;
            trap->far = acc.far;
            trap->hpfar = acc.hpfar;
            trapped = true;
            if (op.primary && run.primary_exit < 0)
                run.primary_exit = long(run.exits_seen);
            if (op.primary || !run.out->fields.count("rec_exit.reason"))
                out.explain.push_back(
                    fmt("%-9s %s at stage %u level %d%s -> R-EL2: ESR_EL2 %s, "
                        "FAR_EL2 %s, HPFAR_EL2 %s (IPA %s)",
                        "abort", mmu_fault_name(acc.fault), acc.fault_stage, acc.fault_level,
                        acc.on_walk ? " on a walk" : "", hex(acc.esr).c_str(), hex(acc.far).c_str(),
                        hex(acc.hpfar).c_str(), hex((acc.hpfar >> 4) << 12).c_str()));
        } else {
            /* the guest's own fault (stage 1, or a GPF on the output with HCR_EL2.GPF clear):
             * Linux would oops; the step ends here */
            bool output_gpf = acc.fault >= MMU_FAULT_GPF && !acc.on_walk;
            if (op.primary) {
                out.set("result", Observed::name(mmu_fault_name(acc.fault)));
                out.set("esr", Observed::num(acc.esr));
                out.set("dfsc", Observed::num(acc.esr & 0x3F));
                out.set("exception.el", Observed::num(acc.target_el));
                const char *ec = scn_name_of(&scn_ec_names, unsigned(acc.esr >> 26));
                out.set("exception.ec", Observed::name(ec ? ec : "UNKNOWN"));
                if (output_gpf) {
                    out.set("pa", Observed::num(acc.pa));
                    out.set("pas", Observed::name(scn_name_of(&scn_pas_names, acc.pas)));
                    if (acc.gpc.gpi_found)
                        out.set("gpi", Observed::name(scn_name_of(&scn_gpi_names, acc.gpc.gpi)));
                }
            }
            if (output_gpf)
                out.explain.push_back(fmt(
                    "%-9s %s on the output PA %s (%s PAS, GPI %s), taken at "
                    "R-EL1 (ESR %s); the step ends",
                    "realm", mmu_fault_name(acc.fault), hex(acc.pa).c_str(), rme_pas_name(acc.pas),
                    acc.gpc.gpi_found ? gpi_name(acc.gpc.gpi) : "-", hex(acc.esr).c_str()));
            else
                out.explain.push_back(fmt("%-9s %s at stage 1 level %d, taken at R-EL1 (ESR %s); "
                                          "the step ends",
                                          "realm", mmu_fault_name(acc.fault), acc.fault_level,
                                          hex(acc.esr).c_str()));
            if (!run.stopped_at)
                run.stopped_at = rec->pc;
            rec->pc = end;
        }
    } else {
        uint64_t value = op.value;
        mem_status st = op.kind == GOP_STORE
                            ? mem_write(cs.core->port(), acc.pa, acc.pas, op.size, value, &cyc)
                            : mem_read(cs.core->port(), acc.pa, acc.pas, op.size, &value, &cyc);
        trace.set("pa", Observed::num(acc.pa));
        trace.set("pas", Observed::name(scn_name_of(&scn_pas_names, acc.pas)));
        if (acc.gpc.gpi_found)
            trace.set("gpi", Observed::name(scn_name_of(&scn_gpi_names, acc.gpc.gpi)));
        if (st != MEM_OK) {
            trace.set("result", Observed::name("sea"));
            if (op.primary)
                out.set("result", Observed::name("sea"));
            if (!run.stopped_at)
                run.stopped_at = rec->pc;
            rec->pc = end;
        } else {
            if (op.kind == GOP_LOAD)
                rec->gprs[op.reg] = value;
            rec->pc += 4;
            if (op.primary && !first && acc.n_fetches) { /* the retry after the host's fix */
                out.explain.push_back(fmt("%-9s again after the host's answer:", "access"));
                explain_fetches(out, acc);
            }
            if (op.primary) {
                run.primary_done = true;
                out.set("result", Observed::name("ok"));
                for (const char *k : {"pa", "pas", "gpi"})
                    if (trace.fields.count(k))
                        out.set(k, trace.fields[k]);
                if (op.kind == GOP_LOAD)
                    out.set("value", Observed::num(value));
                out.explain.push_back(fmt("%-9s %s PA %s in the %s PAS (GPI %s): %s", "memory",
                                          op.kind == GOP_STORE ? "wrote" : "read",
                                          hex(acc.pa).c_str(), rme_pas_name(acc.pas),
                                          acc.gpc.gpi_found ? gpi_name(acc.gpc.gpi) : "-",
                                          hex(value).c_str()));
            }
        }
    }
    uint64_t by_port = cs.core->port_cycles() - mark;
    if (op.primary || fault)
        trace_access(cs, trace,
                     op.kind == GOP_LOAD    ? 1
                     : op.kind == GOP_STORE ? 2
                                            : 3,
                     t0, core_now(cs) + period_ * double(cyc > by_port ? cyc - by_port : 0));
    cs.core->settle(cyc, mark);
}

Simulation::CoreState &Simulation::here()
{
    return cores_[Core::current()->index()];
}

// ---- building and running -------------------------------------------------------------------

bool Simulation::build_realm(RealmState &rs, CoreState &cs, StepResult &out)
{
    const scn_realm &c = *rs.cfg;
    kvm_realm_config cfg{};
    cfg.ipa_bits = c.ipa_bits;
    cfg.rtt_level_start = c.has_rtt_level_start ? c.rtt_level_start : -1;
    cfg.vcpus = c.vcpus;
    cfg.vmid = uint16_t(1 + (&rs - realms_.data()));
    cfg.ram_ipa = c.ram_ipa;
    cfg.ram_size = c.ram_size;
    cfg.image_ipa = c.has_image ? c.image_ipa : c.ram_ipa;
    cfg.image_size = c.has_image ? c.image_size : 64 * 1024; /* a small kernel image */
    cfg.entry = cfg.image_ipa;
    kvm_env env = host_env(cs);
    cs.host_result = &out;
    uint64_t failed = 0;
    uint64_t rc = kvm_realm_create(&env, &cfg, &rs.kvm, &failed);
    cs.host_result = nullptr;
    if (rc != 0) {
        const char *name = scn_name_of(&scn_rmi_commands, unsigned(failed & 0xFFFF));
        failures_.push_back(fmt("%s:%u:%u: the host could not build realm '%s': RMI_%s returned "
                                "%s (index %u)",
                                s_.file, c.pos.line, c.pos.column, c.name, name ? name : "?",
                                scn_name_of(&scn_rmi_status, rmi_status_of(rc)), rmi_index_of(rc)));
        return false;
    }
    guest_config gc{c.ram_ipa, c.ram_size, cfg.image_ipa, cfg.image_size, c.linear_map};
    guest_init(&rs.g, &gc);
    rs.code.assign(c.vcpus, {});
    rs.built = true;
    out.explain.push_back(fmt("%-9s realm '%s' ACTIVE: RD %s, %u starting RTT%s at level %d "
                              "(%s), VMID %u, %" PRIu64 " granules delegated",
                              "host", c.name, hex(rs.kvm.rd).c_str(), rs.kvm.num_start,
                              rs.kvm.num_start == 1 ? "" : "s", rs.kvm.start_level,
                              hex(rs.kvm.rtt_base).c_str(), cfg.vmid, rs.kvm.granules_delegated));
    return true;
}

// The host builds a realm the first time a step names it; the build is a result of its own,
// REALM.build, for `explain` and the log.
bool Simulation::ensure_realm(RealmState &rs, CoreState &cs)
{
    if (rs.destroyed) {
        failures_.push_back(fmt("%s:%u:%u: realm '%s' was destroyed by an earlier step", s_.file,
                                rs.cfg->pos.line, rs.cfg->pos.column, rs.cfg->name));
        return false;
    }
    if (rs.built || rs.build_failed)
        return rs.built;
    StepResult build;
    build.step_id = std::string(rs.cfg->name) + ".build";
    build.actor = "host";
    build.action = "realm_create";
    build.core = cs.core->index();
    build.start_cycle = cs.core->now_cycles();
    StepResult *outer = cs.host_result;
    bool ok = build_realm(rs, cs, build);
    cs.host_result = outer;
    build.cycles = cs.core->now_cycles() - build.start_cycle;
    build.set("cycles", Observed::num(build.cycles));
    log_step(build);
    results_.push_back(std::move(build));
    rs.build_failed = !ok;
    return ok;
}

// Append the guest's instructions to its vCPU's stream and run them as KVM_RUN does, until the
// host's kick (an IRQ exit) or something the host cannot handle.
bool Simulation::run_program(guest_program &prog, RealmRun &run, kvm_run_log &log)
{
    CoreState &cs = *run.cs;
    auto &code = run.realm->code[run.vcpu];
    code.insert(code.end(), prog.ops, prog.ops + prog.n);
    /* a bound on REC exits, not a limit a real program meets: each instruction may take a
     * few (a page fault and its table levels), a host that cannot make progress takes many */
    unsigned max_exits = unsigned(std::min<size_t>(4096 + 4 * prog.n, 1u << 30));
    guest_program_free(&prog);
    cs.realm_run = &run;
    cs.host_result = run.out;
    kvm_env env = host_env(cs);
    bool ok = kvm_vcpu_run(&env, &run.realm->kvm, run.vcpu, &log, max_exits);
    cs.realm_run = nullptr;
    cs.host_result = nullptr;
    return ok;
}

// The guest kernel's boot on the vCPU that runs first: its tables and MMU, then, as
// arm64_rsi_init does before anything else, RSI_VERSION and RSI_REALM_CONFIG, so that
// prot_ns_shared is known before the first ioremap. A run of its own before the step's action;
// its lines go into the step's explanation.
bool Simulation::boot_realm(RealmState &rs, unsigned v, CoreState &cs, StepResult &out)
{
    guest_program prog{};
    uint64_t version = RSI_ABI_VERSION;
    bool made = guest_boot(&rs.g, &prog) && guest_rsi(&prog, RSI_VERSION, &version, 1) &&
                guest_realm_config(&rs.g, &prog);
    rs.booted = true;
    rs.vcpu_booted.assign(rs.cfg->vcpus, false);
    rs.vcpu_booted[v] = true;
    if (!made) {
        guest_program_free(&prog);
        failures_.push_back(fmt("%s:%u:%u: the guest of realm '%s' has no RAM for its boot",
                                s_.file, rs.cfg->pos.line, rs.cfg->pos.column, rs.cfg->name));
        return false;
    }
    size_t n = prog.n;
    StepResult boot;
    RealmRun run{&rs, v, &cs, &boot};
    kvm_run_log log{};
    bool ok = run_program(prog, run, log);
    out.explain.push_back(fmt("%-9s %s boots: %zu instructions (tables, MMU, RSI_VERSION, "
                              "RSI_REALM_CONFIG), %zu REC exits",
                              "guest", rs.cfg->name, n, log.n));
    for (const std::string &line : boot.explain)
        if (line.compare(0, 3, "rmi") != 0) /* the host's RMI lines are many: keep the rest */
            out.explain.push_back("  " + line);
    kvm_run_log_free(&log);
    rmm_rec *rec = rmm_rec_at(&rmm_, rs.kvm.recs[v]);
    if (!ok || !rec) {
        failures_.push_back(fmt("%s:%u:%u: the guest of realm '%s' did not boot", s_.file,
                                rs.cfg->pos.line, rs.cfg->pos.column, rs.cfg->name));
        return false;
    }
    guest_realm_config_done(&rs.g, rec->gprs[0], rec->gprs[1]);
    return true;
}

// The host's teardown of a realm (destroy: REALM).
void Simulation::do_destroy(const scn_step &step, CoreState &cs, StepResult &out)
{
    RealmState &rs = realms_[step.action.realm];
    out.actor = "host";
    if (!ensure_realm(rs, cs))
        return;
    out.start_cycle = cs.core->now_cycles();
    kvm_env env = host_env(cs);
    cs.host_result = &out;
    uint64_t failed = 0, before = rs.kvm.granules_delegated;
    uint64_t rc = kvm_realm_destroy(&env, &rs.kvm, &failed);
    cs.host_result = nullptr;
    out.set("status", Observed::name(scn_name_of(&scn_rmi_status, rmi_status_of(rc))));
    out.set("index", Observed::num(rmi_index_of(rc)));
    if (rc != 0) {
        const char *name = scn_name_of(&scn_rmi_commands, unsigned(failed & 0xFFFF));
        out.explain.push_back(
            fmt("%-9s teardown stopped: RMI_%s failed", "host", name ? name : "?"));
        return;
    }
    rs.destroyed = true;
    out.explain.push_back(fmt("%-9s realm '%s' destroyed, %" PRIu64 " granules undelegated", "host",
                              rs.cfg->name, before));
}

// rec_exit.* and host_ipa describe the exit the step's own access caused (else the first SYNC
// exit: boot and page-table work come first); mmio.* the first emulated access.
void Simulation::observe_exits(const kvm_run_log &log, long primary_exit, StepResult &out)
{
    bool sync_seen = false, mmio_seen = false;
    for (size_t i = 0; i < log.n; i++) {
        const kvm_exit &x = log.exits[i];
        if (x.rmi_status)
            continue;
        bool mine = primary_exit >= 0 ? long(i) == primary_exit : x.reason != RMI_EXIT_IRQ;
        if (mine && !sync_seen) {
            sync_seen = true;
            const char *reason = scn_name_of(&scn_rec_exit_reasons, unsigned(x.reason));
            out.set("rec_exit.reason", Observed::name(reason ? reason : "?"));
            out.set("rec_exit.esr", Observed::num(x.esr));
            out.set("rec_exit.far", Observed::num(x.far));
            out.set("rec_exit.hpfar", Observed::num(x.hpfar));
            out.set("rec_exit.hpfar_ipa", Observed::num((x.hpfar >> 4) << 12));
            out.set("rec_exit.gpr0", Observed::num(x.gpr0));
            if (x.reason == RMI_EXIT_SYNC)
                out.set("host_ipa", Observed::num(x.gpa));
            if (x.reason == RMI_EXIT_HOST_CALL)
                out.set("rec_exit.imm", Observed::num(x.imm));
            if (x.reason == RMI_EXIT_RIPAS_CHANGE) {
                out.set("rec_exit.ripas_base", Observed::num(x.ripas_base));
                out.set("rec_exit.ripas_top", Observed::num(x.ripas_top));
                const char *ripas = scn_name_of(&scn_ripas, unsigned(x.ripas_value));
                out.set("rec_exit.ripas_value", Observed::name(ripas ? ripas : "?"));
            }
        }
        if (x.action == KVM_ACT_MMIO && !mmio_seen) {
            mmio_seen = true;
            int d = device_at(x.gpa);
            out.set("mmio.device", Observed::str(d >= 0 ? s_.platform.devices[d].name : "none"));
            out.set("mmio.offset",
                    Observed::num(d >= 0 ? x.gpa - s_.platform.devices[d].base : x.gpa));
            out.set("mmio.write", Observed::boolean(x.mmio_write));
            out.set("mmio.value", Observed::num(x.mmio_value));
            out.set("mmio.size", Observed::num(x.mmio_size));
            if (d >= 0)
                out.set("output", Observed::str(vdev_output(devices_[size_t(d)])));
        }
    }
    if (!sync_seen && log.n && !log.exits[0].rmi_status) { /* only the closing IRQ */
        const char *reason = scn_name_of(&scn_rec_exit_reasons, unsigned(log.exits[0].reason));
        out.set("rec_exit.reason", Observed::name(reason ? reason : "?"));
    }
}

void Simulation::do_realm_step(const scn_step &step, CoreState &cs, StepResult &out)
{
    const scn_action &a = step.action;
    RealmState &rs = realms_[step.actor.realm];
    unsigned v = step.actor.vcpu;
    out.actor = std::string(rs.cfg->name) + ".vcpu" + std::to_string(v);
    if (!ensure_realm(rs, cs))
        return;
    out.start_cycle = cs.core->now_cycles();
    if (!rs.booted && !boot_realm(rs, v, cs, out))
        return;
    guest_program prog{};
    bool made = true;
    if (!rs.vcpu_booted[v]) { /* a secondary enables its MMU on the boot CPU's tables */
        made = guest_secondary_boot(&rs.g, &prog);
        rs.vcpu_booted[v] = true;
    }
    switch (a.kind) {
    case SCN_ACT_RSI: {
        uint64_t fid = scn_rsi_fid(a.command);
        if (fid == RSI_REALM_CONFIG) {
            made = made && guest_realm_config(&rs.g, &prog);
        } else if (fid == RSI_HOST_CALL) {
            uint64_t imm = 0, gprs[31] = {0};
            unsigned n = 0;
            for (size_t i = 0; i < a.n_args; i++) {
                const scn_value &v = a.args[i].value;
                if (!std::strcmp(a.args[i].name, "imm"))
                    imm = v.number;
                else if (!std::strcmp(a.args[i].name, "gprs"))
                    for (size_t j = 0; j < v.n_list && j < 31; j++)
                        gprs[n++] = v.list[j];
            }
            made = made && guest_host_call(&rs.g, &prog, uint16_t(imm), gprs, n);
        } else {
            /* arguments by the specification's register names (X1..X4) */
            uint64_t args[4] = {0};
            unsigned n = 0;
            if (fid == RSI_VERSION) {
                args[0] = RSI_ABI_VERSION; /* `rsi: VERSION` asks for 1.0 */
                n = 1;
            }
            if (fid == PSCI_CPU_ON_64) { /* Linux's secondary entry point: the kernel image */
                args[1] = rs.kvm.cfg.entry;
                n = 2;
            }
            for (size_t i = 0; i < a.n_args; i++) {
                int reg = scn_arg_register(false, a.command, a.args[i].name);
                if (reg >= 1 && reg <= 4 && a.args[i].value.kind == SCN_VAL_NUMBER) {
                    args[reg - 1] = a.args[i].value.number;
                    n = std::max(n, unsigned(reg));
                }
            }
            made = made && guest_rsi(&prog, fid, args, n);
        }
        break;
    }
    case SCN_ACT_IOREMAP:
        made = made && guest_ioremap(&rs.g, &prog, a.pa, a.range_size, a.va);
        break;
    case SCN_ACT_SHARE:
    case SCN_ACT_UNSHARE:
        made = made && guest_share(&rs.g, &prog, a.ipa, a.range_size, a.kind == SCN_ACT_SHARE);
        break;
    case SCN_ACT_MAP: {
        unsigned attrs = ((a.attrs & SCN_ATTR_DEVICE) ? GUEST_MAP_DEVICE : 0) |
                         ((a.attrs & SCN_ATTR_RO) ? GUEST_MAP_RO : 0) |
                         ((a.attrs & SCN_ATTR_XN) ? GUEST_MAP_XN : 0);
        made = made && guest_map(&rs.g, &prog, a.va, a.ipa, a.range_size, attrs);
        break;
    }
    default: /* load, store, fetch; repeated count times, va += stride */
        for (uint64_t i = 0; i < a.count && made; i++)
            made = guest_access(&prog,
                                a.kind == SCN_ACT_LOAD    ? GOP_LOAD
                                : a.kind == SCN_ACT_STORE ? GOP_STORE
                                                          : GOP_FETCH,
                                a.va + i * a.stride, a.size, a.value);
        break;
    }
    if (!made) {
        guest_program_free(&prog);
        failures_.push_back(fmt("%s:%u:%u: the guest of realm '%s' ran out of its RAM for page "
                                "tables",
                                s_.file, step.pos.line, step.pos.column, rs.cfg->name));
        return;
    }
    auto &code = rs.code[v];
    size_t added = prog.n;
    RealmRun run{&rs, v, &cs, &out};
    kvm_run_log log{};
    bool ok = run_program(prog, run, log);
    observe_exits(log, run.primary_exit, out);
    out.explain.insert(out.explain.begin(),
                       fmt("%-9s %zu instructions for this step, %" PRIu64 " executed, %zu REC "
                           "exit%s",
                           "guest", added, run.instructions, log.n, log.n == 1 ? "" : "s"));
    rmm_rec *rec = rmm_rec_at(&rmm_, rs.kvm.recs[v]);
    if (a.kind == SCN_ACT_RSI && rec) {
        uint64_t fid = scn_rsi_fid(a.command);
        bool psci = a.command >= 0x80000000u;
        const char *st =
            scn_name_of(psci ? &scn_psci_status : &scn_rsi_status, unsigned(rec->gprs[0]));
        out.set("status", Observed::name(st ? st : psci ? "?" : "NOT_SUPPORTED"));
        if (psci)
            out.set("out.value", Observed::num(rec->gprs[0]));
        if (fid == RSI_REALM_CONFIG) {
            guest_realm_config_done(&rs.g, rec->gprs[0], rec->gprs[1]);
            out.set("ipa_bits", Observed::num(rec->gprs[1]));
        } else if (fid == RSI_VERSION) {
            out.set("out.lower", Observed::num(rec->gprs[1]));
            out.set("out.higher", Observed::num(rec->gprs[2]));
        } else if (fid == RSI_FEATURES) {
            out.set("out.value", Observed::num(rec->gprs[1]));
        } else if (fid == RSI_HOST_CALL) {
            out.set("out.value", Observed::num(rec->gprs[3])); /* the answer's X0 */
        } else if (fid == RSI_MEASUREMENT_READ) {
            out.set("out.value", Observed::num(rec->gprs[1])); /* its first 64 bits */
        } else if (fid == RSI_IPA_STATE_GET) {
            out.set("out.out_top", Observed::num(rec->gprs[1]));
            const char *ripas = scn_name_of(&scn_ripas, unsigned(rec->gprs[2]));
            out.set("out.ripas", Observed::name(ripas ? ripas : "?"));
        }
    }
    if (rec) {
        /* the vCPU's registers as the step leaves them (an emulated load's value is in X3) */
        for (unsigned i = 0; i < 31; i++)
            out.set("gprs." + std::to_string(i), Observed::num(rec->gprs[i]));
        if (a.kind == SCN_ACT_LOAD && !out.fields.count("value") && run.primary_seen &&
            !out.fields.count("result"))
            out.set("value", Observed::num(rec->gprs[3]));
    }
    if (rec && (a.kind == SCN_ACT_LOAD || a.kind == SCN_ACT_STORE || a.kind == SCN_ACT_FETCH)) {
        /* the step's accesses the vCPU got past: done by memory or emulated by the VMM */
        uint64_t entry = rs.kvm.cfg.entry, stop = run.stopped_at ? run.stopped_at : rec->pc;
        uint64_t done = 0;
        for (size_t i = code.size() - added; i < code.size(); i++)
            done += code[i].primary && entry + 4 * i < stop;
        out.set("accesses", Observed::num(done));
    }
    if (!out.fields.count("result"))
        out.set("result", Observed::name("ok"));
    if (!ok) {
        const kvm_exit *last = log.n ? &log.exits[log.n - 1] : nullptr;
        failures_.push_back(
            fmt("%s:%u:%u: step '%s': the host could not complete the realm's action (%s)", s_.file,
                step.pos.line, step.pos.column, out.step_id.c_str(),
                !last              ? "no REC exit"
                : last->rmi_status ? "REC_ENTER failed"
                                   : kvm_exit_action_name(last->action)));
    }
    kvm_run_log_free(&log);
}

} // namespace rmesim
