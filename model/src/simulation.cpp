#include "model/simulation.hpp"
#include "model/text.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstring>
#include <functional>
#include <set>

namespace rmesim
{

using namespace sc_core;

namespace
{

// A thread that runs the scenario's timeline.
struct Driver : sc_module {
    std::function<void()> body;
    Driver(sc_module_name name, std::function<void()> b) : sc_module(name), body(std::move(b))
    {
        SC_HAS_PROCESS(Driver);
        SC_THREAD(run);
    }
    void run() { body(); }
};

std::string where(const scenario &s, scn_pos p)
{
    return std::string(s.file) + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

bool actor_supported(const scn_step &st)
{
    if (st.actor.kind == SCN_ACTOR_REALM) {
        switch (st.action.kind) {
        case SCN_ACT_LOAD:
        case SCN_ACT_STORE:
        case SCN_ACT_FETCH:
        case SCN_ACT_MAP:
        case SCN_ACT_IOREMAP:
        case SCN_ACT_SHARE:
        case SCN_ACT_UNSHARE:
            return true;
        case SCN_ACT_TLBI: /* the EL1 operations; the EL2 and EL3 ones are UNDEFINED at EL1 */
            return st.action.tlbi_op <= SCN_TLBI_ASIDE1IS;
        case SCN_ACT_RSI:
            return rmm_rsi_implements(scn_rsi_fid(st.action.command));
        default:
            return false;
        }
    }
    switch (st.action.kind) {
    case SCN_ACT_LOAD:
    case SCN_ACT_STORE:
    case SCN_ACT_FETCH:
        return true;
    case SCN_ACT_GPT_TRANSITION:
    case SCN_ACT_GPT_WRITE:
    case SCN_ACT_DELEGATE:
    case SCN_ACT_UNDELEGATE:
    case SCN_ACT_DESTROY:
        return true;
    case SCN_ACT_RMI: /* the commands the RMM implements so far */
        return rmm_implements(RMI_FID(st.action.command));
    case SCN_ACT_TLBI: /* PA-based operations exist at EL3 only (C5.5.19) */
        return st.actor.kind == SCN_ACTOR_EL3 ||
               (st.actor.kind == SCN_ACTOR_HOST && st.action.tlbi_op < SCN_TLBI_PAALL);
    default:
        return false;
    }
}

void collect_unsupported(const scenario &s, const scn_step *steps, size_t n,
                         std::vector<std::string> &out)
{
    for (size_t i = 0; i < n; i++) {
        const scn_step &st = steps[i];
        if (st.action.kind == SCN_ACT_PARALLEL) {
            collect_unsupported(s, st.action.children, st.action.n_children, out);
            continue;
        }
        if (actor_supported(st))
            continue;
        std::string what = scn_action_name(st.action.kind);
        if (st.action.kind == SCN_ACT_RMI)
            what += std::string(" ") + scn_name_of(&scn_rmi_commands, st.action.command);
        if (st.action.kind == SCN_ACT_RSI)
            what += std::string(" ") + scn_name_of(&scn_rsi_commands, st.action.command);
        if (st.action.kind == SCN_ACT_TLBI)
            what += std::string(" ") + scn_name_of(&scn_tlbi_ops, st.action.tlbi_op);
        const char *actor = st.actor.kind == SCN_ACTOR_HOST  ? "host"
                            : st.actor.kind == SCN_ACTOR_EL3 ? "el3"
                                                             : "a realm vCPU";
        out.push_back(where(s, st.action.pos) + ": '" + what + "' on " + actor +
                      (st.action.kind == SCN_ACT_TLBI && st.actor.kind == SCN_ACTOR_REALM
                           ? " is UNDEFINED at EL1 (a realm vCPU has the EL1 operations only)"
                       : st.action.kind == SCN_ACT_TLBI && st.actor.kind == SCN_ACTOR_HOST
                           ? " is UNDEFINED below EL3 (PA-based TLB maintenance is EL3's)"
                       : st.action.kind == SCN_ACT_RMI || st.action.kind == SCN_ACT_RSI
                           ? " is not yet implemented by the RMM model (docs/rmm.md lists what is)"
                           : " is not yet supported (docs/scenarios.md lists what is)"));
    }
}

} // namespace

std::vector<std::string> Simulation::unsupported(const scenario &s)
{
    std::vector<std::string> out;
    collect_unsupported(s, s.steps, s.n_steps, out);
    return out;
}

Simulation::Simulation(const scenario &s, const RunOptions &options) : s_(s), opt_(options)
{
    sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING); // the kernel's chatter is not output
    period_ = sc_time(1e6 / s.platform.clock_mhz, SC_PS);
}

Simulation::~Simulation()
{
    for (auto &rs : realms_) {
        kvm_realm_free(&rs.kvm);
        guest_free(&rs.g);
    }
    if (rmm_ready_)
        rmm_fini(&rmm_);
}

// The GTKWave save file beside the VCD: out.vcd -> out.gtkw.
std::string Simulation::gtkw_path() const
{
    std::string path = opt_.vcd_path;
    if (path.size() > 4 && path.compare(path.size() - 4, 4, ".vcd") == 0)
        path.resize(path.size() - 4);
    return path + ".gtkw";
}

sc_time Simulation::core_now(const CoreState &cs) const
{
    return period_ * double(cs.core->now_cycles());
}

// ---- platform ------------------------------------------------------------------------------

// The scenario's machine as the platform's plain description.
rme_machine Simulation::machine_of(const scn_platform &p, std::vector<rme_machine_range> &memory,
                                   std::vector<rme_machine_device> &devices)
{
    rme_machine m;
    rme_machine_defaults(&m);
    m.cores = p.cores;
    m.clock_mhz = p.clock_mhz;
    m.quantum = p.quantum;
    m.pa_range = p.pa_range;
    m.feat_gpc2 = p.feat_gpc2;
    m.feat_sel2 = p.feat_sel2;
    for (size_t i = 0; i < p.n_memory; i++)
        memory.push_back({p.memory[i].name, p.memory[i].base, p.memory[i].size});
    for (size_t i = 0; i < p.n_devices; i++)
        devices.push_back(
            {p.devices[i].name, p.devices[i].model, p.devices[i].base, p.devices[i].size});
    m.memory = memory.data();
    m.n_memory = memory.size();
    m.devices = devices.data();
    m.n_devices = devices.size();
    m.tlb_l1 = {p.tlb_l1.entries, p.tlb_l1.ways};
    m.tlb_l2 = {p.tlb_l2.entries, p.tlb_l2.ways};
    m.walk_cache = {p.walk_cache.entries, p.walk_cache.ways};
    m.gpt_cache = {p.gpt_cache.entries, p.gpt_cache.ways};
    m.l1d = {p.l1d.entries, p.l1d.ways};
    std::copy(p.timing, p.timing + TIMING_COUNT, m.timing);
    return m;
}

bool Simulation::build_platform(std::string &error)
{
    const scn_platform &p = s_.platform;
    std::vector<rme_machine_range> memory;
    std::vector<rme_machine_device> devices;
    platform_ = std::make_unique<Platform>(machine_of(p, memory, devices));
    mem_ = platform_->memory();
    if (!build_gpt(error) || !build_page_tables(error))
        return false;
    rmm_regime_ = single_stage_regime(MMU_REALM_EL2, 2, RME_SS_REALM, rmm_ttbr_);
    host_regime_ = single_stage_regime(MMU_NS_EL2, 2, RME_SS_NS, host_ttbr_);
    platform_->complete();

    /* every output can be written, before anything runs (SystemC would abort on a VCD it
     * cannot open) */
    std::string gtkw = gtkw_path();
    for (const std::string *path : {&opt_.vcd_path, &opt_.stats_path}) {
        if (path->empty())
            continue;
        for (const std::string &p : {*path, path == &opt_.vcd_path ? gtkw : *path}) {
            FILE *f = std::fopen(p.c_str(), "w");
            if (!f) {
                error = "rmesim: cannot write " + p + ": " + std::strerror(errno);
                return false;
            }
            std::fclose(f);
        }
    }
    tracer_ = std::make_unique<Tracer>("trace");
    stats_ = std::make_unique<StatsView>(s_.name, p.clock_mhz, p.cores);
    stream_.subscribe(*stats_);
    judge_ = std::make_unique<Judge>(s_, *stats_, failures_);
    stream_.subscribe(*judge_);
    if (!opt_.vcd_path.empty()) {
        TraceOptions to;
        to.signal_filters = opt_.trace_signals;
        to.windowed = opt_.trace_window;
        to.window_start = sc_time(opt_.window_start_ns, SC_NS);
        to.window_end = sc_time(opt_.window_end_ns, SC_NS);
        tracer_->open(opt_.vcd_path, to);
    }
    step_names_.push_back({0, "IDLE"});
    std::function<void(const scn_step *, size_t)> name_steps = [&](const scn_step *st, size_t n) {
        for (size_t i = 0; i < n; i++) {
            if (st[i].action.kind == SCN_ACT_PARALLEL) {
                name_steps(st[i].action.children, st[i].action.n_children);
                continue;
            }
            std::string nm = st[i].id ? st[i].id : "step" + std::to_string(step_names_.size());
            step_names_.push_back({step_names_.size(), nm});
        }
    };
    name_steps(s_.steps, s_.n_steps);
    total_steps_ = step_names_.size() - 1;
    std::vector<std::string> device_names;
    for (size_t i = 0; i < p.n_devices; i++)
        device_names.push_back(p.devices[i].name);
    vcd_ = std::make_unique<VcdView>(*tracer_, period_, p.cores, device_names, &step_names_);
    stream_.subscribe(*vcd_);

    uint64_t gpccr, gptbr;
    gpt_enable_values(&gpt_, gpt_.g.s, p.feat_gpc2, &gpccr, &gptbr);
    if (!p.gpc)
        gpccr &= ~GPCCR_GPC;
    if (p.gpcp)
        gpccr |= GPCCR_GPCP;
    if (p.spad)
        gpccr |= GPCCR_SPAD;
    if (p.nspad)
        gpccr |= GPCCR_NSPAD;
    if (p.rlpad)
        gpccr |= GPCCR_RLPAD;
    if (p.appsaa)
        gpccr |= GPCCR_APPSAA;
    if (p.feat_gpc2 && !p.nso)
        gpccr &= ~GPCCR_NSO;
    cores_.resize(p.cores);
    for (unsigned i = 0; i < p.cores; i++) {
        CoreState &cs = cores_[i];
        cs.core = &platform_->core(i);
        cs.gpc = platform_->gpc(i);
        cs.tlb = platform_->tlb(i);
        pe_reset(&cs.state, i);
        if (p.gpf_to_el3)
            cs.state.regs[SCR_EL3] |= SCR_EL3_GPF;
        cs.state.regs[GPCCR_EL3] = gpccr;
        cs.state.regs[GPTBR_EL3] = gptbr;
        auto enable = std::make_unique<gpt_op_log>();
        gpt_enable(cs.gpc, gpccr, gptbr, enable.get());
        cs.sink = EventSink(stream_, i);
        CoreState *state = &cs;
        cs.core->on_account_change([state](unsigned who) {
            rme_event e = EventSink::make(RME_EV_SOFTWARE, state->core->now_cycles(),
                                          state->core->now_cycles());
            e.u.software = {state->core->account(), who};
            state->sink.emit(e);
        });
    }
    realms_.resize(s_.n_realms);
    for (size_t i = 0; i < s_.n_realms; i++)
        realms_[i].cfg = &s_.realms[i];
    // The RMM: every listed DRAM region is delegable (PaIsDelegable).
    std::vector<pa_range> dram;
    for (size_t i = 0; i < p.n_memory; i++)
        dram.push_back({p.memory[i].base, p.memory[i].size});
    rmm_env env{this,
                &Simulation::rmm_access,
                &Simulation::rmm_gtsi_delegate,
                &Simulation::rmm_gtsi_undelegate,
                p.pa_range,
                nullptr, /* the platform charges the handler cost on the calling core */
                0,
                &Simulation::rmm_run_rec,
                &Simulation::rmm_tlbi_s2};
    rmm_ready_ = rmm_init(&rmm_, &env, dram.data(), dram.size());
    if (!rmm_ready_)
        error = std::string(s_.file) + ": the RMM could not track this memory map";
    return rmm_ready_;
}

// EL3's carve-out: the L0 table then the L1 tables, placed above every listed range (or at
// gpt.base), mapped Root by granule, so that the GPT is itself protected.
bool Simulation::build_gpt(std::string &error)
{
    const scn_platform &p = s_.platform;
    gpt_.g = {p.pa_bits, unsigned(__builtin_ctzll(p.l0gptsz)), unsigned(__builtin_ctzll(p.pgs))};
    gpt_.features = {p.feat_sel2, p.feat_gpc2 && p.nso};
    gpt_.max_contig = 2ull << 20;
    std::vector<gpt_region> regions;
    if (p.gpt_regions_given) {
        for (size_t i = 0; i < p.n_gpt_regions; i++)
            regions.push_back({p.gpt_regions[i].base, p.gpt_regions[i].size, p.gpt_regions[i].gpi,
                               p.gpt_regions[i].block});
    } else {
        for (size_t i = 0; i < p.n_memory; i++)
            regions.push_back({p.memory[i].base, p.memory[i].size, GPI_NS, false});
    }
    // How many L1 tables: one per L0 entry that a granule-mapped region touches, plus one for
    // the carve-out itself.
    std::set<uint64_t> l0_entries;
    for (const auto &r : regions)
        if (!r.block)
            for (uint64_t a = r.base & ~(p.l0gptsz - 1); a < r.base + r.size; a += p.l0gptsz)
                l0_entries.insert(a);
    uint64_t l0_size = std::max<uint64_t>(gpt_l0_table_size(&gpt_.g), 4096);
    uint64_t l1_size = gpt_l1_table_size(&gpt_.g);
    uint64_t align = std::max<uint64_t>({l0_size, l1_size, 2ull << 20});
    // ... and EL3's own translation tables: an identity map by 1GB blocks (one L0 page, one L1
    // page per 512GB).
    identity_bits_ = std::min(p.pa_bits, 48u);
    uint64_t xlat_pages = 1 + ((1ull << identity_bits_) + (512ull << 30) - 1) / (512ull << 30);
    uint64_t size = (l0_size + align - 1) / align * align + (l0_entries.size() + 1) * l1_size +
                    xlat_pages * 4096;
    size = (size + (2ull << 20) - 1) & ~((2ull << 20) - 1);
    // ... then the RMM's private memory, in the Realm PAS: its R-EL2 translation tables
    const uint64_t root_size = size, rmm_size = 2ull << 20;
    size += rmm_size;
    uint64_t base;
    if (p.has_gpt_base) {
        base = p.gpt_base;
    } else {
        uint64_t top = 0;
        for (size_t i = 0; i < p.n_memory; i++)
            top = std::max(top, p.memory[i].base + p.memory[i].size);
        for (size_t i = 0; i < p.n_devices; i++)
            top = std::max(top, p.devices[i].base + p.devices[i].size);
        base = (top + align - 1) / align * align;
    }
    if (base + size > (1ull << p.pa_bits) || base + size < base) {
        error = std::string(s_.file) + ": no room for EL3's GPT carve-out (" + hex(size) +
                " bytes at " + hex(base) + ") below pa_bits; set platform.gpt.base";
        return false;
    }
    for (size_t i = 0; i < p.n_memory; i++)
        if (base < p.memory[i].base + p.memory[i].size && p.memory[i].base < base + size) {
            error = std::string(s_.file) + ": gpt.base " + hex(base) + " overlaps memory region '" +
                    p.memory[i].name + "'";
            return false;
        }
    for (const auto &r : regions)
        if (base < r.base + r.size && r.base < base + size) {
            error = std::string(s_.file) + ": EL3's GPT carve-out at " + hex(base) +
                    " overlaps a gpt.regions entry; move it with platform.gpt.base";
            return false;
        }
    fw_.base = base;
    fw_.size = size;
    fw_.l0 = base;
    fw_.l1 = base + (l0_size + align - 1) / align * align;
    fw_.xlat_size = xlat_pages * 4096;
    fw_.xlat = (base + root_size - fw_.xlat_size) & ~0xFFFull;
    fw_.l1_size = fw_.xlat - fw_.l1;
    fw_.rmm = base + root_size;
    fw_.rmm_size = rmm_size;
    platform_->add_ram("el3_carveout", base, size);
    regions.push_back({base, root_size, GPI_ROOT, false});
    regions.push_back({fw_.rmm, rmm_size, GPI_REALM, false});
    std::sort(regions.begin(), regions.end(),
              [](const gpt_region &a, const gpt_region &b) { return a.base < b.base; });
    gpt_.l0_base = fw_.l0;
    gpt_.l1_base = fw_.l1;
    gpt_.l1_size = fw_.l1_size;
    mem_port direct = phys_mem_port(mem_); // boot-time table construction is not timed
    gpt_build_result res;
    int rc = gpt_build(&direct, &gpt_, regions.data(), regions.size(), &res);
    if (rc) {
        error = std::string(s_.file) + ": EL3 could not build the GPT (" + std::strerror(-rc) + ")";
        return false;
    }
    if (opt_.verbose)
        std::printf("el3: GPT carve-out %s..%s (Root): L0 table at %s, %u L1 tables at %s; "
                    "RMM memory %s..%s (Realm)\n",
                    hex(base).c_str(), hex(base + root_size).c_str(), hex(fw_.l0).c_str(),
                    res.l1_tables, hex(fw_.l1).c_str(), hex(fw_.rmm).c_str(),
                    hex(fw_.rmm + fw_.rmm_size).c_str());
    return true;
}

uint64_t Simulation::pool_alloc(void *ctx)
{
    auto *pool = static_cast<TablePool *>(ctx);
    if (pool->down) {
        if (pool->next < pool->end + 4096)
            return 0;
        pool->next -= 4096;
        return pool->next;
    }
    if (pool->next + 4096 > pool->end)
        return 0;
    uint64_t page = pool->next;
    pool->next += 4096;
    return page;
}

// The host (NS-EL2) and EL3 run on identity maps made of 1GB blocks: the host's tables in its
// own memory (the top of host_pool), EL3's in its Root carve-out. Blocks that hold a device are
// Device-nGnRnE, the rest Normal write-back. Built before time 0, untimed.
bool Simulation::build_page_tables(std::string &error)
{
    const scn_platform &p = s_.platform;
    const scn_region &pool = p.memory[p.host_pool];
    host_pool_ = {pool.base + pool.size, pool.base, true};
    el3_pool_ = {fw_.xlat, fw_.xlat + fw_.xlat_size, false};
    mem_port direct = phys_mem_port(mem_);
    auto block_attrs = [&](uint64_t a) {
        for (size_t i = 0; i < p.n_devices; i++)
            if (p.devices[i].base < a + (1ull << 30) && a < p.devices[i].base + p.devices[i].size)
                return DESC_AF | DESC_S1_ATTRIDX(0); /* Device-nGnRnE */
        return DESC_AF | DESC_SH_INNER | DESC_S1_ATTRIDX(1);
    };
    struct Map {
        TablePool *pool;
        rme_pas pas;
        uint64_t extra, *ttbr;
    } maps[] = {{&host_pool_, RME_PAS_NS, 0, &host_ttbr_},
                {&el3_pool_, RME_PAS_ROOT, DESC_S1_NSE, &el3_ttbr_}};
    for (auto &m : maps) {
        *m.ttbr = pool_alloc(m.pool);
        pt_builder b{};
        b.port = &direct;
        b.pas = m.pas;
        b.granule_bits = 12;
        b.inputsize = 48;
        b.start_level = 0;
        b.root = *m.ttbr;
        b.alloc = &Simulation::pool_alloc;
        b.alloc_ctx = m.pool;
        for (uint64_t a = 0; a < (1ull << identity_bits_); a += 1ull << 30)
            if (!*m.ttbr || pt_map(&b, a, a, 1ull << 30, block_attrs(a) | m.extra, 1) != 0) {
                error = std::string(s_.file) + ": no room for the " +
                        (m.pas == RME_PAS_NS ? "host's" : "EL3's") + " page tables";
                return false;
            }
    }
    return build_rmm_tables(error);
}

// The RMM's R-EL2 stage 1, in its own Realm memory: every DRAM region twice, by 1GB blocks, at
// VA = PA in the Realm PAS (its granules: RTTs, RDs, RECs, data) and at VA = PA + 2^47 with
// the descriptor's NS bit (the host's structures it reads and writes: params, run pages,
// DATA_CREATE sources). TF-RMM maps each granule into a per-CPU slot with the right PAS as it
// needs it; a fixed map gives the same checks without modelling the slot remapping.
bool Simulation::build_rmm_tables(std::string &error)
{
    const scn_platform &p = s_.platform;
    rmm_pool_ = {fw_.rmm, fw_.rmm + fw_.rmm_size, false};
    mem_port direct = phys_mem_port(mem_);
    rmm_ttbr_ = pool_alloc(&rmm_pool_);
    pt_builder b{};
    b.port = &direct;
    b.pas = RME_PAS_REALM;
    b.granule_bits = 12;
    b.inputsize = 48;
    b.start_level = 0;
    b.root = rmm_ttbr_;
    b.alloc = &Simulation::pool_alloc;
    b.alloc_ctx = &rmm_pool_;
    const uint64_t normal = DESC_AF | DESC_SH_INNER | DESC_S1_ATTRIDX(1);
    for (size_t i = 0; i < p.n_memory; i++) {
        uint64_t first = p.memory[i].base & ~((1ull << 30) - 1);
        for (uint64_t a = first; a < p.memory[i].base + p.memory[i].size; a += 1ull << 30)
            if (a + kRmmNsWindow < a || a >= kRmmNsWindow ||
                pt_map(&b, a, a, 1ull << 30, normal, 1) != 0 ||
                pt_map(&b, a + kRmmNsWindow, a, 1ull << 30, normal | DESC_S1_NS, 1) != 0) {
                error = std::string(s_.file) + ": no room for the RMM's page tables";
                return false;
            }
    }
    return true;
}

// ---- running --------------------------------------------------------------------------------

int Simulation::run()
{
    std::string error;
    if (!build_platform(error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 2;
    }
    // Statistic names are checked before anything runs.
    for (size_t i = 0; i < s_.n_finals; i++)
        if (s_.finals[i].kind == SCN_FINAL_STAT) {
            bool known = false;
            for (const std::string &k : StatsView::names())
                known |= k == s_.finals[i].text;
            if (!known) {
                std::string list;
                for (const std::string &k : StatsView::names())
                    list += (list.empty() ? "" : ", ") + k;
                std::fprintf(stderr, "%s: unknown statistic '%s' (known: %s)\n",
                             where(s_, s_.finals[i].pos).c_str(), s_.finals[i].text, list.c_str());
                return 2;
            }
        }
    if (!opt_.log_path.empty()) {
        FILE *f = std::fopen(opt_.log_path.c_str(), "w");
        if (!f) {
            std::fprintf(stderr, "rmesim: cannot write %s: %s\n", opt_.log_path.c_str(),
                         std::strerror(errno));
            return 2;
        }
        log_ = std::make_unique<EventLog>(f);
        stream_.subscribe(*log_);
    }
    Driver driver("sequencer", [this] { sequencer(); });
    sc_start();
    end_time_ = sc_time_stamp();
    bool finals_ok = judge_->finals(*this);
    if (tracer_->enabled()) {
        tracer_->close(opt_.fixed_date);
        tracer_->write_gtkw(gtkw_path(), opt_.vcd_path, end_time_);
    }
    if (!opt_.stats_path.empty()) {
        FILE *f = std::fopen(opt_.stats_path.c_str(), "w");
        if (f) {
            std::fprintf(f, "%s\n", stats_->json(end_time_.to_seconds() * 1e9).c_str());
            std::fclose(f);
        }
    }
    if (tracer_->late_events()) /* an internal error: the trace would misplace these values */
        failures_.push_back(std::string(s_.file) +
                            ": internal error: " + std::to_string(tracer_->late_events()) +
                            " trace events were recorded after their time");
    for (const auto &f : failures_)
        std::fprintf(stderr, "%s\n", f.c_str());
    bool ok = failures_.empty() && finals_ok;
    if (!opt_.quiet || !ok) {
        uint64_t cycles = 0;
        for (const auto &cs : cores_)
            cycles = std::max(cycles, cs.core->total_cycles());
        std::printf("%s: %s — %" PRIu64 " steps, %zu expectations failed, %.1f ns simulated "
                    "(%" PRIu64 " cycles at %u MHz)\n",
                    s_.name, ok ? "PASS" : "FAIL", steps_done_, failures_.size(),
                    end_time_.to_seconds() * 1e9, cycles, s_.platform.clock_mhz);
    }
    return ok ? 0 : 1;
}

void Simulation::sequencer()
{
    auto wall_start = std::chrono::steady_clock::now(), last_print = wall_start;
    bool tty = isatty(STDERR_FILENO) && !opt_.quiet;
    bool printed = false;
    unsigned step_index = 0;
    // The VCD holds one value per signal per time; the initial values are dumped at time 0, so
    // the timeline starts one cycle later for the first step's values to show.
    wait(period_);
    for (size_t i = 0; i < s_.n_steps; i++) {
        const scn_step &st = s_.steps[i];
        std::vector<const scn_step *> group;
        if (st.action.kind == SCN_ACT_PARALLEL)
            for (size_t j = 0; j < st.action.n_children; j++)
                group.push_back(&st.action.children[j]);
        else
            group.push_back(&st);
        // Every step of a group starts at the same simulated time.
        std::vector<StepResult> results(group.size());
        for (size_t j = 0; j < group.size(); j++) {
            const scn_step *one = group[j];
            CoreState &cs = cores_[unsigned(one->core)];
            StepResult *out = &results[j];
            unsigned idx = ++step_index;
            out->step_id = step_names_[idx].second;
            out->index = idx;
            cs.core->post([this, one, &cs, out, idx](Core &) {
                set_running(cs, out->step_id, idx);
                /* a realm step is the host's KVM_RUN until the REC runs */
                cs.core->set_account(one->actor.kind == SCN_ACTOR_EL3 ? SW_EL3 : SW_HOST);
                for (unsigned w = 0; w < SW_COUNT; w++)
                    cs.cost_mark[w] = cs.core->account_cycles(w);
                out->start_cycle = cs.core->now_cycles();
                rme_event e =
                    EventSink::make(RME_EV_STEP_BEGIN, out->start_cycle, out->start_cycle);
                e.u.step_change = cs.step;
                cs.sink.emit(e);
                uint64_t transitions = cs.gpt_transitions;
                run_step(*one, cs, *out);
                /* how many granules EL3 moved between PASes during the step (RMM requests) */
                out->set("gpt_transitions", Observed::num(cs.gpt_transitions - transitions));
                out->cycles = cs.core->now_cycles() - out->start_cycle;
                out->set("cycles", Observed::num(out->cycles));
                note_cost(cs, *out);
            });
        }
        for (const scn_step *one : group) {
            Core &core = *cores_[unsigned(one->core)].core;
            while (!core.idle())
                wait(core.done_event());
        }
        for (size_t j = 0; j < group.size(); j++) {
            end_step(cores_[results[j].core], results[j]);
            results_.push_back(std::move(results[j]));
            steps_done_++;
        }
        auto now = std::chrono::steady_clock::now();
        if (tty && now - wall_start > std::chrono::seconds(1) &&
            now - last_print > std::chrono::milliseconds(250)) {
            double secs = std::chrono::duration<double>(now - wall_start).count();
            std::fprintf(stderr,
                         "\r[rmesim] step %" PRIu64 "/%" PRIu64
                         ", %.1f us simulated, %.0f trace events/s",
                         steps_done_, total_steps_, sc_time_stamp().to_seconds() * 1e6,
                         double(tracer_->events()) / secs);
            last_print = now;
            printed = true;
        }
    }
    if (printed)
        std::fprintf(stderr, "\n");
    end_run();
    tracer_->drain();
    sc_stop();
}

void Simulation::run_step(const scn_step &step, CoreState &cs, StepResult &out)
{
    out.core = cs.core->index();
    out.actor = step.actor.kind == SCN_ACTOR_HOST ? "host" : "el3";
    out.action = scn_action_name(step.action.kind);
    if (step.actor.kind == SCN_ACTOR_REALM) {
        do_realm_step(step, cs, out);
        return;
    }
    switch (step.action.kind) {
    case SCN_ACT_LOAD:
    case SCN_ACT_STORE:
    case SCN_ACT_FETCH:
        do_access(step, cs, out);
        break;
    case SCN_ACT_GPT_TRANSITION:
        do_gpt_transition(step, cs, out);
        break;
    case SCN_ACT_GPT_WRITE:
        do_gpt_write(step, cs, out);
        break;
    case SCN_ACT_TLBI:
        do_tlbi(step, cs, out);
        break;
    case SCN_ACT_RMI:
    case SCN_ACT_DELEGATE:
    case SCN_ACT_UNDELEGATE:
        do_rmi(step, cs, out);
        break;
    case SCN_ACT_DESTROY:
        do_destroy(step, cs, out);
        break;
    default:
        break; /* refused before the run by unsupported() */
    }
}

} // namespace rmesim
