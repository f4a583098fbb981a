/* GPT descriptors (Arm ARM D9.6) and GPIs (D9.6.5): encodings, validity, and the index
 * arithmetic of D9.7 for a geometry (t, s, p). */
#ifndef GPC_GPT_DESC_H
#define GPC_GPT_DESC_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/pas.h"

enum gpi {
    GPI_NO_ACCESS = 0x0,
    GPI_SECURE = 0x8,
    GPI_NS = 0x9,
    GPI_ROOT = 0xA,
    GPI_REALM = 0xB,
    GPI_NSO = 0xD,
    GPI_ANY = 0xF,
};

#define GPT_L0_TYPE_MASK 0xFull
#define GPT_L0_BLOCK 0x1ull
#define GPT_L0_TABLE 0x3ull
#define GPT_L1_CONTIG 0x1ull /* bits [3:0] of an L1 contiguous descriptor */

/* Which GPI encodings are valid depends on implemented features (GPIValid). */
struct gpi_features {
    bool sel2; /* FEAT_SEL2: SECURE is valid */
    bool nso;  /* FEAT_RME_GPC2 and GPCCR_EL3.NSO: NSO is valid */
};

bool gpi_valid(unsigned gpi, const struct gpi_features *f);
/* GPICheck: may an access to `pas` by a requester in state `ss` touch a granule with this GPI?
 * The PAS of the access is compared, not the security state; only NSO also looks at the
 * requester (Secure- and Realm-state accesses to the NS PAS fail). Inline: every GPC check and
 * every TLB hit asks it. */
static inline bool gpi_permits(unsigned gpi, enum rme_pas pas, enum rme_sec_state ss)
{
    switch (gpi) {
    case GPI_SECURE:
        return pas == RME_PAS_SECURE;
    case GPI_NS:
        return pas == RME_PAS_NS;
    case GPI_ROOT:
        return pas == RME_PAS_ROOT;
    case GPI_REALM:
        return pas == RME_PAS_REALM;
    case GPI_NSO:
        return pas == RME_PAS_NS && (ss == RME_SS_NS || ss == RME_SS_ROOT);
    case GPI_ANY:
        return true;
    default:
        return false;
    }
}
const char *gpi_name(unsigned gpi); /* "ns", "realm", ... or "reserved" */

struct gpt_geometry {
    unsigned t, s, p; /* PPS bits, L0GPTSZ bits, PGS bits */
};

/* Level-0 index PA[t-1:s] (0 when t <= s), level-1 index PA[s-1:p+4], GPI slot PA[p+3:p]. */
static inline uint64_t gpt_l0_index(const struct gpt_geometry *g, uint64_t pa)
{
    return g->t > g->s ? (pa >> g->s) & ((1ull << (g->t - g->s)) - 1) : 0;
}
static inline uint64_t gpt_l1_index(const struct gpt_geometry *g, uint64_t pa)
{
    return (pa >> (g->p + 4)) & ((1ull << (g->s - g->p - 4)) - 1);
}
static inline unsigned gpt_gpi_slot(const struct gpt_geometry *g, uint64_t pa)
{
    return (unsigned)((pa >> g->p) & 0xF);
}
/* Bytes of the level-0 table: 8 * max(1, 2^(t-s)); of one level-1 table: 2^(s-p-1). */
static inline uint64_t gpt_l0_table_size(const struct gpt_geometry *g)
{
    return g->t > g->s ? 8ull << (g->t - g->s) : 8;
}
static inline uint64_t gpt_l1_table_size(const struct gpt_geometry *g)
{
    return 1ull << (g->s - g->p - 1);
}

/* Descriptor constructors. */
static inline uint64_t gpt_l0_block_desc(unsigned gpi)
{
    return ((uint64_t)gpi << 4) | GPT_L0_BLOCK;
}
static inline uint64_t gpt_l0_table_desc(uint64_t l1_pa)
{
    return (l1_pa & 0x000FFFFFFFFFF000ull) | GPT_L0_TABLE;
}
static inline uint64_t gpt_l1_uniform_desc(unsigned gpi)
{
    return 0x1111111111111111ull * (gpi & 0xF);
}
/* contig: 1 = 2MB, 2 = 32MB, 3 = 512MB */
static inline uint64_t gpt_l1_contig_desc(unsigned gpi, unsigned contig)
{
    return ((uint64_t)contig << 8) | ((uint64_t)gpi << 4) | GPT_L1_CONTIG;
}
static inline uint64_t gpt_contig_bytes(unsigned contig)
{
    return contig == 1 ? 2ull << 20 : contig == 2 ? 32ull << 20 : 512ull << 20;
}

/* Decoding with the validity rules of R_XNKFZ. */
bool gpt_l0_desc_valid(uint64_t desc, const struct gpt_geometry *g, const struct gpi_features *f);
bool gpt_l1_desc_valid(uint64_t desc, const struct gpi_features *f);
/* The GPI an L1 descriptor gives for pa (the descriptor must be valid). */
unsigned gpt_l1_gpi(uint64_t desc, const struct gpt_geometry *g, uint64_t pa);

#endif
