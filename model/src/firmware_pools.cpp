// What the memory pools the firmware and the host allocate from must hold, known before time 0:
// the host's pool (its identity map, then every realm's guest RAM and build pages), and the RMM's
// private memory (its R-EL2 tables). A run that would run out fails here, at the position of
// what asks too much, for `check` and `run` alike (before, `check` passed it and the run failed
// with no position, or at the realm's first step).
#include <set>

#include "model/firmware.hpp"
#include "model/text.hpp"
#include "model/where.hpp"

namespace rmesim
{

namespace
{

constexpr uint64_t kPage = 4096, kGb = 1ull << 30, kL1Span = 512 * kGb;

// Table pages of an identity map of [0, 2^bits) by 1GB blocks: one L0 page, one L1 page per
// 512GB (Firmware::build_page_tables).
uint64_t identity_map_pages(unsigned bits)
{
    uint64_t span = 1ull << bits;
    return 1 + (span + kL1Span - 1) / kL1Span;
}

} // namespace

bool Firmware::check_host_pool(const scenario &s, std::string &error)
{
    const scn_platform &p = s.platform;
    const scn_region &pool = p.memory[p.host_pool];
    const unsigned bits = std::min(p.pa_bits, 48u);
    uint64_t used = identity_map_pages(bits) * kPage;
    if (used > pool.size) {
        error = where(s, pool.pos) + ": memory region '" + pool.name +
                "', the host's pool, holds " + hex(pool.size) +
                " bytes: too few for the host's page tables (" + hex(used) +
                " bytes, an identity map of 2^" + std::to_string(bits) +
                " bytes by 1GB blocks); give host_pool a larger region";
        return false;
    }
    // Each realm the host builds takes its guest RAM from the bottom of the pool (the VMM's
    // memory) and at least a starting RTT, its RD, its RmiRealmParams and, per vCPU, the
    // RmiRecParams, the REC and its run page from the top (host/src/kvm.c kvm_realm_create).
    for (size_t i = 0; i < s.n_realms; i++) {
        const scn_realm &r = s.realms[i];
        const uint64_t ram = (r.ram_size + kPage - 1) & ~(kPage - 1);
        const uint64_t pages = (3 + 3 * uint64_t(r.vcpus)) * kPage;
        if (ram > pool.size - used || pages > pool.size - used - ram) {
            error = where(s, r.pos) + ": the host could not build realm '" + r.name +
                    "': its pool has no room for the VMM's " + hex(ram) +
                    " bytes of guest RAM (the memslot's shared backing) and the realm's " +
                    hex(pages) + " bytes of structures: memory region '" + pool.name +
                    "', the host's pool, holds " + hex(pool.size) + " bytes, of which " +
                    hex(used) + " are taken by the host's page tables" +
                    (i ? " and the realms before it" : "") + "; give host_pool a larger region";
            return false;
        }
        used += ram + pages;
    }
    return true;
}

// The RMM's R-EL2 map (Firmware::build_rmm_tables): every DRAM region by 1GB blocks at VA = PA
// and again at VA = PA + kRmmNsWindow, in its 2MB of private memory.
bool Firmware::check_rmm_tables(const scenario &s, std::string &error)
{
    const scn_platform &p = s.platform;
    std::set<uint64_t> l1_tables;
    for (size_t i = 0; i < p.n_memory; i++) {
        const scn_region &m = p.memory[i];
        if (m.base + m.size > kRmmNsWindow) {
            error = where(s, m.pos) + ": memory region '" + m.name + "' ends at " +
                    hex(m.base + m.size) +
                    ": the RMM maps the NS PAS at VA = PA + 2^47, so DRAM must end at or below "
                    "2^47 (0x800000000000)";
            return false;
        }
        for (uint64_t a = m.base & ~(kGb - 1); a < m.base + m.size; a += kL1Span - a % kL1Span) {
            l1_tables.insert(a / kL1Span);
            l1_tables.insert((a + kRmmNsWindow) / kL1Span);
        }
    }
    const uint64_t need = (1 + l1_tables.size()) * kPage, have = 2ull << 20;
    if (need > have) {
        error = where(s, p.memory_pos) + ": the RMM's page tables for this memory would take " +
                hex(need) + " bytes, more than its " + hex(have) +
                " bytes of private memory: place the memory regions in fewer 512GB ranges";
        return false;
    }
    return true;
}

} // namespace rmesim
