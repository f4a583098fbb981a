/* The RMM's realm objects: the Realm Descriptor (A2.1.3) and the Realm Execution Context
 * (A2.3), with the attributes the specification names. The RMM keeps them in its private
 * memory; the granule table points at them from the RD and REC granules. */
#ifndef RMM_REALM_H
#define RMM_REALM_H

#include <stdbool.h>
#include <stdint.h>

enum realm_state { REALM_NEW = 0, REALM_ACTIVE = 1, REALM_SYSTEM_OFF = 2 };
const char *realm_state_name(enum realm_state s);

struct rmm_realm {
    uint64_t rd;
    enum realm_state state;
    uint64_t flags;
    unsigned ipa_bits;
    int start_level;
    unsigned num_start;
    uint64_t rtt_base;
    uint16_t vmid;
    unsigned hash_algo;
    uint64_t rec_index; /* the index the next REC must have */
    unsigned num_recs;
    /* measurements[0] is the RIM, [1..4] the REMs; SHA-256 values use the first 32 bytes */
    uint8_t measurements[5][64];
    uint8_t rpv[64]; /* Realm Personalization Value, from RmiRealmParams (A2.1.3) */
};

/* The realm's EL1 system registers the RMM saves and restores with the REC. */
struct rec_el1_regs {
    uint64_t sctlr, tcr, ttbr0, ttbr1, mair, vbar, esr, far, elr, spsr;
};

struct rmm_rec {
    uint64_t addr, rd;
    struct rmm_realm *realm;
    uint64_t mpidr, index;
    bool runnable, running;
    uint64_t gprs[31], pc;
    uint64_t pstate; /* the realm's PSTATE, as SPSR_EL2 holds it while the RMM runs */
    struct rec_el1_regs el1;
    uint64_t aux[16];
    unsigned num_aux;
    /* what the last exit left for the next REC_ENTER to complete (A4.2.3) */
    bool emulatable_abort;
    uint64_t last_esr, last_far, last_hpfar;
    bool psci_pending, host_call_pending;
    uint64_t host_call_addr; /* the RsiHostCall the pending host call answers into */
    bool ripas_pending;      /* an RSI_IPA_STATE_SET the host has not answered */
    uint64_t ripas_addr, ripas_top;
    unsigned ripas_value;
    bool ripas_destroyed;
    /* an SEA the RMM injected, for the platform to report (A5.2.7) */
    bool sea_injected;
    /* the attestation token generation in progress on this REC (A7.2.2): rec.attest_state,
     * rec.attest_challenge, the token and how much of it the realm has taken */
    bool attest_in_progress;
    uint8_t attest_challenge[64];
    uint8_t *attest_token;
    size_t attest_len, attest_copied;
};

#endif
