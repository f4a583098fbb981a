/* The system registers the pipeline and the software models read and write, and the bit
 * fields the model uses. Encodings: Arm ARM D24.2 (one register per section). */
#ifndef CPU_SYSREGS_H
#define CPU_SYSREGS_H

#include <stdint.h>

enum sysreg {
    /* EL1 */
    SCTLR_EL1,
    TCR_EL1,
    TTBR0_EL1,
    TTBR1_EL1,
    MAIR_EL1,
    VBAR_EL1,
    ESR_EL1,
    FAR_EL1,
    ELR_EL1,
    SPSR_EL1,
    /* EL2 */
    SCTLR_EL2,
    TCR_EL2,
    TTBR0_EL2,
    TTBR1_EL2,
    MAIR_EL2,
    VBAR_EL2,
    ESR_EL2,
    FAR_EL2,
    ELR_EL2,
    SPSR_EL2,
    HPFAR_EL2,
    HCR_EL2,
    VTCR_EL2,
    VTTBR_EL2,
    /* EL3 */
    SCTLR_EL3,
    TCR_EL3,
    TTBR0_EL3,
    MAIR_EL3,
    VBAR_EL3,
    ESR_EL3,
    FAR_EL3,
    ELR_EL3,
    SPSR_EL3,
    SCR_EL3,
    GPCCR_EL3,
    GPTBR_EL3,
    MFAR_EL3,
    SYSREG_COUNT
};

const char *sysreg_name(enum sysreg reg);

/* SCR_EL3 (D24.2.169) */
#define SCR_EL3_NS (1ull << 0)
#define SCR_EL3_IRQ (1ull << 1)
#define SCR_EL3_FIQ (1ull << 2)
#define SCR_EL3_EA (1ull << 3)
#define SCR_EL3_SMD (1ull << 7)
#define SCR_EL3_HCE (1ull << 8)
#define SCR_EL3_RW (1ull << 10)
#define SCR_EL3_GPF (1ull << 48)
#define SCR_EL3_NSE (1ull << 62)

/* HCR_EL2 (D24.2.76) */
#define HCR_EL2_VM (1ull << 0)
#define HCR_EL2_FMO (1ull << 3)
#define HCR_EL2_IMO (1ull << 4)
#define HCR_EL2_AMO (1ull << 5)
#define HCR_EL2_TSC (1ull << 19)
#define HCR_EL2_TGE (1ull << 27)
#define HCR_EL2_RW (1ull << 31)
#define HCR_EL2_E2H (1ull << 34)
#define HCR_EL2_FWB (1ull << 46)
#define HCR_EL2_GPF (1ull << 48)

/* SCTLR_ELx */
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_I (1ull << 12)

/* ESR_ELx (D24.2.44..47): EC in [31:26], IL in [25], ISS in [24:0] */
#define ESR_EC_SHIFT 26
#define ESR_IL (1ull << 25)
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3F)

/* Exception classes the model raises (D24.2.4x ESR_ELx.EC) */
enum esr_ec {
    EC_UNKNOWN = 0x00,
    EC_WFX = 0x01,
    EC_HVC64 = 0x16,
    EC_SMC64 = 0x17,
    EC_SYSREG = 0x18,
    EC_GPC = 0x1E, /* Granule Protection Check exception, to EL3 only */
    EC_IABT_LOWER = 0x20,
    EC_IABT_CUR = 0x21,
    EC_DABT_LOWER = 0x24,
    EC_DABT_CUR = 0x25,
    EC_SERROR = 0x2F,
};

const char *esr_ec_name(unsigned ec); /* "DABT_LOWER", "GPC", ... */

#endif
