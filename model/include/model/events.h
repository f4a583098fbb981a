/* What happened in a run, once: the records every view is made from (the VCD, the event log,
 * the statistics, `explain`, the expectations). A component that does one of these things
 * emits the record to its core's sink (model/event_stream.hpp); nothing else feeds a view.
 *
 * Every record names its core and the core's cycle when the thing began; `end` is the cycle it
 * was over (equal to `cycle` for an instant). Only the union member of the record's kind is
 * filled. Pointers in a record are valid only during the emit call: a view that keeps something
 * copies it. docs/ARCHITECTURE.md lists who emits what and which views read it. */
#ifndef MODEL_EVENTS_H
#define MODEL_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/pe.h"
#include "gpc/gpc_unit.h"
#include "gpc/gpt_el3.h"
#include "host/kvm.h"
#include "mmu/access.h"
#include "mmu/regime.h"
#include "mmu/tlb.h"

enum rme_event_kind {
    RME_EV_STEP_BEGIN,      /* a step, or a realm's build, starts on the core */
    RME_EV_STEP_END,        /* ... and is over: what it observed */
    RME_EV_ACCESS,          /* one access through the MMU: the walk, each descriptor fetch with
                             * its GPC check (GPI, GPT level, fetches, cache), the output's GPC
                             * check, the fault and its syndrome */
    RME_EV_EXCEPTION,       /* an exception taken (or one the RMM injects into a realm) */
    RME_EV_ERET,            /* an exception return */
    RME_EV_CALL,            /* an SMC's call is made: RMI, RSI, PSCI, the RMM's calls to EL3 */
    RME_EV_CALL_RETURN,     /* ... and returns, with its status */
    RME_EV_REC_EXIT,        /* the host reads a REC exit */
    RME_EV_HOST_DECISION,   /* the host has handled that exit (or REC_ENTER failed) */
    RME_EV_MMIO,            /* the VMM's device emulates an access */
    RME_EV_GPT_TRANSITION,  /* EL3 moves a granule between PASes */
    RME_EV_GPT_WRITE,       /* EL3 writes a GPI into the GPT directly, without maintenance */
    RME_EV_EL3_MAP,         /* EL3 changes the PAS of a block of its own identity map */
    RME_EV_TLBI,            /* a TLB maintenance operation, with what it dropped */
    RME_EV_HOST_LOOKUP,     /* the host finds the page behind a realm IPA in its memslot */
    RME_EV_REALM_BUILT,     /* the host has built a realm (ACTIVE) */
    RME_EV_REALM_DESTROYED, /* the host's teardown of a realm, done or stopped */
    RME_EV_GUEST_RUN_BEGIN, /* the host runs a realm vCPU (KVM_RUN) for a step or its boot */
    RME_EV_GUEST_RUN_END,   /* ... until the host's kick or what it cannot handle */
    RME_EV_SOFTWARE,        /* the software that owns the core's cycles changes */
    RME_EV_RUN_END,         /* the run is over: the core's counters */
    RME_EV_TARGET_END,      /* ... and a memory target's (DRAM, a device, EL3's carve-out) */
    RME_EV_COUNT
};

/* The step the core is running, for every record between its begin and end. */
struct rme_ev_step {
    const char *id;     /* the step's id, or REALM.build */
    unsigned index;     /* 1.. in the scenario's order (0: a realm's build) */
    const void *result; /* at STEP_END: the model's StepResult (its observations by name) */
};

/* Whose access: the step's own (host or EL3), a realm guest's instruction, or one the host's
 * KVM or the RMM makes to its structures. */
enum rme_ev_access_origin { RME_ACC_STEP, RME_ACC_GUEST, RME_ACC_HOST, RME_ACC_RMM };

struct rme_ev_access {
    enum mmu_regime_kind regime;
    enum rme_ev_access_origin origin;
    bool primary; /* the access the step is about (a guest's: the step's own instruction) */
    unsigned el;  /* the EL and security state it is made from */
    enum rme_sec_state ss;
    const struct rme_access *access; /* as mmu_translate left it */
    bool reached_memory;             /* value is what was stored or loaded */
    uint64_t value;
    const char *target;       /* a step's own access: the memory or device at the PA (or NULL) */
    unsigned repeat, repeats; /* a step's own access: which of how many (count) */
    unsigned ipa_bits;        /* a two-stage regime's IPA size (64 - VTCR_EL2.T0SZ), else 0 */
    /* made by real code (the A64 core): the instruction's address and word (0 while the fetch
     * of the instruction itself has not returned it) */
    bool has_pc;
    uint64_t pc;
    uint32_t insn;
};

enum rme_ev_exception_source {
    RME_EXC_ABORT,    /* an instruction or data abort, a GPC exception, an SEA */
    RME_EXC_CALL,     /* a call: an SMC to EL3, or trapped to R-EL2 (HCR_EL2.TSC) from a realm;
                       * the VMM's SVC back into KVM */
    RME_EXC_IRQ,      /* an interrupt: the host's kick that ends a realm's run */
    RME_EXC_INJECTED, /* the RMM's emulated entry into the realm's vector (INJECT_SEA) */
};

struct rme_ev_exception {
    enum rme_ev_exception_source source;
    enum pe_exception_type type;
    unsigned from_el, to_el;
    enum rme_sec_state from_ss, to_ss;
    uint64_t esr, far; /* ESR_ELx (EC = esr >> 26), FAR_ELx; 0 for an IRQ */
    uint64_t elr;      /* an injected one: ELR_EL1, where the guest was */
    bool hpfar_valid, mfar_valid;
    uint64_t hpfar, mfar;
};

struct rme_ev_eret {
    unsigned from_el, to_el;
    enum rme_sec_state from_ss, to_ss;
};

/* CALL when the SMC is made (status NULL), CALL_RETURN when the caller has the result. */
struct rme_ev_call {
    const char *name; /* RMI_REC_ENTER, RSI_VERSION, PSCI_CPU_ON, SMC_RMM_GTSI_DELEGATE */
    uint64_t fid;
    unsigned caller_el; /* who calls: the host at NS-EL2, a realm at EL1, the RMM at R-EL2 */
    enum rme_sec_state caller_ss;
    unsigned n_args;
    const char *arg_names[8]; /* the specification's names, or x1.. */
    uint64_t args[8];
    const char *status; /* by name: SUCCESS, ERROR_INPUT, E_RMM_OK, RESTARTED... */
    unsigned index;     /* an RMI status's index */
    uint64_t result;    /* X0 as the caller reads it */
};

struct rme_ev_rec_exit {
    const struct kvm_exit *exit; /* the exit as the host read it, and at HOST_DECISION its action */
};

struct rme_ev_mmio {
    unsigned device; /* index in the scenario's platform.devices */
    uint64_t offset, value;
    unsigned size;
    bool write;
};

struct rme_ev_gpt_transition {
    uint64_t pa;
    unsigned gpi; /* the target GPI */
    enum rme_sec_state caller;
    int rc;                       /* 0, -EPERM, -EINVAL (TF-A gpt_transition_pas) */
    bool by_call;                 /* for the RMM's SMC_RMM_GTSI_* (else an EL3 step's) */
    const struct gpt_op_log *log; /* the writes, barriers and maintenance EL3 made */
};

struct rme_ev_el3_map {
    uint64_t va; /* the 1GB block */
    enum rme_pas pas;
    uint64_t entry, desc; /* the EL3 table entry and what it now holds */
};

struct rme_ev_host_lookup {
    const char *realm;
    uint64_t ipa, pa;
    bool shared; /* the memslot's shared backing (the VMM's page), else its private one */
};

struct rme_ev_realm {
    const char *name;
    uint64_t rd, rtt_base;
    unsigned num_start, vmid;
    int start_level;
    uint64_t granules;   /* delegated for it (built) or undelegated (destroyed) */
    uint64_t failed_fid; /* a teardown that stopped: the RMI call that failed, else 0 */
};

struct rme_ev_guest_run {
    const char *realm;
    unsigned vcpu;
    bool boot;             /* the guest kernel's boot rather than a step's instructions */
    uint64_t instructions; /* added for this run */
    uint64_t executed;     /* at the end: how many ran */
    uint64_t exits;        /* at the end: REC exits the host read */
};

struct rme_ev_tlbi {
    const char *op; /* the architecture's name: VMALLE1IS, RPALOS, ... */
    bool broadcast;
    unsigned dropped; /* entries every core it reached dropped */
    bool from_realm;  /* issued by a realm vCPU at R-EL1 */
    bool primary;     /* ... as the step's own instruction */
};

struct rme_ev_software {
    unsigned from, to; /* the model's accounts: host, EL3, RMM, realm, VMM */
};

/* The core's own counters at the end of the run (the components count; views read this). */
struct rme_ev_run_end {
    uint64_t cycles, memory_cycles;
    const uint64_t *cycles_by_software; /* indexed by account */
    unsigned n_software;
    struct gpc_stats gpc;
    struct tlb_stats tlb;
    uint64_t l1d_hits, l1d_misses;
};

struct rme_ev_target {
    const char *name;
    bool ram;
    uint64_t accesses, queueing_cycles;
};

struct rme_event {
    enum rme_event_kind kind;
    unsigned core;
    uint64_t cycle, end;
    const struct rme_ev_step *step; /* the step running on the core (NULL outside steps) */
    union {
        struct rme_ev_step step_change; /* STEP_BEGIN, STEP_END */
        struct rme_ev_access access;
        struct rme_ev_exception exception;
        struct rme_ev_eret eret;
        struct rme_ev_call call; /* CALL, CALL_RETURN */
        struct rme_ev_rec_exit rec_exit;
        struct rme_ev_mmio mmio;
        struct rme_ev_gpt_transition gpt; /* GPT_TRANSITION, GPT_WRITE */
        struct rme_ev_el3_map el3_map;
        struct rme_ev_host_lookup lookup;
        struct rme_ev_realm realm;   /* REALM_BUILT, REALM_DESTROYED */
        struct rme_ev_guest_run run; /* GUEST_RUN_BEGIN, GUEST_RUN_END */
        struct rme_ev_tlbi tlbi;
        struct rme_ev_software software;
        struct rme_ev_run_end run_end;
        struct rme_ev_target target;
    } u;
};

#endif
