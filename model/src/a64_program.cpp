// An EL0 program's machine (model/a64_program.hpp): the platform, EL3's GPT, the loaded
// segments and their stage-1 tables, and what --stats reports. The EL1 side (system calls,
// signals, the run loop) is a64_program_el1.cpp.
#include "model/a64_program.hpp"

#include <cinttypes>

#include "model/json.hpp"
#include "model/text.hpp"

extern "C" {
#include "gpc/gpt_el3.h"
#include "machine/timing.h"
#include "mmu/pgtable.h"
}

namespace rmesim
{

namespace
{

// EL3's Root carve-out above DRAM: the GPT's level-0 table, then its level-1 tables.
constexpr uint64_t kGptBase = 0x1'0000'0000, kGptSize = 2ull << 20;
// The stage-1 tables: the top MiB of DRAM; program pages come from the bottom.
constexpr uint64_t kTablePool = 1ull << 20;
constexpr unsigned kVaBits = 48;

// nG: the entry is ASID-tagged (as Linux's PTE_NG for user pages; D8.3.x).
constexpr uint64_t kNonGlobal = 1ull << 11;
// MAIR_EL1: Attr0 Device-nGnRnE, Attr1 Normal Inner/Outer Write-Back Read/Write-Allocate.
constexpr uint64_t kMair = 0xFFull << 8;
// TCR_EL1: T0SZ 16 (48-bit VA), IRGN0/ORGN0 write-back, SH0 inner, TG0 4KB, EPD1 (no TTBR1
// walks), TG1 4KB, IPS 48 bits.
constexpr uint64_t kTcr =
    16 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) | (2ull << 30) | (5ull << 32);
// SCTLR_EL1: the Armv8.0 RES1 bits, M (stage 1 on), C, SA, SA0, I; A = 0 (EL0 unaligned accesses
// to Normal memory work, as under Linux's INIT_SCTLR_EL1_MMU_ON, arch/arm64/include/asm/sysreg.h).
constexpr uint64_t kSctlr = 0x30D00800 | 1 | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 12);

} // namespace

A64Program::A64Program()
{
    static const rme_machine_range dram[] = {{"dram", kDramBase, kDramSize}};
    rme_machine m;
    rme_machine_defaults(&m);
    m.memory = dram, m.n_memory = 1;
    platform_ = std::make_unique<Platform>(m);
    platform_->add_ram("el3_carveout", kGptBase, kGptSize);
    platform_->complete();

    // EL3 at boot (TF-A's gpt_init_l0_tables / gpt_init_pas_l1_tables, then gpt_enable): DRAM
    // in the NS PAS granule by granule, so one granule can be transitioned; the carve-out Root.
    mem_port direct = phys_mem_port(platform_->memory());
    gpt_build_params gp{};
    gp.g = {40, 30, 12};
    gp.features = {true, false};
    gp.l0_base = kGptBase, gp.l1_base = kGptBase + 0x10'0000, gp.l1_size = 0x10'0000;
    const gpt_region regions[] = {{kDramBase, kDramSize, GPI_NS, false},
                                  {kGptBase, kGptSize, GPI_ROOT, false}};
    gpt_build_result built;
    if (gpt_build(&direct, &gp, regions, 2, &built))
        throw std::logic_error("a64_program: EL3 could not build the GPT");
    gpt_enable_values(&gp, 30, false, &gpccr_, &gptbr_);
    gpt_op_log enable_log;
    gpt_enable(platform_->gpc(0), gpccr_, gptbr_, &enable_log);

    stats_ = std::make_unique<StatsView>("exec", m.clock_mhz, 1);
    stream_.subscribe(*stats_);
    cs_.core = &platform_->core(0);
    cs_.gpc = platform_->gpc(0);
    cs_.tlb = platform_->tlb(0);
    cs_.sink = EventSink(stream_, 0);
    binding_ = std::make_unique<A64Binding>(core_, cs_, platform_->machine().timing, RME_ACC_STEP,
                                            std::vector<mmu_tlb *>{platform_->tlb(0)});
    A64Binding &b = *binding_;
    a64_reset(&b.core, b.core.mem, b.core.ctx);
    /* the NS EL1&0 regime with no hypervisor: stage 2 off (HCR_EL2.VM = 0), SCR_EL3.GPF = 0 */
    b.regime.kind = MMU_NS_EL10;
    b.regime.ss = RME_SS_NS;
    b.env = mmu_env{cs_.gpc, cs_.tlb, cs_.core->port(), false, false, false};
    next_page_ = kDramBase;
    table_next_ = kDramBase + kDramSize - kTablePool;
    table_end_ = kDramBase + kDramSize;
}

A64Program::~A64Program() = default;

uint64_t A64Program::alloc_page()
{
    if (next_page_ + 4096 > kDramBase + kDramSize - kTablePool)
        return 0;
    next_page_ += 4096;
    return next_page_ - 4096;
}

uint64_t A64Program::pa_of(uint64_t va) const
{
    auto it = pages_.find(va & ~0xFFFull);
    return it == pages_.end() ? 0 : it->second.pa | (va & 0xFFF);
}

// A page of the program: its own zeroed DRAM page; a page two segments share gets both's
// permissions.
bool A64Program::map_page(uint64_t va, bool read, bool write, bool exec, std::string &error)
{
    Page &p = pages_[va];
    if (!p.pa && !(p.pa = alloc_page())) {
        error = "the program does not fit in " + std::to_string(kDramSize >> 20) + " MiB of DRAM";
        return false;
    }
    p.read |= read, p.write |= write, p.exec |= exec;
    return true;
}

bool A64Program::load(const ElfImage &image, const std::string &name, std::string &error)
{
    auto fail = [&](const std::string &what) {
        error = name + ": " + what;
        return false;
    };
    for (const ElfSegment &s : image.segments) {
        if (!s.memsz)
            continue;
        if ((s.vaddr + s.memsz - 1) >> kVaBits || s.vaddr + s.memsz > kStackTop - kStackSize)
            return fail("the PT_LOAD at " + hex(s.vaddr) + " is outside the program's " +
                        "address range (below " + hex(kStackTop - kStackSize) + ")");
        for (uint64_t va = s.vaddr & ~0xFFFull; va < s.vaddr + s.memsz; va += 4096)
            if (!map_page(va, s.read, s.write, s.exec, error))
                return fail(error);
    }
    for (uint64_t va = kStackTop - kStackSize; va < kStackTop; va += 4096)
        if (!map_page(va, true, true, false, error))
            return fail(error);
    phys_mem *mem = platform_->memory();
    for (const ElfSegment &s : image.segments) /* p_filesz bytes; the rest stays zero (.bss) */
        for (uint64_t i = 0; i < s.bytes.size(); i++)
            phys_mem_write_bytes(mem, pa_of(s.vaddr + i), &s.bytes[i], 1);

    // The tables, written before time 0 through the direct port (as firmware's are).
    mem_port direct = phys_mem_port(mem);
    auto pool = [](void *ctx) -> uint64_t {
        auto *self = static_cast<A64Program *>(ctx);
        if (self->table_next_ + 4096 > self->table_end_)
            return 0;
        self->table_next_ += 4096;
        return self->table_next_ - 4096;
    };
    ttbr_ = pool(this);
    pt_builder b{&direct, RME_PAS_NS, 12,   kVaBits, pt_s1_start_level(12, kVaBits),
                 ttbr_,   pool,       this, 0};
    for (const auto &[va, p] : pages_) {
        uint64_t attrs = DESC_AF | DESC_SH_INNER | DESC_S1_ATTRIDX(1) | kNonGlobal | DESC_PXN |
                         (p.read || p.write || p.exec ? DESC_S1_AP_EL0 : 0) |
                         (p.write ? 0 : DESC_S1_AP_RO) | (p.exec ? 0 : DESC_XN);
        if (pt_map(&b, va, p.pa, 4096, attrs, 3))
            return fail("no room for the translation tables");
    }

    A64Binding &bd = *binding_;
    a64_core &c = bd.core;
    c.sys[A64_SCTLR_EL1] = kSctlr;
    c.sys[A64_TCR_EL1] = kTcr;
    c.sys[A64_MAIR_EL1] = kMair;
    c.sys[A64_TTBR0_EL1] = ttbr_; /* ASID 0 */
    bd.load_stage1_from_sysregs();
    /* EL0t at the entry point; SP_EL0 at the top of the stack (crt0 sets its own anyway) */
    c.el = 0;
    c.spsel = false;
    c.daif = 0;
    c.pc = image.entry;
    c.sp_el0 = kStackTop;
    return true;
}

int A64Program::transition_granule(uint64_t va, unsigned gpi)
{
    uint64_t pa = pa_of(va) & ~0xFFFull;
    int rc = -22; /* -EINVAL: not a page of the program */
    if (!pa)
        return rc;
    cs_.core->post([&](Core &core) {
        const uint64_t *t = platform_->machine().timing;
        gpt_transition_env env{
            cs_.gpc,
            0,
            {t[TIMING_GPT_TRANSITION], t[TIMING_TLBI_BROADCAST], t[TIMING_DSB], 1},
            [](void *ctx, uint64_t xt) {
                auto *self = static_cast<A64Program *>(ctx);
                gpc_tlbi_rpa(self->cs_.gpc, xt, true);
                uint64_t base, size;
                if (gpc_tlbi_rpa_range(self->cs_.gpc, xt, &base, &size))
                    tlb_invalidate_pa(self->cs_.tlb, base, size);
            },
            this};
        gpt_op_log log;
        uint64_t mark = core.port_cycles();
        rc = gpt_transition(&env, pa, gpi, gpi == GPI_REALM ? RME_SS_REALM : RME_SS_NS, &log);
        core.settle(log.cycles, mark);
    });
    sc_core::sc_start();
    return rc;
}

// Every core's counters and every memory target's when the program is over, for the statistics
// view (as the scenario runner's end of run tells them).
void A64Program::emit_end()
{
    Core &core = *cs_.core;
    uint64_t now = core.now_cycles(), by_software[Core::kAccounts];
    for (unsigned w = 0; w < Core::kAccounts; w++)
        by_software[w] = core.account_cycles(w);
    rme_event e = EventSink::make(RME_EV_RUN_END, now, now);
    rme_ev_run_end &r = e.u.run_end;
    r.cycles = core.total_cycles();
    r.memory_cycles = core.port_cycles();
    r.cycles_by_software = by_software;
    r.n_software = SW_COUNT;
    r.gpc = gpc_get_stats(cs_.gpc);
    r.tlb = tlb_get_stats(cs_.tlb);
    r.l1d_hits = core.l1d().hits();
    r.l1d_misses = core.l1d().misses();
    cs_.sink.emit(e);
    for (const auto &t : platform_->targets()) {
        rme_event te = EventSink::make(RME_EV_TARGET_END, now, now);
        te.u.target = {t->name(), t->is_ram(), t->accesses(), t->contention().total_queueing()};
        cs_.sink.emit(te);
    }
}

std::string A64Program::stats_json(const std::string &name) const
{
    static const char *const reasons[] = {"exit", "signal", "instruction_limit", "unhandled"};
    Json j;
    j.begin_object().field("program", name).field("instructions", end_.instructions);
    j.field("cycles", end_.cycles).field("end", reasons[end_.reason]);
    j.field("status", uint64_t(end_.status));
    j.raw("statistics", stats_->json(double(end_.cycles) * platform_->period().to_seconds() * 1e9));
    j.end_object();
    return j.str() + "\n";
}

} // namespace rmesim
