/* platform: the machine, with its own consistency checks. */
#include <stdio.h>
#include <string.h>

#include "host/vdev.h"
#include "machine/machine.h"
#include "loader.h"

static const unsigned pps_bits[] = {32, 36, 40, 42, 44, 48, 52}; /* GPCCR_EL3.PPS 0..6 */

static bool pa_size(struct ld *c, const yaml_node_t *n, const char *what, unsigned *out)
{
    uint64_t v;
    if (!ld_u64(c, n, what, &v))
        return false;
    for (size_t i = 0; i < sizeof pps_bits / sizeof pps_bits[0]; i++)
        if (v == pps_bits[i]) {
            *out = (unsigned)v;
            return true;
        }
    return ld_fail(c, n, "%s must be one of 32 36 40 42 44 48 52, got %llu", what,
                   (unsigned long long)v);
}

static bool overlaps(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
    return a < b + bsz && b < a + asz;
}

static bool within(uint64_t base, uint64_t size, unsigned bits)
{
    uint64_t limit = bits >= 64 ? UINT64_MAX : (1ull << bits);
    return base < limit && size <= limit - base;
}

static bool geometry(struct ld *c, const yaml_node_t *n, const char *what,
                     struct scn_cache_geometry *g)
{
    static const char *const keys[] = {"entries", "ways", NULL};
    yaml_node_t *v;
    if (!ld_want_map(c, n, what) || !ld_check_keys(c, n, what, keys))
        return false;
    if ((v = ld_get(c, n, "entries")) && !ld_uint_range(c, v, "entries", 1, 1 << 20, &g->entries))
        return false;
    if ((v = ld_get(c, n, "ways")) && !ld_uint_range(c, v, "ways", 1, 1 << 20, &g->ways))
        return false;
    unsigned sets = g->entries / g->ways;
    if (g->entries % g->ways || (sets & (sets - 1)))
        return ld_fail(c, n, "%s: %u entries in %u ways do not give a power-of-two number of sets",
                       what, g->entries, g->ways);
    return true;
}

static bool gpt_regions(struct ld *c, const yaml_node_t *n, struct scn_platform *p)
{
    static const char *const keys[] = {"base", "size", "gpi", "map", NULL};
    if (!ld_want_seq(c, n, "gpt.regions"))
        return false;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    p->gpt_regions = ld_calloc(count, sizeof(*p->gpt_regions));
    p->gpt_regions_given = true;
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *r = ld_node(c, n->data.sequence.items.start[i]), *v;
        struct scn_gpt_region *g = &p->gpt_regions[i];
        g->pos = ld_pos(r);
        if (!ld_want_map(c, r, "a GPT region") || !ld_check_keys(c, r, "GPT region", keys) ||
            !ld_require(c, r, "base", "GPT region", &v) || !ld_u64(c, v, "base", &g->base) ||
            !ld_require(c, r, "size", "GPT region", &v) || !ld_size(c, v, "size", &g->size) ||
            !ld_require(c, r, "gpi", "GPT region", &v) || !ld_name(c, v, &scn_gpi_names, &g->gpi))
            return false;
        if (g->gpi == SCN_GPI_NSO && !p->feat_gpc2)
            return ld_fail(c, v, "GPI nso needs platform.features.gpc2: true (FEAT_RME_GPC2)");
        g->block = false;
        if ((v = ld_get(c, r, "map"))) {
            if (!ld_want_scalar(c, v, "map"))
                return false;
            if (strcmp(ld_scalar(v), "block") == 0)
                g->block = true;
            else if (strcmp(ld_scalar(v), "granule") != 0)
                return ld_fail(c, v, "map must be block or granule, got '%s'", ld_scalar(v));
        }
        p->n_gpt_regions = i + 1;
        uint64_t align = g->block ? p->l0gptsz : p->pgs;
        if (g->size == 0)
            return ld_fail(c, r, "GPT region size must not be 0");
        if ((g->base | g->size) & (align - 1))
            return ld_fail(c, r,
                           "GPT region [0x%llx, +0x%llx) mapped by %s must be aligned to 0x%llx",
                           (unsigned long long)g->base, (unsigned long long)g->size,
                           g->block ? "block" : "granule", (unsigned long long)align);
        if (!within(g->base, g->size, p->pa_bits))
            return ld_fail(c, r, "GPT region [0x%llx, +0x%llx) lies beyond pa_bits (%u bits)",
                           (unsigned long long)g->base, (unsigned long long)g->size, p->pa_bits);
        for (size_t j = 0; j < i; j++)
            if (overlaps(g->base, g->size, p->gpt_regions[j].base, p->gpt_regions[j].size)) {
                char at[32];
                return ld_fail(c, r, "GPT region at 0x%llx overlaps the one at %s",
                               (unsigned long long)g->base,
                               scn_line(p->gpt_regions[j].pos, at, sizeof at));
            }
    }
    return true;
}

static bool gpt(struct ld *c, const yaml_node_t *n, struct scn_platform *p,
                const yaml_node_t **regions)
{
    static const char *const keys[] = {"pgs",  "l0gptsz",    "gpc",   "regions", "gpcp",
                                       "nso",  "spad",       "nspad", "rlpad",   "appsaa",
                                       "base", "gpf_to_el3", NULL};
    yaml_node_t *v;
    if (!ld_want_map(c, n, "platform.gpt") || !ld_check_keys(c, n, "platform.gpt", keys))
        return false;
    if ((v = ld_get(c, n, "pgs"))) {
        if (!ld_size(c, v, "gpt.pgs", &p->pgs))
            return false;
        if (p->pgs != 4096 && p->pgs != 16384 && p->pgs != 65536)
            return ld_fail(c, v, "gpt.pgs must be one of 4K 16K 64K, got %s", ld_scalar(v));
    }
    if ((v = ld_get(c, n, "l0gptsz"))) {
        if (!ld_size(c, v, "gpt.l0gptsz", &p->l0gptsz))
            return false;
        if (p->l0gptsz != 1ull << 30 && p->l0gptsz != 1ull << 34 && p->l0gptsz != 1ull << 36 &&
            p->l0gptsz != 1ull << 39)
            return ld_fail(c, v, "gpt.l0gptsz must be one of 1G 16G 64G 512G, got %s",
                           ld_scalar(v));
    }
    struct {
        const char *key;
        bool *field;
        bool gpc2;
    } flags[] = {{"gpc", &p->gpc, false},      {"gpcp", &p->gpcp, false},
                 {"nso", &p->nso, true},       {"spad", &p->spad, true},
                 {"nspad", &p->nspad, true},   {"rlpad", &p->rlpad, true},
                 {"appsaa", &p->appsaa, true}, {"gpf_to_el3", &p->gpf_to_el3, false}};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        if (!(v = ld_get(c, n, flags[i].key)))
            continue;
        if (!ld_bool(c, v, flags[i].key, flags[i].field))
            return false;
        if (flags[i].gpc2 && !p->feat_gpc2)
            return ld_fail(c, ld_get_key_node(c, n, flags[i].key),
                           "gpt.%s needs platform.features.gpc2: true (FEAT_RME_GPC2)",
                           flags[i].key);
    }
    if ((v = ld_get(c, n, "base"))) {
        if (!ld_u64(c, v, "gpt.base", &p->gpt_base))
            return false;
        if (p->gpt_base & 0xFFF)
            return ld_fail(c, v, "gpt.base must be 4K aligned");
        p->has_gpt_base = true;
        p->gpt_base_pos = ld_pos(v);
    }
    *regions = ld_get(c, n, "regions"); /* after memory: region checks need pa_bits and pgs */
    return true;
}

static bool memory(struct ld *c, const yaml_node_t *n, struct scn_platform *p)
{
    static const char *const keys[] = {"name", "base", "size", NULL};
    if (!ld_want_seq(c, n, "platform.memory"))
        return false;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count == 0)
        return ld_fail(c, n, "platform.memory needs at least one region");
    if (count > SCN_MAX_MEMORY_REGIONS)
        return ld_fail(c, n,
                       "platform.memory has %zu regions: at most %d (the DRAM banks the RMM "
                       "tracks, as TF-RMM's RMM_MAX_DRAM_NUM_BANKS bounds them)",
                       count, SCN_MAX_MEMORY_REGIONS);
    p->memory_pos = ld_pos(n);
    p->memory = ld_calloc(count, sizeof(*p->memory));
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *r = ld_node(c, n->data.sequence.items.start[i]), *v;
        struct scn_region *m = &p->memory[i];
        m->pos = ld_pos(r);
        if (!ld_want_map(c, r, "a memory region") || !ld_check_keys(c, r, "memory region", keys) ||
            !ld_require(c, r, "name", "memory region", &v) || !ld_string(c, v, "name", &m->name))
            return false;
        p->n_memory = i + 1;
        if (!ld_require(c, r, "base", "memory region", &v) || !ld_u64(c, v, "base", &m->base) ||
            !ld_require(c, r, "size", "memory region", &v) || !ld_size(c, v, "size", &m->size))
            return false;
        if (m->size == 0 || ((m->base | m->size) & 0xFFF))
            return ld_fail(
                c, r, "memory region '%s' must have a non-zero, 4K-aligned base and size", m->name);
        if (!within(m->base, m->size, p->pa_bits))
            return ld_fail(
                c, r, "memory region '%s' [0x%llx, +0x%llx) lies beyond pa_bits (%u bits)", m->name,
                (unsigned long long)m->base, (unsigned long long)m->size, p->pa_bits);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(p->memory[j].name, m->name) == 0)
                return ld_fail(c, r, "memory region name '%s' used twice", m->name);
            if (overlaps(m->base, m->size, p->memory[j].base, p->memory[j].size))
                return ld_fail(c, r, "memory region '%s' [0x%llx, +0x%llx) overlaps region '%s'",
                               m->name, (unsigned long long)m->base, (unsigned long long)m->size,
                               p->memory[j].name);
        }
    }
    return true;
}

static bool devices(struct ld *c, const yaml_node_t *n, struct scn_platform *p)
{
    static const char *const keys[] = {"name", "model", "base", NULL};
    if (!ld_want_seq(c, n, "platform.devices"))
        return false;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (p->n_memory + count > SCN_MAX_MAP_RANGES)
        return ld_fail(c, n,
                       "platform has %zu memory regions and %zu devices: at most %d together (the "
                       "physical memory map holds 64 ranges, one of them EL3's carve-out)",
                       p->n_memory, count, SCN_MAX_MAP_RANGES);
    p->devices = ld_calloc(count, sizeof(*p->devices));
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *r = ld_node(c, n->data.sequence.items.start[i]), *v;
        struct scn_device *d = &p->devices[i];
        d->pos = ld_pos(r);
        if (!ld_want_map(c, r, "a device") || !ld_check_keys(c, r, "device", keys) ||
            !ld_require(c, r, "name", "device", &v) || !ld_string(c, v, "name", &d->name))
            return false;
        p->n_devices = i + 1;
        if (!ld_require(c, r, "model", "device", &v) || !ld_string(c, v, "model", &d->model))
            return false;
        const struct vdev_model *model = vdev_find_model(d->model);
        if (!model)
            return ld_fail(c, v, "unknown device model '%s' (models: %s)", d->model,
                           vdev_model_names());
        d->size = model->size;
        if (!ld_require(c, r, "base", "device", &v) || !ld_u64(c, v, "base", &d->base))
            return false;
        if (d->base & 0xFFF)
            return ld_fail(c, v, "device '%s' base must be 4K aligned", d->name);
        if (!within(d->base, d->size, p->pa_bits))
            return ld_fail(c, v, "device '%s' at 0x%llx lies beyond pa_bits (%u bits)", d->name,
                           (unsigned long long)d->base, p->pa_bits);
        for (size_t j = 0; j < p->n_memory; j++)
            if (overlaps(d->base, d->size, p->memory[j].base, p->memory[j].size))
                return ld_fail(c, r, "device '%s' at 0x%llx overlaps memory region '%s'", d->name,
                               (unsigned long long)d->base, p->memory[j].name);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(p->devices[j].name, d->name) == 0)
                return ld_fail(c, r, "device name '%s' used twice", d->name);
            if (overlaps(d->base, d->size, p->devices[j].base, p->devices[j].size))
                return ld_fail(c, r, "device '%s' at 0x%llx overlaps device '%s'", d->name,
                               (unsigned long long)d->base, p->devices[j].name);
        }
        for (size_t j = 0; j < p->n_memory; j++)
            if (strcmp(p->memory[j].name, d->name) == 0)
                return ld_fail(c, r, "device name '%s' is also a memory region's name", d->name);
    }
    return true;
}

static bool timing(struct ld *c, const yaml_node_t *n, struct scn_platform *p)
{
    if (!ld_want_map(c, n, "platform.timing"))
        return false;
    for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top; q++) {
        yaml_node_t *k = ld_node(c, q->key), *v = ld_node(c, q->value);
        if (!ld_want_scalar(c, k, "a timing name"))
            return false;
        int id = timing_find(ld_scalar(k));
        if (id < 0) {
            char list[600];
            size_t used = 0;
            for (int i = 0; i < TIMING_COUNT; i++)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? " " : "",
                                         timing_table[i].name);
            return ld_fail(c, k, "unknown timing name '%s' (expected one of: %s)", ld_scalar(k),
                           list);
        }
        if (!ld_u64(c, v, ld_scalar(k), &p->timing[id]))
            return false;
    }
    return true;
}

static bool tlb(struct ld *c, const yaml_node_t *n, struct scn_platform *p)
{
    static const char *const keys[] = {"l1", "l2", "walk_cache", "gpt_cache", NULL};
    /* (the L1 data cache is `platform.caches.l1d`) */
    yaml_node_t *v;
    if (!ld_want_map(c, n, "platform.tlb") || !ld_check_keys(c, n, "platform.tlb", keys))
        return false;
    return (!(v = ld_get(c, n, "l1")) || geometry(c, v, "tlb.l1", &p->tlb_l1)) &&
           (!(v = ld_get(c, n, "l2")) || geometry(c, v, "tlb.l2", &p->tlb_l2)) &&
           (!(v = ld_get(c, n, "walk_cache")) ||
            geometry(c, v, "tlb.walk_cache", &p->walk_cache)) &&
           (!(v = ld_get(c, n, "gpt_cache")) || geometry(c, v, "tlb.gpt_cache", &p->gpt_cache));
}

static bool caches(struct ld *c, const yaml_node_t *n, struct scn_platform *p)
{
    static const char *const keys[] = {"l1d", NULL};
    yaml_node_t *v;
    if (!ld_want_map(c, n, "platform.caches") || !ld_check_keys(c, n, "platform.caches", keys))
        return false;
    return !(v = ld_get(c, n, "l1d")) || geometry(c, v, "caches.l1d", &p->l1d);
}

static bool features(struct ld *c, const yaml_node_t *n, struct scn_platform *p)
{
    static const char *const keys[] = {"gpc2", "sel2", NULL};
    yaml_node_t *v;
    if (!ld_want_map(c, n, "platform.features") || !ld_check_keys(c, n, "platform.features", keys))
        return false;
    return (!(v = ld_get(c, n, "gpc2")) || ld_bool(c, v, "features.gpc2", &p->feat_gpc2)) &&
           (!(v = ld_get(c, n, "sel2")) || ld_bool(c, v, "features.sel2", &p->feat_sel2));
}

/* The machine's defaults (machine/machine.h), and the GPT's: 40-bit PPS, 4KB PGS, 1GB L0GPTSZ,
 * the GPC enabled. */
static void defaults(struct scn_platform *p)
{
    struct rme_machine m;
    rme_machine_defaults(&m);
    p->cores = m.cores;
    p->pa_bits = 40;
    p->pa_range = m.pa_range;
    p->pgs = 4096;
    p->l0gptsz = 1ull << 30;
    p->gpc = true;
    p->feat_sel2 = m.feat_sel2;
    p->clock_mhz = m.clock_mhz;
    p->quantum = m.quantum;
    p->tlb_l1 = (struct scn_cache_geometry){m.tlb_l1.entries, m.tlb_l1.ways};
    p->tlb_l2 = (struct scn_cache_geometry){m.tlb_l2.entries, m.tlb_l2.ways};
    p->walk_cache = (struct scn_cache_geometry){m.walk_cache.entries, m.walk_cache.ways};
    p->gpt_cache = (struct scn_cache_geometry){m.gpt_cache.entries, m.gpt_cache.ways};
    p->l1d = (struct scn_cache_geometry){m.l1d.entries, m.l1d.ways};
    memcpy(p->timing, m.timing, sizeof(p->timing));
}

bool ld_platform(struct ld *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"cores",   "pa_bits",   "pa_range", "gpt",       "memory",
                                       "devices", "timing",    "tlb",      "host_pool", "features",
                                       "caches",  "clock_mhz", "quantum",  NULL};
    struct scn_platform *p = &c->s->platform;
    const yaml_node_t *regions = NULL;
    yaml_node_t *v;
    defaults(p);
    if (!ld_want_map(c, n, "platform") || !ld_check_keys(c, n, "platform", keys))
        return false;
    if ((v = ld_get(c, n, "features")) && !features(c, v, p))
        return false;
    if ((v = ld_get(c, n, "cores")) && !ld_uint_range(c, v, "cores", 1, 64, &p->cores))
        return false;
    if ((v = ld_get(c, n, "pa_bits")) && !pa_size(c, v, "pa_bits", &p->pa_bits))
        return false;
    if ((v = ld_get(c, n, "pa_range")) && !pa_size(c, v, "pa_range", &p->pa_range))
        return false;
    if (p->pa_range < p->pa_bits)
        return ld_fail(
            c, ld_get(c, n, "pa_range") ? ld_get(c, n, "pa_range") : ld_get(c, n, "pa_bits"),
            "pa_bits (%u) must not exceed the implemented PA size pa_range (%u)", p->pa_bits,
            p->pa_range);
    if ((v = ld_get(c, n, "clock_mhz")) &&
        !ld_uint_range(c, v, "clock_mhz", 1, 100000, &p->clock_mhz))
        return false;
    if ((v = ld_get(c, n, "quantum"))) {
        unsigned q;
        if (!ld_uint_range(c, v, "quantum", 1, 1u << 30, &q))
            return false;
        p->quantum = q;
    }
    if ((v = ld_get(c, n, "gpt")) && !gpt(c, v, p, &regions))
        return false;
    if (!ld_require(c, n, "memory", "platform", &v) || !memory(c, v, p))
        return false;
    if ((v = ld_get(c, n, "devices")) && !devices(c, v, p))
        return false;
    if (regions && !gpt_regions(c, regions, p))
        return false;
    if ((v = ld_get(c, n, "timing")) && !timing(c, v, p))
        return false;
    if ((v = ld_get(c, n, "caches")) && !caches(c, v, p))
        return false;
    if ((v = ld_get(c, n, "tlb")) && !tlb(c, v, p))
        return false;
    if ((v = ld_get(c, n, "host_pool"))) {
        if (!ld_want_scalar(c, v, "host_pool"))
            return false;
        size_t i = 0;
        while (i < p->n_memory && strcmp(p->memory[i].name, ld_scalar(v)) != 0)
            i++;
        if (i == p->n_memory)
            return ld_fail(c, v, "host_pool '%s' names no memory region", ld_scalar(v));
        p->host_pool = i;
    }
    return true;
}
