#include "gpc/regs.h"

static const unsigned pps_table[8] = {32, 36, 40, 42, 44, 48, 52, 0}; /* DecodePPS; 7 reserved */

uint64_t gpccr_encode(const struct gpccr_fields *f)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 7; i++)
        if (pps_table[i] == f->pps_bits)
            v |= (uint64_t)i << GPCCR_PPS_SHIFT;
    unsigned pgs = f->pgs_bytes == 65536 ? 1 : f->pgs_bytes == 16384 ? 2 : 0;
    unsigned l0 = f->l0gptsz_bits == 34   ? 4
                  : f->l0gptsz_bits == 36 ? 6
                  : f->l0gptsz_bits == 39 ? 9
                                          : 0;
    v |= (uint64_t)pgs << GPCCR_PGS_SHIFT;
    v |= (uint64_t)l0 << GPCCR_L0GPTSZ_SHIFT;
    v |= (uint64_t)(f->sh & 3) << GPCCR_SH_SHIFT;
    v |= (uint64_t)(f->irgn & 3) << GPCCR_IRGN_SHIFT;
    v |= (uint64_t)(f->orgn & 3) << GPCCR_ORGN_SHIFT;
    v |= f->gpc ? GPCCR_GPC : 0;
    v |= f->gpcp ? GPCCR_GPCP : 0;
    v |= f->nso ? GPCCR_NSO : 0;
    v |= f->spad ? GPCCR_SPAD : 0;
    v |= f->nspad ? GPCCR_NSPAD : 0;
    v |= f->rlpad ? GPCCR_RLPAD : 0;
    v |= f->appsaa ? GPCCR_APPSAA : 0;
    return v;
}

bool gpccr_pps_bits(uint64_t gpccr, unsigned *t)
{
    if (gpccr & GPCCR_PPS3)
        return false;
    *t = pps_table[(gpccr >> GPCCR_PPS_SHIFT) & GPCCR_PPS_MASK];
    return *t != 0;
}

/* PGS is not monotonic: 00 4KB, 01 64KB, 10 16KB (D24.2.56) */
bool gpccr_pgs_bits(uint64_t gpccr, unsigned *p)
{
    switch ((gpccr >> GPCCR_PGS_SHIFT) & 3) {
    case 0:
        *p = 12;
        return true;
    case 1:
        *p = 16;
        return true;
    case 2:
        *p = 14;
        return true;
    default:
        return false;
    }
}

bool gpccr_l0gptsz_bits(uint64_t gpccr, unsigned *s)
{
    switch ((gpccr >> GPCCR_L0GPTSZ_SHIFT) & 0xF) {
    case 0:
        *s = 30;
        return true;
    case 4:
        *s = 34;
        return true;
    case 6:
        *s = 36;
        return true;
    case 9:
        *s = 39;
        return true;
    default:
        return false;
    }
}
