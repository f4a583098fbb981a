/* steps: actors, actions and their operands. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

static const char *const action_keys[SCN_ACT_COUNT] = {
    [SCN_ACT_LOAD] = "load",
    [SCN_ACT_STORE] = "store",
    [SCN_ACT_FETCH] = "fetch",
    [SCN_ACT_RMI] = "rmi",
    [SCN_ACT_RSI] = "rsi",
    [SCN_ACT_DELEGATE] = "delegate",
    [SCN_ACT_UNDELEGATE] = "undelegate",
    [SCN_ACT_MAP] = "map",
    [SCN_ACT_IOREMAP] = "ioremap",
    [SCN_ACT_SHARE] = "share",
    [SCN_ACT_UNSHARE] = "unshare",
    [SCN_ACT_TLBI] = "tlbi",
    [SCN_ACT_PARALLEL] = "parallel",
    [SCN_ACT_GPT_TRANSITION] = "gpt_transition",
    [SCN_ACT_GPT_WRITE] = "gpt_write",
    [SCN_ACT_DESTROY] = "destroy",
    [SCN_ACT_COMPLETE] = "complete",
    [SCN_ACT_RUN] = "run",
    [SCN_ACT_REPEAT] = "repeat",
};

/* Which actor may perform which action (bit per enum scn_actor_kind). */
#define HOST (1u << SCN_ACTOR_HOST)
#define EL3 (1u << SCN_ACTOR_EL3)
#define REALM (1u << SCN_ACTOR_REALM)
static const unsigned action_actors[SCN_ACT_COUNT] = {
    [SCN_ACT_LOAD] = HOST | EL3 | REALM,
    [SCN_ACT_STORE] = HOST | EL3 | REALM,
    [SCN_ACT_FETCH] = HOST | EL3 | REALM,
    [SCN_ACT_RMI] = HOST,
    [SCN_ACT_RSI] = REALM,
    [SCN_ACT_DELEGATE] = HOST,
    [SCN_ACT_UNDELEGATE] = HOST,
    [SCN_ACT_MAP] = REALM,
    [SCN_ACT_IOREMAP] = REALM,
    [SCN_ACT_SHARE] = REALM,
    [SCN_ACT_UNSHARE] = REALM,
    [SCN_ACT_TLBI] = HOST | EL3 | REALM,
    [SCN_ACT_PARALLEL] = 0,
    [SCN_ACT_GPT_TRANSITION] = EL3,
    [SCN_ACT_GPT_WRITE] = EL3,
    [SCN_ACT_DESTROY] = HOST,
    [SCN_ACT_COMPLETE] = HOST,
    [SCN_ACT_RUN] = REALM,
    [SCN_ACT_REPEAT] = 0,
};

const char *scn_action_name(enum scn_action_kind k)
{
    return (unsigned)k < SCN_ACT_COUNT ? action_keys[k] : "?";
}

static const char *actor_text(const struct ld *c, const struct scn_actor *a, char *buf, size_t len)
{
    if (a->kind == SCN_ACTOR_HOST)
        return "host";
    if (a->kind == SCN_ACTOR_EL3)
        return "el3";
    snprintf(buf, len, "%s.vcpu%u", c->s->realms[a->realm].name, a->vcpu);
    return buf;
}

bool ld_actor(struct ld *c, const yaml_node_t *n, struct scn_actor *a)
{
    if (!ld_want_scalar(c, n, "on"))
        return false;
    const char *t = ld_scalar(n);
    if (strcmp(t, "host") == 0) {
        a->kind = SCN_ACTOR_HOST;
        return true;
    }
    if (strcmp(t, "el3") == 0) {
        a->kind = SCN_ACTOR_EL3;
        return true;
    }
    const char *dot = strrchr(t, '.');
    char names[300] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->s->n_realms && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 c->s->realms[i].name);
    if (!dot || strncmp(dot, ".vcpu", 5) != 0)
        return ld_fail(c, n, "actor '%s' is not host, el3 or REALM.vcpuN", t);
    for (size_t i = 0; i < c->s->n_realms; i++) {
        const struct scn_realm *r = &c->s->realms[i];
        if (strlen(r->name) != (size_t)(dot - t) || strncmp(r->name, t, (size_t)(dot - t)) != 0)
            continue;
        uint64_t v;
        if (!ld_parse_number(dot + 5, false, &v))
            return ld_fail(c, n, "actor '%s': vcpu index must be a number", t);
        if (v >= r->vcpus)
            return ld_fail(c, n, "actor '%s': realm '%s' has %u vcpu%s", t, r->name, r->vcpus,
                           r->vcpus == 1 ? "" : "s");
        a->kind = SCN_ACTOR_REALM;
        a->realm = (unsigned)i;
        a->vcpu = (unsigned)v;
        return true;
    }
    return ld_fail(c, n, "actor '%s' names no realm (realms: %s)", t,
                   c->s->n_realms ? names : "none");
}

bool ld_pa_in_range(struct ld *c, const yaml_node_t *n, const char *what, uint64_t pa,
                    uint64_t size)
{
    unsigned bits = c->s->platform.pa_bits;
    uint64_t limit = 1ull << bits;
    if (pa >= limit)
        return ld_fail(c, n, "%s 0x%llx lies beyond pa_bits (%u bits)", what,
                       (unsigned long long)pa, bits);
    if (size > limit - pa) /* the size's fault, not the address's */
        return ld_fail(c, n, "%s 0x%llx with size 0x%llx runs past 2^pa_bits (0x%llx, %u bits)",
                       what, (unsigned long long)pa, (unsigned long long)size,
                       (unsigned long long)limit, bits);
    return true;
}

static bool access_size(struct ld *c, const yaml_node_t *n, unsigned *size)
{
    uint64_t v;
    if (!ld_u64(c, n, "size", &v))
        return false;
    if (v != 1 && v != 2 && v != 4 && v != 8)
        return ld_fail(c, n, "access size must be 1, 2, 4 or 8, got %llu", (unsigned long long)v);
    *size = (unsigned)v;
    return true;
}

static bool memory_access(struct ld *c, const yaml_node_t *n, const struct scn_step *step,
                          struct scn_action *a)
{
    static const char *const keys[] = {"va",    "size",   "value",   "pas",     "realm", "ipa",
                                       "count", "stride", "backing", "pattern", NULL};
    const char *what = action_keys[a->kind];
    yaml_node_t *v;
    if (!ld_want_map(c, n, what) || !ld_check_keys(c, n, what, keys))
        return false;
    a->size = a->kind == SCN_ACT_FETCH ? 4 : 8;
    if ((v = ld_get(c, n, "size"))) {
        if (a->kind == SCN_ACT_FETCH)
            return ld_fail(c, v, "fetch takes no size (instructions are 4 bytes)");
        if (!access_size(c, v, &a->size))
            return false;
    }
    a->count = 1;
    a->stride = a->size;
    if ((v = ld_get(c, n, "pattern")))
        return ld_pattern(c, n, step, a);
    if ((v = ld_get(c, n, "count"))) {
        unsigned count;
        if (!ld_uint_range(c, v, "count", 1, 1u << 24, &count))
            return false;
        a->count = count;
    }
    if ((v = ld_get(c, n, "stride")) && !ld_size(c, v, "stride", &a->stride))
        return false;
    yaml_node_t *realm = ld_get(c, n, "realm"), *ipa = ld_get(c, n, "ipa"),
                *va = ld_get(c, n, "va");
    if (realm || ipa) {
        if (step->actor.kind != SCN_ACTOR_HOST)
            return ld_fail(c, realm ? realm : ipa,
                           "{ realm, ipa } addressing is for the host only");
        if (!realm || !ipa)
            return ld_fail(c, n, "%s by realm IPA needs both 'realm' and 'ipa'", what);
        if (va)
            return ld_fail(c, va, "give either va or { realm, ipa }, not both");
        if (!ld_want_scalar(c, realm, "realm"))
            return false;
        int r = scenario_find_realm(c->s, ld_scalar(realm));
        if (r < 0)
            return ld_fail(c, realm, "'%s' names no realm", ld_scalar(realm));
        a->by_realm_ipa = true;
        a->realm = (unsigned)r;
        if (!ld_u64(c, ipa, "ipa", &a->ipa) || !ld_backing(c, n, &a->backing))
            return false;
        if (a->ipa >> c->s->realms[r].ipa_bits)
            return ld_fail(c, ipa, "ipa 0x%llx lies beyond realm '%s' IPA space (%u bits)",
                           (unsigned long long)a->ipa, c->s->realms[r].name,
                           c->s->realms[r].ipa_bits);
    } else {
        if ((v = ld_get(c, n, "backing")))
            return ld_fail(c, v, "backing: goes with { realm, ipa }, not va");
        if (!va)
            return ld_fail(c, n, "%s needs 'va'", what);
        if (!ld_u64(c, va, "va", &a->va))
            return false;
        a->has_va = true;
        /* host and el3 use identity maps: their VA is a PA, the last one included */
        uint64_t span = (a->count - 1) * a->stride;
        if (a->count > 1 && a->stride && span / a->stride != a->count - 1)
            return ld_fail(c, n, "count x stride overflows");
        if (step->actor.kind != SCN_ACTOR_REALM &&
            !ld_pa_in_range(c, va, "va", a->va, span + a->size))
            return false;
    }
    return ld_access_pas_value(c, n, step, a, a->kind == SCN_ACT_STORE);
}

bool ld_access_pas_value(struct ld *c, const yaml_node_t *n, const struct scn_step *step,
                         struct scn_action *a, bool writes)
{
    yaml_node_t *v;
    if ((v = ld_get(c, n, "pas"))) {
        unsigned pas;
        if (step->actor.kind != SCN_ACTOR_EL3)
            return ld_fail(c, v, "pas: is for el3 only (other actors' PAS comes from translation)");
        if (!ld_name(c, v, &scn_pas_names, &pas))
            return false;
        a->has_pas = true;
        a->pas = (enum rme_pas)pas;
    }
    v = ld_get(c, n, "value");
    if (!v && a->kind == SCN_ACT_STORE)
        return ld_fail(c, n, "store needs 'value'");
    if (v && !writes)
        return ld_fail(c, v, "only store takes a value%s",
                       a->pattern.kind ? " (or a load whose pattern has write_ratio)" : "");
    if (v && !ld_u64(c, v, "value", &a->value))
        return false;
    if (a->size < 8 && a->value >> (8 * a->size))
        return ld_fail(c, v, "value 0x%llx does not fit in %u byte%s", (unsigned long long)a->value,
                       a->size, a->size == 1 ? "" : "s");
    return true;
}

static bool pa_range_op(struct ld *c, const yaml_node_t *n, struct scn_action *a)
{
    static const char *const keys[] = {"pa", "size", "realm", "ipa", "backing", NULL};
    const char *what = action_keys[a->kind];
    yaml_node_t *v, *realm;
    if (!ld_want_map(c, n, what) || !ld_check_keys(c, n, what, keys))
        return false;
    if ((realm = ld_get(c, n, "realm"))) {
        /* the page the host backs a realm's IPA with (one granule): an rmesim extension */
        if (ld_get(c, n, "pa") || ld_get(c, n, "size"))
            return ld_fail(c, realm, "%s by realm IPA takes one page: no pa or size", what);
        if (!ld_realm_and_ipa(c, n, what, &a->realm, &a->ipa) || !ld_backing(c, n, &a->backing))
            return false;
        a->by_realm_ipa = true;
        a->range_size = 4096;
        return true;
    }
    if ((v = ld_get(c, n, "backing")))
        return ld_fail(c, v, "backing: goes with { realm, ipa }, not pa");
    if (!ld_require(c, n, "pa", what, &v) || !ld_u64(c, v, "pa", &a->pa))
        return false;
    a->range_size = 4096;
    if ((v = ld_get(c, n, "size")) && !ld_size(c, v, "size", &a->range_size))
        return false;
    if ((a->pa | a->range_size) & 0xFFF || a->range_size == 0)
        return ld_fail(c, n, "%s range must be 4K aligned and non-empty", what);
    /* a range too long is told at its size */
    const bool pa_fits = a->pa < 1ull << c->s->platform.pa_bits;
    return ld_pa_in_range(c, pa_fits && (v = ld_get(c, n, "size")) ? v : n, "pa", a->pa,
                          a->range_size);
}

static bool attrs(struct ld *c, const yaml_node_t *n, unsigned *out)
{
    static const char *const names[] = {"normal", "device", "ro", "xn"};
    const yaml_node_t *items[8];
    size_t count = 0;
    if (ld_is_seq(n)) {
        for (yaml_node_item_t *i = n->data.sequence.items.start;
             i < n->data.sequence.items.top && count < 8; i++)
            items[count++] = ld_node(c, *i);
    } else {
        items[count++] = n;
    }
    *out = 0;
    for (size_t i = 0; i < count; i++) {
        if (!ld_want_scalar(c, items[i], "attrs"))
            return false;
        unsigned bit = 0;
        for (unsigned j = 0; j < 4; j++)
            if (strcmp(ld_scalar(items[i]), names[j]) == 0)
                bit = 1u << j;
        if (!bit)
            return ld_fail(c, items[i], "unknown attribute '%s' (expected: normal, device, ro, xn)",
                           ld_scalar(items[i]));
        *out |= bit;
    }
    if ((*out & SCN_ATTR_NORMAL) && (*out & SCN_ATTR_DEVICE))
        return ld_fail(c, n, "attrs cannot be both normal and device");
    if (!(*out & SCN_ATTR_DEVICE))
        *out |= SCN_ATTR_NORMAL;
    return true;
}

static bool va_ipa_op(struct ld *c, const yaml_node_t *n, struct scn_action *a)
{
    static const char *const map_keys[] = {"va", "ipa", "size", "attrs", NULL};
    static const char *const ioremap_keys[] = {"pa", "size", "va", NULL};
    static const char *const share_keys[] = {"ipa", "size", NULL};
    const char *what = action_keys[a->kind];
    const char *const *keys = a->kind == SCN_ACT_MAP       ? map_keys
                              : a->kind == SCN_ACT_IOREMAP ? ioremap_keys
                                                           : share_keys;
    yaml_node_t *v;
    if (!ld_want_map(c, n, what) || !ld_check_keys(c, n, what, keys))
        return false;
    a->range_size = 4096;
    if ((v = ld_get(c, n, "size")) && !ld_size(c, v, "size", &a->range_size))
        return false;
    if (a->kind == SCN_ACT_MAP || a->kind == SCN_ACT_IOREMAP) {
        if (!ld_require(c, n, "va", what, &v) || !ld_u64(c, v, "va", &a->va))
            return false;
        a->has_va = true;
    }
    if (a->kind == SCN_ACT_IOREMAP) {
        if (!ld_require(c, n, "pa", what, &v) || !ld_u64(c, v, "pa", &a->pa))
            return false;
    } else if (!ld_require(c, n, "ipa", what, &v) || !ld_u64(c, v, "ipa", &a->ipa)) {
        return false;
    }
    if (a->kind == SCN_ACT_MAP) {
        a->attrs = SCN_ATTR_NORMAL;
        if ((v = ld_get(c, n, "attrs")) && !attrs(c, v, &a->attrs))
            return false;
    }
    if ((a->va | a->ipa | a->pa | a->range_size) & 0xFFF || a->range_size == 0)
        return ld_fail(c, n, "%s addresses and size must be 4K aligned and the size non-zero",
                       what);
    return true;
}

static int default_core(const struct ld *c, const struct scn_actor *a)
{
    /* host and el3 run on core 0; a realm's vCPU N on core N (mod cores), as KVM pins them */
    return a->kind == SCN_ACTOR_REALM ? (int)(a->vcpu % c->s->platform.cores) : 0;
}

static bool parallel(struct ld *c, const yaml_node_t *n, struct scn_step *s)
{
    if (!ld_want_seq(c, n, "parallel"))
        return false;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count < 2)
        return ld_fail(c, n, "parallel needs at least two steps");
    s->action.children = ld_calloc(count, sizeof(struct scn_step));
    for (size_t i = 0; i < count; i++) {
        struct scn_step *child = &s->action.children[i];
        s->action.n_children = i + 1;
        if (!ld_step(c, ld_node(c, n->data.sequence.items.start[i]), child, true))
            return false;
        for (size_t j = 0; j < i; j++)
            if (s->action.children[j].core == child->core) {
                char at[32];
                return ld_fail_at(c, child->pos,
                                  "parallel steps must run on different cores; core %d is already "
                                  "used by the step at %s",
                                  child->core, scn_line(s->action.children[j].pos, at, sizeof at));
            }
    }
    return true;
}

bool ld_step(struct ld *c, const yaml_node_t *n, struct scn_step *s, bool in_parallel)
{
    static const char *const keys[] = {
        "id",       "on",      "core",     "expect",         "load",      "store",   "fetch",
        "rmi",      "rsi",     "delegate", "undelegate",     "map",       "ioremap", "share",
        "unshare",  "tlbi",    "parallel", "gpt_transition", "gpt_write", "destroy", "after",
        "complete", "stop_at", "run",      "repeat",         NULL};
    yaml_node_t *v, *action = NULL, *action_key = NULL;
    s->pos = ld_pos(n);
    s->core = -1;
    if (!ld_want_map(c, n, "a step") || !ld_check_keys(c, n, "step", keys))
        return false;
    if ((v = ld_get(c, n, "id")) && !ld_string(c, v, "id", &s->id))
        return false;
    for (unsigned k = 0; k < SCN_ACT_COUNT; k++) {
        yaml_node_t *a = ld_get(c, n, action_keys[k]);
        if (!a)
            continue;
        if (action)
            return ld_fail(c, ld_get_key_node(c, n, action_keys[k]),
                           "a step has one action; this one has both '%s' and '%s'",
                           action_keys[s->action.kind], action_keys[k]);
        action = a;
        action_key = ld_get_key_node(c, n, action_keys[k]);
        s->action.kind = (enum scn_action_kind)k;
    }
    if (!action)
        return ld_fail(c, n,
                       "step has no action (one of: load store fetch rmi rsi delegate "
                       "undelegate map ioremap share unshare tlbi parallel gpt_transition "
                       "gpt_write destroy complete run repeat)");
    s->action.pos = ld_pos(action_key);
    if (s->action.kind == SCN_ACT_PARALLEL) {
        if (in_parallel)
            return ld_fail(c, action_key, "parallel steps cannot nest");
        if ((v = ld_get(c, n, "on")) || (v = ld_get(c, n, "core")) ||
            (v = ld_get(c, n, "expect")) || (v = ld_get(c, n, "after")) ||
            (v = ld_get(c, n, "stop_at")))
            return ld_fail(c, v,
                           "a parallel group takes no on, core, expect, after or stop_at: give "
                           "them to its steps");
        return parallel(c, action, s);
    }
    if (s->action.kind == SCN_ACT_REPEAT) {
        if (in_parallel)
            return ld_fail(c, action_key,
                           "a step of a parallel group cannot be a repeat (put the parallel "
                           "group inside the repeat)");
        if ((v = ld_get(c, n, "on")) || (v = ld_get(c, n, "core")) ||
            (v = ld_get(c, n, "expect")) || (v = ld_get(c, n, "after")) ||
            (v = ld_get(c, n, "stop_at")))
            return ld_fail(c, v,
                           "a repeat takes no on, core, expect, after or stop_at: give them to "
                           "the steps of its body");
        return ld_repeat(c, action, s);
    }
    if (!ld_require(c, n, "on", "step", &v) || !ld_actor(c, v, &s->actor))
        return false;
    if (!(action_actors[s->action.kind] & (1u << s->actor.kind))) {
        char buf[80];
        return ld_fail(c, action_key, "actor '%s' cannot perform '%s'",
                       actor_text(c, &s->actor, buf, sizeof buf), action_keys[s->action.kind]);
    }
    if (s->actor.kind == SCN_ACTOR_REALM && c->s->realms[s->actor.realm].image_file &&
        s->action.kind != SCN_ACT_RUN)
        return ld_fail(c, action_key,
                       "realm '%s' runs the code of its image: its vCPUs take run: steps ('%s' "
                       "is the scripted guest's)",
                       c->s->realms[s->actor.realm].name, action_keys[s->action.kind]);
    if ((v = ld_get(c, n, "after"))) {
        /* a start offset only means something against the other steps of a group */
        if (!in_parallel)
            return ld_fail(c, ld_get_key_node(c, n, "after"),
                           "after: is for a step inside parallel: (it delays the step against "
                           "the group's start)");
        if (!ld_u64(c, v, "after (cycles)", &s->after))
            return false;
        if (s->after > UINT32_MAX) /* bounds the simulated time a typo can add */
            return ld_fail(c, v, "after: %llu cycles is too many (at most %u)",
                           (unsigned long long)s->after, UINT32_MAX);
    }
    s->core = default_core(c, &s->actor);
    if (s->action.kind == SCN_ACT_COMPLETE) {
        /* on the core that runs the vCPU, as its realm steps do */
        if (!ld_complete(c, action, &s->action))
            return false;
        struct scn_actor vcpu = {SCN_ACTOR_REALM, s->action.realm, s->action.vcpu};
        s->core = default_core(c, &vcpu);
    }
    if ((v = ld_get(c, n, "stop_at")) && !ld_stop_at(c, v, s))
        return false;
    if ((v = ld_get(c, n, "core"))) {
        unsigned core;
        if (!ld_uint_range(c, v, "core", 0, 63, &core))
            return false;
        if (core >= c->s->platform.cores)
            return ld_fail(c, v, "core %u does not exist (platform.cores is %u)", core,
                           c->s->platform.cores);
        s->core = (int)core;
    }
    bool ok;
    switch (s->action.kind) {
    case SCN_ACT_LOAD:
    case SCN_ACT_STORE:
    case SCN_ACT_FETCH:
        ok = memory_access(c, action, s, &s->action);
        break;
    case SCN_ACT_RMI:
    case SCN_ACT_RSI:
        ok = ld_call(c, action, &s->action, s->action.kind == SCN_ACT_RMI);
        break;
    case SCN_ACT_DELEGATE:
    case SCN_ACT_UNDELEGATE:
        ok = pa_range_op(c, action, &s->action);
        break;
    case SCN_ACT_MAP:
    case SCN_ACT_IOREMAP:
    case SCN_ACT_SHARE:
    case SCN_ACT_UNSHARE:
        ok = va_ipa_op(c, action, &s->action);
        break;
    case SCN_ACT_TLBI:
        ok = ld_tlbi(c, action, &s->action);
        break;
    case SCN_ACT_COMPLETE: /* parsed above, for its core */
        ok = true;
        break;
    case SCN_ACT_RUN:
        ok = ld_run(c, action, s);
        break;
    case SCN_ACT_DESTROY: {
        int r = -1;
        ok = ld_want_scalar(c, action, "destroy (a realm's name)");
        if (ok && (r = scenario_find_realm(c->s, ld_scalar(action))) < 0)
            ok = ld_fail(c, action, "destroy: no realm is named '%s'", ld_scalar(action));
        s->action.realm = (unsigned)r;
        break;
    }
    default:
        ok = ld_gpt_op(c, action, &s->action);
        break;
    }
    if (!ok)
        return false;
    if ((v = ld_get(c, n, "expect")))
        return ld_step_checks(c, v, s);
    return true;
}

struct step_id_seen {
    const struct scn_step *step;
    size_t order; /* in the document */
};

/* The steps that have an id, in document order (a parallel group's children in place). */
static void collect_ids(const struct scn_step *s, struct step_id_seen *seen, size_t *n_seen)
{
    if (s->id && s->action.kind != SCN_ACT_PARALLEL) { /* a repeat's id too: --set names it */
        seen[*n_seen] = (struct step_id_seen){s, *n_seen};
        ++*n_seen;
    }
    for (size_t i = 0; i < s->action.n_children; i++)
        collect_ids(&s->action.children[i], seen, n_seen);
}

static int by_id_then_order(const void *a, const void *b)
{
    const struct step_id_seen *x = a, *y = b;
    int c = strcmp(x->step->id, y->step->id);
    return c ? c : (x->order < y->order ? -1 : 1);
}

/* No id twice: sorted, so linear after the sort (10^5 ids took 37 s compared pairwise). The
 * error is at the first step, in document order, whose id an earlier step has. */
static bool unique_ids(struct ld *c, struct step_id_seen *seen, size_t n)
{
    qsort(seen, n, sizeof seen[0], by_id_then_order);
    const struct step_id_seen *dup = NULL;
    for (size_t i = 1; i < n; i++)
        if (!strcmp(seen[i].step->id, seen[i - 1].step->id) && seen[i - 1].order < seen[i].order &&
            (i < 2 || strcmp(seen[i - 2].step->id, seen[i].step->id)) &&
            (!dup || seen[i].order < dup->order))
            dup = &seen[i];
    if (!dup)
        return true;
    char at[32];
    return ld_fail_at(c, dup->step->pos, "step id '%s' is already used at %s", dup->step->id,
                      scn_line((dup - 1)->step->pos, at, sizeof at));
}

static size_t count_steps(const struct scn_step *s, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += 1 + count_steps(s[i].action.children, s[i].action.n_children);
    return total;
}

bool ld_steps(struct ld *c, const yaml_node_t *n)
{
    if (!ld_want_seq(c, n, "steps"))
        return false;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    c->s->steps = ld_calloc(count, sizeof(*c->s->steps));
    for (size_t i = 0; i < count; i++) {
        c->s->n_steps = i + 1;
        if (!ld_step(c, ld_node(c, n->data.sequence.items.start[i]), &c->s->steps[i], false))
            return false;
    }
    if (scenario_steps_run(c->s->steps, c->s->n_steps) > SCN_MAX_STEPS_RUN)
        return ld_fail(c, n, "the scenario runs more than %llu steps",
                       (unsigned long long)SCN_MAX_STEPS_RUN);
    size_t total = count_steps(c->s->steps, c->s->n_steps), n_seen = 0;
    struct step_id_seen *seen = ld_calloc(total, sizeof(*seen));
    for (size_t i = 0; i < c->s->n_steps; i++)
        collect_ids(&c->s->steps[i], seen, &n_seen);
    bool ok = n_seen == 0 || unique_ids(c, seen, n_seen);
    free(seen);
    return ok && ld_secondaries_started(c);
}
