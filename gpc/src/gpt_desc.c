#include "gpc/gpt_desc.h"

/* GPIValid (D9.6.5): 0b1000 only with FEAT_SEL2, 0b1101 only with NSO; GDI encodings
 * (0b0100..0b0111) are not modelled, so they are reserved, as are 0001 0010 0011 1100 1110. */
bool gpi_valid(unsigned gpi, const struct gpi_features *f)
{
    switch (gpi) {
    case GPI_NO_ACCESS:
    case GPI_NS:
    case GPI_ROOT:
    case GPI_REALM:
    case GPI_ANY:
        return true;
    case GPI_SECURE:
        return f->sel2;
    case GPI_NSO:
        return f->nso;
    default:
        return false;
    }
}

const char *gpi_name(unsigned gpi)
{
    switch (gpi) {
    case GPI_NO_ACCESS:
        return "no_access";
    case GPI_SECURE:
        return "secure";
    case GPI_NS:
        return "ns";
    case GPI_ROOT:
        return "root";
    case GPI_REALM:
        return "realm";
    case GPI_NSO:
        return "nso";
    case GPI_ANY:
        return "any";
    default:
        return "reserved";
    }
}

bool gpt_l0_desc_valid(uint64_t desc, const struct gpt_geometry *g, const struct gpi_features *f)
{
    switch (desc & GPT_L0_TYPE_MASK) {
    case GPT_L0_BLOCK: /* [63:8] RES0, GPI valid */
        return (desc >> 8) == 0 && gpi_valid((unsigned)(desc >> 4) & 0xF, f);
    case GPT_L0_TABLE: {
        /* [11:4] and [63:52] RES0; the L1 table is aligned to its size 2^(s-p-1), so address
         * bits [s-p-2:12] are RES0 too. */
        if (desc & 0xFF0ull || desc >> 52)
            return false;
        unsigned align = g->s - g->p - 1;
        uint64_t mask = align > 12 ? ((1ull << align) - 1) & ~0xFFFull : 0;
        return (desc & mask) == 0;
    }
    default:
        return false;
    }
}

bool gpt_l1_desc_valid(uint64_t desc, const struct gpi_features *f)
{
    if ((desc & 0xF) == GPT_L1_CONTIG) /* Contig [9:8] 00 reserved, [63:10] RES0 */
        return (desc >> 10) == 0 && ((desc >> 8) & 3) != 0 && gpi_valid((desc >> 4) & 0xF, f);
    for (unsigned i = 0; i < 16; i++) /* all sixteen GPIs must be valid */
        if (!gpi_valid((desc >> (4 * i)) & 0xF, f))
            return false;
    return true;
}

unsigned gpt_l1_gpi(uint64_t desc, const struct gpt_geometry *g, uint64_t pa)
{
    if ((desc & 0xF) == GPT_L1_CONTIG)
        return (desc >> 4) & 0xF;
    return (desc >> (4 * gpt_gpi_slot(g, pa))) & 0xF;
}
