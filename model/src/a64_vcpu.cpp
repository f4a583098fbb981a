// A realm vCPU running A64 code: the REC's registers into the core, instructions through the
// realm's regime until one traps to R-EL2 or the step's goal is met, the registers back.
#include "model/a64_vcpu.hpp"

#include <optional>

#include "model/a64_binding.hpp"
#include "model/cost.hpp"
#include "model/exception_records.hpp"
#include "model/platform.hpp"
#include "model/realm_regime.hpp"

extern "C" {
#include "machine/timing.h"
}

namespace rmesim
{

namespace
{
constexpr unsigned kEcUndefined = 0x00, kEcSvc = 0x15, kEcHvc = 0x16, kEcSmc = 0x17;
constexpr unsigned kEcIabtLower = 0x20, kEcDabtLower = 0x24;

// An exception the realm takes to its own EL1 (its kernel's vector), for the records
rme_ev_exception taken_to_el1(const a64_result &r, unsigned from_el)
{
    rme_ev_exception x{};
    unsigned ec = unsigned(r.esr >> 26);
    x.source = ec == kEcSvc || ec == kEcHvc ? RME_EXC_CALL : RME_EXC_ABORT;
    x.type = EXC_SYNC;
    x.from_el = from_el;
    x.to_el = 1;
    x.from_ss = x.to_ss = RME_SS_REALM;
    x.esr = r.esr;
    x.far = r.far_valid ? r.far : 0;
    x.elr = r.elr;
    return x;
}
} // namespace

A64Vcpu::A64Vcpu(std::string realm, unsigned vcpu, Platform &platform)
    : name_(std::move(realm)), vcpu_(vcpu), platform_(platform)
{
    a64_reset(&core_, nullptr, nullptr);
    /* what the platform's PE reports: an Armv8.x core without FP/SIMD (a64_reset's
     * ID_AA64PFR0/ISAR0), 4K granules only (ID_AA64MMFR0_EL1.TGran16 0, TGran64 0xF), the
     * platform's PA range, a 100 MHz generic timer */
    static const unsigned parange_of[] = {32, 36, 40, 42, 44, 48, 52};
    unsigned pa = platform.machine().pa_range, code = 0;
    while (code < 6 && parange_of[code] < pa)
        code++;
    core_.id.aa64mmfr0 = (0xFull << 24) | code;
    core_.id.midr = 0x410FD490; /* an Arm Neoverse N2 (MIDR_EL1.PartNum 0xD49) */
    core_.id.cntfrq = 100000000;
}

void A64Vcpu::set_goal(const A64Goal &goal)
{
    goal_ = goal;
    executed_ = 0;
    ended_ = "";
}

// The REC as the RMM restores it on entry: X0-X30, PC, PSTATE (SPSR format: M[3:0], DAIF,
// NZCV, IL) and the EL1 registers it keeps; the rest of the core's state (SP_EL0, SP_EL1,
// TPIDR...) is this vCPU's own, as TF-RMM saves every EL1 register with the REC.
void A64Vcpu::load(const rmm_rec &rec)
{
    for (unsigned i = 0; i < 31; i++)
        core_.x[i] = rec.gprs[i];
    core_.pc = rec.pc;
    unsigned m = unsigned(rec.pstate & 0xF);
    core_.el = (m >> 2) & 3;
    core_.spsel = m & 1;
    core_.daif = unsigned(rec.pstate & 0x3C0);
    core_.nzcv = uint32_t(rec.pstate & 0xF0000000u);
    core_.illegal = (rec.pstate >> 20) & 1;
    core_.sys[A64_SCTLR_EL1] = rec.el1.sctlr;
    core_.sys[A64_TCR_EL1] = rec.el1.tcr;
    core_.sys[A64_TTBR0_EL1] = rec.el1.ttbr0;
    core_.sys[A64_TTBR1_EL1] = rec.el1.ttbr1;
    core_.sys[A64_MAIR_EL1] = rec.el1.mair;
    core_.sys[A64_VBAR_EL1] = rec.el1.vbar;
    core_.sys[A64_ESR_EL1] = rec.el1.esr;
    core_.sys[A64_FAR_EL1] = rec.el1.far;
    core_.sys[A64_ELR_EL1] = rec.el1.elr;
    core_.sys[A64_SPSR_EL1] = rec.el1.spsr;
    core_.id.mpidr = rec.mpidr | (1ull << 31); /* RES1 bit 31 */
}

void A64Vcpu::save(rmm_rec &rec) const
{
    for (unsigned i = 0; i < 31; i++)
        rec.gprs[i] = core_.x[i];
    rec.pc = core_.pc;
    rec.pstate = a64_pstate_to_spsr(&core_);
    rec.el1.sctlr = core_.sys[A64_SCTLR_EL1];
    rec.el1.tcr = core_.sys[A64_TCR_EL1];
    rec.el1.ttbr0 = core_.sys[A64_TTBR0_EL1];
    rec.el1.ttbr1 = core_.sys[A64_TTBR1_EL1];
    rec.el1.mair = core_.sys[A64_MAIR_EL1];
    rec.el1.vbar = core_.sys[A64_VBAR_EL1];
    rec.el1.esr = core_.sys[A64_ESR_EL1];
    rec.el1.far = core_.sys[A64_FAR_EL1];
    rec.el1.elr = core_.sys[A64_ELR_EL1];
    rec.el1.spsr = core_.sys[A64_SPSR_EL1];
}

void A64Vcpu::run(CoreContext &cs, rmm_rec &rec, rmm_trap &trap)
{
    const uint64_t *t = platform_.machine().timing;
    std::vector<mmu_tlb *> tlbs;
    for (unsigned c = 0; c < platform_.cores(); c++)
        tlbs.push_back(platform_.tlb(c));
    load(rec);
    if (rec.sea_injected) /* the RMM entered the realm's vector for an SEA it injected */
        rec.sea_injected = false;
    cs.core->charge(t[TIMING_EXCEPTION_RETURN]); /* ERET from R-EL2 into the realm */
    cs.eret(eret_to(2, core_.el, RME_SS_REALM), cs.core->now_cycles());
    A64Binding b(core_, cs, t, RME_ACC_GUEST, std::move(tlbs));
    b.regime = realm_regime(rec, platform_.machine().pa_range);
    b.monitor = &platform_.monitor();
    b.monitor_index = cs.core->index();
    /* TF-RMM runs realms with HCR_EL2.{TGE,GPF} = {0,0}: a GPF on the output of an access is
     * the realm's own (taken to its EL1), one on a stage-2 walk goes to R-EL2 */
    b.env = mmu_env{cs.gpc, cs.tlb, cs.core->port(), bool(cs.state.regs[SCR_EL3] & SCR_EL3_GPF),
                    false,  false};
    regime_ = b.regime;
    scr_gpf_ = b.env.scr_gpf;
    has_run_ = true;
    std::optional<Spending> realm(std::in_place, *cs.core, SW_REALM);
    cs.state.el = core_.el;
    trap.kind = RMM_TRAP_IRQ;
    ended_ = "";
    if (goal_.output_reached && goal_.output_reached())
        ended_ = "output";
    while (*ended_ == '\0') {
        if (executed_ >= goal_.max_instructions) {
            ended_ = "instructions";
            break;
        }
        if (goal_.has_pc && core_.pc == goal_.pc) {
            ended_ = "pc";
            break;
        }
        if (debugger_) /* --gdb: it may stop the vCPU here, before the instruction */
            debugger_->before_instruction(*this);
        a64_result r;
        unsigned from_el = core_.el;
        b.step(r);
        executed_++;
        if (cs.realm_run)
            cs.realm_run->instructions++;
        if (b.regime_changed()) { /* the code turned its MMU on, or moved its tables */
            save(rec);
            b.regime = realm_regime(rec, platform_.machine().pa_range);
            regime_ = b.regime;
        }
        if (r.outcome == A64_OK)
            continue;
        if (r.outcome == A64_EXCEPTION_TAKEN) {
            cs.take(taken_to_el1(r, from_el), cs.core->now_cycles(), cs.core->now_cycles());
            continue;
        }
        if (r.outcome == A64_WFI || r.outcome == A64_WFE) {
            /* untrapped (the host sets no RmiRecEnter.flags.trap_wfi/wfe), the PE waits for an
             * interrupt: the host's kick, which ends the step */
            ended_ = "wfi";
            break;
        }
        unsigned ec = unsigned(r.esr >> 26);
        if (r.outcome == A64_TRAP_EL2 && ec == kEcHvc) {
            /* TF-RMM handle_exception_sync(): an HVC from a realm is UNDEFINED for it */
            a64_result u = r;
            u.esr = (uint64_t(kEcUndefined) << 26) | (1ull << 25);
            u.far_valid = false;
            a64_take_sync_el1(&core_, u.esr, 0, false, r.elr);
            cs.take(taken_to_el1(u, from_el), cs.core->now_cycles(), cs.core->now_cycles());
            continue;
        }
        if (r.outcome == A64_TRAP_EL2 &&
            (ec == kEcSmc || ec == kEcDabtLower || ec == kEcIabtLower)) {
            trap.kind = ec == kEcSmc         ? RMM_TRAP_SMC
                        : ec == kEcDabtLower ? RMM_TRAP_DATA_ABORT
                                             : RMM_TRAP_INSTR_ABORT;
            trap.esr = r.esr;
            trap.far = r.far_valid ? r.far : 0;
            trap.hpfar = r.ipa_valid ? (r.ipa >> 12) << 4 : 0;
            core_.pc = r.elr; /* the RMM returns to it (and moves past an SMC it answered) */
            if (ec == kEcSmc)
                cs.take(smc_taken(from_el, RME_SS_REALM, 2), cs.core->now_cycles(),
                        cs.core->now_cycles());
            else { /* the MMU's account of the fault, with the syndrome the core built (the
                    * instruction's ISV, SAS, SRT, SF, AR, WnR: cpu/a64.h) */
                rme_ev_exception x = abort_taken(b.last_fault(), from_el, RME_SS_REALM);
                x.esr = r.esr;
                cs.take(x, cs.core->now_cycles(), cs.core->now_cycles());
            }
            ended_ = "trap";
            break;
        }
        /* a GPC exception for EL3 (SCR_EL3.GPF set), or a trap the RMM does not model: the
         * vCPU stops here and the host's kick ends the step */
        ended_ = "unhandled";
        break;
    }
    if (trap.kind == RMM_TRAP_IRQ)
        cs.take(irq_taken(core_.el, RME_SS_REALM, 2), cs.core->now_cycles(),
                cs.core->now_cycles() + t[TIMING_EXCEPTION_ENTRY]);
    save(rec);
    realm.reset();
    cs.core->charge(t[TIMING_EXCEPTION_ENTRY]); /* to R-EL2 */
    cs.state.el = 2;
}

} // namespace rmesim
