/* The RMM's security invariants, checked against the GPT and memory as they are (invariants.h).
 * The checker reads the granule table without allocating, walks every realm's RTTs through the
 * environment's peek (not through the RMM's costed accesses) and counts, for every granule in a
 * realm's state, the realms that hold it. */
#include "rmm/invariants.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "gpc/gpt_desc.h"
#include "s2tt.h"

struct mark {
    uint64_t pa;
    struct granule *g;
    uint64_t owner; /* the RD of the first realm that holds it */
    unsigned holders;
    unsigned recs; /* RD: the RECs found pointing at it */
};

struct checker {
    struct rmm *rmm;
    const struct rmm_inv_env *env;
    struct mark *marks;
    size_t n, cap;
    unsigned violations;
};

static void violation(struct checker *c, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->violations++;
    if (c->env->report)
        c->env->report(c->env->ctx, buf);
}

static int mark_cmp(const void *a, const void *b)
{
    uint64_t x = ((const struct mark *)a)->pa, y = ((const struct mark *)b)->pa;
    return x < y ? -1 : x > y;
}

static struct mark *mark_at(struct checker *c, uint64_t pa)
{
    struct mark key = {.pa = pa};
    return c->n ? bsearch(&key, c->marks, c->n, sizeof key, mark_cmp) : NULL;
}

/* Every granule the RMM has touched (untouched chunks are UNDELEGATED and never NS-violating:
 * their GPI is checked only where the RMM has a record). A2.2.3: UNDELEGATED <-> NS, every
 * other state <-> Realm. */
static bool collect(struct checker *c)
{
    struct granule_table *t = &c->rmm->granules;
    const uint64_t chunk = 2ull << 20, per = chunk / GRANULE_SIZE;
    for (size_t r = 0; r < t->n_ranges; r++) {
        if (!t->chunks[r])
            continue;
        for (uint64_t k = 0; k < (t->ranges[r].size + chunk - 1) / chunk; k++) {
            struct granule *gs = t->chunks[r][k];
            for (uint64_t i = 0; gs && i < per && k * chunk + i * GRANULE_SIZE < t->ranges[r].size;
                 i++) {
                uint64_t pa = t->ranges[r].base + k * chunk + i * GRANULE_SIZE;
                unsigned gpi = c->env->gpi(c->env->ctx, pa);
                bool undelegated = gs[i].state == GRANULE_UNDELEGATED;
                if (undelegated != (gpi == GPI_NS) || (!undelegated && gpi != GPI_REALM))
                    violation(c, "granule %#llx is %s in the RMM but its GPI is %s (want %s)",
                              (unsigned long long)pa, granule_state_name(gs[i].state),
                              gpi_name(gpi), undelegated ? "ns" : "realm");
                if (undelegated)
                    continue;
                if (c->n == c->cap) {
                    size_t cap = c->cap ? 2 * c->cap : 256;
                    struct mark *m = realloc(c->marks, cap * sizeof *m);
                    if (!m)
                        return false;
                    c->marks = m;
                    c->cap = cap;
                }
                c->marks[c->n++] = (struct mark){.pa = pa, .g = &gs[i]};
            }
        }
    }
    if (c->n) /* qsort's array may not be NULL, even empty */
        qsort(c->marks, c->n, sizeof *c->marks, mark_cmp);
    return true;
}

/* Realm rd holds granule pa, which must be in state want. */
static struct mark *hold(struct checker *c, uint64_t rd, uint64_t pa, enum granule_state want,
                         const char *what)
{
    struct mark *m = mark_at(c, pa);
    if (!m || m->g->state != want) {
        violation(c, "realm %#llx: %s %#llx is %s, not %s", (unsigned long long)rd, what,
                  (unsigned long long)pa, m ? granule_state_name(m->g->state) : "UNDELEGATED",
                  granule_state_name(want));
        return NULL;
    }
    if (m->holders++ == 0)
        m->owner = rd;
    return m;
}

/* One RTT of realm r at `level` whose first entry maps `ipa`, and the RTTs below it (A5.5). */
static void walk_rtt(struct checker *c, const struct rmm_realm *r, struct mark *m, int level,
                     uint64_t ipa)
{
    uint64_t half = 1ull << (r->ipa_bits - 1), size = rtt_entry_size(level), rd = r->rd;
    uint32_t live = 0;
    for (unsigned i = 0; i < RTT_ENTRIES; i++, ipa += size) {
        uint64_t e;
        if (!c->env->peek(c->env->ctx, m->pa + 8ull * i, &e)) {
            violation(c, "realm %#llx: RTT %#llx cannot be read", (unsigned long long)rd,
                      (unsigned long long)m->pa);
            return;
        }
        enum s2tte_kind k = s2tte_kind(e, level);
        bool ns = k == S2TTE_ASSIGNED_NS || k == S2TTE_UNASSIGNED_NS;
        if (k != S2TTE_TABLE && ns != (ipa >= half)) /* A5.2.2: the NS bit splits the IPA space */
            violation(
                c, "realm %#llx: %s entry for IPA %#llx (RTT %#llx level %d) lies in the %s half",
                (unsigned long long)rd, ns ? "unprotected" : "protected", (unsigned long long)ipa,
                (unsigned long long)m->pa, level, ipa >= half ? "unprotected" : "protected");
        if (k == S2TTE_TABLE) {
            live++;
            struct mark *child = hold(c, rd, s2tte_oa(e, RTT_PAGE_LEVEL), GRANULE_RTT, "RTT");
            if (child && child->holders == 1)
                walk_rtt(c, r, child, level + 1, ipa);
        } else if (k == S2TTE_ASSIGNED) { /* A5.5.3: protected ASSIGNED maps the realm's DATA */
            live++;
            uint64_t oa = s2tte_oa(e, level);
            for (uint64_t p = 0; p < size; p += GRANULE_SIZE)
                if (!hold(c, rd, oa + p, GRANULE_DATA, "ASSIGNED entry's granule"))
                    break;
        }
    }
    if (live != m->g->refcount) /* A2.1.4: an RTT's references are its live entries */
        violation(c, "realm %#llx: RTT %#llx at level %d has %u live entries but refcount %u",
                  (unsigned long long)rd, (unsigned long long)m->pa, level, live, m->g->refcount);
}

static void check_realm(struct checker *c, struct mark *m)
{
    const struct rmm_realm *r = m->g->obj;
    if (!r || r->rd != m->pa) {
        violation(c, "RD %#llx has no realm object of its own", (unsigned long long)m->pa);
        return;
    }
    m->holders++;
    m->owner = m->pa;
    uint64_t start_size = rtt_entry_size(r->start_level) * RTT_ENTRIES;
    for (unsigned i = 0; i < r->num_start; i++) {
        struct mark *t =
            hold(c, r->rd, r->rtt_base + i * GRANULE_SIZE, GRANULE_RTT, "starting RTT");
        if (t && t->holders == 1)
            walk_rtt(c, r, t, r->start_level, i * start_size);
    }
}

/* A2.3: a REC belongs to a live realm, holds its aux granules, and is counted by its RD. */
static void check_rec(struct checker *c, struct mark *m)
{
    const struct rmm_rec *rec = m->g->obj;
    struct mark *rd = rec ? mark_at(c, rec->rd) : NULL;
    if (!rec || rec->addr != m->pa || !rd || rd->g->state != GRANULE_RD ||
        rd->g->obj != rec->realm) {
        violation(c, "REC %#llx does not belong to a live realm", (unsigned long long)m->pa);
        return;
    }
    m->holders++;
    m->owner = rec->rd;
    rd->recs++;
    for (unsigned i = 0; i < rec->num_aux && i < 16; i++)
        hold(c, rec->rd, rec->aux[i], GRANULE_REC_AUX, "REC aux granule");
}

unsigned rmm_check_invariants(struct rmm *rmm, const struct rmm_inv_env *env)
{
    struct checker c = {.rmm = rmm, .env = env};
    if (rmm->faulted)
        violation(&c, "the RMM took a fault on its own memory at %#llx",
                  (unsigned long long)rmm->fault_pa);
    if (!collect(&c)) {
        violation(&c, "out of memory checking invariants");
        free(c.marks);
        return c.violations;
    }
    for (size_t i = 0; i < c.n; i++)
        if (c.marks[i].g->state == GRANULE_RD)
            check_realm(&c, &c.marks[i]);
    for (size_t i = 0; i < c.n; i++)
        if (c.marks[i].g->state == GRANULE_REC)
            check_rec(&c, &c.marks[i]);
    for (size_t i = 0; i < c.n; i++) {
        struct mark *m = &c.marks[i];
        enum granule_state s = m->g->state;
        /* its RECs are the RD's reference count (A2.1.4) */
        if (s == GRANULE_RD && m->recs != m->g->refcount)
            violation(&c, "RD %#llx has %u RECs but refcount %u", (unsigned long long)m->pa,
                      m->recs, m->g->refcount);
        if (s == GRANULE_DELEGATED || m->holders == 1)
            continue;
        violation(&c, "%s granule %#llx is held by %u realms (want exactly one)",
                  granule_state_name(s), (unsigned long long)m->pa, m->holders);
    }
    free(c.marks);
    return c.violations;
}
