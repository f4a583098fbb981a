#include "cpu/esr_decode.h"

#include <stdio.h>
#include <string.h>

void esr_decode(uint64_t esr, struct esr_fields *out)
{
    memset(out, 0, sizeof(*out));
    out->ec = (unsigned)(esr >> 26) & 0x3F;
    out->il = (esr >> 25) & 1;
    out->iss = (uint32_t)esr & 0x1FFFFFF;
    uint32_t iss = out->iss;
    out->data = out->ec == 0x24 || out->ec == 0x25;
    out->abort = out->data || out->ec == 0x20 || out->ec == 0x21;
    out->gpc = out->ec == 0x1E;
    if (!out->abort && !out->gpc)
        return;
    out->fsc = iss & 0x3F;
    out->s1ptw = (iss >> 7) & 1;
    if (out->gpc) { /* ISS encoding for a GPC exception */
        out->s2ptw = (iss >> 21) & 1;
        out->ind = (iss >> 20) & 1;
        out->gpcsc = (iss >> 14) & 0x3F;
        out->vncr = (iss >> 13) & 1;
        out->cm = (iss >> 8) & 1;
        out->wnr = (iss >> 6) & 1;
        return;
    }
    out->set = (iss >> 11) & 3;
    out->fnv = (iss >> 10) & 1;
    out->ea = (iss >> 9) & 1;
    if (!out->data) /* Instruction Abort: bits [24:13], [8] and [6] are RES0 */
        return;
    out->isv = (iss >> 24) & 1;
    if (out->isv) {
        out->sas = (iss >> 22) & 3;
        out->sse = (iss >> 21) & 1;
        out->srt = (iss >> 16) & 0x1F;
        out->sf = (iss >> 15) & 1;
        out->ar = (iss >> 14) & 1;
    }
    out->vncr = (iss >> 13) & 1;
    out->cm = (iss >> 8) & 1;
    out->wnr = (iss >> 6) & 1;
}

const char *esr_ec_description(unsigned ec)
{
    switch (ec) {
    case 0x00:
        return "Unknown reason";
    case 0x01:
        return "Trapped WFI or WFE";
    case 0x15:
        return "SVC in AArch64 state";
    case 0x16:
        return "HVC in AArch64 state";
    case 0x17:
        return "SMC in AArch64 state";
    case 0x18:
        return "Trapped MSR, MRS or System instruction";
    case 0x1E:
        return "Granule Protection Check exception";
    case 0x20:
        return "Instruction Abort from a lower Exception level";
    case 0x21:
        return "Instruction Abort taken without a change in Exception level";
    case 0x24:
        return "Data Abort from a lower Exception level";
    case 0x25:
        return "Data Abort taken without a change in Exception level";
    case 0x2F:
        return "SError exception";
    default:
        return NULL;
    }
}

/* DFSC/IFSC (ISS encoding for an exception from a Data or Instruction Abort): classes with a
 * level are 4 codes from a base for levels 0..3, and a separate code for level -1 (FEAT_LPA2).
 * Tag check, alignment and unsupported atomic update faults are DFSC codes only. */
const char *esr_fsc_describe(unsigned fsc, bool data, char *buf, size_t size)
{
    static const struct {
        unsigned base;    /* level 0 */
        unsigned minus_1; /* level -1, or 0 when none */
        const char *name;
    } levelled[] = {
        {0x00, 0x29, "address size fault"},
        {0x04, 0x2B, "translation fault"},
        {0x08, 0, "access flag fault"},
        {0x0C, 0, "permission fault"},
        {0x14, 0x13, "synchronous external abort on translation table walk"},
        {0x1C, 0x1B, "synchronous parity or ECC error on translation table walk"},
        {0x24, 0x23, "GPF on translation table walk"},
    };
    fsc &= 0x3F;
    for (size_t i = 0; i < sizeof(levelled) / sizeof(levelled[0]); i++) {
        if (fsc >= levelled[i].base && fsc < levelled[i].base + 4) {
            snprintf(buf, size, "%s, level %u", levelled[i].name, fsc - levelled[i].base);
            return buf;
        }
        if (levelled[i].minus_1 && fsc == levelled[i].minus_1) {
            snprintf(buf, size, "%s, level -1", levelled[i].name);
            return buf;
        }
    }
    const char *name = NULL;
    switch (fsc) {
    case 0x10:
        name = "synchronous external abort, not on translation table walk";
        break;
    case 0x11:
        name = "synchronous tag check fault";
        break;
    case 0x18:
        name = "synchronous parity or ECC error, not on translation table walk";
        break;
    case 0x21:
        name = "alignment fault";
        break;
    case 0x28:
        name = "GPF on output";
        break;
    case 0x30:
        name = "TLB conflict abort";
        break;
    case 0x31:
        name = "unsupported atomic hardware update fault";
        break;
    default:
        break;
    }
    if (!data && (fsc == 0x11 || fsc == 0x21 || fsc == 0x31))
        name = NULL;
    if (name)
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "reserved (0x%02x)", fsc);
    return buf;
}

/* GPCSC (ISS encoding for a GPC exception): the GPT level in bit 0 of each class. */
const char *esr_gpcsc_describe(unsigned gpcsc, char *buf, size_t size)
{
    const char *name = NULL;
    switch (gpcsc & ~1u) {
    case 0x00:
        name = "GPT address size fault";
        break;
    case 0x04:
        name = "GPT walk fault";
        break;
    case 0x0C:
        name = "GPF";
        break;
    case 0x14:
        name = "synchronous external abort on GPT fetch";
        break;
    default:
        break;
    }
    if (name && (gpcsc & 0x3F) != 0x01)
        snprintf(buf, size, "%s, level %u", name, gpcsc & 1);
    else
        snprintf(buf, size, "reserved (0x%02x)", gpcsc & 0x3F);
    return buf;
}
