// The actions a step can perform in this build, and how their outcomes are judged, logged and
// explained.
#include <cerrno>
#include <cstdarg>
#include <cinttypes>
#include <cstring>
#include <strings.h>

#include "model/where.hpp"
#include "model/simulation.hpp"
#include "model/text.hpp"

extern "C" {
#include "cpu/esr_decode.h"
#include "gpc/report.h"
}

namespace rmesim
{

using namespace sc_core;

namespace
{

const char *result_name(gpc_fault_kind k)
{
    return gpc_fault_kind_name(k); /* the scenario language's names for GPC outcomes */
}

} // namespace

std::string Observed::show() const
{
    switch (kind) {
    case NUMBER:
        return hex(number) + (number < 10 ? "" : " (" + std::to_string(number) + ")");
    case NAME:
        return text;
    case BOOL:
        return flag ? "true" : "false";
    default:
        return "\"" + text + "\"";
    }
}

void report_syndrome(StepResult &out, uint64_t esr)
{
    esr_fields f;
    esr_decode(esr, &f);
    out.set("esr", Observed::num(esr));
    out.set("esr_ec", Observed::num(f.ec));
    const char *ec = scn_name_of(&scn_ec_names, f.ec);
    out.set("exception.ec", Observed::name(ec ? ec : "UNKNOWN"));
    if (f.abort || f.gpc)
        out.set((f.gpc ? f.ind : !f.data) ? "ifsc" : "dfsc", Observed::num(f.fsc));
}

// The hook that gives a step's access number i (docs/scenarios.md, "Access patterns"): the
// pattern generator's next when the step has a pattern (a load's write_ratio makes some stores),
// else va + i * stride; generated as the step runs, never stored.
static uint64_t next_access(const scn_action &a, uint64_t base, uint64_t i, pattern_gen *gen,
                            scn_action_kind &kind)
{
    kind = a.kind;
    if (!gen)
        return base + i * a.stride;
    uint64_t va = base;
    bool store = false;
    pattern_next(gen, &va, &store);
    if (store)
        kind = SCN_ACT_STORE;
    return va;
}

void Simulation::do_access(const scn_step &step, CoreState &cs, StepResult &out)
{
    // A repeated access (count, stride) runs back to back; the step reports the last one, or
    // the first that faulted, and how many were made.
    const scn_action &a = step.action;
    uint64_t done = 0;
    bool el3 = step.actor.kind == SCN_ACTOR_EL3;
    uint64_t base = a.va;
    if (a.by_realm_ipa) {
        /* the VMM's view of guest memory: the page behind the IPA in the host's memslot, with
         * the stolen bit removed (the delegated granule for a private page) */
        RealmState &rs = realms_[a.realm];
        if (!ensure_realm(rs, cs))
            return;
        out.start_cycle = cs.core->now_cycles();
        kvm_lookup l{};
        out.set("host_ipa", Observed::num(a.ipa & ~(1ull << (rs.cfg->ipa_bits - 1))));
        if (!realm_page(rs, a.ipa, a.backing, a.pos, out.step_id, l))
            return;
        base = l.pa;
        rme_event e = EventSink::make(RME_EV_HOST_LOOKUP, out.start_cycle, out.start_cycle);
        e.u.lookup = {rs.cfg->name, a.ipa, base, l.shared};
        cs.sink.emit(e);
    }
    if (el3)
        el3_map_block(cs, a.va, a.has_pas ? a.pas : RME_PAS_ROOT);
    pattern_gen gen, *pattern = a.pattern.kind != SCN_PATTERN_NONE ? &gen : nullptr;
    if (pattern)
        pattern_init(pattern, &a.pattern, a.size);
    uint64_t stores = 0;
    for (uint64_t i = 0; i < a.count; i++) {
        scn_action_kind kind;
        uint64_t va = next_access(a, base, i, pattern, kind);
        bool fault = access_once(step, cs, out, va, unsigned(i), i + 1 == a.count, kind);
        done++;
        stores += kind == SCN_ACT_STORE;
        if (fault)
            break;
    }
    out.set("accesses", Observed::num(done));
    if (pattern) { /* how the pattern's accesses split */
        out.set("loads", Observed::num(done - stores));
        out.set("stores", Observed::num(stores));
    }
    if (el3 && a.has_pas && a.pas != RME_PAS_ROOT)
        el3_map_block(cs, a.va, RME_PAS_ROOT); /* and back to EL3's own Root map */
}

// EL3 reaches another PAS by changing the PAS of the 1GB block of its identity map that holds
// va, as TF-A's translation library maps regions with NS/Root/Realm attributes: a real store
// into EL3's table in Root memory. (No TLB is modelled yet, so no TLBI is needed.)
void Simulation::el3_map_block(CoreState &cs, uint64_t va, rme_pas pas)
{
    uint64_t l0 = 0, cycles = 0, mark = cs.core->port_cycles();
    mem_read(cs.core->port(), sw_->firmware().el3_ttbr() + 8 * ((va >> 39) & 511), RME_PAS_ROOT, 8,
             &l0, &cycles);
    uint64_t entry = (l0 & 0x0000FFFFFFFFF000ull) + 8 * ((va >> 30) & 511), desc = 0;
    mem_read(cs.core->port(), entry, RME_PAS_ROOT, 8, &desc, &cycles);
    static const uint64_t bits[4] = {0, DESC_S1_NS, DESC_S1_NSE, DESC_S1_NSE | DESC_S1_NS};
    uint64_t want = (desc & ~(DESC_S1_NS | DESC_S1_NSE)) | bits[pas];
    if (want != desc) {
        mem_write(cs.core->port(), entry, RME_PAS_ROOT, 8, want, &cycles);
        /* TLBI ALLE3, as after any EL3 table change */
        unsigned dropped = tlb_invalidate(cs.tlb, TLB_EL3, 0, 0, 0);
        rme_event e = EventSink::make(RME_EV_EL3_MAP, cs.core->now_cycles(), cs.core->now_cycles());
        e.u.el3_map = {va & ~((1ull << 30) - 1), pas, entry, want};
        cs.sink.emit(e);
        e = EventSink::make(RME_EV_TLBI, cs.core->now_cycles(), cs.core->now_cycles());
        e.u.tlbi = {"ALLE3", false, dropped, false, false};
        cs.sink.emit(e);
        cycles += s_.platform.timing[TIMING_TLBI_LOCAL] + s_.platform.timing[TIMING_DSB];
    }
    cs.core->settle(cycles, mark);
}

bool Simulation::access_once(const scn_step &step, CoreState &cs, StepResult &out, uint64_t va,
                             unsigned repeat, bool report, scn_action_kind action)
{
    const scn_action &a = step.action;
    pe &p = cs.state;
    bool el3 = step.actor.kind == SCN_ACTOR_EL3;
    p.el = el3 ? 3 : 2;
    p.last_exception.taken = false;
    if (!el3)
        p.regs[SCR_EL3] = (p.regs[SCR_EL3] & ~SCR_EL3_NSE) | SCR_EL3_NS; /* Non-secure EL2 */
    rme_sec_state ss = pe_security_state(&p);
    unsigned kind = action == SCN_ACT_LOAD ? 1 : action == SCN_ACT_STORE ? 2 : 3;
    uint64_t op = 0, mark = cs.core->port_cycles();
    uint64_t start = cs.core->now_cycles(), value = a.value;
    const char *owner = nullptr;
    rme_ev_exception taken{};
    mem_status st = MEM_OK;

    mmu_regime el3_regime;
    if (el3)
        el3_regime = sw_->single_stage_regime(MMU_EL3, p.el, ss, sw_->firmware().el3_ttbr());
    const mmu_regime &r = el3 ? el3_regime : sw_->host_regime(); /* NS-EL2: ss is NS */
    mmu_env env = SoftwareStack::mmu_env_of(cs);
    mmu_access_kind mk = kind == 1 ? MMU_READ : kind == 2 ? MMU_WRITE : MMU_FETCH;
    /* the host's repeated L1 TLB hit (model/tlb_hit_memo.hpp): one naturally aligned access
     * in one page; EL3's map changes under it (el3_map_block) are left to the full path */
    bool memo = !el3 && (a.size & (a.size - 1)) == 0 && (va & (a.size - 1)) == 0;
    TlbHitMemo::Entry *hit = nullptr;
    if (memo) {
        cs.host_memo.check_regime(r, env.tlb);
        hit = cs.host_memo.find(env.tlb, r, va, a.size, TlbHitMemo::access_class(mk, p.el));
    }
    rme_access slow;
    rme_access &acc = hit ? hit->hit : slow;
    if (!hit) {
        rme_access_init(&acc, va, a.size, mk);
        acc.sf = true;
        mmu_translate(&r, &env, &acc);
        if (memo) /* remembered for the next access; this one is recorded in full */
            cs.host_memo.fill(env.tlb, r, va, TlbHitMemo::access_class(mk, p.el), acc,
                              cs.core->page_cacheable(acc.pa), phys_mem_owner(mem_, acc.pa));
    }
    op += acc.cycles;

    uint64_t esr = 0, far = va;
    unsigned target = p.el;
    bool fault = acc.fault != MMU_OK;
    if (fault) {
        taken = abort_taken(acc, p.el, ss);
        pe_take_exception(&p, acc.target_el, EXC_SYNC, acc.esr, acc.far, acc.hpfar_valid, acc.hpfar,
                          acc.mfar_valid, acc.mfar);
        esr = acc.esr;
        far = acc.far;
        target = acc.target_el;
    } else {
        if (hit && hit->cacheable)
            st = cs.core->access_cacheable(kind == 2, acc.pa, acc.pas, a.size, &value, &op,
                                           hit->host);
        else
            st = kind == 2 ? mem_write(cs.core->port(), acc.pa, acc.pas, a.size, value, &op)
                           : mem_read(cs.core->port(), acc.pa, acc.pas, a.size, &value, &op);
        owner = hit ? hit->owner : phys_mem_owner(mem_, acc.pa);
        if (st != MEM_OK) {
            /* a synchronous External abort on the access (DFSC 0x10), taken at the same EL */
            taken = sea_taken(acc.kind, far, p.el, ss);
            esr = taken.esr;
            pe_take_exception(&p, p.el, EXC_SYNC, esr, far, false, 0, false, 0);
            fault = true;
        }
    }
    bool reached_memory = !(acc.fault != MMU_OK) && st == MEM_OK;
    /* the memo holds only L1 TLB hits with no walk or fault */
    cs.note_access(r, RME_ACC_STEP, true, acc, op, start, reached_memory ? &value : nullptr, owner,
                   repeat, unsigned(a.count), hit != nullptr);
    if (fault) {
        cs.take(taken, start + op, start + op + s_.platform.timing[TIMING_EXCEPTION_ENTRY]);
        op += s_.platform.timing[TIMING_EXCEPTION_ENTRY];
    }
    cs.core->settle(op, mark);
    /* Only the access the step reports (its last, or the first that faulted) fills the step's
     * fields: a repeated access's others cost nothing beyond the access itself. */
    if (report || fault)
        report_access(out, repeat > 0, acc, kind, reached_memory, value, owner, fault, esr, far,
                      target);
    return fault;
}

void Simulation::report_access(StepResult &out, bool repeated, const rme_access &acc, unsigned kind,
                               bool reached_memory, uint64_t value, const char *owner, bool fault,
                               uint64_t esr, uint64_t far, unsigned target)
{
    int dev = owner ? scenario_find_device(&s_, owner) : -1;
    if (repeated) /* a repeated access reports itself alone (not the realm page looked up first) */
        out.fields.clear();
    out.set("va", Observed::num(acc.va));
    out.set("walk_fetches", Observed::num(acc.n_fetches));
    out.set("tlb", Observed::name(acc.tlb > 0 ? "hit" : "miss"));
    bool mmu_fault = acc.fault != MMU_OK;
    const gpc_result *g = &acc.gpc;
    if (mmu_fault && acc.on_walk && acc.n_fetches)
        g = &acc.fetches[acc.n_fetches - 1].gpc;
    if (mmu_fault && acc.fault < MMU_FAULT_GPF) {
        out.set("stage1", Observed::name(mmu_fault_name(acc.fault)));
        out.set("fault_level", Observed::num(uint64_t(int64_t(acc.fault_level))));
    } else {
        out.set("stage1", Observed::name("ok"));
        out.set("pa", Observed::num(acc.on_walk ? acc.fetches[acc.n_fetches - 1].pa : acc.pa));
        out.set("pas",
                Observed::name(scn_name_of(
                    &scn_pas_names, acc.on_walk ? acc.fetches[acc.n_fetches - 1].pas : acc.pas)));
        out.set("gpc_cache", Observed::name(g->cache_hit ? "hit" : "miss"));
        out.set("fault_kind", Observed::name(result_name(g->kind)));
        if (g->gpi_found)
            out.set("gpi", Observed::name(scn_name_of(&scn_gpi_names, g->gpi)
                                              ? scn_name_of(&scn_gpi_names, g->gpi)
                                              : "reserved"));
        if (g->gpi_found || g->kind != GPC_OK)
            out.set("gpt_level", Observed::num(g->gpt_level));
    }
    if (mmu_fault) {
        out.set("result", Observed::name(mmu_fault_name(acc.fault)));
        if (acc.mfar_valid)
            out.set("mfar", Observed::num(acc.mfar));
        if (acc.hpfar_valid)
            out.set("hpfar", Observed::num(acc.hpfar));
    } else if (!reached_memory) {
        out.set("result", Observed::name("sea"));
    } else {
        out.set("result", Observed::name("ok"));
        if (kind != 2)
            out.set("value", Observed::num(value));
        if (dev >= 0) {
            out.set("output", Observed::str(vdev_output(platform_->device(unsigned(dev)))));
            out.set("mmio.device", Observed::str(owner));
            out.set("mmio.offset", Observed::num(acc.pa - s_.platform.devices[dev].base));
            out.set("mmio.write", Observed::boolean(kind == 2));
            out.set("mmio.value", Observed::num(value));
        }
    }
    if (fault) {
        report_syndrome(out, esr);
        out.set("far", Observed::num(far));
        out.set("exception.el", Observed::num(target));
    }
}

void Simulation::do_gpt_transition(const scn_step &step, CoreState &cs, StepResult &out)
{
    const scn_action &a = step.action;
    const uint64_t *t = s_.platform.timing;
    cs.core->sync(); // other cores must observe the GPT change: synchronise first
    cs.state.el = 3;
    uint64_t mark = cs.core->port_cycles(), cycles = 0, start = cs.core->now_cycles();
    gpt_transition_env env{cs.gpc,
                           sw_->firmware().gpt().max_contig,
                           {t[TIMING_GPT_TRANSITION], t[TIMING_TLBI_BROADCAST], t[TIMING_DSB], 1},
                           &SoftwareStack::broadcast_tlbi,
                           sw_.get()};
    int rc = 0;
    uint64_t granule = s_.platform.pgs;
    auto log = std::make_unique<gpt_op_log>();
    for (uint64_t pa = a.pa; pa < a.pa + a.range_size && rc == 0; pa += granule) {
        *log = {};
        rc = gpt_transition(&env, pa, a.gpi, a.caller, log.get());
        /* on the step's timeline: the granules one after the other (charged at the end) */
        rme_event e =
            EventSink::make(RME_EV_GPT_TRANSITION, start + cycles, start + cycles + log->cycles);
        e.u.gpt = {pa, a.gpi, a.caller, rc, false, log.get()};
        cs.sink.emit(e);
        cycles += log->cycles;
    }
    const char *status = rc == 0 ? "SUCCESS" : rc == -EPERM ? "BAD_PAS" : "BAD_ADDR";
    out.set("status", Observed::name(status));
    out.set("pa", Observed::num(a.pa));
    cs.core->settle(cycles, mark);
}

void Simulation::do_gpt_write(const scn_step &step, CoreState &cs, StepResult &out)
{
    uint64_t mark = cs.core->port_cycles(), cycles = 0;
    int rc = gpt_write_gpi(cs.gpc, step.action.pa, step.action.gpi, &cycles);
    rme_event e = EventSink::make(RME_EV_GPT_WRITE, cs.core->now_cycles(), cs.core->now_cycles());
    e.u.gpt = {step.action.pa, step.action.gpi, RME_SS_ROOT, rc, false, nullptr};
    cs.sink.emit(e);
    if (rc)
        run_error(where(s_, step.action.pos) + ": gpt_write: " + hex(step.action.pa) +
                  " is not mapped through a level-1 GPT table");
    out.set("pa", Observed::num(step.action.pa));
    cs.core->settle(cycles, mark);
}

void Simulation::do_tlbi(const scn_step &step, CoreState &cs, StepResult &out)
{
    const scn_action &a = step.action;
    const uint64_t *t = s_.platform.timing;
    auto op = static_cast<scn_tlbi_op>(a.tlbi_op);
    const char *name = scn_name_of(&scn_tlbi_ops, a.tlbi_op);
    size_t len = std::strlen(name);
    // Outer Shareable PA operations and the Inner Shareable VA ones reach every core.
    bool broadcast = op == SCN_TLBI_PAALLOS || op == SCN_TLBI_RPAOS || op == SCN_TLBI_RPALOS ||
                     (len > 2 && std::strcmp(name + len - 2, "IS") == 0);
    if (broadcast)
        cs.core->sync(); // a cross-core interaction: every core sees it at this time
    uint16_t vmid = uint16_t(a.has_vmid ? a.vmid : 0), asid = uint16_t(a.has_asid ? a.asid : 0);
    uint64_t va = a.has_xt ? (a.xt & 0xFFFFFFFFFFFull) << 12 : a.va;
    if (a.has_xt)
        asid = uint16_t(a.xt >> 48);
    unsigned dropped = 0;
    /* the security state the TLBI is for: the host's own (NS), or from EL3 the one
     * SCR_EL3.{NSE,NS} names (D8.16) */
    int ss = step.actor.kind == SCN_ACTOR_EL3     ? int(pe_lower_security_state(&cs.state))
             : step.actor.kind == SCN_ACTOR_REALM ? int(RME_SS_REALM)
                                                  : int(RME_SS_NS);
    for (auto &other : sw_->cores()) {
        if (!broadcast && &other != &cs)
            continue;
        switch (op) {
        case SCN_TLBI_PAALL:
        case SCN_TLBI_PAALLOS:
            gpc_tlbi_paall(other.gpc);
            dropped += tlb_invalidate(other.tlb, TLB_ALL, 0, 0, 0); /* combined GPT information */
            break;
        case SCN_TLBI_RPAOS:
        case SCN_TLBI_RPALOS: {
            uint64_t xt = a.has_xt ? a.xt : gpc_tlbi_rpa_operand(a.pa, a.tlbi_size), base, size;
            dropped += gpc_tlbi_rpa(other.gpc, xt, op == SCN_TLBI_RPALOS);
            if (gpc_tlbi_rpa_range(other.gpc, xt, &base, &size))
                dropped += tlb_invalidate_pa(other.tlb, base, size);
            out.set("xt", Observed::num(xt));
            break;
        }
        case SCN_TLBI_ALLE2:
        case SCN_TLBI_ALLE2IS:
            dropped += tlb_invalidate_ss(other.tlb, TLB_EL2, ss, 0, 0, 0);
            break;
        case SCN_TLBI_ALLE1:
        case SCN_TLBI_ALLE1IS:
            dropped += tlb_invalidate_ss(other.tlb, TLB_EL10, ss, 0, 0, 0);
            break;
        case SCN_TLBI_VMALLE1:
        case SCN_TLBI_VMALLE1IS:
        case SCN_TLBI_VMALLS12E1:
        case SCN_TLBI_VMALLS12E1IS:
            dropped += tlb_invalidate_ss(other.tlb, TLB_EL10_VMID, ss, vmid, 0, 0);
            break;
        case SCN_TLBI_ASIDE1:
        case SCN_TLBI_ASIDE1IS:
            dropped += tlb_invalidate_ss(other.tlb, TLB_EL10_ASID, ss, vmid, asid, 0);
            break;
        case SCN_TLBI_VAE1:
        case SCN_TLBI_VAE1IS:
        case SCN_TLBI_VALE1:
        case SCN_TLBI_VALE1IS:
            dropped += tlb_invalidate_ss(other.tlb, TLB_EL10_VA, ss, vmid, asid, va);
            break;
        default:
            /* IPAS2E1/IPAS2LE1: stage-2-only entries; the TLB holds combined entries only, which
             * need a VMALLE1 as on hardware */
            break;
        }
    }
    rme_event e = EventSink::make(RME_EV_TLBI, cs.core->now_cycles(), cs.core->now_cycles());
    e.u.tlbi = {name, broadcast, dropped, step.actor.kind == SCN_ACTOR_REALM, true};
    cs.sink.emit(e);
    cs.core->charge((broadcast ? t[TIMING_TLBI_BROADCAST] : t[TIMING_TLBI_LOCAL]) + t[TIMING_DSB]);
    out.set("dropped", Observed::num(dropped));
}

bool Simulation::gpi(uint64_t pa, unsigned &gpi) const
{
    bool found = false;
    gpi = sw_->firmware().gpt_lookup(mem_, pa, found);
    return found;
}

bool Simulation::memory(uint64_t pa, rme_pas pas, unsigned size, uint64_t &value) const
{
    return phys_mem_read(mem_, pa, pas, size, &value) == MEM_OK;
}

const rmm_realm *Simulation::realm(unsigned index, bool &built) const
{
    const RealmState &rs = realms_[index];
    built = rs.built;
    return rs.built && !rs.destroyed ? rmm_realm_at(const_cast<rmm *>(&sw_->the_rmm()), rs.kvm.rd)
                                     : nullptr;
}

bool Simulation::rtt_entry(unsigned realm, uint64_t ipa, int level, rtt_entry_info &e) const
{
    const RealmState &rs = realms_[realm];
    return rs.built && rmm_rtt_entry(const_cast<rmm *>(&sw_->the_rmm()), rs.kvm.rd, ipa, level, &e);
}

const char *Simulation::device_output(unsigned device) const
{
    return vdev_output(platform_->device(device));
}

const granule *Simulation::granule_at(uint64_t pa) const
{
    return granule_find(const_cast<granule_table *>(&sw_->the_rmm().granules), pa);
}

uint64_t Simulation::granules_owned() const
{
    uint64_t n = 0;
    for (granule_state st :
         {GRANULE_DELEGATED, GRANULE_RD, GRANULE_REC, GRANULE_REC_AUX, GRANULE_DATA, GRANULE_RTT})
        n += rmm_count_granules(const_cast<rmm *>(&sw_->the_rmm()), st);
    return n;
}

// ---- outputs ----------------------------------------------------------------------------------

void Simulation::note_cost(CoreState &cs, StepResult &out) const
{
    std::string line;
    for (unsigned w = 0; w < SW_COUNT; w++) {
        uint64_t spent = cs.core->account_cycles(w) - cs.cost_mark[w];
        out.set(std::string("cost.") + software_name(w), Observed::num(spent));
        line += fmt("%s %s %" PRIu64, line.empty() ? "" : ",", software_name(w), spent);
    }
}

void Simulation::print_explain() const
{
    if (explain_)
        explain_->print(opt_.explain_steps, opt_.explain_json);
}

} // namespace rmesim
