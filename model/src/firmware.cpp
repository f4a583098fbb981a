// EL3's and the RMM's boot, before time 0: what TF-A's BL31 (the GPT, its translation tables)
// and TF-RMM's setup (its R-EL2 tables) leave in memory, and the host's identity map.
#include "model/firmware.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "model/text.hpp"
#include "model/where.hpp"

extern "C" {
#include "gpc/regs.h"
#include "mmu/mmu.h"
#include "mmu/pgtable.h"
}

namespace rmesim
{

bool Firmware::build(const scenario &s, Platform &platform, bool verbose, std::string &error)
{
    return build_gpt(s, platform, verbose, error) && check_host_pool(s, error) &&
           check_rmm_tables(s, error) && build_page_tables(s, platform.memory(), error);
}

// GPCCR_EL3 and GPTBR_EL3 as EL3 programs them (TF-A gpt_enable), with the scenario's policy.
void Firmware::gpc_registers(const scn_platform &p, uint64_t &gpccr, uint64_t &gptbr) const
{
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
}

uint64_t Firmware::alloc_host_page()
{
    uint64_t page = pool_alloc(&host_pool_);
    host_pool_failures_ += page == 0;
    return page;
}

uint64_t Firmware::alloc_host_range(uint64_t size)
{
    uint64_t base = host_pool_.end;
    size = (size + 4095) & ~4095ull;
    if (size == 0 || host_pool_.next - base < size) {
        host_pool_failures_++;
        return 0;
    }
    host_pool_.end += size;
    return base;
}

// EL3's carve-out: the L0 table then the L1 tables, placed above every listed range (or at
// gpt.base), mapped Root by granule, so that the GPT is itself protected.
bool Firmware::plan_gpt(const scenario &s, std::vector<gpt_region> &regions, std::string &error)
{
    const scn_platform &p = s.platform;
    gpt_.g = {p.pa_bits, unsigned(__builtin_ctzll(p.l0gptsz)), unsigned(__builtin_ctzll(p.pgs))};
    gpt_.features = {p.feat_sel2, p.feat_gpc2 && p.nso};
    gpt_.max_contig = 2ull << 20;
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
    /* told at gpt.base when the scenario places it, else at the memory it goes above */
    const std::string at = where(s, p.has_gpt_base ? p.gpt_base_pos : p.memory_pos);
    /* a resource limit, stated up front: 256 TB mapped by granule would need 32 GB of tables */
    constexpr uint64_t kMaxCarveout = 1ull << 30;
    if (root_size > kMaxCarveout) {
        error = at + ": EL3's GPT and tables would take " + hex(root_size) +
                " bytes of simulated memory (the limit is 1 GB): map large regions by block "
                "(gpt.regions with map: block) or choose a larger gpt.l0gptsz or gpt.pgs";
        return false;
    }
    if (base == 0) { /* GPTBR_EL3 0 is valid, but gpt_build keeps PA 0 to mean "no table" */
        error = at + ": gpt.base 0 cannot hold EL3's GPT carve-out: place it elsewhere";
        return false;
    }
    if (base + size > (1ull << p.pa_bits) || base + size < base) {
        error = at + ": no room for EL3's GPT carve-out (" + hex(size) + " bytes at " + hex(base) +
                ") below pa_bits; set platform.gpt.base";
        return false;
    }
    for (size_t i = 0; i < p.n_memory; i++)
        if (base < p.memory[i].base + p.memory[i].size && p.memory[i].base < base + size) {
            error = at + ": gpt.base " + hex(base) + " (EL3's carve-out, " + hex(size) +
                    " bytes) overlaps memory region '" + p.memory[i].name + "'";
            return false;
        }
    for (const auto &r : regions)
        if (base < r.base + r.size && r.base < base + size) {
            error = at + ": EL3's GPT carve-out at " + hex(base) +
                    " overlaps a gpt.regions entry; move it with platform.gpt.base";
            return false;
        }
    layout_.base = base;
    layout_.size = size;
    layout_.l0 = base;
    layout_.l1 = base + (l0_size + align - 1) / align * align;
    layout_.xlat_size = xlat_pages * 4096;
    layout_.xlat = (base + root_size - layout_.xlat_size) & ~0xFFFull;
    layout_.l1_size = layout_.xlat - layout_.l1;
    layout_.rmm = base + root_size;
    layout_.rmm_size = rmm_size;
    return true;
}

bool Firmware::check_layout(const scenario &s, std::string &error)
{
    Firmware f;
    std::vector<gpt_region> regions;
    return f.plan_gpt(s, regions, error) && check_host_pool(s, error) && check_rmm_tables(s, error);
}

// EL3's carve-out, as planned, added to the platform's memory; the GPT built in it.
bool Firmware::build_gpt(const scenario &s, Platform &platform, bool verbose, std::string &error)
{
    std::vector<gpt_region> regions;
    if (!plan_gpt(s, regions, error))
        return false;
    const uint64_t base = layout_.base, size = layout_.size;
    const uint64_t root_size = layout_.rmm - layout_.base, rmm_size = layout_.rmm_size;
    platform.add_ram("el3_carveout", base, size);
    regions.push_back({base, root_size, GPI_ROOT, false});
    regions.push_back({layout_.rmm, rmm_size, GPI_REALM, false});
    std::sort(regions.begin(), regions.end(),
              [](const gpt_region &a, const gpt_region &b) { return a.base < b.base; });
    gpt_.l0_base = layout_.l0;
    gpt_.l1_base = layout_.l1;
    gpt_.l1_size = layout_.l1_size;
    mem_port direct = phys_mem_port(platform.memory()); // built before time 0, untimed
    gpt_build_result res;
    int rc = gpt_build(&direct, &gpt_, regions.data(), regions.size(), &res);
    if (rc) {
        error = std::string(s.file) + ": EL3 could not build the GPT (" + std::strerror(-rc) + ")";
        return false;
    }
    if (verbose)
        std::printf("el3: GPT carve-out %s..%s (Root): L0 table at %s, %s at %s; "
                    "RMM memory %s..%s (Realm)\n",
                    hex(base).c_str(), hex(base + root_size).c_str(), hex(layout_.l0).c_str(),
                    counted(res.l1_tables, "L1 table").c_str(), hex(layout_.l1).c_str(),
                    hex(layout_.rmm).c_str(), hex(layout_.rmm + layout_.rmm_size).c_str());
    return true;
}

uint64_t Firmware::pool_alloc(void *ctx)
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
bool Firmware::build_page_tables(const scenario &s, phys_mem *mem, std::string &error)
{
    const scn_platform &p = s.platform;
    const scn_region &pool = p.memory[p.host_pool];
    host_pool_ = {pool.base + pool.size, pool.base, true};
    el3_pool_ = {layout_.xlat, layout_.xlat + layout_.xlat_size, false};
    mem_port direct = phys_mem_port(mem);
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
        b.alloc = &Firmware::pool_alloc;
        b.alloc_ctx = m.pool;
        for (uint64_t a = 0; a < (1ull << identity_bits_); a += 1ull << 30)
            if (!*m.ttbr || pt_map(&b, a, a, 1ull << 30, block_attrs(a) | m.extra, 1) != 0) {
                error = std::string(s.file) + ": no room for the " +
                        (m.pas == RME_PAS_NS ? "host's" : "EL3's") + " page tables";
                return false;
            }
    }
    return build_rmm_tables(s, mem, error);
}

// The RMM's R-EL2 stage 1, in its own Realm memory: every DRAM region twice, by 1GB blocks, at
// VA = PA in the Realm PAS (its granules: RTTs, RDs, RECs, data) and at VA = PA + 2^47 with
// the descriptor's NS bit (the host's structures it reads and writes: params, run pages,
// DATA_CREATE sources). TF-RMM maps each granule into a per-CPU slot with the right PAS as it
// needs it; a fixed map gives the same checks without modelling the slot remapping.
bool Firmware::build_rmm_tables(const scenario &s, phys_mem *mem, std::string &error)
{
    const scn_platform &p = s.platform;
    rmm_pool_ = {layout_.rmm, layout_.rmm + layout_.rmm_size, false};
    mem_port direct = phys_mem_port(mem);
    rmm_ttbr_ = pool_alloc(&rmm_pool_);
    pt_builder b{};
    b.port = &direct;
    b.pas = RME_PAS_REALM;
    b.granule_bits = 12;
    b.inputsize = 48;
    b.start_level = 0;
    b.root = rmm_ttbr_;
    b.alloc = &Firmware::pool_alloc;
    b.alloc_ctx = &rmm_pool_;
    const uint64_t normal = DESC_AF | DESC_SH_INNER | DESC_S1_ATTRIDX(1);
    for (size_t i = 0; i < p.n_memory; i++) {
        uint64_t first = p.memory[i].base & ~((1ull << 30) - 1);
        for (uint64_t a = first; a < p.memory[i].base + p.memory[i].size; a += 1ull << 30)
            if (a + kRmmNsWindow < a || a >= kRmmNsWindow ||
                pt_map(&b, a, a, 1ull << 30, normal, 1) != 0 ||
                pt_map(&b, a + kRmmNsWindow, a, 1ull << 30, normal | DESC_S1_NS, 1) != 0) {
                error = std::string(s.file) + ": no room for the RMM's page tables";
                return false;
            }
    }
    return true;
}

// A GPT walk straight from memory, ignoring every cache: what the table says now.
unsigned Firmware::gpt_lookup(const phys_mem *mem, uint64_t pa, bool &found) const
{
    const gpt_geometry &g = gpt_.g;
    uint64_t l0 = 0, l1 = 0;
    found = false;
    if (pa >> g.t)
        return 0;
    phys_mem_read(const_cast<phys_mem *>(mem), gpt_.l0_base + 8 * gpt_l0_index(&g, pa),
                  RME_PAS_ROOT, 8, &l0);
    found = true;
    if ((l0 & 0xF) == GPT_L0_BLOCK)
        return (l0 >> 4) & 0xF;
    phys_mem_read(const_cast<phys_mem *>(mem), (l0 & 0xFFFFFFFFFF000ull) + 8 * gpt_l1_index(&g, pa),
                  RME_PAS_ROOT, 8, &l1);
    return gpt_l1_gpi(l1, &g, pa);
}

} // namespace rmesim
