/* The realm guest (R-EL1), modelled on a Linux realm kernel: what it does for each scenario
 * action, expressed as the instructions it executes (loads, stores, system-register writes,
 * TLB maintenance and SMCs), which the platform runs on a core through the realm's stage 1,
 * stage 2 and the GPC. Its page tables are real: built in its own RAM by its own stores, as
 * arch/arm64/mm does; RSI calls are real SMCs to the RMM (arch/arm64/kernel/rsi.c). */
#ifndef REALM_GUEST_H
#define REALM_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum guest_op_kind {
    GOP_LOAD,     /* Xreg <- [va], size bytes */
    GOP_STORE,    /* [va] <- value (from Xreg), size bytes */
    GOP_FETCH,    /* an instruction fetch from va */
    GOP_SMC,      /* X0..X10 <- args, SMC #0 */
    GOP_MSR,      /* a system register write */
    GOP_TLBI,     /* TLBI VMALLE1 (the whole EL1&0 regime of this VMID) */
    GOP_TLBI_VA,  /* TLBI VAALE1IS of va: one kernel page, every core */
    GOP_TLBI_EL1, /* a TLBI the scenario names: tlbi_scope, tlbi_broadcast, va, asid */
    GOP_CBNZ,     /* CBNZ Xreg: when Xreg != 0 the next `skip` instructions are stepped over */
    /* __arm64_is_protected_mmio's `base >= end` after its RSI_IPA_STATE_GET loop, and the
     * hook's choice: Xreg = 0 (pgprot_encrypted) when the last call succeeded with X2 ==
     * loop_x2 up to loop_top, else value (pgprot_decrypted: PROT_NS_SHARED) */
    GOP_CSEL,
};

/* The EL1 TLB maintenance a guest can issue (C5.5): the whole VMID (VMALLE1), a page for an
 * ASID or global (VAE1), its last level only (VALE1), the non-global entries of an ASID
 * (ASIDE1); each local or Inner Shareable (the IS forms) */
enum guest_tlbi_scope { GUEST_TLBI_VMALL, GUEST_TLBI_VA, GUEST_TLBI_VAL, GUEST_TLBI_ASID };

enum guest_sysreg { GSR_SCTLR, GSR_TCR, GSR_TTBR0, GSR_TTBR1, GSR_MAIR, GSR_VBAR };

struct guest_op {
    enum guest_op_kind kind;
    uint64_t va;
    unsigned size, reg;
    uint64_t value;
    uint64_t args[11]; /* X0 (the FID) .. X10 (RSI_MEASUREMENT_EXTEND's value ends in X10) */
    unsigned sysreg;
    bool primary; /* the access the scenario step is about (its observations come from it) */
    /* an SMC Linux repeats with X1 = the returned new_base while that is below loop_top
     * (rsi_set_memory_range) */
    uint64_t loop_top;
    uint64_t loop_x2; /* ... and while X2 (RsiResponse, or the RIPAS) is this value */
    unsigned or_reg;  /* GOP_STORE: the value stored is value | X[or_reg] (0: none) */
    enum guest_tlbi_scope tlbi_scope; /* GOP_TLBI_EL1 */
    bool tlbi_broadcast;
    uint16_t asid;
    unsigned skip; /* GOP_CBNZ: how many instructions the taken branch steps over */
    /* GOP_STORE: a run of 1 + repeat stores, one instruction each, the k-th at va + k * va_step
     * storing value + k * value_step (a table cleared, a linear map filled: the program holds
     * one op for 512 instructions; guest_op_at() gives each) */
    uint32_t repeat;
    uint64_t va_step, value_step;
};

/* The instruction k (0 .. op->repeat) of a run: a single store. */
static inline struct guest_op guest_op_at(const struct guest_op *op, uint64_t k)
{
    struct guest_op one = *op;
    one.va += k * op->va_step;
    one.value += k * op->value_step;
    one.repeat = 0;
    one.va_step = one.value_step = 0;
    return one;
}

struct guest_program {
    struct guest_op *ops;
    size_t n, cap;
    size_t insns;       /* instructions: a run's each counted (n counts ops) */
    bool run_open;      /* the last op is a store a following one may extend */
    bool out_of_memory; /* an instruction could not be stored: the machine running the model ran
                         * out of memory (not the guest) */
};

void guest_program_free(struct guest_program *p);

/* The realm's configuration as its kernel finds it (device tree and RSI). */
struct guest_config {
    uint64_t ram_ipa, ram_size;
    uint64_t image_ipa, image_size;
    uint64_t linear_map; /* VA of ram_ipa */
    bool ioremap_seed;   /* ioremap as the seed patch: no RSI probe, RAM mapped unprotected */
};

struct guest {
    struct guest_config cfg;
    unsigned ipa_bits;       /* from RSI_REALM_CONFIG, 0 before */
    uint64_t prot_ns_shared; /* 1 << (ipa_bits - 1): Linux's PROT_NS_SHARED */
    bool mmu_on;
    uint64_t next_page; /* its page allocator: RAM after the image, upward */
    uint64_t config_page, host_call_page;
    uint64_t roots[2]; /* TTBR0 and TTBR1 tables (IPAs) */
    /* the tables it has built: which table serves which VA range at which level */
    struct guest_table {
        int level;
        uint64_t va, ipa;
    } * tables;
    size_t n_tables, cap_tables, last_table;
};

/* Memory attributes (MAIR_EL1 indexes, as Linux's MT_*) */
#define GUEST_MAIR 0x0004FF00ull /* 0 Device-nGnRnE, 1 Normal WB, 2 Device-nGnRE */
#define GUEST_ATTR_NORMAL 1u
#define GUEST_ATTR_DEVICE 2u
#define GUEST_VBAR 0xFFFF800000000000ull

/* map attributes (the scenario's `attrs`) */
#define GUEST_MAP_DEVICE 0x1u
#define GUEST_MAP_RO 0x2u
#define GUEST_MAP_XN 0x4u
#define GUEST_MAP_LINEAR 0x8u /* the kernel's linear map: Normal, UXN */

void guest_init(struct guest *g, const struct guest_config *cfg);
void guest_free(struct guest *g);

/* Boot with the MMU off: build the linear map of RAM (2MB blocks) in its own memory, then
 * enable stage 1 (TCR, MAIR, TTBRs, TLBI VMALLE1, SCTLR.M). */
bool guest_boot(struct guest *g, struct guest_program *p);

/* A secondary CPU brought up with PSCI_CPU_ON (secondary_startup): the boot CPU's tables,
 * its own MMU enabled. */
bool guest_secondary_boot(struct guest *g, struct guest_program *p);

/* arm64_rsi_init after the MMU is on: RSI_VERSION (1.0), RSI_REALM_CONFIG and ipa_width into
 * X19 (each failure returns early: a CBNZ on X0), then arm64_rsi_setup_memory: RSI_IPA_STATE_SET
 * (RAM, RSI_NO_CHANGE_DESTROYED) over its RAM, repeated from the returned top until all of it is
 * done. */
bool guest_rsi_init(struct guest *g, struct guest_program *p);
enum guest_rsi_init_result {
    GUEST_RSI_ABSENT,   /* RSI_VERSION or RSI_REALM_CONFIG failed: not a realm (no rsi_present) */
    GUEST_RSI_PRESENT,  /* prot_ns_shared known, all its RAM RIPAS RAM */
    GUEST_RSI_PANICKED, /* a range could not be made RAM: Linux panics */
};
/* After the boot ran, from the vCPU's X0..X30: prot_ns_shared, and how the boot ended. */
enum guest_rsi_init_result guest_rsi_init_done(struct guest *g, const uint64_t gprs[31]);

/* RSI_REALM_CONFIG into a page of its own, then read ipa_width back (X1). */
bool guest_realm_config(struct guest *g, struct guest_program *p);
/* After the program ran: X0 status and X1 ipa_width as the realm saw them. */
void guest_realm_config_done(struct guest *g, uint64_t x0, uint64_t x1);

/* Another RSI call (X0 = fid, X1.. = args, at most X10). */
bool guest_rsi(struct guest_program *p, uint64_t fid, const uint64_t *args, unsigned n);

/* rsi_host_call: an RsiHostCall (imm, X0..X30) written into a 256-byte buffer of its own RAM,
 * RSI_HOST_CALL on it, then the answer's X0 read back into X3. */
bool guest_host_call(struct guest *g, struct guest_program *p, uint16_t imm, const uint64_t *gprs,
                     unsigned n);

/* A stage-1 mapping of [va, va+size) to ipa, 4KB pages (set_pte / create_pgd_mapping). */
bool guest_map(struct guest *g, struct guest_program *p, uint64_t va, uint64_t ipa, uint64_t size,
               unsigned attrs);
/* ioremap of [pa, pa+size) at va, Device-nGnRE. As merged Linux (6.13, ioremap_prot and the
 * realm's ioremap hook): RAM is refused (nothing emitted); otherwise, in a realm,
 * RSI_IPA_STATE_GET over the range (repeated while the RIPAS is DEV) decides the alias at run
 * time: protected (pa) when all of it is DEV, else unprotected (pa | prot_ns_shared). With
 * cfg.ioremap_seed, as the seed patch: no probe, always the unprotected alias, RAM included. */
enum guest_ioremap_result {
    GUEST_IOREMAP_FAILED,  /* no RAM left for its tables */
    GUEST_IOREMAP_MAPPED,  /* the alias: at run time (merged) or pa | prot_ns_shared (seed) */
    GUEST_IOREMAP_REFUSED, /* RAM: WARN_ON(pfn_is_map_memory), NULL */
};
enum guest_ioremap_result guest_ioremap(struct guest *g, struct guest_program *p, uint64_t pa,
                                        uint64_t size, uint64_t va);
/* The register that holds the merged ioremap's choice after its program ran (0: protected). */
#define GUEST_IOREMAP_PROT_REG 20

/* set_memory_decrypted (share) / set_memory_encrypted (unshare) of [ipa, ipa+size) of RAM,
 * in Linux's order (__set_memory_enc_dec): make the linear-map entries invalid and flush the
 * TLB, RSI_IPA_STATE_SET (EMPTY or RAM, RSI_CHANGE_DESTROYED) until the whole range is done,
 * then write the entries back valid with or without PROT_NS_SHARED. */
bool guest_share(struct guest *g, struct guest_program *p, uint64_t ipa, uint64_t size, bool share);

/* A load, store or fetch the scenario asks for (the step's primary access). */
bool guest_access(struct guest_program *p, enum guest_op_kind kind, uint64_t va, unsigned size,
                  uint64_t value);

/* TLBI (VMALLE1 | VAE1 | VALE1 | ASIDE1)[IS] as the scenario asks: the kernel's own maintenance
 * around a mapping it changed (map: writes entries and leaves it to the scenario). */
bool guest_tlbi(struct guest_program *p, enum guest_tlbi_scope scope, bool broadcast, uint64_t va,
                uint16_t asid);

/* The VA at which the guest's kernel reaches an IPA of its RAM (its linear map). */
uint64_t guest_linear_va(const struct guest *g, uint64_t ipa);

#endif
