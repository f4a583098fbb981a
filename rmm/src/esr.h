/* Internal: ESR_ELx fields of data and instruction aborts (Arm ARM D24.2.41). */
#ifndef RMM_ESR_H
#define RMM_ESR_H

#define ESR_EC_SHIFT 26
#define ESR_EC_MASK (0x3Full << 26)
#define ESR_IL (1ull << 25)
#define ESR_ISV (1ull << 24)
#define ESR_SAS_SHIFT 22
#define ESR_SAS_MASK (3ull << 22)
#define ESR_SSE (1ull << 21)
#define ESR_SRT_SHIFT 16
#define ESR_SRT_MASK (0x1Full << 16)
#define ESR_SF (1ull << 15)
#define ESR_SET_MASK (3ull << 11)
#define ESR_FNV (1ull << 10)
#define ESR_EA (1ull << 9)
#define ESR_S1PTW (1ull << 7)
#define ESR_WNR (1ull << 6)
#define ESR_FSC_MASK 0x3Full

#define ESR_EC_IABT_LOWER 0x20ull
#define ESR_EC_IABT_SAME 0x21ull
#define ESR_EC_DABT_LOWER 0x24ull
#define ESR_EC_DABT_SAME 0x25ull
#define ESR_EC_SMC64 0x17ull

#define FSC_TRANSLATION(l) (0x04ull + (l))
#define FSC_PERMISSION(l) (0x0Cull + (l))
#define FSC_SEA 0x10ull

/* SPSR_EL2.M[3:0] (C5.2.18), the realm's PSTATE at a trap */
#define SPSR_M_MASK 0xFull
#define SPSR_M_EL0T 0x0ull
#define SPSR_M_EL1T 0x4ull
#define SPSR_M_EL1H 0x5ull
/* EL1h, AArch64, D, A, I, F masked: how a REC starts and where an injected exception goes */
#define SPSR_EL1H_DAIF 0x3C5ull

/* what the RMM tells the host (A4.3.4): never SRT, SSE, AR, S1PTW, CM, VNCR */
#define ESR_NONEMUL_MASK (ESR_EC_MASK | ESR_SET_MASK | ESR_FNV | ESR_EA | ESR_FSC_MASK)
#define ESR_EMUL_MASK (ESR_NONEMUL_MASK | ESR_ISV | ESR_SAS_MASK | ESR_SF | ESR_WNR)

static inline unsigned esr_fsc_type(unsigned long long esr)
{
    return (unsigned)(esr & 0x3C); /* the fault class without its level */
}

#endif
