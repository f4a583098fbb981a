/* rmi: and rsi: steps: the arguments by the specification's names, the values they take (numbers,
 * a realm's RD, a REC, the page behind a realm IPA, a structure given as a map). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

/* Arguments by the specification's register names (rmm.md 1.2; RMM spec B5.3). */
struct arg_spec {
    unsigned command;
    const char *args[7];
};
static const struct arg_spec rmi_args[] = {
    {0x150, {"req"}},
    {0x151, {"addr"}},
    {0x152, {"addr"}},
    {0x153, {"rd", "data", "ipa", "src", "flags"}},
    {0x154, {"rd", "data", "ipa"}},
    {0x155, {"rd", "ipa"}},
    {0x157, {"rd"}},
    {0x158, {"rd", "params_ptr", "params"}},
    {0x159, {"rd"}},
    {0x15A, {"rd", "rec", "params_ptr", "params"}},
    {0x15B, {"rec"}},
    {0x15C, {"rec", "run_ptr", "run"}},
    {0x15D, {"rd", "rtt", "ipa", "level"}},
    {0x15E, {"rd", "ipa", "level"}},
    {0x15F, {"rd", "ipa", "level", "desc"}},
    {0x161, {"rd", "ipa", "level"}},
    {0x162, {"rd", "ipa", "level"}},
    {0x164, {"calling_rec", "target_rec", "status"}},
    {0x165, {"index"}},
    {0x166, {"rd", "ipa", "level"}},
    {0x167, {"rd"}},
    {0x168, {"rd", "base", "top"}},
    {0x169, {"rd", "rec", "base", "top"}},
};
static const struct arg_spec rsi_args[] = {
    {0x190, {"req"}},
    {0x191, {"index"}},
    {0x192, {"index"}},
    {0x193, {"index", "size", "value"}},
    {0x194, {"challenge"}},
    {0x195, {"addr", "offset", "size"}},
    {0x196, {"addr"}},
    {0x197, {"base", "top", "ripas", "flags"}},
    {0x198, {"base", "top"}},
    {0x199, {"addr", "imm", "gprs"}},
    {0xC4000001u, {"power_state", "entry_point", "context_id"}},
    {0xC4000003u, {"target_cpu", "entry_point", "context_id"}},
    {0xC4000004u, {"target_affinity", "lowest_affinity_level"}},
    {0x8400000Au, {"function_id"}},
};

int scn_arg_register(bool rmi, unsigned command, const char *name)
{
    const struct arg_spec *specs = rmi ? rmi_args : rsi_args;
    size_t n = rmi ? sizeof rmi_args / sizeof rmi_args[0] : sizeof rsi_args / sizeof rsi_args[0];
    for (size_t i = 0; i < n; i++) {
        if (specs[i].command != command)
            continue;
        int reg = 1;
        for (size_t j = 0; j < 7 && specs[i].args[j]; j++, reg++) {
            const char *a = specs[i].args[j];
            /* a structure given as a map takes its pointer's register */
            if (!strcmp(a, "params") || !strcmp(a, "run"))
                reg--;
            if (!strcmp(a, name))
                return reg;
        }
    }
    return -1;
}

const char *scn_arg_name(bool rmi, unsigned command, int reg)
{
    const struct arg_spec *specs = rmi ? rmi_args : rsi_args;
    size_t n = rmi ? sizeof rmi_args / sizeof rmi_args[0] : sizeof rsi_args / sizeof rsi_args[0];
    for (size_t i = 0; i < n; i++)
        if (specs[i].command == command) {
            int at = 1;
            for (size_t j = 0; j < 7 && specs[i].args[j]; j++) {
                const char *a = specs[i].args[j];
                if (!strcmp(a, "params") || !strcmp(a, "run"))
                    continue;
                if (at++ == reg)
                    return a;
            }
        }
    return NULL;
}

/* Field names of the NS structures a map may stand for (RMM spec B4.4.12, B4.4.19, B4.4.14). */
static const char *const realm_params_fields[] = {
    "flags",           "s2sz",          "sve_vl", "num_bps", "num_wps",
    "pmu_num_ctrs",    "hash_algo",     "rpv",    "vmid",    "rtt_base",
    "rtt_level_start", "rtt_num_start", NULL};
static const char *const rec_params_fields[] = {"flags",   "mpidr", "pc", "gprs",
                                                "num_aux", "aux",   NULL};
static const char *const rec_enter_fields[] = {"flags", "gprs", "gicv3_hcr", "gicv3_lrs", NULL};

/* The structure fields that are arrays, and how many doublewords each holds (B4.4.12 rpv,
 * B4.4.19 gprs and aux, B4.4.14 gprs and gicv3_lrs); every other field is one doubleword. */
struct array_field {
    const char *name;
    size_t length;
};
static const struct array_field realm_params_arrays[] = {{"rpv", 8}, {NULL, 0}};
static const struct array_field rec_params_arrays[] = {{"gprs", 8}, {"aux", 16}, {NULL, 0}};
static const struct array_field rec_enter_arrays[] = {{"gprs", 31}, {"gicv3_lrs", 16}, {NULL, 0}};

bool ld_value(struct ld *c, const yaml_node_t *n, struct scn_value *v)
{
    v->pos = ld_pos(n);
    if (ld_is_seq(n)) {
        size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        v->kind = SCN_VAL_LIST;
        v->list = ld_calloc(count, sizeof(uint64_t));
        for (size_t i = 0; i < count; i++) {
            v->n_list = i + 1;
            if (!ld_u64(c, ld_node(c, n->data.sequence.items.start[i]), "list item", &v->list[i]))
                return false;
        }
        return true;
    }
    if (ld_is_map(n)) {
        size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
        v->kind = SCN_VAL_MAP;
        v->fields = ld_calloc(count, sizeof(*v->fields));
        for (size_t i = 0; i < count; i++) {
            yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
            yaml_node_t *k = ld_node(c, p->key);
            if (!ld_want_scalar(c, k, "a field name"))
                return false;
            v->n_fields = i + 1;
            v->fields[i].name = ld_strdup(ld_scalar(k));
            v->fields[i].pos = ld_pos(k);
            if (!ld_value(c, ld_node(c, p->value), &v->fields[i].value))
                return false;
        }
        return true;
    }
    const char *t = ld_scalar(n);
    if (ld_parse_number(t, true, &v->number)) {
        v->kind = SCN_VAL_NUMBER;
        return true;
    }
    int r = scenario_find_realm(c->s, t);
    if (r >= 0) {
        v->kind = SCN_VAL_REALM;
        v->realm = (unsigned)r;
        return true;
    }
    struct scn_actor a;
    if (strchr(t, '.') && ld_actor(c, n, &a) && a.kind == SCN_ACTOR_REALM) {
        v->kind = SCN_VAL_REC;
        v->realm = a.realm;
        v->vcpu = a.vcpu;
        return true;
    }
    if (strchr(t, '.'))
        return false; /* actor() explained why */
    const struct scn_name *ripas = scn_name_lookup(&scn_ripas, t);
    if (ripas) {
        v->kind = SCN_VAL_NUMBER;
        v->number = ripas->code;
        return true;
    }
    return ld_fail(c, n, "'%s' is not a number, a realm or a REC (REALM.vcpuN)", t);
}

/* { realm, ipa } naming one page of a realm (map n, `what` for messages): the realm's index and
 * the IPA, which must be 4K aligned and inside the realm's IPA space. */
bool ld_realm_and_ipa(struct ld *c, const yaml_node_t *n, const char *what, unsigned *realm,
                      uint64_t *ipa)
{
    yaml_node_t *rn, *in;
    if (!ld_require(c, n, "realm", what, &rn) || !ld_want_scalar(c, rn, "realm"))
        return false;
    int r = scenario_find_realm(c->s, ld_scalar(rn));
    if (r < 0)
        return ld_fail(c, rn, "'%s' names no realm", ld_scalar(rn));
    if (!ld_require(c, n, "ipa", what, &in) || !ld_u64(c, in, "ipa", ipa))
        return false;
    if (*ipa >> c->s->realms[r].ipa_bits || (*ipa & 0xFFF))
        return ld_fail(c, in, "ipa 0x%llx is not a 4K-aligned IPA of realm '%s'",
                       (unsigned long long)*ipa, c->s->realms[r].name);
    *realm = (unsigned)r;
    return true;
}

bool ld_is_pa_name(struct ld *c, const yaml_node_t *n)
{
    return ld_is_map(n) && (ld_get(c, n, "rtt") || ld_get(c, n, "rec") || ld_get(c, n, "aux"));
}

/* { realm, rtt: { ipa, level } } or { realm, rec, aux } (struct scn_pa_name). What can be
 * checked before the run is: the level is one the realm's RTTs can have, the REC one of its
 * vCPUs and the index below 16, the most auxiliary granules a REC takes (RMM spec, B4.3.11
 * RMI_REC_AUX_COUNT). */
bool ld_pa_name(struct ld *c, const yaml_node_t *n, const char *what, struct scn_pa_name *out)
{
    static const char *const rtt_keys[] = {"realm", "rtt", NULL};
    static const char *const aux_keys[] = {"realm", "rec", "aux", NULL};
    yaml_node_t *rn, *v, *q;
    bool rtt = ld_get(c, n, "rtt") != NULL;
    out->pos = ld_pos(n);
    if (!ld_check_keys(c, n, what, rtt ? rtt_keys : aux_keys) ||
        !ld_require(c, n, "realm", what, &rn) || !ld_want_scalar(c, rn, "realm"))
        return false;
    int r = scenario_find_realm(c->s, ld_scalar(rn));
    if (r < 0)
        return ld_fail(c, rn, "'%s' names no realm", ld_scalar(rn));
    const struct scn_realm *realm = &c->s->realms[r];
    out->realm = (unsigned)r;
    if (rtt) {
        unsigned level;
        out->kind = SCN_PA_RTT;
        v = ld_get(c, n, "rtt");
        if (!ld_want_map(c, v, "rtt") ||
            !ld_check_keys(c, v, "rtt", (const char *const[]){"ipa", "level", NULL}) ||
            !ld_require(c, v, "ipa", "rtt", &q) || !ld_u64(c, q, "ipa", &out->ipa))
            return false;
        if (out->ipa >> realm->ipa_bits)
            return ld_fail(c, q, "ipa 0x%llx is outside realm '%s' (%u IPA bits)",
                           (unsigned long long)out->ipa, realm->name, realm->ipa_bits);
        if (!ld_require(c, v, "level", "rtt", &q) || !ld_uint_range(c, q, "level", 0, 3, &level))
            return false;
        if (realm->has_rtt_level_start && (int)level < realm->rtt_level_start)
            return ld_fail(c, q, "realm '%s' has no level-%u RTT: its RTTs start at level %d",
                           realm->name, level, realm->rtt_level_start);
        out->level = (int)level;
        return true;
    }
    out->kind = SCN_PA_AUX;
    if (!ld_require(c, n, "rec", what, &q) ||
        !ld_uint_range(c, q, "rec", 0, realm->vcpus - 1, &out->rec) ||
        !ld_require(c, n, "aux", what, &q) || !ld_uint_range(c, q, "aux", 0, 15, &out->aux))
        return false;
    return true;
}

bool ld_backing(struct ld *c, const yaml_node_t *n, unsigned *backing)
{
    yaml_node_t *b = ld_get(c, n, "backing");
    *backing = SCN_BACKING_BY_ATTRIBUTE;
    return !b || ld_name(c, b, &scn_backings, backing);
}

/* An RMI address argument given as { realm, ipa }: the page behind that IPA in the host's
 * memslot, resolved when the step runs (an rmesim extension, as for delegate). */
static bool realm_page(struct ld *c, const yaml_node_t *n, struct scn_value *v)
{
    if (!ld_realm_and_ipa(c, n, "a page given by realm and IPA", &v->realm, &v->number) ||
        !ld_backing(c, n, &v->backing))
        return false;
    v->kind = SCN_VAL_REALM_PAGE;
    v->pos = ld_pos(n);
    return true;
}

static bool check_fields(struct ld *c, const struct scn_value *v, const char *what,
                         const char *const *allowed, const struct array_field *arrays)
{
    for (size_t i = 0; i < v->n_fields; i++) {
        const struct scn_field *f = &v->fields[i];
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            known |= strcmp(*a, f->name) == 0;
        if (!known) {
            char list[300];
            return ld_fail_at(c, f->pos, "unknown field '%s' in %s (expected: %s)", f->name, what,
                              ld_join(allowed, list, sizeof list));
        }
        if (f->value.kind != SCN_VAL_LIST)
            continue;
        size_t length = 0;
        for (const struct array_field *a = arrays; a->name; a++)
            if (!strcmp(a->name, f->name))
                length = a->length;
        if (!length)
            return ld_fail_at(c, f->value.pos, "%s.%s is one doubleword, not a list", what,
                              f->name);
        if (f->value.n_list > length)
            return ld_fail_at(c, f->value.pos, "%s.%s holds at most %zu doublewords, got %zu", what,
                              f->name, length, f->value.n_list);
    }
    return true;
}

bool ld_call(struct ld *c, const yaml_node_t *n, struct scn_action *a, bool rmi)
{
    static const char *const keys[] = {"cmd", "args", NULL};
    const struct scn_name_table *t = rmi ? &scn_rmi_commands : &scn_rsi_commands;
    const yaml_node_t *cmd = n, *args = NULL;
    if (ld_is_map(n)) {
        yaml_node_t *v;
        if (!ld_check_keys(c, n, rmi ? "rmi" : "rsi", keys) ||
            !ld_require(c, n, "cmd", rmi ? "rmi" : "rsi", &v))
            return false;
        cmd = v;
        args = ld_get(c, n, "args");
    }
    if (!ld_name(c, cmd, t, &a->command))
        return false;
    if (!args)
        return true;
    const struct arg_spec *specs = rmi ? rmi_args : rsi_args;
    size_t nspecs =
        rmi ? sizeof rmi_args / sizeof rmi_args[0] : sizeof rsi_args / sizeof rsi_args[0];
    const struct arg_spec *spec = NULL;
    for (size_t i = 0; i < nspecs; i++)
        if (specs[i].command == a->command)
            spec = &specs[i];
    char what[64];
    snprintf(what, sizeof what, "%s_%s args", rmi ? "RMI" : "RSI", scn_name_of(t, a->command));
    if (!ld_want_map(c, args, what))
        return false;
    const char *allowed[8] = {0};
    for (size_t i = 0; i < 7 && spec->args[i]; i++)
        allowed[i] = spec->args[i];
    if (!ld_check_keys(c, args, what, allowed))
        return false;
    size_t count = (size_t)(args->data.mapping.pairs.top - args->data.mapping.pairs.start);
    a->args = ld_calloc(count, sizeof(*a->args));
    for (size_t i = 0; i < count; i++) {
        yaml_node_pair_t *p = &args->data.mapping.pairs.start[i];
        yaml_node_t *k = ld_node(c, p->key), *val = ld_node(c, p->value);
        struct scn_field *f = &a->args[i];
        f->name = ld_strdup(ld_scalar(k));
        f->pos = ld_pos(k);
        a->n_args = i + 1;
        bool is_struct = !strcmp(f->name, "params") || !strcmp(f->name, "run");
        if (!is_struct && ld_is_pa_name(c, val)) { /* an RTT or auxiliary granule */
            f->value.kind = SCN_VAL_NAMED_PA;
            f->value.pos = ld_pos(val);
            if (!ld_pa_name(c, val, "a named granule", &f->value.named))
                return false;
            continue;
        }
        if (!is_struct && ld_is_map(val)) { /* an address given as { realm, ipa } */
            static const char *const page_keys[] = {"realm", "ipa", "backing", NULL};
            if (!ld_check_keys(c, val, "a page given by realm and IPA", page_keys) ||
                !realm_page(c, val, &f->value))
                return false;
            continue;
        }
        if (!ld_value(c, val, &f->value))
            return false;
        if (is_struct != (f->value.kind == SCN_VAL_MAP))
            return ld_fail(c, val, "%s must be %s", f->name,
                           is_struct ? "a map of structure fields"
                                     : "a number, a name or { realm, ipa }");
        bool extend_value = !rmi && a->command == 0x193 && !strcmp(f->name, "value");
        bool list_ok = !strcmp(f->name, "gprs") || !strcmp(f->name, "challenge") || extend_value;
        if (f->value.kind == SCN_VAL_LIST && !list_ok)
            return ld_fail(c, val, "%s must be a number or a name, not a list", f->name);
        if (f->value.kind == SCN_VAL_LIST && !strcmp(f->name, "challenge") && f->value.n_list > 8)
            return ld_fail(c, val, "challenge is at most 8 doublewords (X1..X8), got %zu",
                           f->value.n_list);
        if (f->value.kind == SCN_VAL_LIST && extend_value &&
            (f->value.n_list < 1 || f->value.n_list > 8))
            return ld_fail(c, val,
                           "value is 1 to 8 doublewords (X3..X10, 64 bytes at most), got %zu",
                           f->value.n_list);
        bool realm_params = a->command == 0x158;
        if (!strcmp(f->name, "params") &&
            !check_fields(c, &f->value, realm_params ? "RmiRealmParams" : "RmiRecParams",
                          realm_params ? realm_params_fields : rec_params_fields,
                          realm_params ? realm_params_arrays : rec_params_arrays))
            return false;
        if (!strcmp(f->name, "run") &&
            !check_fields(c, &f->value, "RmiRecEnter", rec_enter_fields, rec_enter_arrays))
            return false;
    }
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < i; j++)
            if ((!strcmp(a->args[i].name, "params") && !strcmp(a->args[j].name, "params_ptr")) ||
                (!strcmp(a->args[i].name, "params_ptr") && !strcmp(a->args[j].name, "params")) ||
                (!strcmp(a->args[i].name, "run") && !strcmp(a->args[j].name, "run_ptr")) ||
                (!strcmp(a->args[i].name, "run_ptr") && !strcmp(a->args[j].name, "run")))
                return ld_fail_at(c, a->args[i].pos, "give %s or %s, not both", a->args[j].name,
                                  a->args[i].name);
    return true;
}
