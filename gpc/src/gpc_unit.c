/* The GPC unit: registers, GPT cache, the check (GranuleProtectionCheck / GPTWalk, D9.4). */
#include <stdlib.h>
#include <string.h>

#include "gpc/gpc_unit.h"
#include "gpc/regs.h"

/* A cached walk result: the GPI that covers [base, base+size). Denied results are cached too,
 * since the GPI is what is kept and the PAS is checked on every hit (I_JMYRB). */
struct cache_entry {
    bool valid;
    uint64_t base, size;
    uint8_t gpi, level;
    uint64_t lru;
};

struct gpc_unit {
    struct gpc_config cfg;
    struct mem_port port;
    struct cache_entry *cache;
    unsigned sets, ways;
    bool sets_pow2; /* sets is a power of two: the set is a mask of the PA, not a division */
    uint64_t tick;
    struct gpc_stats stats;
    /* GPCCR_EL3 decoded when it is written, not on every check: whether it is consistent
     * (GPCRegistersConsistent) and, if so, the GPT's geometry */
    bool consistent;
    struct gpt_geometry geometry;
};

static bool registers_consistent(const struct gpc_unit *u, struct gpt_geometry *g);

static void decode_registers(struct gpc_unit *u)
{
    u->consistent = registers_consistent(u, &u->geometry);
}

struct gpc_unit *gpc_create(const struct gpc_config *cfg, const struct mem_port *port)
{
    struct gpc_unit *u = calloc(1, sizeof(*u));
    if (!u)
        return NULL;
    u->cfg = *cfg;
    u->port = *port;
    decode_registers(u);
    if (cfg->cache_entries && cfg->cache_ways) {
        u->ways = cfg->cache_ways;
        u->sets = cfg->cache_entries / cfg->cache_ways;
        u->sets_pow2 = (u->sets & (u->sets - 1)) == 0;
        u->cache = calloc(cfg->cache_entries, sizeof(*u->cache));
        if (!u->cache || u->sets == 0) {
            free(u->cache);
            free(u);
            return NULL;
        }
    }
    return u;
}

void gpc_destroy(struct gpc_unit *unit)
{
    if (!unit)
        return;
    free(unit->cache);
    free(unit);
}

void gpc_set_registers(struct gpc_unit *unit, uint64_t gpccr, uint64_t gptbr)
{
    unit->cfg.gpccr = gpccr;
    unit->cfg.gptbr = gptbr;
    decode_registers(unit);
}

uint64_t gpc_gpccr(const struct gpc_unit *unit)
{
    return unit->cfg.gpccr;
}

uint64_t gpc_gptbr(const struct gpc_unit *unit)
{
    return unit->cfg.gptbr;
}

const struct mem_port *gpc_port(const struct gpc_unit *unit)
{
    return &unit->port;
}

bool gpc_geometry(const struct gpc_unit *unit, struct gpt_geometry *g)
{
    return gpccr_pps_bits(unit->cfg.gpccr, &g->t) && gpccr_l0gptsz_bits(unit->cfg.gpccr, &g->s) &&
           gpccr_pgs_bits(unit->cfg.gpccr, &g->p);
}

struct gpi_features gpc_gpi_features(const struct gpc_unit *unit)
{
    struct gpi_features f = {unit->cfg.feat_sel2,
                             unit->cfg.feat_gpc2 && (unit->cfg.gpccr & GPCCR_NSO)};
    return f;
}

struct gpc_stats gpc_get_stats(const struct gpc_unit *unit)
{
    return unit->stats;
}

const char *gpc_fault_kind_name(enum gpc_fault_kind kind)
{
    switch (kind) {
    case GPC_OK:
        return "ok";
    case GPC_FAULT_GPF:
        return "gpf";
    case GPC_FAULT_WALK:
        return "gpt_walk_fault";
    case GPC_FAULT_ADDR_SIZE:
        return "gpt_address_size_fault";
    case GPC_FAULT_EABT:
        return "sea";
    }
    return "?";
}

/* ---- GPT cache ---------------------------------------------------------------------------- */

static unsigned set_of(const struct gpc_unit *u, uint64_t pa, unsigned p)
{
    return (unsigned)(u->sets_pow2 ? (pa >> p) & (u->sets - 1) : (pa >> p) % u->sets);
}

static struct cache_entry *cache_lookup(struct gpc_unit *u, uint64_t pa, unsigned p)
{
    if (!u->cache)
        return NULL;
    struct cache_entry *set = &u->cache[set_of(u, pa, p) * u->ways];
    for (unsigned w = 0; w < u->ways; w++)
        if (set[w].valid && pa - set[w].base < set[w].size) {
            set[w].lru = ++u->tick;
            return &set[w];
        }
    return NULL;
}

static void cache_fill(struct gpc_unit *u, uint64_t pa, unsigned p, uint64_t size, unsigned gpi,
                       unsigned level)
{
    if (!u->cache)
        return;
    struct cache_entry *set = &u->cache[set_of(u, pa, p) * u->ways], *victim = &set[0];
    for (unsigned w = 0; w < u->ways; w++) {
        if (!set[w].valid) {
            victim = &set[w];
            break;
        }
        if (set[w].lru < victim->lru)
            victim = &set[w];
    }
    *victim =
        (struct cache_entry){true, pa & ~(size - 1), size, (uint8_t)gpi, (uint8_t)level, ++u->tick};
}

void gpc_tlbi_paall(struct gpc_unit *unit)
{
    if (unit->cache)
        for (unsigned i = 0; i < unit->sets * unit->ways; i++)
            if (unit->cache[i].valid) {
                unit->cache[i].valid = false;
                unit->stats.invalidations++;
            }
}

uint64_t gpc_tlbi_rpa_operand(uint64_t pa, uint64_t size_bytes)
{
    static const uint64_t sizes[10] = {4ull << 10,  16ull << 10,  64ull << 10, 2ull << 20,
                                       32ull << 20, 512ull << 20, 1ull << 30,  16ull << 30,
                                       64ull << 30, 512ull << 30};
    uint64_t code = 0;
    for (unsigned i = 0; i < 10; i++)
        if (sizes[i] == size_bytes)
            code = i;
    return ((pa >> 12) & GPTBR_BADDR_MASK) | (code << 44);
}

bool gpc_tlbi_rpa_range(const struct gpc_unit *unit, uint64_t xt, uint64_t *base, uint64_t *size)
{
    /* SIZE [47:44] (C5.5.27): reserved encodings require no invalidation. */
    static const uint64_t sizes[10] = {4ull << 10,  16ull << 10,  64ull << 10, 2ull << 20,
                                       32ull << 20, 512ull << 20, 1ull << 30,  16ull << 30,
                                       64ull << 30, 512ull << 30};
    unsigned code = (unsigned)((xt >> 44) & 0xF), p;
    if (code > 9 || !gpccr_pgs_bits(unit->cfg.gpccr, &p))
        return false;
    uint64_t granule = 1ull << p;
    *size = sizes[code] < granule ? granule : sizes[code]; /* raised to PGS */
    /* The address is in units of 4KB, with the bits below the granule ignored. */
    *base = ((xt & GPTBR_BADDR_MASK) << 12) & ~(granule - 1);
    return !(*base & (*size - 1)); /* a misaligned base requires no invalidation */
}

unsigned gpc_tlbi_rpa(struct gpc_unit *unit, uint64_t xt, bool last_level)
{
    uint64_t base, size, granule = 1;
    unsigned p;
    (void)last_level; /* only leaf GPT information is cached, so RPAOS and RPALOS agree here */
    if (!unit->cache || !gpc_tlbi_rpa_range(unit, xt, &base, &size) ||
        !gpccr_pgs_bits(unit->cfg.gpccr, &p))
        return 0;
    granule <<= p;
    unsigned dropped = 0;
    for (unsigned i = 0; i < unit->sets * unit->ways; i++) {
        struct cache_entry *e = &unit->cache[i];
        if (!e->valid)
            continue;
        bool hit;
        if (e->size <= granule) /* a granule's entry: any overlap drops it */
            hit = e->base < base + size && base < e->base + e->size;
        else /* contiguous and level-0 block entries only by a covering range (R_SSKBB, R_YNKWN) */
            hit = base <= e->base && e->base + e->size <= base + size;
        if (hit) {
            e->valid = false;
            dropped++;
        }
    }
    unit->stats.invalidations += dropped;
    return dropped;
}

/* ---- the check ---------------------------------------------------------------------------- */

static bool registers_consistent(const struct gpc_unit *u, struct gpt_geometry *g)
{
    /* GPCRegistersConsistent: reserved PPS/PGS, PPS beyond the implemented PA size, SH = 01,
     * and non-cacheable GPT fetches that are not Outer Shareable. */
    uint64_t r = u->cfg.gpccr;
    unsigned sh = (r >> GPCCR_SH_SHIFT) & 3, irgn = (r >> GPCCR_IRGN_SHIFT) & 3,
             orgn = (r >> GPCCR_ORGN_SHIFT) & 3;
    if (!gpc_geometry(u, g) || g->t > u->cfg.pa_range_bits)
        return false;
    if (sh == 1)
        return false;
    if (irgn == GPCCR_RGN_NC && orgn == GPCCR_RGN_NC && sh != GPCCR_SH_OUTER)
        return false;
    return true;
}

static void fault(struct gpc_result *out, enum gpc_fault_kind kind, unsigned level)
{
    out->kind = kind;
    out->gpt_level = (uint8_t)level;
}

static bool fetch(struct gpc_unit *u, uint64_t pa, uint64_t *desc, struct gpc_result *out)
{
    unsigned n = out->fetches++;
    u->stats.fetches++;
    /* GPT reads: Root PAS, 8 bytes, not themselves GPC-checked (D9.5) */
    *desc = 0;
    bool ok = mem_read(&u->port, pa, RME_PAS_ROOT, 8, desc, &out->cycles) == MEM_OK;
    out->fetch_pa[n] = pa;
    out->fetch_desc[n] = *desc;
    return ok;
}

void gpc_check(struct gpc_unit *u, uint64_t pa, enum rme_pas pas, enum rme_sec_state ss,
               struct gpc_result *out)
{
    struct gpt_geometry g;
    memset(out, 0, sizeof(*out));
    uint64_t r = u->cfg.gpccr;
    if (!(r & GPCCR_GPC))
        return; /* GPC disabled: no check, no fault, no GPT access (and none counted) */
    u->stats.checks++;
    /* Priority 1: configuration (decoded when GPCCR_EL3 was written) */
    g = u->geometry;
    if (!u->consistent) {
        fault(out, GPC_FAULT_WALK, 0);
        goto done;
    }
    /* Priority 2: PAS disable (FEAT_RME_GPC2). Root cannot be disabled. */
    if (u->cfg.feat_gpc2 &&
        ((pas == RME_PAS_SECURE && (r & GPCCR_SPAD)) || (pas == RME_PAS_NS && (r & GPCCR_NSPAD)) ||
         (pas == RME_PAS_REALM && (r & GPCCR_RLPAD)))) {
        fault(out, GPC_FAULT_GPF, 0);
        goto done;
    }
    /* Priority 3: above PPS. Non-secure passes (and every PAS with APPSAA). */
    if (pa >> g.t) {
        if (!(pas == RME_PAS_NS || (u->cfg.feat_gpc2 && (r & GPCCR_APPSAA))))
            fault(out, GPC_FAULT_GPF, 0);
        goto done;
    }
    /* The GPT cache holds walk results that are valid for this configuration. */
    if (u->cache) {
        out->cycles += u->cfg.cache_hit_cycles;
        out->cache_lookup = true;
        struct cache_entry *e = cache_lookup(u, pa, g.p);
        if (e) {
            u->stats.cache_hits++;
            out->cache_hit = true;
            out->gpi = e->gpi;
            out->gpi_found = true;
            out->gpt_level = e->level;
            out->cover_bits = (uint8_t)__builtin_ctzll(e->size);
            if (!gpi_permits(e->gpi, pas, ss))
                out->kind = GPC_FAULT_GPF;
            goto done;
        }
        u->stats.cache_misses++;
    }
    u->stats.walks++;
    /* Priority 4: the level-0 table base above PPS */
    uint64_t base = gptbr_base(u->cfg.gptbr);
    if (base >> g.t) {
        fault(out, GPC_FAULT_ADDR_SIZE, 0);
        goto done;
    }
    /* Low bits of the base are treated as zero: x = max(t - s + 3, 12) (GPTWalk). */
    unsigned x = g.t > g.s ? g.t - g.s + 3 : 3;
    if (x < 12)
        x = 12;
    base &= ~((1ull << x) - 1);
    struct gpi_features feats = gpc_gpi_features(u);
    uint64_t l0;
    if (!fetch(u, base + 8 * gpt_l0_index(&g, pa), &l0, out)) { /* priority 5 */
        fault(out, GPC_FAULT_EABT, 0);
        goto done;
    }
    if (!gpt_l0_desc_valid(l0, &g, &feats)) { /* priority 6 */
        fault(out, GPC_FAULT_WALK, 0);
        goto done;
    }
    unsigned gpi, level;
    uint64_t cover;
    if ((l0 & GPT_L0_TYPE_MASK) == GPT_L0_BLOCK) {
        gpi = (l0 >> 4) & 0xF;
        level = 0;
        cover = 1ull << g.s;
    } else {
        uint64_t l1_base = l0 & 0x000FFFFFFFFFF000ull;
        if (l1_base >> g.t) { /* priority 7 */
            fault(out, GPC_FAULT_ADDR_SIZE, 0);
            goto done;
        }
        uint64_t l1;
        if (!fetch(u, l1_base + 8 * gpt_l1_index(&g, pa), &l1, out)) { /* priority 9 */
            fault(out, GPC_FAULT_EABT, 1);
            goto done;
        }
        if (!gpt_l1_desc_valid(l1, &feats)) { /* priority 10 */
            fault(out, GPC_FAULT_WALK, 1);
            goto done;
        }
        gpi = gpt_l1_gpi(l1, &g, pa);
        level = 1;
        cover = (l1 & 0xF) == GPT_L1_CONTIG ? gpt_contig_bytes((l1 >> 8) & 3) : 1ull << g.p;
    }
    out->gpi = (uint8_t)gpi;
    out->gpi_found = true;
    out->gpt_level = (uint8_t)level;
    out->cover_bits = (uint8_t)__builtin_ctzll(cover);
    cache_fill(u, pa, g.p, cover, gpi, level);
    if (!gpi_permits(gpi, pas, ss)) /* priorities 8 and 11 */
        out->kind = GPC_FAULT_GPF;
done:
    if (out->kind != GPC_OK)
        u->stats.faults++;
}
