/* Translations per second of CPU time, through mmu_translate on the C libraries alone:
 *   tlb_hit                       one page, every access a TLB hit (the C hit path)
 *   two_stage_miss                full two-stage misses (4 + 4 levels, 24 fetches, no walk cache),
 *                                 each access after a full TLB invalidation, which is timed too
 *   two_stage_miss_walk_cache     the same with the walk cache (13 fetches)
 *   two_stage_miss_no_flush       full two-stage misses with no maintenance in the loop: the
 *                                 accesses walk 2048 distinct pages in turn, more than the TLB
 *                                 holds (48 + 1280 entries, LRU), so every one misses and walks
 *                                 all 24 fetches (checked), each GPC-checked
 * Run: ctest --preset bench -R mmu, or build/bench/mmu/bench_mmu [seconds] [mode...] (every mode
 * when none is named). One line per mode: "mmu_translate MODE: RATE translations/s (N in S s)". */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpc/gpc_unit.h"
#include "gpc/gpt_el3.h"
#include "mem/phys_mem.h"
#include "mmu/mmu.h"
#include "mmu/pgtable.h"
#include "mmu/tlb.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct bump {
    uint64_t next, end;
};
static uint64_t bump(void *ctx)
{
    struct bump *b = ctx;
    if (b->next + 0x1000 > b->end)
        return 0;
    b->next += 0x1000;
    return b->next - 0x1000;
}

enum mode { TLB_HIT, MISS_FLUSH, MISS_FLUSH_WC, MISS_NO_FLUSH, N_MODES };
static const char *const names[N_MODES] = {"tlb_hit", "two_stage_miss", "two_stage_miss_walk_cache",
                                           "two_stage_miss_no_flush"};
static const unsigned fetches[N_MODES] = {0, 24, 13, 24};
#define DISTINCT_PAGES 2048u /* stage 1 maps VA 0x1000.. to 8 MB at PA 0x90800000 */

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    bool run[N_MODES] = {argc <= 2, argc <= 2, argc <= 2, argc <= 2};
    for (int i = 2; i < argc; i++) {
        int m = 0;
        while (m < N_MODES && strcmp(argv[i], names[m]) != 0)
            m++;
        if (m == N_MODES) {
            fprintf(stderr,
                    "bench_mmu: no mode '%s' (tlb_hit, two_stage_miss, "
                    "two_stage_miss_walk_cache, two_stage_miss_no_flush)\n",
                    argv[i]);
            return 2;
        }
        run[m] = true;
    }
    struct phys_mem *mem = phys_mem_create();
    phys_mem_add_ram(mem, "realm", 0x90000000ull, 0x1000000ull);
    phys_mem_add_ram(mem, "root", 0xA0000000ull, 0x1000000ull);
    struct mem_port port = phys_mem_port(mem);
    struct gpt_build_params p = {{40, 30, 12},  {true, false}, 0xA0000000ull,
                                 0xA0100000ull, 0x100000ull,   2ull << 20};
    struct gpt_region r[] = {{0x90000000ull, 0x1000000ull, GPI_REALM, false},
                             {0xA0000000ull, 0x1000000ull, GPI_ROOT, false}};
    struct gpt_build_result res;
    if (gpt_build(&port, &p, r, 2, &res))
        return 1;
    uint64_t gpccr, gptbr;
    gpt_enable_values(&p, 30, false, &gpccr, &gptbr);
    struct gpc_config gcfg = {gpccr, gptbr, 48, false, true, 64, 4, 2};
    struct gpc_unit *gpc = gpc_create(&gcfg, &port);
    struct tlb_config with_wc = {48, 1280, 5, 1, 3, 64, 4, 2};
    struct tlb_config no_wc = {48, 1280, 5, 1, 3, 0, 0, 0};
    /* A realm: stage 2 identity over its 16 MB, stage 1 mapping DISTINCT_PAGES pages, both 4
     * levels of 4KB pages. */
    struct bump pages = {0x90000000ull, 0x90100000ull};
    uint64_t s2root = bump(&pages), s1root = bump(&pages);
    struct pt_builder s2 = {&port, RME_PAS_REALM, 12, 48, 0, s2root, bump, &pages, 0};
    struct pt_builder s1 = {&port, RME_PAS_REALM, 12, 48, 0, s1root, bump, &pages, 0};
    uint64_t s2attr = (1ull << 10) | (3ull << 8) | (0xFull << 2) | (3ull << 6);
    if (pt_map(&s2, 0x90000000ull, 0x90000000ull, 0x1000000ull, s2attr, 3) ||
        pt_map(&s1, 0x1000, 0x90800000ull, DISTINCT_PAGES * 0x1000ull,
               (1ull << 10) | (3ull << 8) | (1ull << 2), 3))
        return 1;
    struct mmu_regime reg = {0};
    reg.kind = MMU_REALM_EL10;
    reg.el = 1;
    reg.ss = RME_SS_REALM;
    reg.s1 = (struct mmu_stage){true, 12, {s1root, 0}, {16, 16}, false, 0, 1, 48, 0xFF00, 0};
    reg.s2 = (struct mmu_stage){true, 12, {s2root, 0}, {16, 16}, false, 0, 1, 48, 0, 0};
    for (int mode = 0; mode < N_MODES; mode++) {
        if (!run[mode])
            continue;
        bool wc = mode == TLB_HIT || mode == MISS_FLUSH_WC;
        bool flush = mode == MISS_FLUSH || mode == MISS_FLUSH_WC;
        struct mmu_tlb *tlb = tlb_create(wc ? &with_wc : &no_wc);
        struct mmu_env env = {gpc, tlb, &port, false, false, false};
        uint64_t n = 0, bad = 0;
        double start = cpu_now(), elapsed;
        do {
            for (unsigned i = 0; i < 10000; i++) {
                struct rme_access a;
                uint64_t va = mode == MISS_NO_FLUSH
                                  ? 0x1000 + (uint64_t)((n % DISTINCT_PAGES) << 12)
                                  : 0x1000 + (uint64_t)(i & 0xFF) * 8;
                rme_access_init(&a, va, 8, MMU_READ);
                if (flush)
                    tlb_invalidate(tlb, TLB_ALL, 0, 0, 0);
                mmu_translate(&reg, &env, &a);
                bad += a.fault != MMU_OK || (mode != TLB_HIT && a.n_fetches != fetches[mode]) ||
                       (mode == TLB_HIT && n > 0 && a.tlb <= 0);
                n++;
            }
            elapsed = cpu_now() - start;
        } while (elapsed < seconds);
        if (bad) {
            fprintf(stderr, "bench_mmu %s: %llu unexpected results\n", names[mode],
                    (unsigned long long)bad);
            return 1;
        }
        printf("mmu_translate %s: %.0f translations/s (%llu in %.3f s CPU)\n", names[mode],
               (double)n / elapsed, (unsigned long long)n, elapsed);
        tlb_destroy(tlb);
    }
    gpc_destroy(gpc);
    phys_mem_destroy(mem);
    return 0;
}
