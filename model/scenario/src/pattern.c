/* Access-pattern generators (scenario/pattern.h): one access at a time, O(1) memory. */
#include <math.h>

#include "scenario/pattern.h"

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* splitmix64: the seed expanded into xoshiro's 256-bit state (never all zero) */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void pattern_rng_seed(struct pattern_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

/* xoshiro256**: the output is the second word scrambled (* 5, rotate 7, * 9) */
uint64_t pattern_rng_next(struct pattern_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* a double in [0, 1) from the top 53 bits */
static double unit(struct pattern_rng *r)
{
    return (double)(pattern_rng_next(r) >> 11) * 0x1p-53;
}

/* a uniform integer in [0, n): the high word of a 64x64-bit product (Lemire, "Fast random
 * integer generation in an interval", 2019, without the rejection: a bias below n / 2^64) */
static uint64_t below(struct pattern_rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)pattern_rng_next(r) * n) >> 64);
}

/* ---- zipf by rejection-inversion ------------------------------------------------------------
 * The hat is h(x) = x^-theta; H is its integral, (x^(1-theta) - 1) / (1 - theta) (log x at
 * theta 1), written through expm1/log1p so that theta near 1 loses no precision. */

static double expm1_over(double x) /* expm1(x) / x, 1 at 0 */
{
    return fabs(x) > 1e-8 ? expm1(x) / x : 1.0 + x / 2.0 + x * x / 6.0;
}

static double log1p_over(double x) /* log1p(x) / x, 1 at 0 */
{
    return fabs(x) > 1e-8 ? log1p(x) / x : 1.0 - x / 2.0 + x * x / 3.0;
}

static double hat(const struct pattern_zipf *z, double x)
{
    return exp(-z->theta * log(x));
}

static double hat_integral(const struct pattern_zipf *z, double x)
{
    double lx = log(x);
    return expm1_over((1.0 - z->theta) * lx) * lx;
}

static double hat_integral_inverse(const struct pattern_zipf *z, double y)
{
    double t = (1.0 - z->theta) * y;
    if (t < -1.0) /* beyond the support: rounding at the far end */
        t = -1.0;
    return exp(log1p_over(t) * y);
}

void pattern_zipf_init(struct pattern_zipf *z, uint64_t n, double theta)
{
    z->n = n;
    z->theta = theta;
    z->h_x1 = hat_integral(z, 1.5) - 1.0;
    z->h_n = hat_integral(z, (double)n + 0.5);
    /* ranks whose bucket the hat's inverse always lands in: accepted without the test */
    z->s = 2.0 - hat_integral_inverse(z, hat_integral(z, 2.5) - hat(z, 2.0));
}

uint64_t pattern_zipf_next(const struct pattern_zipf *z, struct pattern_rng *r)
{
    if (z->n <= 1)
        return 1;
    for (;;) {
        double u = z->h_n + unit(r) * (z->h_x1 - z->h_n);
        double x = hat_integral_inverse(z, u);
        double kd = floor(x + 0.5);
        uint64_t k = kd < 1.0 ? 1 : kd >= (double)z->n ? z->n : (uint64_t)kd;
        if (k > z->n) /* (double)n rounds above n beyond 2^53 */
            k = z->n;
        if ((double)k - x <= z->s || u >= hat_integral(z, (double)k + 0.5) - hat(z, (double)k))
            return k;
    }
}

/* ---- one step's accesses ---------------------------------------------------------------- */

void pattern_init(struct pattern_gen *g, const struct scn_pattern *p, unsigned access_size)
{
    *g = (struct pattern_gen){0};
    g->p = *p;
    g->access_size = access_size;
    g->slots = p->size / access_size;
    /* two streams: the addresses do not change with write_ratio */
    pattern_rng_seed(&g->addr_rng, p->seed);
    pattern_rng_seed(&g->write_rng, p->seed ^ 0x5752495445524154ull);
    g->write_threshold =
        p->write_ratio >= 1.0 ? (1ull << 53) + 1 : (uint64_t)(p->write_ratio * 0x1p53);
    if (p->kind == SCN_PATTERN_ZIPF)
        pattern_zipf_init(&g->zipf, g->slots, p->theta);
}

bool pattern_next(struct pattern_gen *g, uint64_t *va, bool *store)
{
    if (g->done >= g->p.count)
        return false;
    uint64_t offset;
    switch (g->p.kind) {
    case SCN_PATTERN_RANDOM:
        offset = below(&g->addr_rng, g->slots) * g->access_size;
        break;
    case SCN_PATTERN_ZIPF: /* rank 1, the most frequent, is the set's first slot */
        offset = (pattern_zipf_next(&g->zipf, &g->addr_rng) - 1) * g->access_size;
        break;
    default: { /* sequential (stride = the access size) and strided, wrapping inside the set */
        uint64_t step = g->p.kind == SCN_PATTERN_STRIDED ? g->p.stride : g->access_size;
        offset = g->offset;
        g->offset = offset >= g->p.size - step ? offset - (g->p.size - step) : offset + step;
        break;
    }
    }
    *va = g->p.base + offset;
    *store = g->p.write_ratio > 0.0 && (pattern_rng_next(&g->write_rng) >> 11) < g->write_threshold;
    g->done++;
    return true;
}

const char *pattern_kind_name(enum scn_pattern_kind k)
{
    static const char *const names[] = {"none", "sequential", "strided", "random", "zipf"};
    return (unsigned)k <= SCN_PATTERN_ZIPF ? names[k] : "?";
}
