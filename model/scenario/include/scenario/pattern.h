/* Access-pattern generators for a load or store step (docs/scenarios.md, "Access patterns"):
 * the addresses, and which accesses are stores, of `pattern: { kind, base, size, stride, count,
 * seed, write_ratio, theta }`, generated one at a time in O(1) memory. The same configuration
 * gives the same sequence on every machine (integer PRNG; the zipf sampler's floating point is
 * IEEE double with the C library's exp/log/expm1/log1p). */
#ifndef SCENARIO_PATTERN_H
#define SCENARIO_PATTERN_H

#include <stdbool.h>
#include <stdint.h>

enum scn_pattern_kind {
    SCN_PATTERN_NONE, /* the step has no pattern: va, count, stride */
    SCN_PATTERN_SEQUENTIAL,
    SCN_PATTERN_STRIDED,
    SCN_PATTERN_RANDOM,
    SCN_PATTERN_ZIPF,
};

#define SCN_PATTERN_MAX_COUNT 1000000000ull /* accesses of one pattern step, at most 10^9 */
#define SCN_PATTERN_THETA_DEFAULT 0.99      /* YCSB's ZipfianGenerator.ZIPFIAN_CONSTANT */

struct scn_pattern {
    enum scn_pattern_kind kind;
    uint64_t base, size; /* the working set [base, base + size) */
    uint64_t stride;     /* strided: bytes between two accesses (wrapping inside the set) */
    uint64_t count;      /* accesses, 1..SCN_PATTERN_MAX_COUNT */
    uint64_t seed;       /* random, zipf and write_ratio draws */
    double write_ratio;  /* [0, 1]: the fraction of a load step's accesses that are stores */
    double theta;        /* zipf: the exponent s of P(rank k) ~ 1/k^s */
};

/* xoshiro256** 1.0 (Blackman and Vigna, 2018, https://prng.di.unimi.it/), its state seeded by
 * splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014) as
 * its authors recommend. Written here from the published description. */
struct pattern_rng {
    uint64_t s[4];
};
void pattern_rng_seed(struct pattern_rng *r, uint64_t seed);
uint64_t pattern_rng_next(struct pattern_rng *r);

/* Zipf ranks 1..n with P(k) proportional to 1/k^theta (theta > 0), by rejection-inversion:
 * W. Hörmann and G. Derflinger, "Rejection-inversion to generate variates from monotone discrete
 * distributions", ACM TOMACS 6(3), 1996. O(1) set-up and memory for any n (YCSB's
 * ZipfianGenerator, after Gray et al. 1994, sums n terms first). */
struct pattern_zipf {
    double theta, h_x1, h_n, s;
    uint64_t n;
};
void pattern_zipf_init(struct pattern_zipf *z, uint64_t n, double theta);
uint64_t pattern_zipf_next(const struct pattern_zipf *z, struct pattern_rng *r); /* 1..n */

/* One step's generator. */
struct pattern_gen {
    struct scn_pattern p;
    unsigned access_size;
    uint64_t slots;           /* size / access_size */
    uint64_t done;            /* accesses generated so far */
    uint64_t offset;          /* sequential, strided: the next one's offset in the set */
    uint64_t write_threshold; /* a draw (53 bits) below it is a store */
    struct pattern_rng addr_rng, write_rng;
    struct pattern_zipf zipf;
};

/* The generator of pattern p for accesses of access_size bytes (the loader has checked p). */
void pattern_init(struct pattern_gen *g, const struct scn_pattern *p, unsigned access_size);
/* The next access: its address and whether it is a store (a load step's write_ratio; a store
 * step's accesses are all stores, which the caller knows). False when count are done. */
bool pattern_next(struct pattern_gen *g, uint64_t *va, bool *store);

/* "sequential" ... for messages and views */
const char *pattern_kind_name(enum scn_pattern_kind k);

#endif
