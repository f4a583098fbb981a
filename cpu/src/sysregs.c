#include "cpu/sysregs.h"

static const char *const names[SYSREG_COUNT] = {
    "SCTLR_EL1", "TCR_EL1",  "TTBR0_EL1", "TTBR1_EL1", "MAIR_EL1", "VBAR_EL1",  "ESR_EL1",
    "FAR_EL1",   "ELR_EL1",  "SPSR_EL1",  "SCTLR_EL2", "TCR_EL2",  "TTBR0_EL2", "TTBR1_EL2",
    "MAIR_EL2",  "VBAR_EL2", "ESR_EL2",   "FAR_EL2",   "ELR_EL2",  "SPSR_EL2",  "HPFAR_EL2",
    "HCR_EL2",   "VTCR_EL2", "VTTBR_EL2", "SCTLR_EL3", "TCR_EL3",  "TTBR0_EL3", "MAIR_EL3",
    "VBAR_EL3",  "ESR_EL3",  "FAR_EL3",   "ELR_EL3",   "SPSR_EL3", "SCR_EL3",   "GPCCR_EL3",
    "GPTBR_EL3", "MFAR_EL3",
};

const char *sysreg_name(enum sysreg reg)
{
    return (unsigned)reg < SYSREG_COUNT ? names[reg] : "?";
}

const char *esr_ec_name(unsigned ec)
{
    switch (ec) {
    case EC_UNKNOWN:
        return "UNKNOWN";
    case EC_WFX:
        return "WFX";
    case EC_HVC64:
        return "HVC64";
    case EC_SMC64:
        return "SMC64";
    case EC_SYSREG:
        return "SYSREG";
    case EC_GPC:
        return "GPC";
    case EC_IABT_LOWER:
        return "IABT_LOWER";
    case EC_IABT_CUR:
        return "IABT_CUR";
    case EC_DABT_LOWER:
        return "DABT_LOWER";
    case EC_DABT_CUR:
        return "DABT_CUR";
    case EC_SERROR:
        return "SERROR";
    default:
        return "?";
    }
}
