/* tlbi: and the EL3 GPT steps (gpt_transition:, gpt_write:): their operands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

bool ld_tlbi(struct ld *c, const yaml_node_t *n, struct scn_action *a)
{
    static const char *const keys[] = {"op", "va",   "asid",  "ipa", "vmid",
                                       "pa", "size", "level", "xt",  NULL};
    yaml_node_t *op, *v;
    if (!ld_want_map(c, n, "tlbi") || !ld_check_keys(c, n, "tlbi", keys) ||
        !ld_require(c, n, "op", "tlbi", &op) || !ld_name(c, op, &scn_tlbi_ops, &a->tlbi_op))
        return false;
    /* Operands each operation takes: VA-based (va, asid), IPA-based (ipa), ASID-based, PA-based */
    enum scn_tlbi_op o = (enum scn_tlbi_op)a->tlbi_op;
    bool by_va = o >= SCN_TLBI_VAE1 && o <= SCN_TLBI_VALE1IS;
    bool by_asid = o == SCN_TLBI_ASIDE1 || o == SCN_TLBI_ASIDE1IS;
    bool by_ipa = o >= SCN_TLBI_IPAS2E1 && o <= SCN_TLBI_IPAS2LE1IS;
    bool by_pa = o == SCN_TLBI_RPAOS || o == SCN_TLBI_RPALOS;
    struct {
        const char *key;
        bool allowed;
    } operands[] = {{"va", by_va},
                    {"asid", by_va || by_asid},
                    {"ipa", by_ipa},
                    {"vmid", !by_pa && o != SCN_TLBI_PAALL && o != SCN_TLBI_PAALLOS &&
                                 o != SCN_TLBI_ALLE2 && o != SCN_TLBI_ALLE2IS},
                    {"pa", by_pa},
                    {"size", by_pa},
                    {"level", by_va || by_ipa},
                    {"xt", by_va || by_asid || by_ipa || by_pa}};
    for (size_t i = 0; i < sizeof operands / sizeof operands[0]; i++)
        if (!operands[i].allowed && (v = ld_get(c, n, operands[i].key)))
            return ld_fail(c, ld_get_key_node(c, n, operands[i].key),
                           "TLBI %s takes no '%s' operand", scn_name_of(&scn_tlbi_ops, a->tlbi_op),
                           operands[i].key);
    if ((v = ld_get(c, n, "xt"))) {
        if (!ld_u64(c, v, "xt", &a->xt))
            return false;
        a->has_xt = true;
    }
    if ((v = ld_get(c, n, "va")) && !ld_u64(c, v, "va", &a->va))
        return false;
    a->has_va = v != NULL;
    if ((v = ld_get(c, n, "ipa")) && !ld_u64(c, v, "ipa", &a->ipa))
        return false;
    if ((v = ld_get(c, n, "pa")) && !ld_u64(c, v, "pa", &a->pa))
        return false;
    if ((v = ld_get(c, n, "asid"))) {
        if (!ld_u64(c, v, "asid", &a->asid))
            return false;
        if (a->asid > 0xFFFF)
            return ld_fail(c, v, "asid must fit in 16 bits");
        a->has_asid = true;
    }
    if ((v = ld_get(c, n, "vmid"))) {
        if (!ld_u64(c, v, "vmid", &a->vmid))
            return false;
        if (a->vmid > 0xFFFF)
            return ld_fail(c, v, "vmid must fit in 16 bits");
        a->has_vmid = true;
    }
    if ((v = ld_get(c, n, "level"))) {
        unsigned level;
        if (!ld_uint_range(c, v, "level", 0, 3, &level))
            return false;
        a->level = (int)level;
        a->has_level = true;
    }
    if ((v = ld_get(c, n, "size"))) {
        /* TLBI RPA* SIZE field values (Arm ARM C5.5.27) */
        static const uint64_t sizes[] = {4ull << 10,  16ull << 10,  64ull << 10, 2ull << 20,
                                         32ull << 20, 512ull << 20, 1ull << 30,  16ull << 30,
                                         64ull << 30, 512ull << 30};
        if (!ld_size(c, v, "size", &a->tlbi_size))
            return false;
        bool ok = false;
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            ok |= sizes[i] == a->tlbi_size;
        if (!ok)
            return ld_fail(c, v,
                           "TLBI range size must be one of 4K 16K 64K 2M 32M 512M 1G 16G 64G 512G");
        a->has_tlbi_size = true;
    }
    if (by_pa && !a->has_xt && (!ld_get(c, n, "pa") || !a->has_tlbi_size))
        return ld_fail(c, n, "TLBI %s needs pa and size (or xt)",
                       scn_name_of(&scn_tlbi_ops, a->tlbi_op));
    if (by_va && !a->has_xt && !a->has_va)
        return ld_fail(c, n, "TLBI %s needs va (or xt)", scn_name_of(&scn_tlbi_ops, a->tlbi_op));
    if (by_ipa && !a->has_xt && !ld_get(c, n, "ipa"))
        return ld_fail(c, n, "TLBI %s needs ipa (or xt)", scn_name_of(&scn_tlbi_ops, a->tlbi_op));
    if (by_asid && !a->has_xt && !a->has_asid)
        return ld_fail(c, n, "TLBI %s needs asid (or xt)", scn_name_of(&scn_tlbi_ops, a->tlbi_op));
    return true;
}

bool ld_gpt_op(struct ld *c, const yaml_node_t *n, struct scn_action *a)
{
    static const char *const transition_keys[] = {"pa", "size", "to", "caller", NULL};
    static const char *const write_keys[] = {"pa", "gpi", NULL};
    const char *what = scn_action_name(a->kind);
    bool transition = a->kind == SCN_ACT_GPT_TRANSITION;
    yaml_node_t *v;
    if (!ld_want_map(c, n, what) ||
        !ld_check_keys(c, n, what, transition ? transition_keys : write_keys) ||
        !ld_require(c, n, "pa", what, &v) || !ld_u64(c, v, "pa", &a->pa))
        return false;
    if (!ld_pa_in_range(c, v, "pa", a->pa, 1))
        return false;
    a->range_size = c->s->platform.pgs;
    if (transition) {
        unsigned caller = RME_SS_REALM;
        if ((v = ld_get(c, n, "size")) && !ld_size(c, v, "size", &a->range_size))
            return false;
        if (!ld_require(c, n, "to", what, &v) || !ld_name(c, v, &scn_gpi_names, &a->gpi))
            return false;
        if ((v = ld_get(c, n, "caller")) && !ld_name(c, v, &scn_callers, &caller))
            return false;
        a->caller = (enum rme_sec_state)caller;
    } else {
        /* a raw write may also store a reserved encoding (0..15), to provoke GPT walk faults */
        uint64_t raw;
        if (!ld_require(c, n, "gpi", what, &v))
            return false;
        if (ld_is_scalar(v) && ld_parse_number(ld_scalar(v), false, &raw)) {
            if (raw > 15)
                return ld_fail(c, v, "a GPI is 4 bits: 0..15, got %llu", (unsigned long long)raw);
            a->gpi = (unsigned)raw;
        } else if (!ld_name(c, v, &scn_gpi_names, &a->gpi)) {
            return false;
        }
    }
    return true;
}
