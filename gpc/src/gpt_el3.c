/* EL3's GPT library model (TF-A lib/gpt_rme behaviour; written from its documented behaviour). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "gpc/gpt_el3.h"
#include "gpc/regs.h"

static void log_op(struct gpt_op_log *log, enum gpt_op_kind kind, uint64_t addr, uint64_t value,
                   uint64_t size, enum rme_pas pas);

static bool overlaps(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
    return a < b + bsz && b < a + asz;
}

static uint64_t rd(const struct mem_port *port, uint64_t pa, uint64_t *cycles)
{
    uint64_t v = 0;
    mem_read(port, pa, RME_PAS_ROOT, 8, &v, cycles);
    return v;
}

static void wr(const struct mem_port *port, uint64_t pa, uint64_t v, uint64_t *cycles)
{
    mem_write(port, pa, RME_PAS_ROOT, 8, v, cycles);
}

static int validate(const struct gpt_build_params *p, const struct gpt_region *r, size_t n,
                    struct gpt_build_result *res)
{
    const struct gpt_geometry *g = &p->g;
    uint64_t pps = 1ull << g->t;
    for (size_t i = 0; i < n; i++) {
        res->bad_region = i;
        if (r[i].base + r[i].size < r[i].base)
            return -EOVERFLOW;
        if (r[i].base + r[i].size > pps || !gpi_valid(r[i].gpi, &p->features))
            return -EFAULT;
        uint64_t align = r[i].block ? 1ull << g->s : 1ull << g->p;
        if (r[i].size == 0 || ((r[i].base | r[i].size) & (align - 1)))
            return -EFAULT;
        for (size_t j = 0; j < i; j++)
            if (overlaps(r[i].base, r[i].size, r[j].base, r[j].size))
                return -EFAULT;
    }
    res->bad_region = SIZE_MAX;
    return 0;
}

/* Write the GPI of [base, base+size) into level-1 words, using contiguous descriptors where
 * the range covers a whole aligned block no larger than max_contig. */
static void write_l1_range(const struct mem_port *port, const struct gpt_build_params *p,
                           uint64_t l1, uint64_t base, uint64_t size, unsigned gpi)
{
    const struct gpt_geometry *g = &p->g;
    uint64_t word_span = 16ull << g->p, end = base + size, pa = base;
    while (pa < end) {
        uint64_t entry = l1 + 8 * gpt_l1_index(g, pa);
        unsigned contig = 0;
        for (unsigned c = 3; c >= 1; c--) {
            uint64_t bytes = gpt_contig_bytes(c);
            if (bytes <= p->max_contig && bytes > word_span && !(pa & (bytes - 1)) &&
                end - pa >= bytes) {
                contig = c;
                break;
            }
        }
        if (contig) {
            uint64_t bytes = gpt_contig_bytes(contig);
            for (uint64_t off = 0; off < bytes; off += word_span) /* the same word in every slot */
                wr(port, l1 + 8 * gpt_l1_index(g, pa + off), gpt_l1_contig_desc(gpi, contig), NULL);
            pa += bytes;
        } else if (!(pa & (word_span - 1)) && end - pa >= word_span) {
            wr(port, entry, gpt_l1_uniform_desc(gpi), NULL);
            pa += word_span;
        } else {
            unsigned slot = gpt_gpi_slot(g, pa);
            uint64_t w = rd(port, entry, NULL);
            w = (w & ~(0xFull << (4 * slot))) | ((uint64_t)gpi << (4 * slot));
            wr(port, entry, w, NULL);
            pa += 1ull << g->p;
        }
    }
}

int gpt_build(const struct mem_port *port, const struct gpt_build_params *p,
              const struct gpt_region *regions, size_t n, struct gpt_build_result *res)
{
    const struct gpt_geometry *g = &p->g;
    memset(res, 0, sizeof(*res));
    res->bad_region = SIZE_MAX;
    uint64_t l0_size = gpt_l0_table_size(g), l1_size = gpt_l1_table_size(g);
    uint64_t l0_align = l0_size > 4096 ? l0_size : 4096;
    if (p->l0_base == 0 || (p->l0_base & (l0_align - 1)) || p->l1_base & (l1_size - 1))
        return -EFAULT;
    int err = validate(p, regions, n, res);
    if (err)
        return err;
    /* The tables must live in memory the GPT itself marks Root (TF-A's design rule). */
    bool l0_root = false, l1_root = p->l1_size == 0;
    for (size_t i = 0; i < n; i++) {
        const struct gpt_region *r = &regions[i];
        if (r->gpi != GPI_ROOT)
            continue;
        l0_root |= p->l0_base >= r->base && p->l0_base + l0_size <= r->base + r->size;
        l1_root |= p->l1_base >= r->base && p->l1_base + p->l1_size <= r->base + r->size;
    }
    if (!l0_root || !l1_root)
        return -EFAULT;
    /* Every level-0 entry starts as Block-ANY (gpt_init_l0_tables). */
    for (uint64_t i = 0; i < l0_size / 8; i++)
        wr(port, p->l0_base + 8 * i, gpt_l0_block_desc(GPI_ANY), NULL);
    uint64_t l1_next = p->l1_base;
    for (size_t i = 0; i < n; i++) {
        const struct gpt_region *r = &regions[i];
        uint64_t l0_span = 1ull << g->s;
        for (uint64_t pa = r->base; pa < r->base + r->size;) {
            uint64_t l0e = p->l0_base + 8 * gpt_l0_index(g, pa);
            uint64_t chunk_end = (pa | (l0_span - 1)) + 1;
            if (chunk_end > r->base + r->size)
                chunk_end = r->base + r->size;
            if (r->block) {
                wr(port, l0e, gpt_l0_block_desc(r->gpi), NULL);
            } else {
                uint64_t desc = rd(port, l0e, NULL), l1;
                if ((desc & GPT_L0_TYPE_MASK) == GPT_L0_TABLE) {
                    l1 = desc & 0x000FFFFFFFFFF000ull;
                } else {
                    /* a new level-1 table, first all-ANY (gpt_init_pas_l1_tables) */
                    if (l1_next + l1_size > p->l1_base + p->l1_size) {
                        res->bad_region = i;
                        return -ENOMEM;
                    }
                    l1 = l1_next;
                    l1_next += l1_size;
                    res->l1_tables++;
                    for (uint64_t k = 0; k < l1_size / 8; k++)
                        wr(port, l1 + 8 * k, gpt_l1_uniform_desc(GPI_ANY), NULL);
                    wr(port, l0e, gpt_l0_table_desc(l1), NULL);
                }
                write_l1_range(port, p, l1, pa, chunk_end - pa, r->gpi);
            }
            pa = chunk_end;
        }
    }
    res->l1_used = l1_next - p->l1_base;
    return 0;
}

void gpt_enable_values(const struct gpt_build_params *p, unsigned l0gptsz_bits, bool feat_gpc2,
                       uint64_t *gpccr, uint64_t *gptbr)
{
    struct gpccr_fields f = {
        .pps_bits = p->g.t,
        .pgs_bytes = 1u << p->g.p,
        .l0gptsz_bits = l0gptsz_bits,
        .sh = GPCCR_SH_INNER,
        .irgn = GPCCR_RGN_WBRAWA,
        .orgn = GPCCR_RGN_WBRAWA,
        .gpc = true,
        .nso = feat_gpc2,
    };
    *gpccr = gpccr_encode(&f);
    *gptbr = (p->l0_base >> 12) & GPTBR_BADDR_MASK;
}

void gpt_enable(struct gpc_unit *unit, uint64_t gpccr, uint64_t gptbr, struct gpt_op_log *log)
{
    uint64_t off = gpccr & ~GPCCR_GPC;
    log_op(log, GPT_OP_WRITE_GPTBR, 0, gptbr, 0, RME_PAS_ROOT);
    log_op(log, GPT_OP_WRITE_GPCCR, 0, off, 0, RME_PAS_ROOT);
    gpc_set_registers(unit, off, gptbr);
    log_op(log, GPT_OP_ISB, 0, 0, 0, RME_PAS_ROOT);
    log_op(log, GPT_OP_TLBI_PAALLOS, 0, 0, 0, RME_PAS_ROOT);
    gpc_tlbi_paall(unit);
    log_op(log, GPT_OP_DSB, 0, 0, 0, RME_PAS_ROOT);
    log_op(log, GPT_OP_ISB, 0, 0, 0, RME_PAS_ROOT);
    log_op(log, GPT_OP_WRITE_GPCCR, 0, gpccr, 0, RME_PAS_ROOT);
    gpc_set_registers(unit, gpccr, gptbr);
    log_op(log, GPT_OP_ISB, 0, 0, 0, RME_PAS_ROOT);
    log_op(log, GPT_OP_TLBI_PAALLOS, 0, 0, 0, RME_PAS_ROOT);
    gpc_tlbi_paall(unit);
    log_op(log, GPT_OP_DSB, 0, 0, 0, RME_PAS_ROOT);
    log_op(log, GPT_OP_ISB, 0, 0, 0, RME_PAS_ROOT);
}

int gpt_rmm_code(int err)
{
    return err == 0 ? 0 : err == -EPERM ? -3 : -2;
}

/* ---- transitions --------------------------------------------------------------------------- */

static void log_op(struct gpt_op_log *log, enum gpt_op_kind kind, uint64_t addr, uint64_t value,
                   uint64_t size, enum rme_pas pas)
{
    if (log->n < GPT_OP_LOG_MAX)
        log->ops[log->n++] = (struct gpt_op){kind, addr, value, size, pas};
}

static void op_write(const struct gpt_transition_env *env, struct gpt_op_log *log, uint64_t addr,
                     uint64_t value)
{
    wr(gpc_port(env->unit), addr, value, &log->cycles);
    log_op(log, GPT_OP_WRITE, addr, value, 8, RME_PAS_ROOT);
}

static void op_dsb(const struct gpt_transition_env *env, struct gpt_op_log *log)
{
    log->cycles += env->costs.dsb;
    log_op(log, GPT_OP_DSB, 0, 0, 0, RME_PAS_ROOT);
}

static void op_tlbi(const struct gpt_transition_env *env, struct gpt_op_log *log, uint64_t pa,
                    uint64_t size)
{
    uint64_t xt = gpc_tlbi_rpa_operand(pa, size);
    gpc_tlbi_rpa(env->unit, xt, true);
    if (env->hook)
        env->hook(env->hook_ctx, xt);
    log->cycles += env->costs.tlbi;
    log_op(log, GPT_OP_TLBI_RPALOS, pa, xt, size, RME_PAS_ROOT);
}

static void op_cmo(const struct gpt_transition_env *env, struct gpt_op_log *log, uint64_t pa,
                   uint64_t size, enum rme_pas pas)
{
    log->cycles += env->costs.cmo_per_line * (size / 64); /* DC CIPAPA per cache line, then DSB */
    log_op(log, GPT_OP_CMO_POPA, pa, 0, size, pas);
    op_dsb(env, log);
}

static enum rme_pas pas_of_gpi(unsigned gpi)
{
    switch (gpi) {
    case GPI_SECURE:
        return RME_PAS_SECURE;
    case GPI_REALM:
        return RME_PAS_REALM;
    case GPI_ROOT:
        return RME_PAS_ROOT;
    default:
        return RME_PAS_NS;
    }
}

/* The transition policy by caller (TF-A gpi_config, gpt-gpc.md 8.2). */
static bool permitted(enum rme_sec_state caller, unsigned current, unsigned target, bool gpc2)
{
    switch (current) {
    case GPI_NS:
        return (caller == RME_SS_SECURE && target == GPI_SECURE) ||
               (caller == RME_SS_NS && target == GPI_NSO && gpc2) ||
               (caller == RME_SS_REALM && target == GPI_REALM);
    case GPI_SECURE:
        return caller == RME_SS_SECURE && target == GPI_NS;
    case GPI_REALM:
        return caller == RME_SS_REALM && target == GPI_NS;
    case GPI_NSO:
        return caller == RME_SS_NS && target == GPI_NS && gpc2;
    default:
        return false;
    }
}

/* Rewrite the contiguous block holding pa as granules words (for the 2MB part holding pa) and
 * 2MB contiguous words (for the rest), then drop cached copies with a TLBI of the whole block. */
static void shatter(const struct gpt_transition_env *env, const struct gpt_geometry *g, uint64_t l1,
                    uint64_t pa, uint64_t desc, struct gpt_op_log *log)
{
    unsigned contig = (desc >> 8) & 3, gpi = (desc >> 4) & 0xF;
    uint64_t bytes = gpt_contig_bytes(contig), block = pa & ~(bytes - 1);
    uint64_t word_span = 16ull << g->p, two_mb = 2ull << 20;
    for (uint64_t off = 0; off < bytes; off += word_span) {
        uint64_t at = block + off;
        bool in_target_2m = (at & ~(two_mb - 1)) == (pa & ~(two_mb - 1));
        uint64_t v =
            in_target_2m || contig == 1 ? gpt_l1_uniform_desc(gpi) : gpt_l1_contig_desc(gpi, 1);
        op_write(env, log, l1 + 8 * gpt_l1_index(g, at), v);
    }
    op_dsb(env, log);
    op_tlbi(env, log, block, bytes);
    op_dsb(env, log);
}

/* After a transition, fuse the 2MB block (and upwards) back into contiguous descriptors when it
 * is uniform. No TLBI: the GPIs do not change. */
static void fuse(const struct gpt_transition_env *env, const struct gpt_geometry *g, uint64_t l1,
                 uint64_t pa, struct gpt_op_log *log)
{
    uint64_t word_span = 16ull << g->p;
    const struct mem_port *port = gpc_port(env->unit);
    for (unsigned c = 1; c <= 3; c++) {
        uint64_t bytes = gpt_contig_bytes(c), block = pa & ~(bytes - 1);
        if (bytes > env->max_contig || bytes <= word_span || bytes > (1ull << g->s))
            return;
        uint64_t first = rd(port, l1 + 8 * gpt_l1_index(g, block), &log->cycles);
        unsigned gpi = (first & 0xF) == GPT_L1_CONTIG ? (first >> 4) & 0xF : first & 0xF;
        uint64_t sub = c == 1 ? word_span : gpt_contig_bytes(c - 1);
        for (uint64_t off = 0; off < bytes; off += sub) {
            uint64_t w = rd(port, l1 + 8 * gpt_l1_index(g, block + off), &log->cycles);
            bool uniform =
                c == 1 ? w == gpt_l1_uniform_desc(gpi) : w == gpt_l1_contig_desc(gpi, c - 1);
            if (!uniform)
                return;
        }
        for (uint64_t off = 0; off < bytes; off += word_span)
            op_write(env, log, l1 + 8 * gpt_l1_index(g, block + off), gpt_l1_contig_desc(gpi, c));
        op_dsb(env, log);
    }
}

int gpt_transition(const struct gpt_transition_env *env, uint64_t base, unsigned target,
                   enum rme_sec_state caller, struct gpt_op_log *log)
{
    struct gpt_geometry g;
    struct gpc_unit *u = env->unit;
    const struct mem_port *port = gpc_port(u);
    struct gpi_features feats = gpc_gpi_features(u);
    log->cycles += env->costs.base;
    if (!gpc_geometry(u, &g))
        return -EINVAL;
    uint64_t size = 1ull << g.p;
    if (!gpi_valid(target, &feats)) /* 2. target GPI */
        return -EPERM;
    /* 3. alignment and range; TF-A rejects base + size >= PPS, so the very last granule of the
     * protected space cannot be transitioned (kept on purpose, documented in docs/gpc.md). */
    if ((base & (size - 1)) || base + size >= (1ull << g.t))
        return -EINVAL;
    /* 4. the level-0 entry must be a table */
    uint64_t l0base = gptbr_base(gpc_gptbr(u));
    uint64_t l0 = rd(port, l0base + 8 * gpt_l0_index(&g, base), &log->cycles);
    if ((l0 & GPT_L0_TYPE_MASK) != GPT_L0_TABLE)
        return -EINVAL;
    uint64_t l1 = l0 & 0x000FFFFFFFFFF000ull, entry = l1 + 8 * gpt_l1_index(&g, base);
    uint64_t desc = rd(port, entry, &log->cycles); /* 5. */
    unsigned current = gpt_l1_gpi(desc, &g, base);
    bool gpc2 = feats.nso;
    if (!permitted(caller, current, target, gpc2)) /* 6. */
        return -EPERM;
    if ((desc & 0xF) == GPT_L1_CONTIG) { /* 7. shatter first */
        shatter(env, &g, l1, base, desc, log);
        desc = rd(port, entry, &log->cycles);
    }
    unsigned shift = 4 * gpt_gpi_slot(&g, base);
    uint64_t mask = 0xFull << shift;
#define SET_GPI(gpi) (desc = (desc & ~mask) | ((uint64_t)(gpi) << shift))
    if ((current == GPI_NS && target == GPI_NSO) || (current == GPI_NSO && target == GPI_NS)) {
        SET_GPI(target);
        op_write(env, log, entry, desc);
        op_dsb(env, log);
        op_tlbi(env, log, base, size);
        op_dsb(env, log);
    } else if (current == GPI_NS) {                       /* delegate */
        op_cmo(env, log, base, size, pas_of_gpi(target)); /* drop speculative target-PAS lines */
        SET_GPI(target);
        op_write(env, log, entry, desc);
        op_dsb(env, log);
        op_tlbi(env, log, base, size);
        op_dsb(env, log);
        op_cmo(env, log, base, size, RME_PAS_NS); /* push dirty NS data past the PoPA */
    } else {                                      /* undelegate: cut the old world off first */
        SET_GPI(GPI_NO_ACCESS);
        op_write(env, log, entry, desc);
        op_dsb(env, log);
        op_tlbi(env, log, base, size);
        op_dsb(env, log);
        op_cmo(env, log, base, size, pas_of_gpi(current));
        op_cmo(env, log, base, size, pas_of_gpi(target));
        SET_GPI(target);
        op_write(env, log, entry, desc);
        op_dsb(env, log);
        op_tlbi(env, log, base, size);
        op_dsb(env, log);
    }
#undef SET_GPI
    fuse(env, &g, l1, base, log);
    return 0;
}

int gpt_write_gpi(struct gpc_unit *u, uint64_t pa, unsigned gpi, uint64_t *cycles)
{
    struct gpt_geometry g;
    const struct mem_port *port = gpc_port(u);
    if (!gpc_geometry(u, &g) || pa >> g.t)
        return -EINVAL;
    uint64_t l0 = rd(port, gptbr_base(gpc_gptbr(u)) + 8 * gpt_l0_index(&g, pa), cycles);
    if ((l0 & GPT_L0_TYPE_MASK) != GPT_L0_TABLE)
        return -EINVAL;
    uint64_t entry = (l0 & 0x000FFFFFFFFFF000ull) + 8 * gpt_l1_index(&g, pa);
    uint64_t desc = rd(port, entry, cycles);
    if ((desc & 0xF) == GPT_L1_CONTIG)
        desc = gpt_l1_uniform_desc((desc >> 4) & 0xF); /* only this word stops being contiguous */
    unsigned shift = 4 * gpt_gpi_slot(&g, pa);
    desc = (desc & ~(0xFull << shift)) | ((uint64_t)gpi << shift);
    wr(port, entry, desc, cycles);
    return 0;
}
