#include "realm/guest.h"

#include <stdlib.h>
#include <string.h>

#include "rmm/rsi.h"

#define PAGE 4096ull

/* Stage-1 descriptor bits (Arm ARM D8.3) */
#define D_VALID 1ull
#define D_TABLE 3ull
#define D_BLOCK 1ull
#define D_PAGE 3ull
#define D_ATTR(i) ((uint64_t)(i) << 2)
#define D_RO (1ull << 7)
#define D_SH_INNER (3ull << 8)
#define D_AF (1ull << 10)
#define D_PXN (1ull << 53)
#define D_UXN (1ull << 54)

/* registers the model's instructions use (ESR.SRT names them) */
#define REG_DATA 2 /* stores write from X2 */
#define REG_LOAD 3 /* loads land in X3 */

void guest_program_free(struct guest_program *p)
{
    free(p->ops);
    memset(p, 0, sizeof(*p));
}

static struct guest_op *emit(struct guest_program *p, enum guest_op_kind kind)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        struct guest_op *ops = realloc(p->ops, cap * sizeof(*ops));
        if (!ops) {
            p->out_of_memory = true;
            return NULL;
        }
        p->ops = ops;
        p->cap = cap;
    }
    struct guest_op *op = &p->ops[p->n++];
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    p->insns++;
    p->run_open = false;
    return op;
}

/* A store of value | X[or_reg] (or_reg 0: value alone). One that continues the run the last
 * store began (the next `size` bytes, the value moved on by the same step) joins it: the same
 * instructions, stored once. */
static bool store_or(struct guest_program *p, uint64_t va, unsigned size, uint64_t value,
                     unsigned or_reg)
{
    struct guest_op *last = p->run_open ? &p->ops[p->n - 1] : NULL;
    if (last && last->size == size && last->or_reg == or_reg && last->repeat < UINT32_MAX) {
        uint64_t k = (uint64_t)last->repeat + 1;
        bool joins = last->repeat ? va == last->va + k * last->va_step &&
                                        value == last->value + k * last->value_step
                                  : va == last->va + size;
        if (joins) {
            if (!last->repeat) {
                last->va_step = size;
                last->value_step = value - last->value;
            }
            last->repeat++;
            p->insns++;
            return true;
        }
    }
    struct guest_op *op = emit(p, GOP_STORE);
    if (!op)
        return false;
    op->va = va;
    op->size = size;
    op->value = value;
    op->reg = REG_DATA;
    op->or_reg = or_reg;
    p->run_open = true;
    return true;
}

static bool store(struct guest_program *p, uint64_t va, unsigned size, uint64_t value)
{
    return store_or(p, va, size, value, 0);
}

static bool msr(struct guest_program *p, enum guest_sysreg r, uint64_t v)
{
    struct guest_op *op = emit(p, GOP_MSR);
    if (!op)
        return false;
    op->sysreg = r;
    op->value = v;
    return true;
}

void guest_init(struct guest *g, const struct guest_config *cfg)
{
    memset(g, 0, sizeof(*g));
    g->cfg = *cfg;
    uint64_t image_end = cfg->image_ipa + cfg->image_size;
    g->next_page = image_end > cfg->ram_ipa && image_end <= cfg->ram_ipa + cfg->ram_size
                       ? (image_end + PAGE - 1) & ~(PAGE - 1)
                       : cfg->ram_ipa;
}

void guest_free(struct guest *g)
{
    free(g->tables);
    g->tables = NULL;
    g->n_tables = g->cap_tables = 0;
}

uint64_t guest_linear_va(const struct guest *g, uint64_t ipa)
{
    return g->cfg.linear_map + (ipa - g->cfg.ram_ipa);
}

/* Where the kernel writes a table: through its linear map, or at the IPA with the MMU off. */
static uint64_t table_va(const struct guest *g, uint64_t ipa)
{
    return g->mmu_on ? guest_linear_va(g, ipa) : ipa;
}

/* A new table page from its RAM, cleared as pgtable_alloc does (it cannot assume a granule the
 * host gave it is zero: A2.2.4). */
static uint64_t new_table(struct guest *g, struct guest_program *p)
{
    if (g->next_page + PAGE > g->cfg.ram_ipa + g->cfg.ram_size)
        return 0;
    uint64_t ipa = g->next_page;
    g->next_page += PAGE;
    for (uint64_t off = 0; off < PAGE; off += 8)
        if (!store(p, table_va(g, ipa) + off, 8, 0))
            return 0;
    return ipa;
}

static unsigned shift(int level)
{
    return 12u + 9u * (unsigned)(3 - level);
}

/* The table at `level` that serves va, created (and linked from its parent) when missing. */
static uint64_t table_for(struct guest *g, struct guest_program *p, uint64_t va, int level)
{
    int half = (va >> 63) ? 1 : 0;
    if (level == 0)
        return g->roots[half];
    uint64_t key =
        (va & ~((1ull << shift(level - 1)) - 1) & 0x0000FFFFFFFFFFFFull) | ((uint64_t)half << 63);
    /* consecutive pages mostly share their table: try the last one found first */
    if (g->last_table < g->n_tables && g->tables[g->last_table].level == level &&
        g->tables[g->last_table].va == key)
        return g->tables[g->last_table].ipa;
    for (size_t i = 0; i < g->n_tables; i++)
        if (g->tables[i].level == level && g->tables[i].va == key) {
            g->last_table = i;
            return g->tables[i].ipa;
        }
    uint64_t parent = table_for(g, p, va, level - 1);
    if (!parent)
        return 0;
    if (g->n_tables == g->cap_tables) {
        size_t cap = g->cap_tables ? 2 * g->cap_tables : 64;
        struct guest_table *t = realloc(g->tables, cap * sizeof(*t));
        if (!t) {
            p->out_of_memory = true; /* this process's memory, not the guest's RAM */
            return 0;
        }
        g->tables = t;
        g->cap_tables = cap;
    }
    uint64_t t = new_table(g, p);
    if (!t)
        return 0;
    g->tables[g->n_tables].level = level;
    g->tables[g->n_tables].va = key;
    g->tables[g->n_tables++].ipa = t;
    uint64_t idx = (va >> shift(level - 1)) & 511;
    if (!store(p, table_va(g, parent) + 8 * idx, 8, t | D_TABLE))
        return 0;
    return t;
}

/* __cpu_setup and __enable_mmu: T0SZ = T1SZ = 16 (48-bit VAs), 4KB granules, inner shareable
 * write-back walks, IPS 48 bits; TLBI VMALLE1 before SCTLR_EL1.M */
static bool enable_mmu(struct guest *g, struct guest_program *p)
{
    uint64_t tcr = 16 | (16ull << 16) | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 24) |
                   (1ull << 26) | (3ull << 28) | (2ull << 30) | (5ull << 32);
    return msr(p, GSR_MAIR, GUEST_MAIR) && msr(p, GSR_TCR, tcr) && msr(p, GSR_TTBR0, g->roots[0]) &&
           msr(p, GSR_TTBR1, g->roots[1]) && msr(p, GSR_VBAR, GUEST_VBAR) && emit(p, GOP_TLBI) &&
           msr(p, GSR_SCTLR, 1);
}

bool guest_boot(struct guest *g, struct guest_program *p)
{
    g->roots[0] = new_table(g, p);
    g->roots[1] = new_table(g, p);
    if (!g->roots[0] || !g->roots[1])
        return false;
    /* the linear map of RAM, page by page: a realm's kernel keeps its linear map at page
     * granularity so that set_memory_{en,de}crypted can change single pages (arm64
     * can_set_direct_map() is true for realms) */
    if (!guest_map(g, p, g->cfg.linear_map, g->cfg.ram_ipa, g->cfg.ram_size, GUEST_MAP_LINEAR))
        return false;
    if (!enable_mmu(g, p))
        return false;
    g->mmu_on = true;
    return true;
}

bool guest_secondary_boot(struct guest *g, struct guest_program *p)
{
    return g->roots[0] && enable_mmu(g, p);
}

bool guest_rsi(struct guest_program *p, uint64_t fid, const uint64_t *args, unsigned n)
{
    struct guest_op *op = emit(p, GOP_SMC);
    if (!op || n > 10)
        return false;
    op->args[0] = fid;
    for (unsigned i = 0; i < n; i++)
        op->args[i + 1] = args[i];
    op->primary = true; /* the step is about this call */
    return true;
}

/* arm64_rsi_init's config buffer: a page-aligned buffer in its own (protected) memory; the
 * call, then ipa_width loaded into Xreg (the status stays in X0) */
static bool realm_config_into(struct guest *g, struct guest_program *p, unsigned reg)
{
    if (!g->config_page) {
        if (g->next_page + PAGE > g->cfg.ram_ipa + g->cfg.ram_size)
            return false;
        g->config_page = g->next_page;
        g->next_page += PAGE;
    }
    uint64_t arg = g->config_page;
    if (!guest_rsi(p, RSI_REALM_CONFIG, &arg, 1))
        return false;
    struct guest_op *op = emit(p, GOP_LOAD);
    if (!op)
        return false;
    op->va = table_va(g, g->config_page) + RSI_CONFIG_IPA_WIDTH;
    op->size = 8;
    op->reg = reg;
    return true;
}

bool guest_realm_config(struct guest *g, struct guest_program *p)
{
    return realm_config_into(g, p, 1);
}

/* An RSI call over [base, top) that Linux issues again from the returned top (X1) while the
 * call succeeded with X2 == again_x2 and stopped short of top */
static struct guest_op *range_call(struct guest_program *p, uint64_t fid, uint64_t base,
                                   uint64_t top, uint64_t again_x2)
{
    struct guest_op *smc = emit(p, GOP_SMC);
    if (!smc)
        return NULL;
    smc->args[0] = fid;
    smc->args[1] = base;
    smc->args[2] = top;
    smc->loop_top = top;
    smc->loop_x2 = again_x2;
    return smc;
}

/* rsi_set_memory_range: RSI_IPA_STATE_SET until the RMM has accepted all of [base, top) */
static bool ipa_state_set(struct guest_program *p, uint64_t base, uint64_t top, uint64_t ripas,
                          uint64_t flags)
{
    struct guest_op *smc = range_call(p, RSI_IPA_STATE_SET, base, top, RSI_ACCEPT);
    if (!smc)
        return false;
    smc->args[3] = ripas;
    smc->args[4] = flags;
    return true;
}

/* RsiRipasChangeFlags (RMM 1.0 B5.4): bit 0 clear, DESTROYED granules keep their RIPAS; the
 * value Linux's rsi_smc.h names RSI_NO_CHANGE_DESTROYED */
#define RSI_NO_CHANGE_DESTROYED 0ull
#define REG_IPA_WIDTH 19 /* a callee-saved register: the RSI calls after it clobber X0..X8 */

/* CBNZ Xreg over what follows, its offset filled in once that is emitted */
static struct guest_op *cbnz(struct guest_program *p, unsigned reg)
{
    struct guest_op *op = emit(p, GOP_CBNZ);
    if (op)
        op->reg = reg;
    return op;
}

bool guest_rsi_init(struct guest *g, struct guest_program *p)
{
    uint64_t version = RSI_ABI_VERSION;
    if (!guest_rsi(p, RSI_VERSION, &version, 1) || !cbnz(p, 0))
        return false;
    size_t version_check = p->n - 1, version_insn = p->insns - 1;
    if (!realm_config_into(g, p, REG_IPA_WIDTH) || !cbnz(p, 0))
        return false;
    size_t config_check = p->n - 1, config_insn = p->insns - 1;
    /* arm64_rsi_setup_memory: for_each_mem_range, here the one memory node (its RAM) */
    if (!ipa_state_set(p, g->cfg.ram_ipa, g->cfg.ram_ipa + g->cfg.ram_size, RSI_RIPAS_RAM,
                       RSI_NO_CHANGE_DESTROYED))
        return false;
    /* skips count instructions (a run of stores is several) */
    p->ops[version_check].skip = (unsigned)(p->insns - version_insn - 1);
    p->ops[config_check].skip = (unsigned)(p->insns - config_insn - 1);
    return true;
}

enum guest_rsi_init_result guest_rsi_init_done(struct guest *g, const uint64_t gprs[31])
{
    if (!gprs[REG_IPA_WIDTH]) /* a CBNZ returned before ipa_width was read */
        return GUEST_RSI_ABSENT;
    guest_realm_config_done(g, RSI_SUCCESS, gprs[REG_IPA_WIDTH]);
    /* rsi_set_memory_range's last call: success, accepted, and its top the range's */
    bool ram = gprs[0] == RSI_SUCCESS && gprs[2] == RSI_ACCEPT &&
               gprs[1] == g->cfg.ram_ipa + g->cfg.ram_size;
    return ram ? GUEST_RSI_PRESENT : GUEST_RSI_PANICKED;
}

bool guest_host_call(struct guest *g, struct guest_program *p, uint16_t imm, const uint64_t *gprs,
                     unsigned n)
{
    if (!g->host_call_page) {
        if (g->next_page + PAGE > g->cfg.ram_ipa + g->cfg.ram_size)
            return false;
        g->host_call_page = g->next_page;
        g->next_page += PAGE;
    }
    uint64_t va = table_va(g, g->host_call_page);
    if (!store(p, va + RSI_HOST_CALL_IMM, 8, imm))
        return false;
    for (unsigned i = 0; i < 31; i++)
        if (!store(p, va + RSI_HOST_CALL_GPRS + 8 * i, 8, i < n ? gprs[i] : 0))
            return false;
    uint64_t arg = g->host_call_page;
    if (!guest_rsi(p, RSI_HOST_CALL, &arg, 1))
        return false;
    struct guest_op *op = emit(p, GOP_LOAD);
    if (!op)
        return false;
    op->va = va + RSI_HOST_CALL_GPRS;
    op->size = 8;
    op->reg = REG_LOAD;
    return true;
}

void guest_realm_config_done(struct guest *g, uint64_t x0, uint64_t x1)
{
    if (x0 == RSI_SUCCESS && x1 >= 2 && x1 <= 64) {
        g->ipa_bits = (unsigned)x1;
        g->prot_ns_shared = 1ull << (x1 - 1);
    }
}

/* the leaf entries, each stored as desc | X[or_reg] when or_reg is set (a pgprot the kernel
 * chose at run time) */
static bool map_pages(struct guest *g, struct guest_program *p, uint64_t va, uint64_t ipa,
                      uint64_t size, unsigned attrs, unsigned or_reg)
{
    for (uint64_t off = 0; off < size; off += PAGE) {
        uint64_t l3 = table_for(g, p, va + off, 3);
        if (!l3)
            return false;
        uint64_t d = ((ipa + off) & 0x0000FFFFFFFFF000ull) | D_AF | D_PAGE;
        d |= (attrs & GUEST_MAP_DEVICE) ? D_ATTR(GUEST_ATTR_DEVICE) | D_PXN | D_UXN
                                        : D_ATTR(GUEST_ATTR_NORMAL) | D_SH_INNER;
        if (attrs & GUEST_MAP_LINEAR)
            d |= D_UXN;
        if (attrs & GUEST_MAP_RO)
            d |= D_RO;
        if (attrs & GUEST_MAP_XN)
            d |= D_PXN | D_UXN;
        if (!store_or(p, table_va(g, l3) + 8 * (((va + off) >> 12) & 511), 8, d, or_reg))
            return false;
    }
    return true;
}

bool guest_map(struct guest *g, struct guest_program *p, uint64_t va, uint64_t ipa, uint64_t size,
               unsigned attrs)
{
    return map_pages(g, p, va, ipa, size, attrs, 0);
}

/* RIPAS DEV: Linux's enum ripas (rsi_cmds.h) has it for RMM 1.1 devices; RMM 1.0 never
 * reports it, so under RMM 1.0 every probe ends in the unprotected alias */
#define RSI_RIPAS_DEV 3ull

enum guest_ioremap_result guest_ioremap(struct guest *g, struct guest_program *p, uint64_t pa,
                                        uint64_t size, uint64_t va)
{
    if (g->cfg.ioremap_seed) /* the seed patch: every ioremap shared with the host */
        return guest_map(g, p, va, pa | g->prot_ns_shared, size, GUEST_MAP_DEVICE)
                   ? GUEST_IOREMAP_MAPPED
                   : GUEST_IOREMAP_FAILED;
    /* ioremap_prot (arch/arm64/mm/ioremap.c): WARN_ON(pfn_is_map_memory(pfn)) returns NULL */
    if (pa - g->cfg.ram_ipa < g->cfg.ram_size)
        return GUEST_IOREMAP_REFUSED;
    if (!g->prot_ns_shared) /* not a realm (no rsi_present): no hook, the address as it is */
        return guest_map(g, p, va, pa, size, GUEST_MAP_DEVICE) ? GUEST_IOREMAP_MAPPED
                                                               : GUEST_IOREMAP_FAILED;
    /* realm_ioremap_hook -> __arm64_is_protected_mmio over the granules of the range */
    uint64_t base = pa & ~(PAGE - 1), end = (pa + size + PAGE - 1) & ~(PAGE - 1);
    struct guest_op *choose =
        range_call(p, RSI_IPA_STATE_GET, base, end, RSI_RIPAS_DEV) ? emit(p, GOP_CSEL) : NULL;
    if (!choose)
        return GUEST_IOREMAP_FAILED;
    choose->reg = GUEST_IOREMAP_PROT_REG;
    choose->value = g->prot_ns_shared;
    choose->loop_top = end;
    choose->loop_x2 = RSI_RIPAS_DEV;
    return map_pages(g, p, va, pa, size, GUEST_MAP_DEVICE, GUEST_IOREMAP_PROT_REG)
               ? GUEST_IOREMAP_MAPPED
               : GUEST_IOREMAP_FAILED;
}

/* the linear-map PTE of an IPA of RAM: where it lives and what it holds */
static bool linear_pte(struct guest *g, struct guest_program *p, uint64_t ipa, uint64_t *at,
                       uint64_t *desc)
{
    uint64_t va = guest_linear_va(g, ipa), l3 = table_for(g, p, va, 3);
    if (!l3)
        return false;
    *at = table_va(g, l3) + 8 * ((va >> 12) & 511);
    *desc = (ipa & 0x0000FFFFFFFFF000ull) | D_AF | D_PAGE | D_ATTR(GUEST_ATTR_NORMAL) | D_SH_INNER |
            D_UXN;
    return true;
}

bool guest_share(struct guest *g, struct guest_program *p, uint64_t ipa, uint64_t size, bool share)
{
    ipa &= ~(PAGE - 1);
    size = (size + PAGE - 1) & ~(PAGE - 1);
    uint64_t at, desc;
    for (uint64_t off = 0; off < size; off += PAGE) { /* break ... */
        if (!linear_pte(g, p, ipa + off, &at, &desc) || !store(p, at, 8, desc & ~D_VALID))
            return false;
        struct guest_op *op = emit(p, GOP_TLBI_VA);
        if (!op)
            return false;
        op->va = guest_linear_va(g, ipa + off);
    }
    if (!ipa_state_set(p, ipa, ipa + size, share ? RSI_RIPAS_EMPTY : RSI_RIPAS_RAM,
                       RSI_CHANGE_DESTROYED))
        return false;
    for (uint64_t off = 0; off < size; off += PAGE) { /* ... make */
        if (!linear_pte(g, p, ipa + off, &at, &desc))
            return false;
        uint64_t shared = share ? g->prot_ns_shared : 0;
        if (!store(p, at, 8, desc | shared))
            return false;
    }
    return true;
}

bool guest_tlbi(struct guest_program *p, enum guest_tlbi_scope scope, bool broadcast, uint64_t va,
                uint16_t asid)
{
    struct guest_op *op = emit(p, GOP_TLBI_EL1);
    if (!op)
        return false;
    op->tlbi_scope = scope;
    op->tlbi_broadcast = broadcast;
    op->va = va;
    op->asid = asid;
    op->primary = true;
    return true;
}

bool guest_access(struct guest_program *p, enum guest_op_kind kind, uint64_t va, unsigned size,
                  uint64_t value)
{
    struct guest_op *op = emit(p, kind);
    if (!op)
        return false;
    op->va = va;
    op->size = size;
    op->value = value;
    op->reg = kind == GOP_STORE ? REG_DATA : REG_LOAD;
    op->primary = true;
    return true;
}
