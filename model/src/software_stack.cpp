// EL3 and the RMM on the platform's cores: the firmware's boot, each core's reset, the RMM's
// view of the machine (RmmMachine), the SMC path of an RMI call, and EL3's GTSI handling.
#include "model/software_stack.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "model/cost.hpp"
#include "model/exception_records.hpp"
#include "model/l1_cache.hpp"
#include "model/text.hpp"

extern "C" {
#include "gpc/regs.h"
#include "scenario/names.h"
}

namespace rmesim
{

SoftwareStack::SoftwareStack(Platform &platform, const EventStream &stream)
    : platform_(platform), stream_(stream), timing_(platform.machine().timing),
      mem_(platform.memory())
{
}

SoftwareStack::~SoftwareStack()
{
    if (rmm_ready_)
        rmm_fini(&rmm_);
}

bool SoftwareStack::build_firmware(const scenario &s, bool verbose, std::string &error)
{
    if (!fw_.build(s, platform_, verbose, error))
        return false;
    rmm_regime_ = single_stage_regime(MMU_REALM_EL2, 2, RME_SS_REALM, fw_.rmm_ttbr());
    host_regime_ = single_stage_regime(MMU_NS_EL2, 2, RME_SS_NS, fw_.host_ttbr());
    return true;
}

// Each core out of reset with EL3's GPC registers and the GPC enabled (TF-A's order), its
// records told to the stream; then the RMM, with every listed DRAM region delegable
// (PaIsDelegable).
bool SoftwareStack::reset(const scenario &s, std::string &error)
{
    const scn_platform &p = s.platform;
    uint64_t gpccr, gptbr;
    fw_.gpc_registers(p, gpccr, gptbr);
    cores_.resize(platform_.cores());
    for (unsigned i = 0; i < platform_.cores(); i++) {
        CoreContext &cs = cores_[i];
        cs.core = &platform_.core(i);
        cs.gpc = platform_.gpc(i);
        cs.tlb = platform_.tlb(i);
        pe_reset(&cs.state, i);
        if (p.gpf_to_el3)
            cs.state.regs[SCR_EL3] |= SCR_EL3_GPF;
        cs.state.regs[GPCCR_EL3] = gpccr;
        cs.state.regs[GPTBR_EL3] = gptbr;
        auto enable = std::make_unique<gpt_op_log>();
        gpt_enable(cs.gpc, gpccr, gptbr, enable.get());
        cs.sink = EventSink(stream_, i);
        CoreContext *state = &cs;
        cs.core->on_account_change([state](unsigned who) {
            rme_event e = EventSink::make(RME_EV_SOFTWARE, state->core->now_cycles(),
                                          state->core->now_cycles());
            e.u.software = {state->core->account(), who};
            state->sink.emit(e);
        });
    }
    std::vector<pa_range> dram;
    for (size_t i = 0; i < p.n_memory; i++)
        dram.push_back({p.memory[i].base, p.memory[i].size});
    rmm_env env = rmm_env_for(*this, p.pa_range);
    rmm_ready_ = rmm_init(&rmm_, &env, dram.data(), dram.size());
    if (!rmm_ready_)
        error = std::string(s.file) + ": the RMM could not track this memory map";
    return rmm_ready_;
}

// An 8-byte access by the RMM in the given PAS: through its own R-EL2 translation (the
// TLB, its tables, the descriptor's NS bit selecting the PAS) and the GPC, timed.
rmm_mem_result SoftwareStack::access(uint64_t pa, rme_pas pas, bool write, uint64_t *value)
{
    if (!Core::current() || !here().in_rmm) { /* an inspection (judging): untimed */
        mem_status st = write ? phys_mem_write(mem_, pa, pas, 8, *value)
                              : phys_mem_read(mem_, pa, pas, 8, value);
        return st == MEM_OK ? RMM_MEM_OK : RMM_MEM_ABORT;
    }
    CoreContext &cs = here();
    /* through its R-EL2 stage 1: the Realm PAS at VA = PA, the NS PAS in the NS window */
    mmu_fault f = access8(cs, rmm_regime_, RME_ACC_RMM,
                          pas == RME_PAS_NS ? pa + Firmware::kRmmNsWindow : pa, write, value);
    return f == MMU_OK ? RMM_MEM_OK : f == MMU_FAULT_GPF ? RMM_MEM_GPF : RMM_MEM_ABORT;
}

// The RMM zeroing a granule of its own as TF-RMM does (v0.5.0 on, commit 862f96ce; today
// buffer_granule_map_zeroed in lib/slot_buf/include/buffer.h maps the granule in a slot buffer
// and granule_memzero_mapped in lib/granule/src/granule.c zeroes it): one DC ZVA per
// DCZID_EL0.BS block, then DSB ISH. The first block is an access through the RMM's stage 1 and
// the GPC (a GPF there fails the wipe, as the first of the 512 stores did); the granule is then
// zeroed in the store by releasing its page, and each other block costs what a store to its
// line costs (the L1, or the interconnect and DRAM). docs/timing.md, "The RMM's wipe".
rmm_mem_result SoftwareStack::zero_granule(uint64_t pa)
{
    if (!Core::current() || !here().in_rmm) /* an inspection (judging): untimed */
        return phys_mem_zero(mem_, pa, GRANULE_SIZE) ? RMM_MEM_OK : RMM_MEM_ABORT;
    CoreContext &cs = here();
    uint64_t zero = 0;
    mmu_fault f = access8(cs, rmm_regime_, RME_ACC_RMM, pa, true, &zero);
    if (f != MMU_OK)
        return f == MMU_FAULT_GPF ? RMM_MEM_GPF : RMM_MEM_ABORT;
    if (!phys_mem_zero(mem_, pa, GRANULE_SIZE))
        return RMM_MEM_ABORT;
    const uint64_t block = 1ull << L1Cache::kLineBits;
    uint64_t mark = cs.core->port_cycles(), op = 0;
    for (uint64_t off = block; off < GRANULE_SIZE; off += block)
        if (mem_write(cs.core->port(), pa + off, RME_PAS_REALM, 8, 0, &op) != MEM_OK)
            return RMM_MEM_ABORT;
    cs.core->settle(op + timing_[TIMING_DSB], mark);
    return RMM_MEM_OK;
}

// SMC_RMM_GTSI_(UN)DELEGATE: the RMM asks EL3 to move a granule (TF-RMM rmm_el3_ifc; EL3 runs
// gpt_transition with the Realm as the caller).
int SoftwareStack::rmm_gtsi(uint64_t pa, unsigned gpi)
{
    CoreContext &cs = here();
    const uint64_t *t = timing_;
    Spending el3(*cs.core, SW_EL3);
    cs.take(smc_taken(2, RME_SS_REALM, 3), cs.core->now_cycles(),
            cs.core->now_cycles() + t[TIMING_EXCEPTION_ENTRY]);
    cs.core->charge(t[TIMING_EXCEPTION_ENTRY]);
    cs.core->sync(); // other cores must observe the GPT change
    uint64_t mark = cs.core->port_cycles();
    gpt_transition_env env{cs.gpc,
                           fw_.gpt().max_contig,
                           {t[TIMING_GPT_TRANSITION], t[TIMING_TLBI_BROADCAST], t[TIMING_DSB], 1},
                           &SoftwareStack::broadcast_tlbi,
                           this};
    if (!cs.gtsi_log)
        cs.gtsi_log = std::make_unique<gpt_op_log>();
    gpt_op_log *log = cs.gtsi_log.get();
    log->n = 0; /* its operations are rewritten from the first: only n and cycles are reset */
    log->cycles = 0;
    /* TF-A rmmd: SMC_RMM_GTSI_DELEGATE and _UNDELEGATE, SMC64 fast calls 0x1B0 and 0x1B1 of the
     * standard service range, returning E_RMM_OK (0) or an E_RMM_* code */
    const char *name = gpi == GPI_REALM ? "SMC_RMM_GTSI_DELEGATE" : "SMC_RMM_GTSI_UNDELEGATE";
    uint64_t fid = gpi == GPI_REALM ? 0xC40001B0u : 0xC40001B1u;
    uint64_t start = cs.core->now_cycles(); /* the call's account starts in EL3, after the entry */
    cs.note_call(start, name, fid, 2, RME_SS_REALM, CallArgs().add("base_pa", pa), nullptr, 0);
    int rc = gpt_transition(&env, pa, gpi, RME_SS_REALM, log);
    if (rc == 0)
        cs.gpt_transitions++;
    /* told before the core is charged for it (charging may synchronise) */
    rme_event e = EventSink::make(RME_EV_GPT_TRANSITION, start, start + log->cycles);
    e.u.gpt = {pa, gpi, RME_SS_REALM, rc, true, log};
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

int SoftwareStack::gtsi(uint64_t pa, bool delegate)
{
    return rmm_gtsi(pa, delegate ? GPI_REALM : GPI_NS);
}

void SoftwareStack::tlbi_s2(uint16_t vmid, uint64_t, bool)
{
    // TF-RMM's stage-2 invalidation: TLBI IPAS2E1IS then VMALLE1IS, because the TLB holds
    // combined stage-1+2 entries. Broadcast to every core.
    unsigned dropped = 0;
    for (auto &c : cores_)
        dropped += tlb_invalidate_ss(c.tlb, TLB_EL10_VMID, RME_SS_REALM, vmid, 0, 0);
    if (Core::current()) {
        CoreContext &cs = here();
        rme_event e = EventSink::make(RME_EV_TLBI, cs.core->now_cycles(), cs.core->now_cycles());
        e.u.tlbi = {"VMALLS12E1IS", true, dropped, false, false};
        cs.sink.emit(e);
        cs.core->charge(timing_[TIMING_TLBI_BROADCAST] + timing_[TIMING_DSB]);
    }
}

void SoftwareStack::run_rec(rmm_rec &rec, rmm_trap &trap)
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
uint64_t SoftwareStack::rmi_call(CoreContext &cs, const uint64_t in[8], uint64_t out[8],
                                 StepResult &res)
{
    const uint64_t *t = timing_;
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
        unsigned gpi = fw_.gpt_lookup(mem_, rmm_.fault_pa, found);
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

// What the walker needs of a core beyond the regime: its GPC, TLB, port and the fault-routing
// controls in its registers.
mmu_env SoftwareStack::mmu_env_of(CoreContext &cs)
{
    const pe &p = cs.state;
    return mmu_env{cs.gpc,
                   cs.tlb,
                   cs.core->port(),
                   bool(p.regs[SCR_EL3] & SCR_EL3_GPF),
                   bool(p.regs[HCR_EL2] & HCR_EL2_TGE),
                   bool(p.regs[HCR_EL2] & HCR_EL2_GPF)};
}

// A TLBI RPALOS issued by EL3's transition code reaches every core: its GPT cache and the
// TLB entries that combine GPT information for that range.
void SoftwareStack::broadcast_tlbi(void *ctx, uint64_t xt)
{
    for (auto &cs : static_cast<SoftwareStack *>(ctx)->cores_) {
        gpc_tlbi_rpa(cs.gpc, xt, true);
        uint64_t base, size;
        if (gpc_tlbi_rpa_range(cs.gpc, xt, &base, &size))
            tlb_invalidate_pa(cs.tlb, base, size);
    }
}

} // namespace rmesim
