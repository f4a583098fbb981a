/* The Realm Management Monitor at R-EL2. It touches the world only through its environment: its
 * own memory accesses (which the platform runs through the GPC, so touching a granule that is
 * not delegated faults as on hardware), the EL3 granule-transition interface, the realm's
 * execution (REC_ENTER hands the PE to the realm until it traps back), stage-2 TLB
 * maintenance, and a cycle counter. Which RMM 1.0 commands this build implements:
 * rmm_implements() and docs/rmm.md. */
#ifndef RMM_RMM_H
#define RMM_RMM_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/pas.h"
#include "rmm/granule.h"
#include "rmm/realm.h"
#include "rmm/rmi.h"
#include "rmm/rsi.h"

enum rmm_mem_result { RMM_MEM_OK, RMM_MEM_GPF, RMM_MEM_ABORT };

/* Why the realm came back to R-EL2, with the syndrome the hardware wrote to the EL2 registers. */
enum rmm_trap_kind {
    RMM_TRAP_DATA_ABORT,  /* stage-2 (or GPC) data abort: ESR_EL2, FAR_EL2, HPFAR_EL2 */
    RMM_TRAP_INSTR_ABORT, /* stage-2 instruction abort */
    RMM_TRAP_SMC,         /* SMC from R-EL1: FID in X0 (ESR EC 0x17) */
    RMM_TRAP_IRQ,         /* a physical IRQ for the host (its vCPU kick or timer) */
};

struct rmm_trap {
    enum rmm_trap_kind kind;
    uint64_t esr, far, hpfar;
};

/* The PE's virtual GIC CPU interface as the RMM discovers it (ICH_VTR_EL2.ListRegs, PRIbits,
 * IDbits; ICC_CTLR_EL1.ExtRange). A field left 0 takes the model's default: docs/rmm.md,
 * "REC entry's GIC state". */
struct rmm_vgic {
    unsigned list_regs; /* implemented List Registers, 1..16 (default 4) */
    unsigned pri_bits;  /* virtual priority bits, 5..8 (default 5) */
    unsigned id_bits;   /* vINTID bits, 16 or 24 (default 16) */
    bool ext_range;     /* GICv3.1 extended PPI and SPI ranges (default: not supported) */
};

struct rmm_env {
    void *ctx;
    /* an 8-byte access made by the RMM */
    enum rmm_mem_result (*access)(void *ctx, uint64_t pa, enum rme_pas pas, bool write,
                                  uint64_t *value);
    /* SMC_RMM_GTSI_DELEGATE / _UNDELEGATE: 0 E_RMM_OK, -2 E_RMM_BAD_ADDR, -3 E_RMM_BAD_PAS */
    int (*gtsi_delegate)(void *ctx, uint64_t pa);
    int (*gtsi_undelegate)(void *ctx, uint64_t pa);
    unsigned pa_bits; /* the PE's PA size, reported as RMI_FEATURES.S2SZ */
    uint64_t *cycles; /* where handler costs go */
    uint64_t handler_cycles;
    /* Run the REC at R-EL1 until it traps to R-EL2 (NULL: REC_ENTER exits at once with IRQ) */
    void (*run_rec)(void *ctx, struct rmm_rec *rec, struct rmm_trap *trap);
    /* TLBI IPAS2E1IS (ipa) or, with all, VMALLS12E1IS for this VMID after an RTT change */
    void (*tlbi_s2)(void *ctx, uint16_t vmid, uint64_t ipa, bool all);
    struct rmm_vgic vgic;
    /* Zero a granule of its own in the Realm PAS, as TF-RMM's granule_memzero_mapped does (one
     * DC ZVA per block, then DSB); the result of its one GPC-checked access. NULL: the RMM
     * zeroes it with 8-byte stores through access. */
    enum rmm_mem_result (*zero_granule)(void *ctx, uint64_t pa);
};

#define RMM_VMIDS 65536

struct rmm {
    struct rmm_env env;
    struct granule_table granules;
    uint64_t vmid_used[RMM_VMIDS / 64];
    /* An access to its own (Realm PAS) memory that failed: only possible when a granule the
     * RMM believes delegated is not in the Realm PAS (EL3 or the GPT misbehaved). TF-RMM would
     * take a fatal exception; the model records the first one for the platform to report. */
    bool faulted;
    uint64_t fault_pa;
};

bool rmm_init(struct rmm *rmm, const struct rmm_env *env, const struct pa_range *dram, size_t n);
void rmm_fini(struct rmm *rmm);

/* Does this build implement the RMI command (the RSI or PSCI call) with this FID? */
bool rmm_implements(uint64_t fid);
bool rmm_rsi_implements(uint64_t fid);

/* One RMI call: in[0] = FID, in[1..] arguments; out[0] = the return code, out[1..] outputs.
 * An FID this build does not implement, or no RMI FID at all, returns SMC_UNKNOWN. */
void rmm_handle_rmi(struct rmm *rmm, const uint64_t in[8], uint64_t out[8]);

/* Inspection for judges and tests (no cost, no trace). */
struct rmm_realm *rmm_realm_at(struct rmm *rmm, uint64_t rd);
uint64_t rmm_count_granules(struct rmm *rmm, enum granule_state state);
struct rmm_rec *rmm_rec_at(struct rmm *rmm, uint64_t rec);
struct rtt_entry_info {
    int level; /* where the walk stopped */
    enum rmi_rtt_state state;
    enum rmi_ripas ripas;
    bool ns;       /* an unprotected (_NS) entry */
    uint64_t desc; /* the raw stage-2 descriptor */
    uint64_t rtt;  /* rmm_rtt_entry: the RTT granule holding the entry */
};
bool rmm_rtt_entry(struct rmm *rmm, uint64_t rd, uint64_t ipa, int level,
                   struct rtt_entry_info *out);
/* What a descriptor read at `level` of an RTT means to the RMM (A5.5.4): valid entries are
 * stage-2 descriptors, invalid ones keep HIPAS and RIPAS in bits the MMU ignores (docs/rmm.md,
 * "Realm Translation Tables"). For `explain`, which sees the descriptors the walk read. */
void rtt_entry_decode(uint64_t entry, int level, struct rtt_entry_info *out);
/* "UNASSIGNED", "ASSIGNED", "TABLE", "UNASSIGNED_NS", "ASSIGNED_NS" */
const char *rtt_entry_state_name(const struct rtt_entry_info *e);
const char *rmi_ripas_name(enum rmi_ripas ripas); /* "EMPTY", "RAM", "DESTROYED" */

#endif
