/* GPCCR_EL3 and GPTBR_EL3 (Arm ARM D24.2.56, D24.2.57): field encodings, and the decoded
 * geometry t (protected PA bits), s (bits per level-0 entry), p (granule bits) of D9.7. */
#ifndef GPC_REGS_H
#define GPC_REGS_H

#include <stdbool.h>
#include <stdint.h>

#define GPCCR_PPS_SHIFT 0 /* [2:0] */
#define GPCCR_PPS_MASK 0x7ull
#define GPCCR_PPS3 (1ull << 3) /* FEAT_RME_GPC3: not modelled, so setting it is reserved */
#define GPCCR_RLPAD (1ull << 5)
#define GPCCR_NSPAD (1ull << 6)
#define GPCCR_SPAD (1ull << 7)
#define GPCCR_IRGN_SHIFT 8
#define GPCCR_ORGN_SHIFT 10
#define GPCCR_SH_SHIFT 12
#define GPCCR_PGS_SHIFT 14 /* [15:14]: 00 4KB, 01 64KB, 10 16KB, 11 reserved */
#define GPCCR_GPC (1ull << 16)
#define GPCCR_GPCP (1ull << 17)
#define GPCCR_NSO (1ull << 19)
#define GPCCR_L0GPTSZ_SHIFT 20 /* [23:20], read-only: 0 30, 4 34, 6 36, 9 39 */
#define GPCCR_APPSAA (1ull << 24)

#define GPCCR_SH_NON 0u
#define GPCCR_SH_OUTER 2u
#define GPCCR_SH_INNER 3u
#define GPCCR_RGN_NC 0u
#define GPCCR_RGN_WBRAWA 1u

#define GPTBR_BADDR_MASK 0xFFFFFFFFFFull /* [39:0] = PA[51:12] */

/* The fields of GPCCR_EL3 a platform programs, for encoding. */
struct gpccr_fields {
    unsigned pps_bits;     /* 32 36 40 42 44 48 52 */
    unsigned pgs_bytes;    /* 4096 16384 65536 */
    unsigned l0gptsz_bits; /* 30 34 36 39 (hardware-fixed) */
    unsigned sh, irgn, orgn;
    bool gpc, gpcp, nso, spad, nspad, rlpad, appsaa;
};

uint64_t gpccr_encode(const struct gpccr_fields *f);

/* Decode: false if the field uses a reserved encoding. */
bool gpccr_pps_bits(uint64_t gpccr, unsigned *t);
bool gpccr_pgs_bits(uint64_t gpccr, unsigned *p);
bool gpccr_l0gptsz_bits(uint64_t gpccr, unsigned *s);

/* The level-0 table base from GPTBR_EL3, before the alignment masking of D24.2.57. */
static inline uint64_t gptbr_base(uint64_t gptbr)
{
    return (gptbr & GPTBR_BADDR_MASK) << 12;
}

#endif
