/* A processing element: exception level, security state, system registers, and exception entry
 * and return. Software models run "on" a PE: they change its state through this API, and every
 * memory access they make goes through the PE's current translation regime (cpu/access.h). */
#ifndef CPU_PE_H
#define CPU_PE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/sysregs.h"
#include "mem/pas.h"

enum pe_exception_type {
    EXC_SYNC = 0x000, /* vector offsets within a group (D1.3.1 Table D1-7) */
    EXC_IRQ = 0x080,
    EXC_FIQ = 0x100,
    EXC_SERROR = 0x180,
};

/* The record of the last exception a PE took, for traces and expectations. */
struct pe_exception {
    bool taken;
    unsigned from_el, to_el;
    enum pe_exception_type type;
    uint64_t esr, far, hpfar, mfar;
    uint64_t vector; /* VBAR_ELx + group offset + type offset */
};

struct pe {
    unsigned index;
    unsigned el; /* current exception level 0..3 */
    bool sp_elx; /* PSTATE.SP: using SP_ELx (h) rather than SP_EL0 (t) */
    uint64_t pc; /* symbolic: software models are C code, the PC only tracks vectors */
    uint64_t regs[SYSREG_COUNT];
    struct pe_exception last_exception;
    uint64_t exceptions_taken;
};

void pe_reset(struct pe *pe, unsigned index);

/* Security state of the current EL: Root at EL3, else from SCR_EL3.{NSE,NS} (D24.2.169);
 * {NSE,NS} = 10 is reserved and treated here as Root is not: it yields Secure (documented). */
enum rme_sec_state pe_security_state(const struct pe *pe);
/* The security state of a lower EL (what an ERET from EL3 would enter). */
enum rme_sec_state pe_lower_security_state(const struct pe *pe);

/* Take an exception to target_el with the given syndrome: saves ELR/SPSR, writes ESR/FAR (and
 * HPFAR/MFAR when the caller says they are valid), and jumps to the vector. */
void pe_take_exception(struct pe *pe, unsigned target_el, enum pe_exception_type type, uint64_t esr,
                       uint64_t far, bool hpfar_valid, uint64_t hpfar, bool mfar_valid,
                       uint64_t mfar);

/* Return from the current EL to the EL in SPSR_ELx.M[3:2]. */
void pe_eret(struct pe *pe);

/* Routing of an SMC executed at `el` (D1.3.3, HCR_EL2.TSC): EL3 unless trapped to EL2. */
unsigned pe_smc_target_el(const struct pe *pe);

#endif
