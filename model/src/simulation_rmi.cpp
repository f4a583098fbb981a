// The host's RMI calls: SMC to EL3, world switch into the RMM at R-EL2, the RMM's handler with
// its own GPC-checked accesses and its GTSI calls back to EL3, and the way back.
#include <cinttypes>
#include <cstring>
#include <unordered_map>

#include "model/cost.hpp"
#include "model/simulation.hpp"
#include "model/text.hpp"

namespace rmesim
{

using namespace sc_core;

// An 8-byte access by the RMM in the given PAS: through its own R-EL2 translation (the
// TLB, its tables, the descriptor's NS bit selecting the PAS) and the GPC, timed.
rmm_mem_result Simulation::access(uint64_t pa, rme_pas pas, bool write, uint64_t *value)
{
    if (!Core::current() || !here().in_rmm) { /* an inspection (judging): untimed */
        mem_status st = write ? phys_mem_write(mem_, pa, pas, 8, *value)
                              : phys_mem_read(mem_, pa, pas, 8, value);
        return st == MEM_OK ? RMM_MEM_OK : RMM_MEM_ABORT;
    }
    CoreState &cs = here();
    /* through its R-EL2 stage 1: the Realm PAS at VA = PA, the NS PAS in the NS window */
    mmu_fault f = access8(cs, rmm_regime_, RME_ACC_RMM,
                          pas == RME_PAS_NS ? pa + Firmware::kRmmNsWindow : pa, write, value);
    return f == MMU_OK ? RMM_MEM_OK : f == MMU_FAULT_GPF ? RMM_MEM_GPF : RMM_MEM_ABORT;
}

// SMC_RMM_GTSI_(UN)DELEGATE: the RMM asks EL3 to move a granule (TF-RMM rmm_el3_ifc; EL3 runs
// gpt_transition with the Realm as the caller).
int Simulation::rmm_gtsi(uint64_t pa, unsigned gpi)
{
    CoreState &cs = here();
    const uint64_t *t = s_.platform.timing;
    Spending el3(*cs.core, SW_EL3);
    cs.take(smc_taken(2, RME_SS_REALM, 3), cs.core->now_cycles(),
            cs.core->now_cycles() + t[TIMING_EXCEPTION_ENTRY]);
    cs.core->charge(t[TIMING_EXCEPTION_ENTRY]);
    cs.core->sync(); // other cores must observe the GPT change
    uint64_t mark = cs.core->port_cycles();
    gpt_transition_env env{cs.gpc,
                           fw_->gpt().max_contig,
                           {t[TIMING_GPT_TRANSITION], t[TIMING_TLBI_BROADCAST], t[TIMING_DSB], 1},
                           &Simulation::broadcast_tlbi,
                           this};
    auto log = std::make_unique<gpt_op_log>();
    /* TF-A rmmd: SMC_RMM_GTSI_DELEGATE and _UNDELEGATE, SMC64 fast calls 0x1B0 and 0x1B1 of the
     * standard service range, returning E_RMM_OK (0) or an E_RMM_* code */
    const char *name = gpi == GPI_REALM ? "SMC_RMM_GTSI_DELEGATE" : "SMC_RMM_GTSI_UNDELEGATE";
    uint64_t fid = gpi == GPI_REALM ? 0xC40001B0u : 0xC40001B1u;
    uint64_t start = cs.core->now_cycles(); /* the call's account starts in EL3, after the entry */
    cs.note_call(start, name, fid, 2, RME_SS_REALM, CallArgs().add("base_pa", pa), nullptr, 0);
    int rc = gpt_transition(&env, pa, gpi, RME_SS_REALM, log.get());
    if (rc == 0)
        cs.gpt_transitions++;
    /* told before the core is charged for it (charging may synchronise) */
    rme_event e = EventSink::make(RME_EV_GPT_TRANSITION, start, start + log->cycles);
    e.u.gpt = {pa, gpi, RME_SS_REALM, rc, true, log.get()};
    cs.sink.emit(e);
    cs.core->settle(log->cycles, mark);
    cs.core->charge(t[TIMING_EXCEPTION_RETURN]);
    cs.eret(eret_to(3, 2, RME_SS_REALM), cs.core->now_cycles());
    cs.note_call(start, name, fid, 2, RME_SS_REALM, CallArgs().add("base_pa", pa),
                 gpt_rmm_code(rc) == 0    ? "E_RMM_OK"
                 : gpt_rmm_code(rc) == -3 ? "E_RMM_BAD_PAS"
                                          : "E_RMM_BAD_ADDR",
                 0);
    return gpt_rmm_code(rc);
}

int Simulation::gtsi(uint64_t pa, bool delegate)
{
    return rmm_gtsi(pa, delegate ? GPI_REALM : GPI_NS);
}

// ---- the RMM's view of the realm ------------------------------------------------------------

void Simulation::tlbi_s2(uint16_t vmid, uint64_t, bool)
{
    // TF-RMM's stage-2 invalidation: TLBI IPAS2E1IS then VMALLE1IS, because the TLB holds
    // combined stage-1+2 entries. Broadcast to every core.
    unsigned dropped = 0;
    for (auto &c : cores_)
        dropped += tlb_invalidate_ss(c.tlb, TLB_EL10_VMID, RME_SS_REALM, vmid, 0, 0);
    if (Core::current()) {
        CoreState &cs = here();
        rme_event e = EventSink::make(RME_EV_TLBI, cs.core->now_cycles(), cs.core->now_cycles());
        e.u.tlbi = {"VMALLS12E1IS", true, dropped, false, false};
        cs.sink.emit(e);
        cs.core->charge(s_.platform.timing[TIMING_TLBI_BROADCAST] + s_.platform.timing[TIMING_DSB]);
    }
}

void Simulation::run_rec(rmm_rec &rec, rmm_trap &trap)
{
    RealmRun *run = here().realm_run;
    if (!run) { /* no realm step in progress: the host's kick arrives at once */
        trap.kind = RMM_TRAP_IRQ;
        return;
    }
    run->vcpu_impl->run(here(), rec, trap);
}

// One RMI call from the host at NS-EL2, in time: SMC to EL3, EL3 switches worlds (SCR_EL3.NSE/NS
// to Realm) and enters the RMM, which handles the call and returns through EL3.
uint64_t Simulation::rmi_call(CoreState &cs, const uint64_t in[8], uint64_t out[8], StepResult &res)
{
    const uint64_t *t = s_.platform.timing;
    pe &p = cs.state;
    uint64_t start = cs.core->now_cycles();
    /* RMI_<command>, made once per command: a call is frequent, its name constant */
    static std::unordered_map<uint64_t, std::string> names;
    auto known = names.find(in[0]);
    if (known == names.end()) {
        const char *name = scn_name_of(&scn_rmi_commands, unsigned(in[0] & 0xFFFF));
        known = names.emplace(in[0], std::string("RMI_") + (name ? name : "?")).first;
    }
    const std::string &call = known->second;
    CallArgs named; /* by the specification's names */
    for (int reg = 1; reg < 8; reg++)
        if (const char *arg = scn_arg_name(true, unsigned(in[0] & 0xFFFF), reg))
            named.add(arg, in[reg]);
    cs.note_call(start, call.c_str(), in[0], 2, RME_SS_NS, named, nullptr, 0);
    cs.take(smc_taken(2, RME_SS_NS, 3), start, start + t[TIMING_EXCEPTION_ENTRY]);
    {
        Spending el3(*cs.core, SW_EL3); /* the SMC into EL3 and its world switch */
        cs.core->charge(t[TIMING_EXCEPTION_ENTRY] + t[TIMING_SMC_WORLD_SWITCH]);
    }
    /* EL3 enters the RMM with an ERET (TF-A rmmd) */
    cs.eret(eret_to(3, 2, RME_SS_REALM), cs.core->now_cycles());
    Spending rmm(*cs.core, SW_RMM);
    p.regs[SCR_EL3] |= SCR_EL3_NS | SCR_EL3_NSE; /* into the Realm world */
    p.el = 2;
    cs.in_rmm = true;
    /* the RMM's own work per call (its memory accesses are timed as they happen) */
    cs.core->charge(t[TIMING_RMI_HANDLER]);
    rmm_.faulted = false;
    rmm_handle_rmi(&rmm_, in, out);
    if (rmm_.faulted) {
        /* the RMM's own access took a GPF: a granule it holds is not in the Realm PAS. On
         * hardware R-EL2 takes the fault and TF-RMM panics; the model reports it. */
        bool found = false;
        unsigned gpi = fw_->gpt_lookup(mem_, rmm_.fault_pa, found);
        res.set("result", Observed::name("gpf"));
        res.set("pa", Observed::num(rmm_.fault_pa));
        res.set("pas", Observed::name("realm"));
        if (found)
            res.set("gpi", Observed::name(scn_name_of(&scn_gpi_names, gpi)));
    }
    cs.in_rmm = false;
    /* SMC_RMM_REQ_COMPLETE to EL3, back to the Non-secure world, ERET to the host */
    cs.take(smc_taken(2, RME_SS_REALM, 3), cs.core->now_cycles(), cs.core->now_cycles());
    {
        Spending el3(*cs.core, SW_EL3);
        cs.core->charge(t[TIMING_SMC_WORLD_SWITCH] + t[TIMING_EXCEPTION_RETURN]);
    }
    cs.eret(eret_to(3, 2, RME_SS_NS), cs.core->now_cycles());
    p.regs[SCR_EL3] = (p.regs[SCR_EL3] & ~SCR_EL3_NSE) | SCR_EL3_NS;
    const char *status =
        out[0] == SMC_UNKNOWN ? "SMC_UNKNOWN" : scn_name_of(&scn_rmi_status, rmi_status_of(out[0]));
    cs.note_call(start, call.c_str(), in[0], 2, RME_SS_NS, named, status ? status : "?",
                 rmi_index_of(out[0]), out[0]);
    return out[0];
}

// Offsets of the fields of the NS structures a step may give as a map (RMM spec B4.4.12,
// B4.4.19, B4.4.14).
namespace
{
struct FieldOffset {
    const char *name;
    uint64_t offset;
};
const FieldOffset realm_params_offsets[] = {{"flags", RMI_REALM_PARAMS_FLAGS},
                                            {"s2sz", RMI_REALM_PARAMS_S2SZ},
                                            {"sve_vl", RMI_REALM_PARAMS_SVE_VL},
                                            {"num_bps", RMI_REALM_PARAMS_NUM_BPS},
                                            {"num_wps", RMI_REALM_PARAMS_NUM_WPS},
                                            {"pmu_num_ctrs", RMI_REALM_PARAMS_PMU_NUM_CTRS},
                                            {"hash_algo", RMI_REALM_PARAMS_HASH_ALGO},
                                            {"rpv", RMI_REALM_PARAMS_RPV},
                                            {"vmid", RMI_REALM_PARAMS_VMID},
                                            {"rtt_base", RMI_REALM_PARAMS_RTT_BASE},
                                            {"rtt_level_start", RMI_REALM_PARAMS_RTT_LEVEL_START},
                                            {"rtt_num_start", RMI_REALM_PARAMS_RTT_NUM_START},
                                            {nullptr, 0}};
const FieldOffset rec_params_offsets[] = {{"flags", RMI_REC_PARAMS_FLAGS},
                                          {"mpidr", RMI_REC_PARAMS_MPIDR},
                                          {"pc", RMI_REC_PARAMS_PC},
                                          {"gprs", RMI_REC_PARAMS_GPRS},
                                          {"num_aux", RMI_REC_PARAMS_NUM_AUX},
                                          {"aux", RMI_REC_PARAMS_AUX},
                                          {nullptr, 0}};
const FieldOffset rec_enter_offsets[] = {{"flags", RMI_ENTER_FLAGS},
                                         {"gprs", RMI_ENTER_GPRS},
                                         {"gicv3_hcr", RMI_ENTER_GICV3_HCR},
                                         {"gicv3_lrs", RMI_ENTER_GICV3_LRS},
                                         {nullptr, 0}};
} // namespace

// A structure the step gave as a map: the host writes it into a fresh page of its own memory
// (NS) and passes that page.
uint64_t Simulation::host_struct(CoreState &cs, const scn_value &map, const char *arg,
                                 unsigned command)
{
    const FieldOffset *fields = !std::strcmp(arg, "run")                 ? rec_enter_offsets
                                : command == (RMI_REALM_CREATE & 0xFFFF) ? realm_params_offsets
                                                                         : rec_params_offsets;
    uint64_t page = fw_->alloc_host_page();
    if (!page)
        return 0;
    for (size_t i = 0; i < map.n_fields; i++) {
        const scn_field &f = map.fields[i];
        uint64_t off = 0;
        for (const FieldOffset *o = fields; o->name; o++)
            if (!std::strcmp(o->name, f.name))
                off = o->offset;
        const scn_value &v = f.value;
        if (v.kind == SCN_VAL_LIST) {
            for (size_t j = 0; j < v.n_list; j++) {
                uint64_t x = v.list[j];
                host_access(cs, page + off + 8 * j, true, &x);
            }
        } else {
            uint64_t x = arg_value(cs, v);
            host_access(cs, page + off, true, &x);
        }
    }
    return page;
}

// A number, or what a realm's name stands for: its RD, a vCPU's REC, or the page behind one
// of its IPAs.
uint64_t Simulation::arg_value(CoreState &cs, const scn_value &v)
{
    if (v.kind != SCN_VAL_REALM && v.kind != SCN_VAL_REC && v.kind != SCN_VAL_REALM_PAGE)
        return v.number;
    RealmState &rs = realms_[v.realm];
    if (!ensure_realm(rs, cs))
        return 0;
    bool shared = false;
    return v.kind == SCN_VAL_REALM        ? rs.kvm.rd
           : v.kind == SCN_VAL_REALM_PAGE ? kvm_backing_pa(&rs.kvm, v.number, &shared)
                                          : rs.kvm.recs[v.vcpu];
}

void Simulation::do_rmi(const scn_step &step, CoreState &cs, StepResult &out)
{
    const scn_action &a = step.action;
    out.actor = "host";
    cs.state.el = 2;
    uint64_t in[8] = {0}, res[8] = {0}, code = 0;
    if (a.kind == SCN_ACT_RMI) {
        /* a realm named here is built first, outside this step's cycles */
        for (size_t i = 0; i < a.n_args; i++) {
            const scn_value &v = a.args[i].value;
            if (v.kind != SCN_VAL_REALM && v.kind != SCN_VAL_REC && v.kind != SCN_VAL_REALM_PAGE)
                continue;
            if (!ensure_realm(realms_[v.realm], cs))
                return;
            bool shared = false;
            if (v.kind == SCN_VAL_REALM_PAGE &&
                !kvm_backing_pa(&realms_[v.realm].kvm, v.number, &shared)) {
                failures_.push_back(fmt("%s:%u:%u: step '%s': nothing backs IPA %s of realm '%s' "
                                        "in the host's memslot yet",
                                        s_.file, v.pos.line, v.pos.column, out.step_id.c_str(),
                                        hex(v.number).c_str(), realms_[v.realm].cfg->name));
                return;
            }
        }
        out.start_cycle = cs.core->now_cycles();
        in[0] = RMI_FID(a.command);
        if (in[0] == RMI_VERSION)
            in[1] = RMI_ABI_VERSION; /* `rmi: VERSION` alone asks for 1.0 */
        for (size_t i = 0; i < a.n_args; i++) {
            const scn_field &f = a.args[i];
            int reg = scn_arg_register(true, a.command, f.name);
            if (reg < 1 || reg > 7)
                continue;
            in[reg] = f.value.kind == SCN_VAL_MAP ? host_struct(cs, f.value, f.name, a.command)
                                                  : arg_value(cs, f.value);
        }
        cs.host_result = &out;
        code = rmi_call(cs, in, res, out);
        cs.host_result = nullptr;
        /* the outputs by the names the expectations use (rmm.md 1.2) */
        static const struct {
            uint64_t fid;
            const char *names[4];
        } outputs[] = {
            {RMI_VERSION, {"lower", "higher"}},
            {RMI_FEATURES, {"value"}},
            {RMI_DATA_DESTROY, {"data", "top"}},
            {RMI_RTT_DESTROY, {"rtt", "top"}},
            {RMI_RTT_READ_ENTRY, {"walk_level", "state", "desc", "ripas"}},
            {RMI_RTT_UNMAP_UNPROTECTED, {"top"}},
            {RMI_RTT_FOLD, {"rtt"}},
            {RMI_REC_AUX_COUNT, {"aux_count"}},
            {RMI_RTT_INIT_RIPAS, {"out_top"}},
            {RMI_RTT_SET_RIPAS, {"out_top"}},
        };
        for (const auto &o : outputs) {
            if (o.fid != in[0] || code == SMC_UNKNOWN)
                continue;
            for (int k = 0; k < 4 && o.names[k]; k++) {
                std::string key = std::string("out.") + o.names[k];
                if (!std::strcmp(o.names[k], "state"))
                    out.set(key, Observed::name(scn_name_of(&scn_rtte_states, unsigned(res[2]))));
                else if (!std::strcmp(o.names[k], "ripas"))
                    out.set(key, Observed::name(scn_name_of(&scn_ripas, unsigned(res[4]))));
                else
                    out.set(key, Observed::num(res[k + 1]));
            }
        }
    } else {
        /* delegate/undelegate: the host's loop over a range, one RMI call per granule */
        in[0] = a.kind == SCN_ACT_DELEGATE ? RMI_GRANULE_DELEGATE : RMI_GRANULE_UNDELEGATE;
        uint64_t first = a.pa;
        if (a.by_realm_ipa) { /* the page behind a realm's IPA in the host's memslot */
            RealmState &rs = realms_[a.realm];
            bool shared = false;
            first = ensure_realm(rs, cs) ? kvm_backing_pa(&rs.kvm, a.ipa, &shared) : 0;
            out.start_cycle = cs.core->now_cycles();
            if (!first) {
                failures_.push_back(fmt("%s:%u:%u: step '%s': nothing backs IPA %s of realm '%s' "
                                        "in the host's memslot yet",
                                        s_.file, a.pos.line, a.pos.column, out.step_id.c_str(),
                                        hex(a.ipa).c_str(), rs.cfg->name));
                return;
            }
            out.set("pa", Observed::num(first));
        }
        for (uint64_t pa = first; pa < first + a.range_size; pa += GRANULE_SIZE) {
            in[1] = pa;
            code = rmi_call(cs, in, res, out);
            if (rmi_status_of(code) != RMI_SUCCESS)
                break;
        }
    }
    out.set("status", Observed::name(code == SMC_UNKNOWN
                                         ? "SMC_UNKNOWN"
                                         : scn_name_of(&scn_rmi_status, rmi_status_of(code))));
    out.set("index", Observed::num(code == SMC_UNKNOWN ? 0 : rmi_index_of(code)));
}

} // namespace rmesim
