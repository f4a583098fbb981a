// A realm vCPU on the platform: the RMM hands the core to the REC (env.run_rec), and the guest's
// instructions (realm/guest.c) run through the realm's stage 1, stage 2 and the GPC until one
// traps back to R-EL2 (an abort for the RMM, an SMC, or the end of the step's work).
#include <algorithm>
#include <cinttypes>
#include <cstring>
#include <unordered_map>
#include <optional>

#include "model/cost.hpp"
#include "model/exception_records.hpp"
#include "model/realm_regime.hpp"
#include "model/scripted_guest.hpp"
#include "model/text.hpp"

extern "C" {
#include "gpc/report.h"
#include "mmu/mmu.h"
#include "rmm/psci.h"
#include "scenario/names.h"
}

namespace rmesim
{

using namespace sc_core;

namespace
{

} // namespace

// The name of a realm's SMC: RSI_... for the RMM's own calls, PSCI_... for the PSCI calls it
// forwards (their table holds full function IDs).
std::string ScriptedGuest::smc_name(uint64_t fid)
{
    bool rsi = (fid & 0xFFFFFFFFu) >= 0xC4000190u && (fid & 0xFFFFFFFFu) <= 0xC40001AFu;
    const char *name = scn_name_of(&scn_rsi_commands, unsigned(rsi ? fid & 0xFFFF : fid));
    return name ? std::string(rsi ? "RSI_" : "") + name : "SMC " + hex(fid);
}

// The realm's SMC when it is made (rec null), or now that it has returned (X0 its status).
void ScriptedGuest::log_smc(CoreContext &cs, const RealmRun &run, const rmm_rec *rec)
{
    uint64_t fid = run.smc.args[0];
    static const char *const x[] = {"x0", "x1", "x2", "x3", "x4"};
    CallArgs args;
    for (unsigned i = 1; i < 5; i++)
        args.add(x[i], run.smc.args[i]);
    /* its name, made once per function: a call is frequent, its name constant */
    static std::unordered_map<uint64_t, std::string> names;
    auto known = names.find(fid);
    if (known == names.end())
        known = names.emplace(fid, smc_name(fid)).first;
    if (!rec) {
        cs.note_call(run.smc.start, known->second.c_str(), fid, 1, RME_SS_REALM, args, nullptr, 0);
        return;
    }
    bool psci = !((fid & 0xFFFFFFFFu) >= 0xC4000190u && (fid & 0xFFFFFFFFu) <= 0xC40001AFu);
    const char *name =
        scn_name_of(psci ? &scn_psci_status : &scn_rsi_status, unsigned(rec->gprs[0]));
    /* back at the SMC: the RMM made it exit for the host to map the call's buffer (TF-RMM
     * realm_ipa_to_pa), and the realm issues it again */
    std::string status = rec->pc == run.smc.pc ? "RESTARTED" : name ? name : hex(rec->gprs[0]);
    cs.note_call(run.smc.start, known->second.c_str(), fid, 1, RME_SS_REALM, args, status.c_str(),
                 0, rec->gprs[0]);
}

// A TLBI the guest made at R-EL1, and how many entries it dropped.
void ScriptedGuest::tlbi(CoreContext &cs, const char *op, bool broadcast, unsigned dropped,
                         bool primary)
{
    rme_event e = EventSink::make(RME_EV_TLBI, cs.core->now_cycles(), cs.core->now_cycles());
    e.u.tlbi = {op, broadcast, dropped, true, primary};
    cs.sink.emit(e);
}

void ScriptedGuest::append(const guest_op *ops, size_t n, uint64_t rec_pc)
{
    size_t at = rec_pc > entry_ ? size_t((rec_pc - entry_) / 4) : 0, keep = at ? at - 1 : 0;
    /* an op whose instructions all lie before keep is dropped (a run the PC is inside stays) */
    while (!code_.empty() && code_.front().first + code_.front().op.repeat + 1 <= keep)
        code_.pop_front();
    first_ = code_.empty() ? end_ : code_.front().first;
    if (code_.empty())
        code_.shrink_to_fit();
    for (size_t i = 0; i < n; i++) {
        code_.push_back({end_, ops[i]});
        end_ += size_t(ops[i].repeat) + 1;
    }
    found_ = nullptr; /* the deque moved: found again on the next call */
    found_first_ = SIZE_MAX;
    found_repeat_ = 0;
}

void ScriptedGuest::find(size_t i) const
{
    size_t k = found_index_ + 1; /* the next op (the PC moved on), else a binary search */
    if (!(found_ && k < code_.size() && code_[k].first <= i &&
          i <= code_[k].first + code_[k].op.repeat))
        k = size_t(std::upper_bound(code_.begin(), code_.end(), i,
                                    [](size_t x, const Held &h) { return x < h.first; }) -
                   code_.begin()) -
            1;
    found_index_ = k;
    found_ = &code_[k];
    found_first_ = found_->first;
    found_repeat_ = found_->op.repeat;
}

const guest_op &ScriptedGuest::run_store(size_t i) const
{
    scratch_ = guest_op_at(&found_->op, i - found_first_);
    return scratch_;
}

// The guest's instructions from the REC's PC until one traps to R-EL2. Running out of
// instructions is the step's end: the host's kick arrives as an IRQ.
void ScriptedGuest::run(CoreContext &cs, rmm_rec &rec_, rmm_trap &trap_)
{
    rmm_rec *rec = &rec_;
    rmm_trap *trap = &trap_;
    pe &p = cs.state;
    const uint64_t *t = platform_.machine().timing;
    RealmRun &run = *cs.realm_run;
    const uint64_t entry = entry_, end = entry + 4 * size();
    cs.core->charge(t[TIMING_EXCEPTION_RETURN]); /* ERET from R-EL2 into the realm */
    cs.eret(eret_to(2, 1, RME_SS_REALM), cs.core->now_cycles());
    regime_stale_ = true; /* the RMM (or the host, through it) may have changed the REC */
    std::optional<Spending> realm(std::in_place, *cs.core, SW_REALM);
    p.el = 1;
    if (run.smc.pending) {
        run.smc.pending = false;
        log_smc(cs, run, rec);
        /* rsi_set_memory_range: call again from new_base (X1) while it is below top */
        size_t at = size_t((rec->pc - entry) / 4);
        if (rec->pc > entry && at <= size() && at > first_ && op(at - 1).kind == GOP_SMC &&
            op(at - 1).loop_top && rec->gprs[0] == RSI_SUCCESS &&
            rec->gprs[2] == op(at - 1).loop_x2 && rec->gprs[1] < op(at - 1).loop_top &&
            rec->gprs[1] > op(at - 1).args[1]) {
            run.smc.again = rec->gprs[1];
            rec->pc -= 4;
        }
    }
    if (pattern_.trapped_pc && pattern_.on && rec->pc == pattern_.trapped_pc + 4)
        pattern_advance(rec, pattern_.trapped_pc); /* the host emulated it (MMIO) and stepped on */
    pattern_.trapped_pc = 0;
    bool trapped = false;
    while (!trapped) {
        if (rec->sea_injected) {
            /* the SEA the RMM injected: Linux's handler ends the access (a fixup or an oops) */
            rec->sea_injected = false;
            StepResult &out = *run.out;
            report_completed(run);
            out.set("result", Observed::name("sea"));
            out.set("exception.el", Observed::num(1));
            report_syndrome(out, rec->el1.esr);
            /* the RMM wrote ESR_EL1 and entered the vector: the guest's exception */
            cs.take(sea_injected(rec->el1.esr, rec->el1.far, rec->el1.elr), cs.core->now_cycles(),
                    cs.core->now_cycles());
            if (!run.stopped_at)
                run.stopped_at = rec->el1.elr;
            rec->pc = end;
        }
        if (rec->pc < entry || rec->pc >= end || (rec->pc - entry) % 4) {
            trap->kind = RMM_TRAP_IRQ;
            break;
        }
        const guest_op &op = this->op((rec->pc - entry) / 4);
        run.instructions++;
        switch (op.kind) {
        case GOP_MSR: {
            uint64_t *regs[] = {&rec->el1.sctlr, &rec->el1.tcr,  &rec->el1.ttbr0,
                                &rec->el1.ttbr1, &rec->el1.mair, &rec->el1.vbar};
            *regs[op.sysreg] = op.value;
            regime_stale_ = true;
            cs.core->charge(1);
            rec->pc += 4;
            break;
        }
        case GOP_TLBI:
            tlbi(cs, "VMALLE1", false,
                 tlb_invalidate_ss(cs.tlb, TLB_EL10_VMID, RME_SS_REALM, rec->realm->vmid, 0, 0),
                 false);
            cs.core->charge(t[TIMING_TLBI_LOCAL] + t[TIMING_DSB]);
            rec->pc += 4;
            break;
        case GOP_TLBI_VA: { /* TLBI VAALE1IS: this page, every ASID, every core */
            unsigned dropped = 0;
            for (unsigned c = 0; c < platform_.cores(); c++)
                dropped += tlb_invalidate_leaf_ss(platform_.tlb(c), TLB_EL10_VA, RME_SS_REALM,
                                                  rec->realm->vmid, 0, op.va);
            tlbi(cs, "VAALE1IS", true, dropped, false);
            cs.core->charge(t[TIMING_TLBI_BROADCAST]);
            rec->pc += 4;
            break;
        }
        case GOP_TLBI_EL1: { /* EL1 maintenance reaches this VMID's Realm EL1&0 entries */
            static const tlb_scope scopes[] = {TLB_EL10_VMID, TLB_EL10_VA, TLB_EL10_VA,
                                               TLB_EL10_ASID};
            if (op.tlbi_broadcast)
                cs.core->sync(); /* every core sees it at this time */
            unsigned dropped = 0;
            for (unsigned c = 0; c < platform_.cores(); c++) {
                mmu_tlb *tlb = platform_.tlb(c);
                if (!op.tlbi_broadcast && tlb != cs.tlb)
                    continue;
                dropped += op.tlbi_scope == GUEST_TLBI_VAL
                               ? tlb_invalidate_leaf_ss(tlb, TLB_EL10_VA, RME_SS_REALM,
                                                        rec->realm->vmid, op.asid, op.va)
                               : tlb_invalidate_ss(tlb, scopes[op.tlbi_scope], RME_SS_REALM,
                                                   rec->realm->vmid, op.asid, op.va);
            }
            static const char *const names[2][4] = {{"VMALLE1", "VAE1", "VALE1", "ASIDE1"},
                                                    {"VMALLE1IS", "VAE1IS", "VALE1IS", "ASIDE1IS"}};
            tlbi(cs, names[op.tlbi_broadcast][op.tlbi_scope], op.tlbi_broadcast, dropped,
                 op.primary);
            if (op.primary) {
                run.out->set("dropped", Observed::num(dropped));
            }
            cs.core->charge(t[op.tlbi_broadcast ? TIMING_TLBI_BROADCAST : TIMING_TLBI_LOCAL] +
                            t[TIMING_DSB]);
            rec->pc += 4;
            break;
        }
        case GOP_CBNZ: /* Linux returning early from a failed call */
            rec->pc += 4 * (1 + (rec->gprs[op.reg] ? op.skip : 0));
            cs.core->charge(1);
            break;
        case GOP_CSEL: { /* did the probe cover the whole range with the RIPAS it wants? */
            bool all = rec->gprs[0] == RSI_SUCCESS && rec->gprs[2] == op.loop_x2 &&
                       rec->gprs[1] >= op.loop_top;
            rec->gprs[op.reg] = all ? 0 : op.value;
            cs.core->charge(1);
            rec->pc += 4;
            break;
        }
        case GOP_SMC: {
            for (unsigned i = 0; i < 11; i++)
                rec->gprs[i] = op.args[i];
            if (run.smc.again) { /* Linux's loop: the next call starts at the new_base */
                rec->gprs[1] = run.smc.again;
                run.smc.again = 0;
            }
            trap->kind = RMM_TRAP_SMC;
            trap->esr = (0x17ull << 26) | (1ull << 25);
            if (op.primary && run.primary_exit < 0)
                run.primary_exit = long(run.exits_seen);
            run.smc.start = cs.core->now_cycles();
            run.smc.pc = rec->pc;
            for (unsigned i = 0; i < 5; i++)
                run.smc.args[i] = rec->gprs[i];
            log_smc(cs, run, nullptr);
            /* HCR_EL2.TSC: to R-EL2 */
            cs.take(smc_taken(1, RME_SS_REALM, 2), run.smc.start,
                    run.smc.start + t[TIMING_EXCEPTION_ENTRY]);
            {
                Spending rmm(*cs.core, SW_RMM);
                cs.core->charge(t[TIMING_RSI_HANDLER]);
            }
            run.smc.pending = true;
            trapped = true;
            break;
        }
        default:
            if (pattern_.on && size_t((rec->pc - entry) / 4) == pattern_.at)
                pattern_op(cs, rec, op, trap, trapped);
            else
                memory_op(cs, rec, op, trap, trapped);
            break;
        }
    }
    if (trap->kind == RMM_TRAP_IRQ) /* the host's kick: the IRQ is taken to R-EL2 */
        cs.take(irq_taken(1, RME_SS_REALM, 2), cs.core->now_cycles(),
                cs.core->now_cycles() + t[TIMING_EXCEPTION_ENTRY]);
    realm.reset();                              /* the exception entry to R-EL2 is the RMM's */
    cs.core->charge(t[TIMING_EXCEPTION_ENTRY]); /* to R-EL2 */
    p.el = 2;
    report_completed(run); /* the host and the views see the step's fields as they stand */
}

void ScriptedGuest::report_completed(RealmRun &run)
{
    RealmRun::Completed &c = run.completed;
    if (!c.pending)
        return;
    StepResult &out = *run.out;
    out.set("result", Observed::name("ok"));
    out.set("pa", Observed::num(c.pa));
    out.set("pas", Observed::name(scn_name_of(&scn_pas_names, c.pas)));
    if (c.has_gpi)
        out.set("gpi", Observed::name(scn_name_of(&scn_gpi_names, c.gpi)));
    if (c.has_value)
        out.set("value", Observed::num(c.value));
    else /* a store now (a pattern's, after loads): no value is the step's */
        out.fields.erase("value");
    c = RealmRun::Completed{};
}

void ScriptedGuest::set_pattern(size_t at, const scn_pattern &p, unsigned size)
{
    pattern_.on = true;
    pattern_.at = at;
    pattern_.done = pattern_.stores = pattern_.trapped_pc = 0;
    pattern_init(&pattern_.gen, &p, size);
    pattern_next(&pattern_.gen, &pattern_.va, &pattern_.store);
}

// One access of the pattern: the instruction with the generator's address; once it completed
// (the PC moved on), the next one, at the same PC until the pattern is done.
void ScriptedGuest::pattern_op(CoreContext &cs, rmm_rec *rec, const guest_op &op, rmm_trap *trap,
                               bool &trapped)
{
    guest_op one = op;
    one.va = pattern_.va;
    if (pattern_.store)
        one.kind = GOP_STORE;
    uint64_t pc = rec->pc, stopped = cs.realm_run->stopped_at;
    memory_op(cs, rec, one, trap, trapped);
    if (cs.realm_run->stopped_at != stopped) { /* the guest's own fault or an SEA ended the */
        pattern_.on = false;                   /* step: its PC is at the end, maybe pc + 4 */
        return;
    }
    if (trapped) /* retried after the host's fix, or emulated by it (back at pc + 4) */
        pattern_.trapped_pc = pc;
    else if (rec->pc == pc + 4)
        pattern_advance(rec, pc);
}

// The pattern's access at pc is done: the next one at the same pc, or the pattern is over.
void ScriptedGuest::pattern_advance(rmm_rec *rec, uint64_t pc)
{
    pattern_.done++;
    pattern_.stores += pattern_.store || op(pattern_.at).kind == GOP_STORE;
    if (pattern_next(&pattern_.gen, &pattern_.va, &pattern_.store))
        rec->pc = pc;
    else
        pattern_.on = false;
}

void ScriptedGuest::memory_op(CoreContext &cs, rmm_rec *rec, const guest_op &op, rmm_trap *trap,
                              bool &trapped)
{
    pe &p = cs.state;
    RealmRun &run = *cs.realm_run;
    StepResult &out = *run.out;
    const uint64_t end = entry_ + 4 * size();
    if (regime_stale_) { /* made again only when a system register may have changed */
        regime_ = realm_regime(*rec, platform_.machine().pa_range);
        regime_stale_ = false;
        /* a hit may depend on more of the regime than a key; and run() makes the regime again
         * at every entry, so a core change (another TLB) empties the memo too */
        memo_.flush();
    }
    const mmu_regime &r = regime_;
    /* TF-RMM runs realms with HCR_EL2.{TGE,GPF} = {0,0} (HCR_REALM_FLAGS): a GPF on the output
     * of a realm access (an NS page the host re-delegated behind an ASSIGNED_NS mapping) is the
     * realm's own fault; one on a stage-2 walk still goes to R-EL2 */
    mmu_env env{cs.gpc, cs.tlb, cs.core->port(), bool(p.regs[SCR_EL3] & SCR_EL3_GPF), false, false};
    const mmu_access_kind kind = op.kind == GOP_LOAD    ? MMU_READ
                                 : op.kind == GOP_STORE ? MMU_WRITE
                                                        : MMU_FETCH;
    /* a repeated L1 TLB hit (model/tlb_hit_memo.hpp): one naturally aligned access */
    const bool memo = (op.size & (op.size - 1)) == 0 && (op.va & (op.size - 1)) == 0;
    const unsigned cls = TlbHitMemo::access_class(kind, r.el);
    /* a store of value | X[or_reg]: a descriptor whose attributes were chosen at run time */
    const uint64_t stored = op.value | (op.or_reg ? rec->gprs[op.or_reg] : 0);
    if (op.kind == GOP_STORE)
        rec->gprs[op.reg] = stored;
    uint64_t mark = cs.core->port_cycles(), cyc = 0;
    uint64_t start = cs.core->now_cycles(), logged_value = 0;
    bool reached_memory = false;
    TlbHitMemo::Entry *hit = memo ? memo_.find(env.tlb, r, op.va, op.size, cls) : nullptr;
    rme_access slow;
    rme_access &acc = hit ? hit->hit : slow;
    if (!hit)
        rme_access_init(&acc, op.va, op.size, kind);
    acc.srt = op.reg;
    acc.sf = op.size == 8; /* LDR/STR Xt for 8 bytes, Wt (LDRB, LDRH...) below */
    if (!hit) {
        mmu_translate(&r, &env, &acc);
        if (memo)
            memo_.fill(env.tlb, r, op.va, cls, acc, cs.core->page_cacheable(acc.pa));
    }
    cyc += acc.cycles;
    bool first = op.primary && !run.primary_seen;
    bool fault = acc.fault != MMU_OK;
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
    }
    if (fault) {
        run.faults++;
        if (acc.target_el == 2) {
            /* a stage-2 (or GPC) abort: to the RMM at R-EL2 with the syndrome in ESR_EL2 */
            trap->kind = op.kind == GOP_FETCH ? RMM_TRAP_INSTR_ABORT : RMM_TRAP_DATA_ABORT;
            trap->esr = acc.esr;
            trap->far = acc.far;
            trap->hpfar = acc.hpfar;
            trapped = true;
            if (op.primary && run.primary_exit < 0)
                run.primary_exit = long(run.exits_seen);
        } else {
            /* the guest's own fault (stage 1, or a GPF on the output with HCR_EL2.GPF clear):
             * Linux would oops; the step ends here */
            bool output_gpf = acc.fault >= MMU_FAULT_GPF && !acc.on_walk;
            if (op.primary) {
                report_completed(run);
                out.set("result", Observed::name(mmu_fault_name(acc.fault)));
                report_syndrome(out, acc.esr);
                out.set("exception.el", Observed::num(acc.target_el));
                if (output_gpf) {
                    out.set("pa", Observed::num(acc.pa));
                    out.set("pas", Observed::name(scn_name_of(&scn_pas_names, acc.pas)));
                    if (acc.gpc.gpi_found)
                        out.set("gpi", Observed::name(scn_name_of(&scn_gpi_names, acc.gpc.gpi)));
                }
            }
            if (!run.stopped_at)
                run.stopped_at = rec->pc;
            rec->pc = end;
        }
    } else {
        uint64_t value = stored;
        mem_status st = hit && hit->cacheable
                            ? cs.core->access_cacheable(op.kind == GOP_STORE, acc.pa, acc.pas,
                                                        op.size, &value, &cyc, hit->host)
                        : op.kind == GOP_STORE
                            ? mem_write(cs.core->port(), acc.pa, acc.pas, op.size, value, &cyc)
                            : mem_read(cs.core->port(), acc.pa, acc.pas, op.size, &value, &cyc);
        reached_memory = st == MEM_OK;
        logged_value = value;
        if (st != MEM_OK) {
            if (op.primary) {
                report_completed(run);
                out.set("result", Observed::name("sea"));
            }
            if (!run.stopped_at)
                run.stopped_at = rec->pc;
            rec->pc = end;
        } else {
            if (op.kind == GOP_LOAD)
                rec->gprs[op.reg] = value;
            rec->pc += 4;
            /* the retry after the host's fix; of a repeated access (count), the first only */
            if (op.primary) {
                RealmRun::Completed &c = run.completed;
                c.pending = true;
                c.pa = acc.pa;
                c.pas = acc.pas;
                /* the latest access's (a pattern's may be a store after loads) */
                c.has_gpi = acc.gpc.gpi_found;
                c.gpi = uint8_t(acc.gpc.gpi);
                c.has_value = op.kind == GOP_LOAD;
                c.value = value;
            }
        }
    }
    /* the memo holds only L1 TLB hits with no walk or fault */
    cs.note_access(r, RME_ACC_GUEST, op.primary, acc, cyc, start,
                   reached_memory ? &logged_value : nullptr, nullptr, 0, 1, hit != nullptr);
    if (fault) /* to R-EL2 (stage 2, a GPF on a walk) or the guest's own, when the access is over */
        cs.take(abort_taken(acc, 1, RME_SS_REALM), start + cyc,
                start + cyc + platform_.machine().timing[TIMING_EXCEPTION_ENTRY]);
    cs.core->settle(cyc, mark);
}

} // namespace rmesim
