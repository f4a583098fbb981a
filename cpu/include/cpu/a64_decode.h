/* The A64 decoder shared by the executor and the disassembler: an instruction word becomes an
 * operation class and its operand fields (cpu/a64.h tells the design). Encodings follow the
 * Arm ARM (DDI 0487) chapter C4 "A64 Instruction Set Encoding"; an unallocated encoding, or one
 * of a feature this core does not implement (FP/SIMD, SVE, PAuth, MTE, ...), is A64_OP_UNDEF. */
#ifndef CPU_A64_DECODE_H
#define CPU_A64_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum a64_op {
    A64_OP_UNDEF,
    /* C4.1.86 Data Processing -- Immediate */
    A64_OP_ADR,        /* opc 0 ADR, 1 ADRP; imm is the byte offset (ADRP: already << 12) */
    A64_OP_ADDSUB_IMM, /* sub, setflags; imm already shifted by sh */
    A64_OP_LOGIC_IMM,  /* opc 0 AND, 1 ORR, 2 EOR, 3 ANDS; imm is DecodeBitMasks' wmask */
    A64_OP_MOVW,       /* opc 0 MOVN, 2 MOVZ, 3 MOVK; imm = imm16, amount = hw * 16 */
    A64_OP_BITFIELD,   /* opc 0 SBFM, 1 BFM, 2 UBFM; immr, imms */
    A64_OP_EXTR,       /* amount = imms (lsb) */
    /* C4.1.88 Data Processing -- Register */
    A64_OP_LOGIC_REG,    /* opc as LOGIC_IMM, invert = N; shift, amount */
    A64_OP_ADDSUB_SHIFT, /* sub, setflags; shift, amount */
    A64_OP_ADDSUB_EXT,   /* sub, setflags; ext = option, amount = imm3 */
    A64_OP_ADC,          /* sub (SBC), setflags */
    A64_OP_CCMP,         /* sub (CCMP; else CCMN), use_imm (rm holds imm5), nzcv, cond */
    A64_OP_CSEL,         /* opc 0 CSEL, 1 CSINC, 2 CSINV, 3 CSNEG */
    A64_OP_DP1,          /* opc: enum a64_dp1 */
    A64_OP_DP2,          /* opc: enum a64_dp2 */
    A64_OP_DP3,          /* opc: enum a64_dp3; ra */
    /* C4.1.87 Branches, Exception Generating and System instructions */
    A64_OP_B,     /* link (BL); imm is the byte offset */
    A64_OP_BCOND, /* cond, imm */
    A64_OP_CBZ,   /* opc 1: CBNZ; imm */
    A64_OP_TBZ,   /* opc 1: TBNZ; amount = bit number; imm */
    A64_OP_BR,    /* opc 0 BR, 1 BLR, 2 RET; rn */
    A64_OP_ERET,
    A64_OP_EXC,     /* opc: enum a64_exc; imm = imm16 */
    A64_OP_HINT,    /* imm = CRm:op2 (0 NOP, 1 YIELD, 2 WFE, 3 WFI, 4 SEV, 5 SEVL; others NOP) */
    A64_OP_BARRIER, /* opc: enum a64_barrier; imm = CRm */
    A64_OP_MSR_IMM, /* opc: enum a64_pstate_field; imm = CRm */
    A64_OP_SYS,     /* imm = op1:CRn:CRm:op2 (14 bits); rd = Rt */
    A64_OP_MRS,     /* imm = o0:op1:CRn:CRm:op2 (15 bits; op0 = 2 + o0); rd = Rt */
    A64_OP_MSR,
    /* C4.1.90 Loads and Stores */
    A64_OP_LDST,   /* one register: load, sign, size, sf (Wt/Xt), mode, imm or rm/ext/amount */
    A64_OP_LDP,    /* pair: rd = Rt, ra = Rt2; load, sign (LDPSW), size, mode, imm */
    A64_OP_LDLIT,  /* LDR (literal): size, sign, imm; prefetch for PRFM */
    A64_OP_LDEX,   /* exclusive (exclusive), ordered (LDAR/STLR): rs = Rs, ra = Rt2, pair */
    A64_OP_CAS,    /* rs = Rs, rd = Rt; acquire, release, size; pair for CASP */
    A64_OP_ATOMIC, /* opc: enum a64_atomic; rs = Rs, rd = Rt; acquire, release, size */
};

enum a64_dp1 { A64_RBIT, A64_REV16, A64_REV32, A64_REV, A64_CLZ, A64_CLS };
enum a64_dp2 { A64_UDIV, A64_SDIV, A64_LSLV, A64_LSRV, A64_ASRV, A64_RORV, A64_CRC32, A64_CRC32C };
enum a64_dp3 {
    A64_MADD,
    A64_MSUB,
    A64_SMADDL,
    A64_SMSUBL,
    A64_SMULH,
    A64_UMADDL,
    A64_UMSUBL,
    A64_UMULH
};
enum a64_exc { A64_SVC, A64_HVC, A64_SMC, A64_BRK };
enum a64_barrier { A64_CLREX, A64_DSB, A64_DMB, A64_ISB };
enum a64_pstate_field { A64_PSTATE_SPSEL, A64_PSTATE_DAIFSET, A64_PSTATE_DAIFCLR };
enum a64_atomic {
    A64_LDADD,
    A64_LDCLR,
    A64_LDEOR,
    A64_LDSET,
    A64_LDSMAX,
    A64_LDSMIN,
    A64_LDUMAX,
    A64_LDUMIN,
    A64_SWP
};
enum a64_shift { A64_LSL, A64_LSR, A64_ASR, A64_ROR };
/* The extend option of ADD (extended register) and register-offset loads (C6.2.x). */
enum a64_extend { A64_UXTB, A64_UXTH, A64_UXTW, A64_UXTX, A64_SXTB, A64_SXTH, A64_SXTW, A64_SXTX };
/* Addressing modes of loads and stores. */
enum a64_addr_mode { A64_AM_OFFSET, A64_AM_PRE, A64_AM_POST, A64_AM_REG };

struct a64_insn {
    enum a64_op op;
    uint32_t raw;
    uint8_t rd, rn, rm, ra; /* ra: Ra, or Rt2 of a pair */
    uint8_t rs;             /* Rs of a store exclusive, CAS or atomic */
    uint8_t opc;
    bool sf; /* the 64-bit form (X registers) */
    bool sub, setflags, invert, link, use_imm;
    uint8_t shift, amount, ext;
    uint8_t cond, nzcv;
    uint8_t immr, imms;
    int64_t imm;
    /* loads and stores */
    uint8_t size; /* log2 of the access size in bytes (of each register of a pair) */
    uint8_t mode; /* enum a64_addr_mode */
    bool load, sign, acquire, release, exclusive, pair, prefetch, unpriv;
};

/* The SYS operations this core has (DC, IC, AT, TLBI at EL0/EL1, C5.3/C5.5); any other SYS
 * encoding is UNDEFINED (unallocated, EL2/EL3 only, or of a feature not implemented). */
enum a64_sys_el0 {
    A64_SYS_EL1_ONLY, /* UNDEFINED at EL0 */
    A64_SYS_EL0_UCI,  /* at EL0 when SCTLR_EL1.UCI, else trapped to EL1 (EC 0x18) */
    A64_SYS_EL0_DZE,  /* at EL0 when SCTLR_EL1.DZE, else trapped to EL1 (EC 0x18) */
};
struct a64_sys_op {
    unsigned enc;          /* op1:CRn:CRm:op2 */
    const char *insn, *op; /* "tlbi", "vae1" */
    bool reg;              /* takes Xt (objdump prints it) */
    enum a64_sys_el0 el0;
};
const struct a64_sys_op *a64_sys_op_find(unsigned enc);

/* Decode one word; returns false (and insn->op = A64_OP_UNDEF) for UNDEFINED encodings. */
bool a64_decode(uint32_t word, struct a64_insn *insn);

/* DecodeBitMasks (J1.x shared pseudocode, aarch64/instrs/integer/bitmasks): the wmask of a
 * logical immediate or bitfield, and tmask; false for a reserved combination. */
bool a64_decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate,
                          unsigned datasize, uint64_t *wmask, uint64_t *tmask);

#endif
