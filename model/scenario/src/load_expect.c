/* expect: a step's expectations (dotted paths with typed values) and the final ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

enum value_type { NUM, SNUM, NAME, BOOL, STR, RANGE, MAP };

struct key_spec {
    const char *key;
    enum value_type type;
    const struct scn_name_table *names; /* NAME */
    const struct key_spec *sub;         /* MAP */
};

static const struct key_spec rec_exit_keys[] = {
    {"reason", NAME, &scn_rec_exit_reasons, NULL},
    {"esr", NUM, NULL, NULL},
    {"far", NUM, NULL, NULL},
    {"hpfar", NUM, NULL, NULL},
    {"hpfar_ipa", NUM, NULL, NULL},
    {"gpr0", NUM, NULL, NULL},
    {"ripas_base", NUM, NULL, NULL},
    {"ripas_top", NUM, NULL, NULL},
    {"ripas_value", NAME, &scn_ripas, NULL},
    {"imm", NUM, NULL, NULL},
    {NULL, NUM, NULL, NULL},
};
static const struct key_spec mmio_keys[] = {
    {"device", STR, NULL, NULL}, {"offset", NUM, NULL, NULL}, {"write", BOOL, NULL, NULL},
    {"value", NUM, NULL, NULL},  {"size", NUM, NULL, NULL},   {NULL, NUM, NULL, NULL},
};
/* KVM_EXIT_MEMORY_FAULT as KVM_RUN returned it, and the VMM's answer */
static const struct key_spec memory_fault_keys[] = {
    {"gpa", NUM, NULL, NULL},      {"size", NUM, NULL, NULL},
    {"private", BOOL, NULL, NULL}, {"vmm", NAME, &scn_vmm_answers, NULL},
    {NULL, NUM, NULL, NULL},
};
static const struct key_spec exception_keys[] = {
    {"el", NUM, NULL, NULL},
    {"ec", NAME, &scn_ec_names, NULL},
    {NULL, NUM, NULL, NULL},
};
static const struct key_spec cycles_keys[] = {
    {"min", NUM, NULL, NULL},
    {"max", NUM, NULL, NULL},
    {NULL, NUM, NULL, NULL},
};
/* cost: { SOFTWARE: { min, max } }: the step's cycles spent by each software */
static const struct key_spec cost_keys[] = {
    {"host", RANGE, NULL, cycles_keys}, {"el3", RANGE, NULL, cycles_keys},
    {"rmm", RANGE, NULL, cycles_keys},  {"realm", RANGE, NULL, cycles_keys},
    {"vmm", RANGE, NULL, cycles_keys},  {NULL, NUM, NULL, NULL},
};
/* Output registers by the specification's names (rmm.md 1.2, 6.1). */
static const struct key_spec out_keys[] = {
    {"lower", NUM, NULL, NULL},      {"higher", NUM, NULL, NULL},
    {"value", NUM, NULL, NULL},      {"data", NUM, NULL, NULL},
    {"top", NUM, NULL, NULL},        {"rtt", NUM, NULL, NULL},
    {"walk_level", NUM, NULL, NULL}, {"state", NAME, &scn_rtte_states, NULL},
    {"desc", NUM, NULL, NULL},       {"ripas", NAME, &scn_ripas, NULL},
    {"out_top", NUM, NULL, NULL},    {"aux_count", NUM, NULL, NULL},
    {"new_base", NUM, NULL, NULL},   {"response", NAME, &scn_rsi_responses, NULL},
    {"size", NUM, NULL, NULL},       {"len", NUM, NULL, NULL},
    {NULL, NUM, NULL, NULL},
};

static const struct key_spec step_keys[] = {
    {"status", NAME, NULL, NULL}, /* table depends on the action */
    {"index", NUM, NULL, NULL},
    {"out", MAP, NULL, out_keys},
    {"result", NAME, &scn_results, NULL},
    {"stage1", NAME, &scn_results, NULL},
    {"stage2", NAME, &scn_results, NULL},
    {"fault_level", SNUM, NULL, NULL},
    {"gpt_level", NUM, NULL, NULL},
    {"fault_kind", NAME, &scn_results, NULL},
    {"va", NUM, NULL, NULL},
    {"ipa", NUM, NULL, NULL},
    {"pa", NUM, NULL, NULL},
    {"pas", NAME, &scn_pas_names, NULL},
    {"gpi", NAME, &scn_gpi_names, NULL},
    {"value", NUM, NULL, NULL},
    {"esr", NUM, NULL, NULL},
    {"far", NUM, NULL, NULL},
    {"hpfar", NUM, NULL, NULL},
    {"mfar", NUM, NULL, NULL},
    {"esr_ec", NUM, NULL, NULL},
    {"dfsc", NUM, NULL, NULL},
    {"ifsc", NUM, NULL, NULL},
    {"exception", MAP, NULL, exception_keys},
    {"rec_exit", MAP, NULL, rec_exit_keys},
    {"host_ipa", NUM, NULL, NULL},
    {"mmio", MAP, NULL, mmio_keys},
    {"memory_fault", MAP, NULL, memory_fault_keys},
    {"tlb", NAME, &scn_hit_miss, NULL},
    {"gpc_cache", NAME, &scn_hit_miss, NULL},
    {"cycles", RANGE, NULL, cycles_keys},
    {"cost", MAP, NULL, cost_keys},
    {"ipa_bits", NUM, NULL, NULL},
    {"ioremap", NAME, &scn_ioremap_results, NULL},
    {"gprs", MAP, NULL, NULL}, /* { N: value } */
    {"output", STR, NULL, NULL},
    {"walk_fetches", NUM, NULL, NULL},
    {"accesses", NUM, NULL, NULL},
    {"loads", NUM, NULL, NULL},
    {"stores", NUM, NULL, NULL},
    {"gpt_transitions", NUM, NULL, NULL},
    {"pc", NUM, NULL, NULL},
    {"instructions", NUM, NULL, NULL},
    {"until", NAME, &scn_run_ends, NULL},
    {NULL, NUM, NULL, NULL},
};

static const char *key_list(const struct key_spec *spec, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const struct key_spec *k = spec; k->key && used < len; k++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", k == spec ? "" : ", ", k->key);
    return buf;
}

static struct scn_check *add_check(struct scn_step *s, const char *path, struct scn_pos pos)
{
    struct scn_check *grown = realloc(s->checks, (s->n_checks + 1) * sizeof(*grown));
    if (!grown) {
        fputs("rmesim: out of memory\n", stderr);
        exit(2);
    }
    s->checks = grown;
    struct scn_check *ch = &s->checks[s->n_checks++];
    memset(ch, 0, sizeof(*ch));
    ch->path = ld_strdup(path);
    ch->pos = pos;
    return ch;
}

static const struct scn_name_table *status_table(const struct scn_step *s)
{
    switch (s->action.kind) {
    case SCN_ACT_RMI:
    case SCN_ACT_DELEGATE:
    case SCN_ACT_UNDELEGATE:
    case SCN_ACT_DESTROY:
        return &scn_rmi_status;
    case SCN_ACT_RSI:
        return s->action.command >= 0x80000000u ? &scn_psci_status : &scn_rsi_status;
    case SCN_ACT_COMPLETE: /* of the RSI call the pending exit interrupted */
        return &scn_rsi_status;
    case SCN_ACT_GPT_TRANSITION:
        return &scn_gpt_status;
    default:
        return NULL;
    }
}

static bool value(struct ld *c, const yaml_node_t *v, const struct key_spec *k, const char *path,
                  struct scn_step *s)
{
    struct scn_pos pos = ld_pos(v);
    if (k->type == MAP || k->type == RANGE) {
        if (!ld_want_map(c, v, path))
            return false;
        if (k->type == RANGE) {
            struct scn_check *ch = add_check(s, path, pos);
            ch->kind = SCN_CHECK_RANGE;
            yaml_node_t *m;
            if (!ld_check_keys(c, v, path, (const char *const[]){"min", "max", NULL}))
                return false;
            if ((m = ld_get(c, v, "min")) && !ld_u64(c, m, "min", &ch->min))
                return false;
            ch->has_min = m != NULL;
            if ((m = ld_get(c, v, "max")) && !ld_u64(c, m, "max", &ch->max))
                return false;
            ch->has_max = m != NULL;
            if (!ch->has_min && !ch->has_max)
                return ld_fail(c, v, "%s needs min or max", path);
            return true;
        }
        for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
             p++) {
            yaml_node_t *sk = ld_node(c, p->key), *sv = ld_node(c, p->value);
            char sub[96];
            if (!ld_want_scalar(c, sk, "an expectation key"))
                return false;
            snprintf(sub, sizeof sub, "%s.%s", path, ld_scalar(sk));
            if (!k->sub) { /* gprs: { N: value } */
                uint64_t reg;
                if (!ld_parse_number(ld_scalar(sk), false, &reg) || reg > 30)
                    return ld_fail(c, sk, "gprs keys are register numbers 0..30, got '%s'",
                                   ld_scalar(sk));
                const struct key_spec num = {ld_scalar(sk), NUM, NULL, NULL};
                if (!value(c, sv, &num, sub, s))
                    return false;
                continue;
            }
            const struct key_spec *found = NULL;
            for (const struct key_spec *q = k->sub; q->key; q++)
                if (strcmp(q->key, ld_scalar(sk)) == 0)
                    found = q;
            if (!found) {
                char list[300];
                return ld_fail(c, sk, "unknown key '%s' in %s (expected: %s)", ld_scalar(sk), path,
                               key_list(k->sub, list, sizeof list));
            }
            if (!value(c, sv, found, sub, s))
                return false;
        }
        return true;
    }
    struct scn_check *ch = add_check(s, path, pos);
    switch (k->type) {
    case NUM:
        ch->kind = SCN_CHECK_NUMBER;
        return ld_u64(c, v, path, &ch->number);
    case SNUM: {
        int64_t n;
        ch->kind = SCN_CHECK_NUMBER;
        if (!ld_int(c, v, path, &n))
            return false;
        ch->signed_number = n;
        ch->number = (uint64_t)n;
        return true;
    }
    case BOOL:
        ch->kind = SCN_CHECK_BOOL;
        return ld_bool(c, v, path, &ch->flag);
    case STR:
        ch->kind = SCN_CHECK_STRING;
        if (!ld_string(c, v, path, &ch->text))
            return false;
        if (strcmp(path, "mmio.device") == 0 && scenario_find_device(c->s, ch->text) < 0)
            return ld_fail(c, v, "mmio.device '%s' names no device", ch->text);
        return true;
    default: {
        const struct scn_name_table *t = k->names ? k->names : status_table(s);
        if (!t)
            return ld_fail(c, v,
                           "status applies to rmi, rsi, delegate, undelegate, destroy and "
                           "gpt_transition steps, not to '%s'",
                           scn_action_name(s->action.kind));
        ch->kind = SCN_CHECK_NAME;
        if (!ld_name(c, v, t, &ch->code))
            return false;
        ch->text = ld_strdup(scn_name_of(t, ch->code));
        return true;
    }
    }
}

bool ld_step_checks(struct ld *c, const yaml_node_t *n, struct scn_step *s)
{
    if (!ld_want_map(c, n, "expect"))
        return false;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ld_node(c, p->key);
        if (!ld_want_scalar(c, k, "an expectation key"))
            return false;
        const struct key_spec *found = NULL;
        for (const struct key_spec *q = step_keys; q->key; q++)
            if (strcmp(q->key, ld_scalar(k)) == 0)
                found = q;
        if (!found) {
            char list[600];
            return ld_fail(c, k, "unknown expectation '%s' (expected: %s)", ld_scalar(k),
                           key_list(step_keys, list, sizeof list));
        }
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++)
            if (strcmp(ld_scalar(ld_node(c, q->key)), ld_scalar(k)) == 0)
                return ld_fail(c, k, "expectation '%s' given twice", ld_scalar(k));
        if (!value(c, ld_node(c, p->value), found, found->key, s))
            return false;
    }
    return true;
}

/* A final expectation's address: a number, or { realm, ipa } for the page behind that IPA in the
 * host's memslot (resolved when the expectation is judged). */
static bool final_pa(struct ld *c, const yaml_node_t *v, const char *what, struct scn_final *f)
{
    if (!ld_is_map(v))
        return ld_u64(c, v, what, &f->pa);
    if (ld_is_pa_name(c, v))
        return ld_pa_name(c, v, what, &f->named);
    f->by_realm_ipa = true;
    return ld_check_keys(c, v, what, (const char *const[]){"realm", "ipa", "backing", NULL}) &&
           ld_realm_and_ipa(c, v, what, &f->realm, &f->ipa) && ld_backing(c, v, &f->backing);
}

static bool final_item(struct ld *c, const yaml_node_t *n, struct scn_final *f)
{
    yaml_node_t *v, *m;
    f->pos = ld_pos(n);
    if (!ld_want_map(c, n, "a final expectation"))
        return false;
    if ((v = ld_get(c, n, "granule"))) {
        f->kind = SCN_FINAL_GRANULE;
        return ld_check_keys(c, n, "granule expectation",
                             (const char *const[]){"granule", "state", NULL}) &&
               final_pa(c, v, "granule", f) &&
               ld_require(c, n, "state", "granule expectation", &m) &&
               ld_name(c, m, &scn_granule_states, &f->state);
    }
    if ((v = ld_get(c, n, "gpi"))) {
        f->kind = SCN_FINAL_GPI;
        return ld_check_keys(c, n, "gpi expectation", (const char *const[]){"gpi", "is", NULL}) &&
               final_pa(c, v, "gpi", f) && ld_require(c, n, "is", "gpi expectation", &m) &&
               ld_name(c, m, &scn_gpi_names, &f->gpi);
    }
    if ((v = ld_get(c, n, "memory"))) {
        unsigned pas = RME_PAS_NS;
        yaml_node_t *q;
        f->kind = SCN_FINAL_MEMORY;
        f->size = 8;
        if (!ld_check_keys(c, n, "memory expectation",
                           (const char *const[]){"memory", "value", NULL}) ||
            !ld_want_map(c, v, "memory") ||
            !ld_check_keys(c, v, "memory", (const char *const[]){"pa", "pas", "size", NULL}) ||
            !ld_require(c, v, "pa", "memory", &q) || !final_pa(c, q, "pa", f))
            return false;
        if ((q = ld_get(c, v, "pas")) && !ld_name(c, q, &scn_pas_names, &pas))
            return false;
        f->pas = (enum rme_pas)pas;
        if ((q = ld_get(c, v, "size"))) {
            unsigned size;
            if (!ld_uint_range(c, q, "size", 1, 8, &size))
                return false;
            if (size & (size - 1))
                return ld_fail(c, q, "size must be 1, 2, 4 or 8");
            f->size = size;
        }
        return ld_require(c, n, "value", "memory expectation", &m) &&
               ld_u64(c, m, "value", &f->value);
    }
    if ((v = ld_get(c, n, "device"))) {
        f->kind = SCN_FINAL_DEVICE;
        if (!ld_check_keys(c, n, "device expectation",
                           (const char *const[]){"device", "output", NULL}) ||
            !ld_want_scalar(c, v, "device"))
            return false;
        int d = scenario_find_device(c->s, ld_scalar(v));
        if (d < 0)
            return ld_fail(c, v, "'%s' names no device", ld_scalar(v));
        f->device = (unsigned)d;
        return ld_require(c, n, "output", "device expectation", &m) &&
               ld_string(c, m, "output", &f->text);
    }
    if ((v = ld_get(c, n, "rtt"))) {
        yaml_node_t *q;
        unsigned level;
        f->kind = SCN_FINAL_RTT;
        if (!ld_check_keys(c, n, "rtt expectation",
                           (const char *const[]){"rtt", "state", "ripas", NULL}) ||
            !ld_want_map(c, v, "rtt") ||
            !ld_check_keys(c, v, "rtt", (const char *const[]){"realm", "ipa", "level", NULL}) ||
            !ld_require(c, v, "realm", "rtt", &q) || !ld_want_scalar(c, q, "realm"))
            return false;
        int r = scenario_find_realm(c->s, ld_scalar(q));
        if (r < 0)
            return ld_fail(c, q, "'%s' names no realm", ld_scalar(q));
        f->realm = (unsigned)r;
        if (!ld_require(c, v, "ipa", "rtt", &q) || !ld_u64(c, q, "ipa", &f->ipa) ||
            !ld_require(c, v, "level", "rtt", &q) || !ld_uint_range(c, q, "level", 0, 3, &level) ||
            !ld_require(c, n, "state", "rtt expectation", &m) ||
            !ld_name(c, m, &scn_rtte_states, &f->state))
            return false;
        f->level = (int)level;
        if ((m = ld_get(c, n, "ripas"))) {
            f->has_ripas = true;
            return ld_name(c, m, &scn_ripas, &f->ripas);
        }
        return true;
    }
    if ((v = ld_get(c, n, "realm"))) {
        f->kind = SCN_FINAL_REALM;
        if (!ld_check_keys(c, n, "realm expectation",
                           (const char *const[]){"realm", "state", NULL}) ||
            !ld_want_scalar(c, v, "realm"))
            return false;
        int r = scenario_find_realm(c->s, ld_scalar(v));
        if (r < 0)
            return ld_fail(c, v, "'%s' names no realm", ld_scalar(v));
        f->realm = (unsigned)r;
        return ld_require(c, n, "state", "realm expectation", &m) &&
               ld_name(c, m, &scn_realm_states, &f->state);
    }
    if ((v = ld_get(c, n, "stat"))) {
        f->kind = SCN_FINAL_STAT;
        if (!ld_check_keys(c, n, "stat expectation",
                           (const char *const[]){"stat", "min", "max", NULL}) ||
            !ld_string(c, v, "stat", &f->text))
            return false;
        if ((m = ld_get(c, n, "min")) && !ld_u64(c, m, "min", &f->min))
            return false;
        f->has_min = m != NULL;
        if ((m = ld_get(c, n, "max")) && !ld_u64(c, m, "max", &f->max))
            return false;
        f->has_max = m != NULL;
        if (!f->has_min && !f->has_max)
            return ld_fail(c, n, "stat expectation needs min or max");
        return true;
    }
    return ld_fail(c, n,
                   "a final expectation starts with one of: granule, gpi, memory, device, "
                   "realm, rtt, stat");
}

bool ld_finals(struct ld *c, const yaml_node_t *n)
{
    if (!ld_want_seq(c, n, "expect"))
        return false;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    c->s->finals = ld_calloc(count, sizeof(*c->s->finals));
    for (size_t i = 0; i < count; i++) {
        c->s->n_finals = i + 1;
        if (!final_item(c, ld_node(c, n->data.sequence.items.start[i]), &c->s->finals[i]))
            return false;
    }
    return true;
}
