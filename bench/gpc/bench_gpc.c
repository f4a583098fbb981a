/* GPC checks per second of CPU time: with a warm GPT cache (warm_cache), and with every check
 * walking the GPT (walk). Run: ctest --preset bench -R gpc, or build/bench/gpc/bench_gpc
 * [seconds] [warm_cache|walk] (both when neither is named). */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpc/gpc_unit.h"
#include "gpc/gpt_el3.h"
#include "mem/phys_mem.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* 1 GiB of NS DRAM by granule with 2 MB contiguous descriptors, as the platform builds it. */
static struct gpc_unit *setup(struct phys_mem *mem, struct mem_port *port, unsigned cache)
{
    phys_mem_add_ram(mem, "dram", 0x80000000ull, 1ull << 30);
    phys_mem_add_ram(mem, "root", 0xC0000000ull, 16ull << 20);
    *port = phys_mem_port(mem);
    struct gpt_build_params p = {{40, 30, 12},  {true, false}, 0xC0000000ull,
                                 0xC0100000ull, 15ull << 20,   2ull << 20};
    struct gpt_region r[] = {{0x80000000ull, 1ull << 30, GPI_NS, false},
                             {0xC0000000ull, 16ull << 20, GPI_ROOT, false}};
    struct gpt_build_result res;
    if (gpt_build(port, &p, r, 2, &res))
        return NULL;
    uint64_t gpccr, gptbr;
    gpt_enable_values(&p, 30, false, &gpccr, &gptbr);
    struct gpc_config cfg = {gpccr, gptbr, 48, false, true, cache, cache ? 4 : 0, 2};
    return gpc_create(&cfg, port);
}

static double measure(unsigned cache, double seconds, uint64_t *checks_out, double *cpu_out)
{
    struct phys_mem *mem = phys_mem_create();
    struct mem_port port;
    struct gpc_unit *u = setup(mem, &port, cache);
    if (!u) {
        fprintf(stderr, "bench_gpc: GPT build failed\n");
        exit(1);
    }
    struct gpc_result r;
    uint64_t checks = 0, pa = 0x80000000ull, faults = 0;
    double start = cpu_now(), elapsed;
    do {
        for (int i = 0; i < 100000; i++) {
            /* 64 granules in a 256 KB window: a working set a 64-entry cache can hold */
            gpc_check(u, pa + ((checks & 63) << 12), RME_PAS_NS, RME_SS_NS, &r);
            faults += r.kind != GPC_OK;
            checks++;
        }
        elapsed = cpu_now() - start;
    } while (elapsed < seconds);
    if (faults) {
        fprintf(stderr, "bench_gpc: %llu unexpected faults\n", (unsigned long long)faults);
        exit(1);
    }
    gpc_destroy(u);
    phys_mem_destroy(mem);
    *checks_out = checks;
    *cpu_out = elapsed;
    return (double)checks / elapsed;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    const char *only = argc > 2 ? argv[2] : NULL;
    if (only && strcmp(only, "warm_cache") != 0 && strcmp(only, "walk") != 0) {
        fprintf(stderr, "bench_gpc: no mode '%s' (warm_cache, walk)\n", only);
        return 2;
    }
    uint64_t n;
    double cpu;
    if (!only || strcmp(only, "warm_cache") == 0) {
        double warm = measure(64, seconds, &n, &cpu);
        printf("gpc_check warm_cache: %.0f checks/s (%llu in %.3f s CPU)\n", warm,
               (unsigned long long)n, cpu);
    }
    if (!only || strcmp(only, "walk") == 0) {
        double walk = measure(0, seconds, &n, &cpu);
        printf("gpc_check walk: %.0f checks/s (%llu in %.3f s CPU, 2 GPT fetches each)\n", walk,
               (unsigned long long)n, cpu);
    }
    return 0;
}
