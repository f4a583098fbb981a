/* One walker for every regime and both stages (Arm ARM D8.2, D8.3, D8.4; ASL AArch64.S1Walk,
 * AArch64.S2Walk). Regime differences live in struct mmu_regime. */
#include <string.h>

#include "gpc/gpt_desc.h"
#include "gpc/report.h"
#include "mmu/mmu.h"
#include "mmu/tlb.h"

extern const char *mmu_fault_name_table[];

const char *mmu_fault_name(enum mmu_fault f)
{
    return (unsigned)f <= MMU_FAULT_SEA ? mmu_fault_name_table[f] : "?";
}

/* The outcome of one stage. */
struct stage_result {
    enum mmu_fault fault;
    unsigned stage; /* the stage whose walk or descriptor faulted */
    int level;
    bool on_walk, s1ptw;
    uint64_t out;       /* output address */
    enum rme_pas pas;   /* output PAS */
    uint64_t desc;      /* leaf descriptor */
    uint64_t fault_ipa; /* for S1PTW: the IPA of the stage-1 table */
    struct gpc_result gpc;
};

struct walker {
    const struct mmu_regime *r;
    const struct mmu_env *env;
    struct rme_access *a;
};

static unsigned stride(const struct mmu_stage *s)
{
    return s->granule_bits - 3;
}

/* The level a walk of inputsize bits starts at: enough levels to resolve the bits above the page
 * offset, with the first level taking what is left (D8.2.3). */
static int s1_start_level(const struct mmu_stage *s, unsigned inputsize)
{
    unsigned bits = inputsize - s->granule_bits, st = stride(s);
    unsigned levels = (bits + st - 1) / st;
    return 4 - (int)levels;
}

static unsigned level_shift(const struct mmu_stage *s, int level)
{
    return s->granule_bits + (unsigned)(3 - level) * stride(s);
}

/* log2 of the bytes a leaf descriptor maps as one: its block or page, times the run of entries
 * the Contiguous bit (bit 52) declares (D8.6.1: 16 entries at every level of the 4KB granule;
 * 128 at level 3 and 32 at level 2 of 16KB; 32 at levels 2 and 3 of 64KB). The TLB uses it as
 * the hint it is: one entry for the run. */
static unsigned leaf_span_bits(const struct mmu_stage *s, int level, uint64_t desc)
{
    unsigned bits = level_shift(s, level);
    if (!(desc & (1ull << 52)))
        return bits;
    switch (s->granule_bits) {
    case 12:
        return bits + 4;
    case 14:
        return bits + (level == 3 ? 7 : level == 2 ? 5 : 0);
    default:
        return bits + (level >= 2 ? 5 : 0);
    }
}

static enum mmu_fault gpc_fault_class(enum gpc_fault_kind k)
{
    switch (k) {
    case GPC_FAULT_GPF:
        return MMU_FAULT_GPF;
    case GPC_FAULT_WALK:
        return MMU_FAULT_GPT_WALK;
    case GPC_FAULT_ADDR_SIZE:
        return MMU_FAULT_GPT_ADDRESS_SIZE;
    default:
        return MMU_FAULT_SEA;
    }
}

static struct stage_result walk_stage(struct walker *w, const struct mmu_stage *s, bool stage2,
                                      uint64_t ia, bool for_s1_table);

/* Read one descriptor at table address `table` (an IPA for stage 1 of a two-stage regime). */
static bool fetch(struct walker *w, bool stage2, int level, uint64_t table, bool for_s1_table,
                  uint64_t *desc, struct stage_result *res)
{
    const struct mmu_regime *r = w->r;
    uint64_t pa = table;
    enum rme_pas pas = mmu_walk_pas(r);
    struct mmu_fetch f = {0};
    f.stage = stage2 ? 2 : 1;
    f.level = (int8_t)level;
    f.for_s1_table = for_s1_table;
    if (!stage2 && mmu_regime_two_stage(r) && r->s2.enabled) {
        /* The stage-1 table address is an IPA: translate it by stage 2 first (S1PTW). */
        struct stage_result s2 = walk_stage(w, &r->s2, true, table, true);
        f.ipa = table;
        if (s2.fault) {
            *res = s2; /* a stage-2 fault, on the translation of a stage-1 walk (S1PTW) */
            res->s1ptw = true;
            res->fault_ipa = table;
            return false;
        }
        /* R_QMLYQ: a realm stage-1 table outside the Realm PAS is a stage-2 permission fault */
        if (r->kind == MMU_REALM_EL10 && s2.pas != RME_PAS_REALM) {
            memset(res, 0, sizeof(*res));
            res->fault = MMU_FAULT_PERMISSION;
            res->stage = 2;
            res->level = s2.level;
            res->s1ptw = true;
            res->fault_ipa = table;
            return false;
        }
        pa = s2.out;
        pas = s2.pas;
    }
    f.pa = pa;
    f.pas = pas;
    uint64_t before = 0;
    gpc_check(w->env->gpc, pa, pas, r->ss, &f.gpc);
    f.cycles += f.gpc.cycles;
    w->a->cycles_gpc += f.gpc.cycles; /* the GPC's share, apart from the walk's own read */
    if (f.gpc.kind != GPC_OK) {
        memset(res, 0, sizeof(*res));
        res->fault = gpc_fault_class(f.gpc.kind);
        res->stage = stage2 ? 2 : 1;
        res->gpc = f.gpc;
        res->level = level;
        res->on_walk = true;
        res->s1ptw = for_s1_table;
        res->pas = pas;
        res->out = pa;
        if (w->a->n_fetches < MMU_MAX_FETCHES)
            w->a->fetches[w->a->n_fetches++] = f;
        return false;
    }
    enum mem_status st = mem_read(w->env->port, pa, pas, 8, desc, &before);
    f.cycles += before;
    f.desc = *desc;
    if (w->a->n_fetches < MMU_MAX_FETCHES)
        w->a->fetches[w->a->n_fetches++] = f;
    if (stage2)
        w->a->cycles_s2 += before;
    else
        w->a->cycles_s1 += before;
    if (st != MEM_OK) {
        memset(res, 0, sizeof(*res));
        res->fault = MMU_FAULT_SEA;
        res->stage = stage2 ? 2 : 1;
        res->level = level;
        res->on_walk = true;
        res->s1ptw = for_s1_table;
        return false;
    }
    return true;
}

static struct stage_result fault_at(enum mmu_fault f, bool stage2, int level)
{
    struct stage_result r;
    memset(&r, 0, sizeof(r));
    r.fault = f;
    r.stage = stage2 ? 2 : 1;
    r.level = level;
    return r;
}

static enum rme_pas output_pas(const struct mmu_regime *r, bool stage2, uint64_t desc)
{
    if (stage2)
        return r->kind == MMU_REALM_EL10 && (desc & DESC_S2_NS) ? RME_PAS_NS
               : r->kind == MMU_REALM_EL10                      ? RME_PAS_REALM
                                                                : RME_PAS_NS;
    switch (r->kind) {
    case MMU_EL3: { /* {NSE, NS} (D8.4.6, Table D8-88) */
        unsigned v = (desc & DESC_S1_NSE ? 2 : 0) | (desc & DESC_S1_NS ? 1 : 0);
        static const enum rme_pas map[4] = {RME_PAS_SECURE, RME_PAS_NS, RME_PAS_ROOT,
                                            RME_PAS_REALM};
        return map[v];
    }
    case MMU_REALM_EL2:
        return desc & DESC_S1_NS ? RME_PAS_NS : RME_PAS_REALM;
    case MMU_REALM_EL10:
        return RME_PAS_REALM; /* a realm stage-1 output is a Realm IPA (bit 5 RES0) */
    default:
        return RME_PAS_NS;
    }
}

/* Permissions of a leaf for the access (stage 1: AP[2], PXN/XN; stage 2: S2AP, XN) and the
 * RME rules on execution from another PAS. */
static bool permitted(const struct walker *w, bool stage2, uint64_t desc, enum rme_pas out,
                      enum mmu_access_kind kind)
{
    const struct mmu_regime *r = w->r;
    if (stage2) {
        if (kind == MMU_WRITE && !(desc & DESC_S2_WRITE))
            return false;
        if (kind == MMU_READ && !(desc & DESC_S2_READ))
            return false;
        if (kind == MMU_FETCH && (desc & DESC_XN))
            return false;
        /* R_YMCSL: no instruction fetch from a Non-secure PA at realm stage 2 */
        if (kind == MMU_FETCH && r->kind == MMU_REALM_EL10 && out != RME_PAS_REALM)
            return false;
        return true;
    }
    if (kind == MMU_WRITE && (desc & DESC_S1_AP_RO))
        return false;
    /* EL1&0 regimes (D8.4.x): EL0 reads and writes need AP[1] (EL0 access), EL0 fetches are
     * governed by UXN (bit 54), EL1's by PXN. */
    bool el10 = r->kind == MMU_NS_EL10 || r->kind == MMU_REALM_EL10;
    bool el0 = el10 && r->el == 0;
    if (el0 && kind != MMU_FETCH && !(desc & DESC_S1_AP_EL0))
        return false;
    if (kind == MMU_FETCH) {
        if (desc & (el10 && !el0 ? DESC_PXN : DESC_XN))
            return false;
        /* R_PKTDS / R_YBDFF: Realm EL2 fetches only from Realm, EL3 only from Root */
        if (r->kind == MMU_REALM_EL2 && out != RME_PAS_REALM)
            return false;
        if (r->kind == MMU_EL3 && out != RME_PAS_ROOT)
            return false;
    }
    return true;
}

static struct stage_result walk_stage(struct walker *w, const struct mmu_stage *s, bool stage2,
                                      uint64_t ia, bool for_s1_table)
{
    unsigned range = 0;
    unsigned inputsize = 64 - s->tsz[0];
    if (!stage2 && s->two_ranges && (ia >> 55) & 1) {
        range = 1;
        inputsize = 64 - s->tsz[1];
        /* TTBR1 addresses have every bit above inputsize set */
        if (inputsize < 64 && (ia >> inputsize) != (~0ull >> inputsize))
            return fault_at(MMU_FAULT_TRANSLATION, stage2, 0);
    } else if (inputsize < 64 && (ia >> inputsize)) {
        return fault_at(MMU_FAULT_TRANSLATION, stage2, 0); /* input address out of range: level 0 */
    }
    int start = stage2 ? s->start_level : s1_start_level(s, inputsize);
    int level = start;
    uint64_t ttbr = s->ttbr[range] & 0x0000FFFFFFFFFFFEull, table = ttbr;
    unsigned stage_no = stage2 ? 2 : 1;
    bool table_is_ipa = !stage2 && mmu_regime_two_stage(w->r) && w->r->s2.enabled;
    enum mmu_access_kind kind = for_s1_table ? MMU_READ : w->a->kind;
    /* Start from the deepest table the walk cache knows for this address. */
    if (w->env->tlb)
        for (int l = 3; l > start; l--) {
            uint64_t cached;
            uint64_t *cycles = stage2 ? &w->a->cycles_s2 : &w->a->cycles_s1;
            if (wc_lookup(w->env->tlb, w->r, stage_no, ttbr, l, ia >> level_shift(s, l - 1),
                          &cached, cycles)) {
                level = l;
                table = cached;
                w->a->walk_cache_hits++;
                break;
            }
        }
    for (;;) {
        unsigned shift = level_shift(s, level);
        unsigned bits = level == (stage2 ? s->start_level : s1_start_level(s, inputsize))
                            ? inputsize - shift
                            : stride(s);
        uint64_t index = (ia >> shift) & ((1ull << bits) - 1);
        uint64_t desc;
        struct stage_result res;
        if (!fetch(w, stage2, level, table + 8 * index, for_s1_table, &desc, &res))
            return res;
        bool valid = desc & DESC_VALID, table_or_page = desc & DESC_TABLE;
        if (!valid)
            return fault_at(MMU_FAULT_TRANSLATION, stage2, level);
        if (level < 3 && table_or_page) {
            uint64_t next = desc & 0x0000FFFFFFFFF000ull & ~((1ull << s->granule_bits) - 1);
            if (next >> s->oa_bits)
                return fault_at(MMU_FAULT_ADDRESS_SIZE, stage2, level);
            table = next;
            level++;
            if (w->env->tlb)
                wc_fill(w->env->tlb, w->r, stage_no, ttbr, level, ia >> level_shift(s, level - 1),
                        next, table_is_ipa);
            continue;
        }
        /* A block is allowed at levels 1 and 2 with 4KB granules, at level 2 with 16/64KB;
         * a level-3 descriptor must be a page. */
        bool block_ok =
            level < 3 && !table_or_page && (s->granule_bits == 12 ? level >= 1 : level == 2);
        if (level == 3 ? !table_or_page : !block_ok)
            return fault_at(MMU_FAULT_TRANSLATION, stage2, level);
        uint64_t mask = (1ull << shift) - 1;
        uint64_t oa = (desc & 0x0000FFFFFFFFF000ull & ~mask) | (ia & mask);
        if (oa >> s->oa_bits)
            return fault_at(MMU_FAULT_ADDRESS_SIZE, stage2, level);
        if (!(desc & DESC_AF)) /* no hardware Access flag management */
            return fault_at(MMU_FAULT_ACCESS_FLAG, stage2, level);
        enum rme_pas pas = output_pas(w->r, stage2, desc);
        if (!permitted(w, stage2, desc, pas, kind))
            return fault_at(MMU_FAULT_PERMISSION, stage2, level);
        struct stage_result ok;
        memset(&ok, 0, sizeof(ok));
        ok.out = oa;
        ok.pas = pas;
        ok.desc = desc;
        ok.level = level;
        return ok;
    }
}

/* The syndrome of a translation fault (not a GPC one), D24.2.4x ESR_ELx ISS for aborts. */
static unsigned fsc(enum mmu_fault f, int level, bool on_walk)
{
    switch (f) {
    case MMU_FAULT_ADDRESS_SIZE:
        return 0x00 + (unsigned)level;
    case MMU_FAULT_TRANSLATION:
        return 0x04 + (unsigned)level;
    case MMU_FAULT_ACCESS_FLAG:
        return 0x08 + (unsigned)level;
    case MMU_FAULT_PERMISSION:
        return 0x0C + (unsigned)level;
    default: /* synchronous external abort */
        return on_walk ? 0x14 + (unsigned)level : 0x10;
    }
}

static void report(const struct walker *w, unsigned stage, const struct stage_result *res)
{
    struct rme_access *a = w->a;
    const struct mmu_regime *r = w->r;
    a->fault = res->fault;
    a->fault_stage = stage;
    a->fault_level = res->level;
    a->on_walk = res->on_walk;
    a->s1ptw = res->s1ptw;
    a->far = a->va;
    bool instr = a->kind == MMU_FETCH, write = a->kind == MMU_WRITE && !res->s1ptw;
    if (res->fault >= MMU_FAULT_GPF && res->fault <= MMU_FAULT_GPT_ADDRESS_SIZE) {
        struct gpc_fault_context c = {0};
        c.result = res->gpc;
        c.current_el = r->el;
        c.scr_gpf = w->env->scr_gpf;
        c.hcr_tge = w->env->hcr_tge;
        c.hcr_gpf = w->env->hcr_gpf;
        c.on_walk = res->on_walk;
        c.walk_level = res->level;
        c.s2_walk = res->on_walk && stage == 2;
        c.s1ptw = res->s1ptw;
        c.instruction = instr;
        c.write = write;
        c.va = a->va;
        c.pa = res->out;
        c.pas = res->pas;
        c.ipa = res->s1ptw ? res->fault_ipa : a->ipa;
        struct gpc_fault_report rep;
        gpc_report(&c, &rep);
        a->target_el = rep.target_el;
        a->esr = rep.esr;
        a->far = rep.far;
        a->mfar_valid = rep.mfar_valid;
        a->mfar = rep.mfar;
        a->hpfar_valid = rep.hpfar_valid;
        a->hpfar = rep.hpfar;
        return;
    }
    /* Stage-2 faults (and S1PTW) go to EL2; stage-1 faults to the regime's EL (EL1 -> EL2 when
     * HCR_EL2.TGE is set). */
    unsigned target = r->el < 1 ? 1 : r->el;
    if (stage == 2)
        target = 2;
    else if (r->el <= 1 && w->env->hcr_tge)
        target = 2;
    bool same = target == r->el;
    unsigned ec = instr ? (same ? 0x21 : 0x20) : (same ? 0x25 : 0x24);
    uint64_t iss = fsc(res->fault, res->level, res->on_walk) | (write ? 1u << 6 : 0) |
                   (res->s1ptw ? 1u << 7 : 0);
    /* ISV and the instruction syndrome: data aborts from a stage-2 fault on the access itself */
    if (stage == 2 && !instr && !res->s1ptw && res->fault != MMU_FAULT_SEA) {
        unsigned sas = a->size == 8 ? 3 : a->size == 4 ? 2 : a->size == 2 ? 1 : 0;
        iss |= (1u << 24) | ((uint64_t)sas << 22) | ((uint64_t)(a->sse ? 1 : 0) << 21) |
               ((uint64_t)(a->srt & 31) << 16) | ((uint64_t)(a->sf ? 1 : 0) << 15) |
               ((uint64_t)(a->ar ? 1 : 0) << 14);
    }
    a->target_el = target;
    a->esr = ((uint64_t)ec << 26) | (1ull << 25) | iss;
    if (stage == 2) {
        uint64_t ipa = res->s1ptw ? res->fault_ipa : a->ipa;
        a->hpfar_valid = true;
        a->hpfar = (ipa >> 12) << 4; /* HPFAR_EL2.FIPA: IPA[51:12] in [43:4] */
    }
}

/* A TLB hit: the combined result, with the permission checks of the cached leaves and the
 * cached GPI checked against this access. */
static bool from_tlb(struct walker *w, struct rme_access *a)
{
    const struct mmu_regime *r = w->r;
    int level;
    const struct tlb_entry *e = tlb_find(w->env->tlb, r, a->va, &level, &a->cycles_tlb);
    a->tlb = level;
    if (!e)
        return false;
    /* the entry covers a span: VA, IPA and PA move together inside it (modular offsets) */
    uint64_t delta = (a->va >> 12) - e->va_page, off = a->va & 0xFFF;
    a->ipa = ((e->ipa_page + delta) << 12) | off;
    a->pa = ((e->pa_page + delta) << 12) | off;
    a->pas = e->pas;
    a->device = e->device;
    a->s1_level = e->s1_level;
    a->s2_level = e->s2_level;
    uint8_t gpi = e->gpi, gpt_level = e->gpt_level;
    if (r->s1.enabled && !permitted(w, false, e->s1_desc,
                                    mmu_regime_two_stage(r) ? RME_PAS_REALM : e->pas, a->kind)) {
        struct stage_result f = fault_at(MMU_FAULT_PERMISSION, false, e->s1_level);
        report(w, f.stage, &f);
        return true;
    }
    if (mmu_regime_two_stage(r) && r->s2.enabled &&
        !permitted(w, true, e->s2_desc, e->pas, a->kind)) {
        struct stage_result f = fault_at(MMU_FAULT_PERMISSION, true, e->s2_level);
        report(w, f.stage, &f);
        return true;
    }
    memset(&a->gpc, 0, sizeof(a->gpc));
    a->gpc.gpi = gpi;
    a->gpc.gpi_found = true;
    a->gpc.cache_hit = true; /* answered without a GPT walk: from the TLB entry */
    a->gpc.gpt_level = gpt_level;
    if (!gpi_permits(gpi, a->pas, r->ss)) {
        a->gpc.kind = GPC_FAULT_GPF;
        struct stage_result g;
        memset(&g, 0, sizeof(g));
        g.fault = MMU_FAULT_GPF;
        g.gpc = a->gpc;
        g.out = a->pa;
        g.pas = a->pas;
        report(w, 0, &g);
    }
    return true;
}

void mmu_translate(const struct mmu_regime *r, const struct mmu_env *env, struct rme_access *a)
{
    struct walker w = {r, env, a};
    uint64_t s1_desc = 0, s2_desc = 0;
    unsigned span = 64; /* log2 bytes the whole translation holds for: the narrowest stage */
    a->n_fetches = 0;
    a->walk_cache_hits = 0;
    a->fault = MMU_OK;
    a->hpfar_valid = a->mfar_valid = false;
    a->cycles_tlb = a->cycles_s1 = a->cycles_s2 = a->cycles_gpc = 0;
    a->s1_level = a->s2_level = -1;
    a->tlb = -1;
    if (env->tlb && from_tlb(&w, a))
        goto done;
    /* Stage 1 (or the security state's own PAS when it is off: D8.2) */
    uint64_t ipa = a->va;
    enum rme_pas pas;
    switch (r->kind) {
    case MMU_EL3:
        pas = RME_PAS_ROOT;
        break;
    case MMU_REALM_EL10:
    case MMU_REALM_EL2:
        pas = RME_PAS_REALM;
        break;
    default:
        pas = RME_PAS_NS;
    }
    a->device = !r->s1.enabled; /* data accesses with stage 1 off are Device-nGnRnE */
    if (r->s1.enabled) {
        struct stage_result s1 = walk_stage(&w, &r->s1, false, a->va, false);
        if (s1.fault) {
            /* a fault on the stage-2 translation of a stage-1 table address is a stage-2 fault */
            report(&w, s1.stage, &s1);
            a->s1_level = s1.level;
            goto done;
        }
        ipa = s1.out;
        pas = s1.pas;
        a->s1_level = s1.level;
        s1_desc = s1.desc;
        span = leaf_span_bits(&r->s1, s1.level, s1.desc);
        unsigned attr = (unsigned)((s1.desc >> 2) & 7);
        a->device = ((r->s1.mair >> (8 * attr)) & 0xF0) == 0;
    }
    a->ipa = ipa;
    uint64_t pa = ipa;
    if (mmu_regime_two_stage(r) && r->s2.enabled) {
        struct stage_result s2 = walk_stage(&w, &r->s2, true, ipa, false);
        if (s2.fault) {
            a->s2_level = s2.level;
            report(&w, s2.stage, &s2);
            goto done;
        }
        pa = s2.out;
        pas = s2.pas;
        a->s2_level = s2.level;
        s2_desc = s2.desc;
        unsigned s2_span = leaf_span_bits(&r->s2, s2.level, s2.desc);
        span = s2_span < span ? s2_span : span;
        if (((s2.desc >> 2) & 0xC) == 0) /* MemAttr[3:2] = 00: Device */
            a->device = true;
    }
    a->pa = pa;
    a->pas = pas;
    /* The GPC on the output address comes after every translation fault. */
    gpc_check(env->gpc, pa, pas, r->ss, &a->gpc);
    a->cycles_gpc += a->gpc.cycles;
    if (a->gpc.kind != GPC_OK) {
        struct stage_result g;
        memset(&g, 0, sizeof(g));
        g.fault = gpc_fault_class(a->gpc.kind);
        g.gpc = a->gpc;
        g.out = pa;
        g.pas = pas;
        report(&w, 0, &g);
    } else if (env->tlb) {
        /* a successful translation is cached whole; a GPC that was off or passed above PPS
         * needed no GPI and is cached as ANY */
        struct tlb_entry e;
        memset(&e, 0, sizeof(e));
        e.regime = (uint8_t)r->kind;
        e.vmid = r->vmid;
        e.asid = r->s1.asid;
        /* nG makes an EL1&0 entry the ASID's whatever VA ranges the regime models (the A64
         * core leaves TTBR1 out); the EL2 and EL3 regimes have no ASID */
        e.global = !mmu_regime_two_stage(r) || (s1_desc & DESC_S1_NG) == 0;
        e.va_page = a->va >> 12;
        e.ipa_page = a->ipa >> 12;
        e.pa_page = pa >> 12;
        e.pas = pas;
        e.device = a->device;
        e.s1_desc = s1_desc;
        e.s2_desc = s2_desc;
        e.gpi = a->gpc.gpi_found ? a->gpc.gpi : 0xF;
        e.gpt_level = a->gpc.gpt_level;
        e.s1_level = (int8_t)a->s1_level;
        e.s2_level = (int8_t)a->s2_level;
        /* one entry for the block or contiguous run, no wider than the GPI is known for */
        if (a->gpc.gpi_found && a->gpc.cover_bits < span)
            span = a->gpc.cover_bits;
        e.span = (uint8_t)((span > 12 ? (span > 52 ? 52 : span) : 12) - 12);
        tlb_fill(env->tlb, &e);
    }
done:
    a->cycles = a->cycles_tlb + a->cycles_s1 + a->cycles_s2 + a->cycles_gpc;
}
