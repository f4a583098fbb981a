/* realms: what the host builds before the first step that names one. */
#include <string.h>

#include "loader.h"

static bool range(struct ld *c, const yaml_node_t *n, const char *what, uint64_t *ipa,
                  uint64_t *size)
{
    static const char *const keys[] = {"ipa", "size", NULL};
    yaml_node_t *v;
    return ld_want_map(c, n, what) && ld_check_keys(c, n, what, keys) &&
           ld_require(c, n, "ipa", what, &v) && ld_u64(c, v, "ipa", ipa) &&
           ld_require(c, n, "size", what, &v) && ld_size(c, v, "size", size);
}

/* guest: { ioremap: merged | seed }: which kernel's behaviour the guest model follows */
static bool guest_options(struct ld *c, const yaml_node_t *n, struct scn_realm *r)
{
    static const char *const keys[] = {"ioremap", NULL};
    yaml_node_t *v;
    if (!ld_want_map(c, n, "realm guest") || !ld_check_keys(c, n, "realm guest", keys))
        return false;
    return !(v = ld_get(c, n, "ioremap")) || ld_name(c, v, &scn_ioremap_modes, &r->guest_ioremap);
}

/* vmm: { memory_fault: convert | refuse }: the VMM's answer to KVM_EXIT_MEMORY_FAULT */
static bool vmm_options(struct ld *c, const yaml_node_t *n, struct scn_realm *r)
{
    static const char *const keys[] = {"memory_fault", NULL};
    yaml_node_t *v;
    if (!ld_want_map(c, n, "realm vmm") || !ld_check_keys(c, n, "realm vmm", keys))
        return false;
    return !(v = ld_get(c, n, "memory_fault")) ||
           ld_name(c, v, &scn_memory_fault_policies, &r->vmm_memory_fault);
}

static bool realm(struct ld *c, const yaml_node_t *n, struct scn_realm *r, size_t index)
{
    static const char *const keys[] = {
        "name",  "ipa_bits", "vcpus", "ram", "linear_map", "rtt_level_start",
        "image", "guest",    "vmm",   NULL};
    yaml_node_t *v;
    r->pos = ld_pos(n);
    if (!ld_want_map(c, n, "a realm") || !ld_check_keys(c, n, "realm", keys) ||
        !ld_require(c, n, "name", "realm", &v) || !ld_string(c, v, "name", &r->name))
        return false;
    if (strcmp(r->name, "host") == 0 || strcmp(r->name, "el3") == 0 || strchr(r->name, '.'))
        return ld_fail(c, v, "'%s' cannot name a realm (reserved, or contains '.')", r->name);
    for (size_t j = 0; j < index; j++)
        if (strcmp(c->s->realms[j].name, r->name) == 0)
            return ld_fail(c, v, "realm name '%s' used twice", r->name);
    r->ipa_bits = 40;
    r->vcpus = 1;
    r->linear_map = 0xffff000000000000ull;
    /* IPA widths without LPA2: 32..48 (RMM spec A3.1, TF-RMM validate_ipa_bits_and_sl) */
    if ((v = ld_get(c, n, "ipa_bits")) && !ld_uint_range(c, v, "ipa_bits", 32, 48, &r->ipa_bits))
        return false;
    if ((v = ld_get(c, n, "vcpus")) && !ld_uint_range(c, v, "vcpus", 1, 64, &r->vcpus))
        return false;
    if ((v = ld_get(c, n, "linear_map")) && !ld_u64(c, v, "linear_map", &r->linear_map))
        return false;
    if ((v = ld_get(c, n, "rtt_level_start"))) {
        unsigned sl;
        if (!ld_uint_range(c, v, "rtt_level_start", 0, 3, &sl))
            return false;
        r->has_rtt_level_start = true;
        r->rtt_level_start = (int)sl;
    }
    if (!ld_require(c, n, "ram", "realm", &v) ||
        !range(c, v, "realm ram", &r->ram_ipa, &r->ram_size))
        return false;
    const yaml_node_t *ram_node = v;
    uint64_t protected_top = 1ull << (r->ipa_bits - 1);
    if (r->ram_size == 0 || ((r->ram_ipa | r->ram_size) & 0xFFF))
        return ld_fail(c, v, "realm '%s' ram must have a non-zero, 4K-aligned ipa and size",
                       r->name);
    if (r->ram_ipa >= protected_top || r->ram_size > protected_top - r->ram_ipa)
        return ld_fail(c, v,
                       "realm '%s' ram [0x%llx, +0x%llx) must lie in the protected half of its "
                       "%u-bit IPA space (below 0x%llx)",
                       r->name, (unsigned long long)r->ram_ipa, (unsigned long long)r->ram_size,
                       r->ipa_bits, (unsigned long long)protected_top);
    if ((v = ld_get(c, n, "image")) && ld_is_scalar(v)) {
        /* an ELF file, read when the run starts (docs/realm.md) */
        r->image_pos = ld_pos(v);
        if (!ld_string(c, v, "image (an ELF file)", &r->image_file))
            return false;
        if (!r->image_file[0])
            return ld_fail(c, v, "realm '%s' image: the file name is empty", r->name);
    } else if (v) {
        if (!range(c, v, "realm image", &r->image_ipa, &r->image_size))
            return false;
        if (r->image_size == 0 || ((r->image_ipa | r->image_size) & 0xFFF) ||
            r->image_ipa < r->ram_ipa || r->image_ipa + r->image_size > r->ram_ipa + r->ram_size)
            return ld_fail(c, v, "realm '%s' image must be 4K aligned and inside its ram", r->name);
        r->has_image = true;
    }
    /* The scripted guest boots as Linux does, mapping its RAM page by page (docs/realm.md):
     * 2^18 table stores per GB. Past 16 GB that takes minutes and gigabytes; real code (an
     * image:) maps what it wants and has no such bound. */
    if (!r->image_file && r->ram_size > SCN_MAX_SCRIPTED_RAM)
        return ld_fail(c, ram_node,
                       "realm '%s' ram of %llu MB: a scripted guest maps its RAM page by "
                       "page at boot, so at most %llu MB (16 GB); give the realm an image: to "
                       "run real code on more",
                       r->name, (unsigned long long)(r->ram_size >> 20),
                       (unsigned long long)(SCN_MAX_SCRIPTED_RAM >> 20));
    if ((v = ld_get(c, n, "guest")) && !guest_options(c, v, r))
        return false;
    if ((v = ld_get(c, n, "vmm")) && !vmm_options(c, v, r))
        return false;
    return true;
}

bool ld_realms(struct ld *c, const yaml_node_t *n)
{
    if (!ld_want_seq(c, n, "realms"))
        return false;
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    c->s->realms = ld_calloc(count, sizeof(*c->s->realms));
    for (size_t i = 0; i < count; i++) {
        c->s->n_realms = i + 1;
        if (!realm(c, ld_node(c, n->data.sequence.items.start[i]), &c->s->realms[i], i))
            return false;
    }
    return true;
}
