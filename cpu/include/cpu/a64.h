/* An A64 core for EL0 and EL1: architectural state, the memory interface the caller supplies, and
 * a step function that executes one instruction.
 *
 * Design. One decoder (a64_decode(), cpu/a64_decode.h) turns an instruction word into a
 * `struct a64_insn`: an operation class and its operand fields, with every unallocated encoding
 * decoded as A64_OP_UNDEF. The executor (a64_step()) and, later, the disassembler switch on the
 * same struct, so the two cannot disagree about what a word means; they differ only in what they
 * do with the fields (as QEMU's target/arm/ptw.c is one walker whose differences are data).
 *
 * The core knows nothing of the RMM, the platform or the MMU. Every access (instruction fetch
 * included) goes through the caller's `struct a64_mem_ops` callbacks, which translate, check
 * and time it and may report a fault: the fault says what the MMU would report (fault status
 * code, the EL it is taken to, FAR, the faulting IPA). Faults to EL1 are taken here (through
 * VBAR_EL1 with ESR/FAR/ELR/SPSR written as D1.3 says); anything for EL2 or EL3 (a stage-2 or GPC
 * fault, HVC, an SMC) is handed back as the step's outcome with the syndrome the architecture
 * would build, and the core's state is left as before the instruction, so the caller (an RMM
 * model) decides what happens next. Cycle accounting is the caller's too: the step reports what
 * the instruction did (accesses made), and the callbacks see every access as it happens.
 *
 * Scope (issue 15): the base integer instruction set at EL0 and EL1 in AArch64. FP/SIMD, SVE,
 * SME, AArch32, pointer authentication, MTE and EL2/EL3 code are not implemented; their
 * encodings are UNDEFINED (EC 0x00). An FP/SIMD instruction is UNDEFINED rather than an
 * EC 0x07 trap: this core has no FP/SIMD registers, so it behaves as an implementation without
 * FEAT_FP/FEAT_AdvSIMD (ID_AA64PFR0_EL1.FP = AdvSIMD = 0xF) would, whatever CPACR_EL1.FPEN says.
 * FEAT_LSE (atomics) is implemented; FEAT_LSE2 is not (ID_AA64MMFR2_EL1.AT = 0): exclusive,
 * acquire/release and atomic accesses must be naturally aligned or take an alignment fault. */
#ifndef CPU_A64_H
#define CPU_A64_H

#include <stdbool.h>
#include <stdint.h>

/* PSTATE.{N,Z,C,V} as NZCV holds them (C5.2.9): bits 31..28. */
#define A64_N (1u << 31)
#define A64_Z (1u << 30)
#define A64_C (1u << 29)
#define A64_V (1u << 28)

/* The EL1/EL0 system registers the core keeps (their encodings are in a64_sysreg.c). */
enum a64_sysreg {
    A64_SCTLR_EL1,
    A64_ACTLR_EL1,
    A64_CPACR_EL1,
    A64_TCR_EL1,
    A64_TTBR0_EL1,
    A64_TTBR1_EL1,
    A64_MAIR_EL1,
    A64_AMAIR_EL1,
    A64_VBAR_EL1,
    A64_ESR_EL1,
    A64_FAR_EL1,
    A64_ELR_EL1,
    A64_SPSR_EL1,
    A64_PAR_EL1,
    A64_AFSR0_EL1,
    A64_AFSR1_EL1,
    A64_CONTEXTIDR_EL1,
    A64_TPIDR_EL0,
    A64_TPIDRRO_EL0,
    A64_TPIDR_EL1,
    A64_CNTKCTL_EL1,
    A64_CNTV_CTL_EL0,
    A64_CNTV_CVAL_EL0,
    A64_MDSCR_EL1,
    A64_SYSREG_COUNT
};

/* Read-only identification the platform defines (MIDR, MPIDR, ID_AA64*, CTR, DCZID, CNTFRQ). */
struct a64_id_regs {
    uint64_t midr, mpidr, revidr, ctr, dczid, cntfrq;
    uint64_t aa64pfr0, aa64pfr1, aa64isar0, aa64isar1, aa64isar2;
    uint64_t aa64mmfr0, aa64mmfr1, aa64mmfr2, aa64dfr0, aa64afr0;
};

/* Access kinds, a bit set: LDAXR is A64_ACC_ACQUIRE | A64_ACC_EXCLUSIVE. */
enum a64_access_kind {
    A64_ACC_FETCH = 1u << 0,
    A64_ACC_DATA = 1u << 1,
    A64_ACC_ACQUIRE = 1u << 2,
    A64_ACC_RELEASE = 1u << 3,
    A64_ACC_EXCLUSIVE = 1u << 4,
    A64_ACC_ATOMIC = 1u << 5,
    A64_ACC_DC_ZVA = 1u << 6, /* a DC ZVA block write (size is the block) */
    A64_ACC_UNPRIV = 1u << 7, /* LDTR/STTR at EL1: permissions checked as for EL0 */
};

/* What the caller's MMU reports for an access that faults. */
struct a64_fault {
    unsigned target_el; /* 1: a stage-1 fault taken here; 2: stage 2 (or a trap) for EL2; 3: EL3 */
    unsigned fsc; /* DFSC/IFSC, ESR ISS[5:0] (D24.2.x ESR_ELx, "ISS encoding for a Data Abort") */
    bool s1ptw;   /* stage-2 fault on a stage-1 table walk (ISS[7]) */
    /* An abort for EL2 gets the instruction syndrome (ISV, SAS, SSE, SRT, SF, AR) of a
     * single-register load or store without writeback, unless on a stage-1 walk (s1ptw) or
     * the MMU says it has none (no_syndrome: a GPF reported as an abort is not a stage-2
     * abort, so its ESR has ISV 0). */
    bool no_syndrome;
    bool ea;        /* External abort type (ISS[9]) */
    bool ipa_valid; /* a stage-2 fault: the IPA (HPFAR_EL2) is known */
    uint64_t ipa;
    unsigned ec;       /* 0: the core builds an abort EC; else the EC (e.g. 0x1E, GPC, for EL3) */
    uint32_t iss_bits; /* OR'ed into the ISS (e.g. a GPC exception's GPCSC, InD, S2PTW) */
};

/* Memory callbacks. size is 1, 2, 4 or 8 (a DC ZVA block with A64_ACC_DC_ZVA); values are
 * little-endian as the core sees them. Return true on success; on a fault return false with
 * *fault filled. A fault leaves the core's state as before the instruction. */
struct a64_mem_ops {
    bool (*read)(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t *value,
                 struct a64_fault *fault);
    bool (*write)(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t value,
                  struct a64_fault *fault);
    /* Optional (NULL: no effect): TLBI, DC (other than ZVA), IC and AT as SYS instructions.
     * sys is op1:CRn:CRm:op2 as the SYS encoding's bits [18:5] >> 5, value is Xt. */
    void (*sys_op)(void *ctx, uint32_t sys, uint64_t value);
    /* Optional (NULL: 0): the virtual count, CNTVCT_EL0. */
    uint64_t (*counter)(void *ctx);
    /* Optional: told after an MSR wrote one of the registers in core->sys (SCTLR_EL1, TCR_EL1,
     * TTBR0/1_EL1, MAIR_EL1, CONTEXTIDR_EL1, ...), so a caller can rebuild its translation
     * regime or drop what it cached from the old one. */
    void (*sysreg_written)(void *ctx, enum a64_sysreg reg, uint64_t value);
    /* Optional (NULL: the local monitor alone decides): the global monitor's part of a store
     * exclusive (B2.9.x, ExclusiveMonitorsPass/IsExclusiveGlobal). Called when the local monitor
     * passes, before the store; false makes it fail (status 1, nothing written). A platform with
     * several cores keeps the physical block each LDXR marked (the read callback sees kind
     * EXCLUSIVE) and clears it when another observer writes there. */
    bool (*exclusive_global)(void *ctx, uint64_t va, unsigned size);
};

struct a64_core {
    uint64_t x[31];
    uint64_t sp_el0, sp_el1;
    uint64_t pc;
    uint32_t nzcv; /* bits 31..28 */
    unsigned el;   /* 0 or 1 */
    bool spsel;    /* PSTATE.SP: SP_ELx at EL1 */
    unsigned daif; /* PSTATE.{D,A,I,F} in bits 9..6, as the DAIF register holds them */
    uint64_t sys[A64_SYSREG_COUNT];
    struct a64_id_regs id;
    /* The local exclusive monitor (B2.9.2): Exclusive Access state and the marked block. */
    bool excl_valid;
    uint64_t excl_addr;
    unsigned excl_size;
    bool event_register; /* set by SEV/SEVL; WFE consumes it */
    bool illegal;        /* PSTATE.IL: an illegal exception return was made (D1.x) */
    const struct a64_mem_ops *mem;
    void *ctx;
};

enum a64_outcome {
    A64_OK,              /* executed; PC is the next instruction */
    A64_EXCEPTION_TAKEN, /* a synchronous exception taken to EL1 (SVC, UNDEFINED, an abort) */
    A64_TRAP_EL2,        /* HVC, SMC, or a fault the caller's memory routes to EL2 */
    A64_TRAP_EL3,        /* a fault the caller's memory routes to EL3 (a GPC exception) */
    A64_WFI,             /* WFI executed; PC is the next instruction */
    A64_WFE,             /* WFE with the event register clear; PC is the next instruction */
};

/* What one step did. */
struct a64_result {
    enum a64_outcome outcome;
    uint32_t insn;  /* the word executed (0 when the fetch faulted) */
    uint64_t pc;    /* its address */
    unsigned reads; /* data accesses made (a fetch is not counted) */
    unsigned writes;
    /* A64_EXCEPTION_TAKEN, A64_TRAP_EL2/EL3: the syndrome as the target EL's ESR would read,
     * FAR, the preferred return address (ELR), and for a stage-2 fault the IPA. */
    uint64_t esr, far, elr;
    bool far_valid, ipa_valid;
    uint64_t ipa;
};

/* A core reset to EL1 with SP_EL1, DAIF masked, MMU state as the caller's sysregs say. */
void a64_reset(struct a64_core *core, const struct a64_mem_ops *mem, void *ctx);

/* Execute one instruction. */
void a64_step(struct a64_core *core, struct a64_result *out);

/* The SP the current EL uses. */
uint64_t *a64_sp(struct a64_core *core);

/* PSTATE as SPSR_ELx saves it for AArch64 (C5.2.18): NZCV, DAIF, M[3:0]. */
uint64_t a64_pstate_to_spsr(const struct a64_core *core);

/* Take a synchronous exception to EL1 (D1.3.x exception entry): ELR_EL1 = elr, SPSR_EL1 = PSTATE,
 * ESR_EL1 = esr, FAR_EL1 = far when far_valid, PSTATE.EL = 1, SP = SP_EL1, DAIF masked,
 * PC = VBAR_EL1 + group + 0x0. */
void a64_take_sync_el1(struct a64_core *core, uint64_t esr, uint64_t far, bool far_valid,
                       uint64_t elr);

/* Return from EL1 as an ERET executed there does (D1.x, AArch64.ExceptionReturn()): PSTATE from
 * SPSR_EL1, PC from ELR_EL1, the local monitor cleared; for an EL1 handler written by the caller
 * (rmesim exec's system calls). Does nothing at EL0, where ERET is UNDEFINED. */
void a64_exception_return(struct a64_core *core);

/* Take an asynchronous exception to EL1 (D1.3.x, vector offset +0x080 IRQ, +0x100 FIQ, +0x180
 * SError; ELR_EL1 = PC, the instruction not yet executed; ESR_EL1 = esr for an SError only).
 * Returns false, taking nothing, when PSTATE.{I,F,A} masks it: an interrupt routed to EL1 is
 * masked by PSTATE at EL0 too (D1.3.x; EL0 may set DAIF when SCTLR_EL1.UMA is 1). The caller
 * routes interrupts to EL2 (HCR_EL2.IMO) itself. */
enum a64_interrupt { A64_IRQ = 0x080, A64_FIQ = 0x100, A64_SERROR = 0x180 };
bool a64_take_interrupt(struct a64_core *core, enum a64_interrupt type, uint64_t esr);

#endif
