/* pattern: { kind, base, size, stride, count, seed, write_ratio, theta } of a load or store
 * (docs/scenarios.md, "Access patterns"): checked here, generated as the step runs (pattern.c). */
#include <stdlib.h>
#include <string.h>

#include "loader.h"

static const char *const kinds[] = {"sequential", "strided", "random", "zipf", NULL};

/* A real number in [lo, hi]: decimal digits with one optional '.', as YAML writes 0.25 or 1 */
static bool real_in(struct ld *c, const yaml_node_t *n, const char *what, double lo, double hi,
                    double *out)
{
    if (!ld_want_scalar(c, n, what))
        return false;
    const char *t = ld_scalar(n), *p = t;
    bool digits = false, dot = false;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits = true;
        else if (*p == '.' && !dot)
            dot = true;
        else
            break;
    }
    if (*p || !digits || strlen(t) > 32)
        return ld_fail(c, n, "%s must be a decimal number such as 0.5, got '%s'", what, t);
    *out = strtod(t, NULL);
    if (*out < lo || *out > hi)
        return ld_fail(c, n, "%s must be between %g and %g, got %s", what, lo, hi, t);
    return true;
}

static bool pattern_kind(struct ld *c, const yaml_node_t *n, enum scn_pattern_kind *out)
{
    if (!ld_want_scalar(c, n, "kind"))
        return false;
    for (unsigned i = 0; kinds[i]; i++)
        if (strcmp(ld_scalar(n), kinds[i]) == 0) {
            *out = (enum scn_pattern_kind)(i + 1);
            return true;
        }
    char list[80];
    return ld_fail(c, n, "unknown pattern kind '%s' (expected: %s)", ld_scalar(n),
                   ld_join(kinds, list, sizeof list));
}

/* the pattern map itself, for accesses of a->size bytes */
static bool pattern_map(struct ld *c, const yaml_node_t *n, struct scn_action *a)
{
    static const char *const keys[] = {"kind", "base",        "size",  "stride", "count",
                                       "seed", "write_ratio", "theta", NULL};
    struct scn_pattern *p = &a->pattern;
    yaml_node_t *v;
    if (!ld_want_map(c, n, "pattern") || !ld_check_keys(c, n, "pattern", keys))
        return false;
    if (!ld_require(c, n, "kind", "pattern", &v) || !pattern_kind(c, v, &p->kind))
        return false;
    if (!ld_require(c, n, "base", "pattern", &v) || !ld_u64(c, v, "base", &p->base))
        return false;
    if (p->base % a->size)
        return ld_fail(c, v, "pattern base 0x%llx is not aligned to the access size (%u)",
                       (unsigned long long)p->base, a->size);
    if (!ld_require(c, n, "size", "pattern", &v) || !ld_size(c, v, "size", &p->size))
        return false;
    if (p->size == 0 || p->size % a->size)
        return ld_fail(c, v,
                       "pattern size %llu must be a non-zero multiple of the access size (%u)",
                       (unsigned long long)p->size, a->size);
    if (p->base + p->size < p->base)
        return ld_fail(c, v, "pattern [base, base + size) wraps past 2^64");
    if (!ld_require(c, n, "count", "pattern", &v) || !ld_size(c, v, "count", &p->count))
        return false;
    if (p->count < 1 || p->count > SCN_PATTERN_MAX_COUNT)
        return ld_fail(c, v, "pattern count must be between 1 and %llu, got %llu",
                       (unsigned long long)SCN_PATTERN_MAX_COUNT, (unsigned long long)p->count);
    v = ld_get(c, n, "stride");
    if (p->kind == SCN_PATTERN_STRIDED) {
        if (!v)
            return ld_fail(c, n, "a strided pattern needs 'stride'");
        if (!ld_size(c, v, "stride", &p->stride))
            return false;
        if (p->stride == 0 || p->stride % a->size || p->stride >= p->size)
            return ld_fail(c, v,
                           "pattern stride %llu must be a non-zero multiple of the access size "
                           "(%u) below the pattern's size",
                           (unsigned long long)p->stride, a->size);
    } else if (v) {
        return ld_fail(c, v, "stride is for a strided pattern, not %s", kinds[p->kind - 1]);
    }
    p->seed = 1;
    if ((v = ld_get(c, n, "seed")) && !ld_u64(c, v, "seed", &p->seed))
        return false;
    if ((v = ld_get(c, n, "write_ratio"))) {
        if (a->kind != SCN_ACT_LOAD)
            return ld_fail(c, v, "write_ratio is for a load's pattern (a store's are all stores)");
        if (!real_in(c, v, "write_ratio", 0.0, 1.0, &p->write_ratio))
            return false;
    }
    p->theta = SCN_PATTERN_THETA_DEFAULT;
    if ((v = ld_get(c, n, "theta"))) {
        if (p->kind != SCN_PATTERN_ZIPF)
            return ld_fail(c, v, "theta is for a zipf pattern, not %s", kinds[p->kind - 1]);
        if (!real_in(c, v, "theta", 0.01, 10.0, &p->theta))
            return false;
    }
    return true;
}

bool ld_pattern(struct ld *c, const yaml_node_t *n, const struct scn_step *step,
                struct scn_action *a)
{
    static const char *const replaced[] = {"va", "count", "stride", "realm", "ipa", "backing"};
    yaml_node_t *v, *pattern = ld_get(c, n, "pattern");
    if (a->kind == SCN_ACT_FETCH)
        return ld_fail(c, ld_get_key_node(c, n, "pattern"), "fetch takes no pattern");
    for (unsigned i = 0; i < sizeof replaced / sizeof replaced[0]; i++)
        if ((v = ld_get_key_node(c, n, replaced[i])))
            return ld_fail(c, v, "pattern: gives the addresses and the count; no '%s' with it",
                           replaced[i]);
    if (!pattern_map(c, pattern, a))
        return false;
    a->count = a->pattern.count;
    a->va = a->pattern.base;
    a->has_va = true;
    /* host and el3 use identity maps: the whole set must be addressable */
    if (step->actor.kind != SCN_ACTOR_REALM &&
        !ld_pa_in_range(c, ld_get(c, pattern, "base"), "pattern base", a->pattern.base,
                        a->pattern.size))
        return false;
    return ld_access_pas_value(c, n, step, a,
                               a->kind == SCN_ACT_STORE || a->pattern.write_ratio > 0.0);
}
