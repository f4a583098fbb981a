/* REC entry's GIC state (RMM spec A6.1): which values of enter.gicv3_hcr and enter.gicv3_lrs
 * the RMM accepts. The LR rules are the GICv3 architecture's (GIC spec IHI 0069,
 * ICH_LR<n>_EL2), checked as TF-RMM's gic_validate_state() checks them, in its order. */
#include "vgic.h"

/* ICH_HCR_EL2 bits the host owns (A6.1): UIE, LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE,
 * VGrp1DIE (bits 1..7) and TDIR (bit 14). En and the trap bits are the RMM's. */
#define ICH_HCR_HOST_BITS 0x40FEull

/* ICH_LR<n>_EL2 fields */
#define ICH_LR_VINTID(lr) ((lr)&0xFFFFFFFFull)     /* [31:0] */
#define ICH_LR_PINTID_MASK (0x1FFFull << 32)       /* [44:32] */
#define ICH_LR_EOI (1ull << 41)                    /* pINTID[9] when HW == 0 */
#define ICH_LR_PRIORITY(lr) (((lr) >> 48) & 0xFFu) /* [55:48] */
#define ICH_LR_HW (1ull << 61)
#define ICH_LR_STATE(lr) ((lr) >> 62) /* 0 Invalid, 1 Pending, 2 Active, 3 both */

/* INTID ranges (GIC spec 2.2.1): SGIs, PPIs and SPIs 0..1019 (1020..1023 are special),
 * GICv3.1's extended PPIs and SPIs, LPIs from 8192 up to what IDbits allows. */
#define INTID_SPI_MAX 1019u
#define INTID_EPPI_MIN 1056u
#define INTID_EPPI_MAX 1119u
#define INTID_ESPI_MIN 4096u
#define INTID_ESPI_MAX 5119u
#define INTID_LPI_MIN 8192u

struct rmm_vgic vgic_features(const struct rmm_vgic *given)
{
    /* a Neoverse-class CPU interface: ICH_VTR_EL2.ListRegs 3, PRIbits 4, IDbits 0 */
    struct rmm_vgic g = {4, 5, 16, false};
    if (given->list_regs)
        g.list_regs = given->list_regs < VGIC_MAX_LRS ? given->list_regs : VGIC_MAX_LRS;
    if (given->pri_bits)
        g.pri_bits = given->pri_bits;
    if (given->id_bits)
        g.id_bits = given->id_bits;
    g.ext_range = given->ext_range;
    return g;
}

static bool vintid_valid(const struct rmm_vgic *g, uint64_t intid)
{
    if (intid <= INTID_SPI_MAX || (intid >= INTID_LPI_MIN && intid >> g->id_bits == 0))
        return true;
    return g->ext_range && ((intid >= INTID_EPPI_MIN && intid <= INTID_EPPI_MAX) ||
                            (intid >= INTID_ESPI_MIN && intid <= INTID_ESPI_MAX));
}

/* One LR that is not Invalid */
static bool lr_valid(const struct rmm_vgic *g, uint64_t lr)
{
    unsigned pri_res0 = (1u << (8 - g->pri_bits)) - 1; /* unimplemented low priority bits */
    if (lr & ICH_LR_HW) /* A6.1: the RMM cannot check the physical interrupt HW links to */
        return false;
    if (ICH_LR_PRIORITY(lr) & pri_res0)
        return false;
    if (lr & ICH_LR_PINTID_MASK & ~ICH_LR_EOI) /* with HW == 0 only EOI may be set */
        return false;
    return vintid_valid(g, ICH_LR_VINTID(lr));
}

bool vgic_enter_state_valid(const struct rmm_vgic *g, uint64_t hcr,
                            const uint64_t lrs[VGIC_MAX_LRS])
{
    if (hcr & ~ICH_HCR_HOST_BITS)
        return false;
    for (unsigned i = 0; i < g->list_regs; i++) {
        if (ICH_LR_STATE(lrs[i]) == 0)
            continue;
        if (!lr_valid(g, lrs[i]))
            return false;
        /* two LRs with the same vINTID: UNPREDICTABLE in the GIC */
        for (unsigned j = i + 1; j < g->list_regs; j++)
            if (ICH_LR_STATE(lrs[j]) != 0 && ICH_LR_VINTID(lrs[j]) == ICH_LR_VINTID(lrs[i]))
                return false;
    }
    return true;
}
