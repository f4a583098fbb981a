#include "mmu/desc_decode.h"

#include <string.h>

#define OA_MASK 0x0000FFFFFFFFFFFFull /* OA[47:0]; each kind clears the bits below its size */

/* Levels where a 0b01 descriptor is a block (D8.3: 4KB granule at levels 1 and 2, 16KB and
 * 64KB at level 2, without FEAT_LPA/LPA2). */
static bool block_allowed(int level, unsigned granule_bits)
{
    return level == 2 || (level == 1 && granule_bits == 12);
}

static unsigned level_shift(int level, unsigned granule_bits)
{
    return granule_bits + (granule_bits - 3) * (unsigned)(3 - level);
}

void vmsa_desc_decode(uint64_t desc, unsigned stage, int level, unsigned granule_bits,
                      struct vmsa_desc *out)
{
    memset(out, 0, sizeof(*out));
    if (!(desc & 1)) {
        out->kind = VMSA_DESC_INVALID;
        out->s2_ns = stage == 2 && ((desc >> 55) & 1); /* software keeps state here (RMM) */
        return;
    }
    if (desc & 2) {
        out->kind = level == 3 ? VMSA_DESC_PAGE : VMSA_DESC_TABLE;
    } else {
        out->kind =
            level < 3 && block_allowed(level, granule_bits) ? VMSA_DESC_BLOCK : VMSA_DESC_RESERVED;
        if (out->kind == VMSA_DESC_RESERVED)
            return;
    }
    unsigned low = out->kind == VMSA_DESC_BLOCK ? level_shift(level, granule_bits) : granule_bits;
    out->addr = desc & OA_MASK & ~((1ull << low) - 1);
    if (out->kind == VMSA_DESC_TABLE) {
        if (stage == 1) {
            out->ns_table = (desc >> 63) & 1;
            out->ap_table = (unsigned)(desc >> 61) & 3;
            out->uxn_table = (desc >> 60) & 1;
            out->pxn_table = (desc >> 59) & 1;
        }
        return;
    }
    out->sh = (unsigned)(desc >> 8) & 3;
    out->af = (desc >> 10) & 1;
    out->contiguous = (desc >> 52) & 1;
    if (stage == 1) {
        out->attr_indx = (unsigned)(desc >> 2) & 7;
        out->ns = (desc >> 5) & 1;
        out->ap = (unsigned)(desc >> 6) & 3;
        out->ng = (desc >> 11) & 1;
        out->pxn = (desc >> 53) & 1;
        out->uxn = (desc >> 54) & 1;
    } else {
        out->memattr = (unsigned)(desc >> 2) & 0xF;
        out->s2ap = (unsigned)(desc >> 6) & 3;
        out->xn = (unsigned)(desc >> 53) & 3;
        out->s2_ns = (desc >> 55) & 1;
    }
}

const char *vmsa_desc_kind_name(enum vmsa_desc_kind k)
{
    static const char *const names[] = {"invalid", "table", "block", "page", "reserved"};
    return (unsigned)k < 5 ? names[k] : "?";
}

const char *vmsa_sh_name(unsigned sh)
{
    static const char *const names[] = {"non-shareable", "reserved", "outer", "inner"};
    return names[sh & 3];
}

const char *vmsa_s1_ap_name(unsigned ap)
{
    static const char *const names[] = {"rw-priv", "rw", "ro-priv", "ro"};
    return names[ap & 3];
}

const char *vmsa_s2ap_name(unsigned s2ap)
{
    static const char *const names[] = {"none", "ro", "wo", "rw"};
    return names[s2ap & 3];
}
