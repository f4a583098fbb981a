/* Atomic read-modify-write with GCC's __atomic builtins on 8-, 16-, 32- and 64-bit objects, each
 * checked against the same operations done plainly. Built for Armv8.0 they are exclusive loops
 * (LDXR/LDAXR with STXR/STLXR, B/H/W/X sizes); the `lse` build (-march=armv8.1-a) turns them into
 * LDADD, LDCLR, LDEOR, LDSET, SWP and CAS with their acquire/release forms. Also load-acquire and
 * store-release (LDAR, STLR), fences (DMB), and the exclusive monitor by hand: a store-exclusive
 * fails after CLREX and after another store-exclusive, a 128-bit LDAXP/STLXP pair swaps both
 * halves. Single-threaded, so every result is determined and both builds print the same. Exits
 * 1 on any disagreement. */
#include "rt.h"

static int failures;

static void report(const char *what, uint64_t got, uint64_t want)
{
    int ok = got == want;
    failures += !ok;
    rt_printf("%-26s %016llx%s\n", what, (unsigned long long)got, ok ? "" : "  MISMATCH");
}

/* The same sequence atomically on *p and plainly on ref; returns a mix of every old value. */
#define RMW(T)                                                                                     \
    static void rmw_##T(T *p, T start, T k)                                                        \
    {                                                                                              \
        T ref = start, mix = 0, mix_ref = 0, old;                                                  \
        __atomic_store_n(p, start, __ATOMIC_RELEASE);                                              \
        mix += __atomic_fetch_add(p, k, __ATOMIC_SEQ_CST);                                         \
        mix_ref += ref, ref = (T)(ref + k);                                                        \
        mix ^= __atomic_fetch_sub(p, (T)(k * 3), __ATOMIC_ACQ_REL);                                \
        mix_ref ^= ref, ref = (T)(ref - k * 3);                                                    \
        mix += __atomic_fetch_and(p, (T)~k, __ATOMIC_ACQUIRE);                                     \
        mix_ref += ref, ref = (T)(ref & ~k);                                                       \
        mix ^= __atomic_fetch_or(p, k, __ATOMIC_RELEASE);                                          \
        mix_ref ^= ref, ref = (T)(ref | k);                                                        \
        mix += __atomic_fetch_xor(p, start, __ATOMIC_RELAXED);                                     \
        mix_ref += ref, ref = (T)(ref ^ start);                                                    \
        mix ^= __atomic_exchange_n(p, (T)(start + k), __ATOMIC_SEQ_CST);                           \
        mix_ref ^= ref, ref = (T)(start + k);                                                      \
        old = (T)(ref + 1); /* wrong: the CAS fails and reads the value */                         \
        int failed =                                                                               \
            !__atomic_compare_exchange_n(p, &old, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE);       \
        int done =                                                                                 \
            __atomic_compare_exchange_n(p, &old, (T)~old, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);  \
        ref = (T)~ref;                                                                             \
        report(#T " old values", mix, mix_ref);                                                    \
        report(#T " final", __atomic_load_n(p, __ATOMIC_ACQUIRE), ref);                            \
        report(#T " cas fail, succeed", (uint64_t)(failed << 4 | done), 0x11);                     \
    }

RMW(uint8_t)
RMW(uint16_t)
RMW(uint32_t)
RMW(uint64_t)

/* Store-exclusive after a load-exclusive, retried until it succeeds (the architecture lets it
 * fail spuriously); returns the loaded value. */
static uint64_t exclusive_swap(uint64_t *p, uint64_t v)
{
    uint64_t old;
    uint32_t status;
    do
        __asm__ volatile("ldxr %0, [%2]\n\tstxr %w1, %3, [%2]"
                         : "=&r"(old), "=&r"(status)
                         : "r"(p), "r"(v)
                         : "memory");
    while (status);
    return old;
}

/* A store-exclusive with the local monitor open must fail (status 1) and not write. */
static uint32_t store_after_clrex(uint64_t *p, uint64_t v)
{
    uint64_t old;
    uint32_t status;
    __asm__ volatile("ldxr %0, [%2]\n\tclrex\n\tstxr %w1, %3, [%2]"
                     : "=&r"(old), "=&r"(status)
                     : "r"(p), "r"(v)
                     : "memory");
    return status;
}

static uint32_t second_store(uint64_t *p, uint64_t v)
{
    uint64_t old;
    uint32_t first, second;
    do
        __asm__ volatile("ldxr %0, [%3]\n\tstxr %w1, %4, [%3]\n\tstxr %w2, xzr, [%3]"
                         : "=&r"(old), "=&r"(first), "=&r"(second)
                         : "r"(p), "r"(v)
                         : "memory");
    while (first);
    return second;
}

/* Swaps the two halves of a 16-byte-aligned pair with LDAXP/STLXP. */
static void pair_swap(uint64_t *pair)
{
    uint64_t lo, hi;
    uint32_t status;
    do
        __asm__ volatile("ldaxp %0, %1, [%3]\n\tstlxp %w2, %1, %0, [%3]"
                         : "=&r"(lo), "=&r"(hi), "=&r"(status)
                         : "r"(pair)
                         : "memory");
    while (status);
}

static void monitor(void)
{
    static _Alignas(16) uint64_t word, pair[2];
    word = 0x1111;
    report("ldxr/stxr old", exclusive_swap(&word, 0x2222), 0x1111);
    report("ldxr/stxr stored", word, 0x2222);
    report("stxr after clrex", store_after_clrex(&word, 0x3333), 1);
    report("  memory unchanged", word, 0x2222);
    report("second stxr", second_store(&word, 0x4444), 1);
    report("  first stored", word, 0x4444);
    pair[0] = 0xaaaa, pair[1] = 0xbbbb;
    pair_swap(pair);
    report("ldaxp/stlxp", pair[0] << 16 | pair[1], 0xbbbbaaaa);
}

/* Acquire/release and fences around a flag protocol, and a lock taken by exchange. */
static void ordering(void)
{
    static uint32_t data, flag, lock;
    data = 7;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
    uint32_t seen = __atomic_load_n(&flag, __ATOMIC_ACQUIRE);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    report("flag, data", (uint64_t)seen << 8 | data, 0x107);
    unsigned taken = 0;
    for (int i = 0; i < 5; i++) {
        while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
            ;
        taken++;
        __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    report("lock taken", taken << 4 | lock, 0x50);
}

int main(void)
{
    static uint8_t b;
    static uint16_t h;
    static uint32_t w;
    static uint64_t x;
    rmw_uint8_t(&b, 0xa5, 0x3c);
    rmw_uint16_t(&h, 0xf00d, 0x1234);
    rmw_uint32_t(&w, 0x89abcdefu, 0x0f0f0f0fu);
    rmw_uint64_t(&x, 0xfedcba9876543210ull, 0x00ff00ff00ff00ffull);
    monitor();
    ordering();
    rt_printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
