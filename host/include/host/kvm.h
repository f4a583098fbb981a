/* The host's realm management, modelled on Linux KVM's CCA support (arch/arm64/kvm/rme.c and
 * rme-exit.c in the KVM CCA host series): it builds a realm with real RMI calls, keeps its
 * memslot with a private (delegated) and a shared (plain NS) backing, runs a vCPU the way
 * KVM_RUN does and handles each REC exit, and hands MMIO to its VMM. Everything it does goes
 * through its environment: RMI calls (SMCs through EL3), its own NS-EL2 memory accesses, a
 * page allocator, and the VMM's devices. */
#ifndef HOST_KVM_H
#define HOST_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kvm_exit;

struct kvm_env {
    void *ctx;
    void (*rmi)(void *ctx, const uint64_t in[8], uint64_t out[8]);
    /* an 8-byte access by the host at NS-EL2 (identity map): false on a fault */
    bool (*access)(void *ctx, uint64_t pa, bool write, uint64_t *value);
    uint64_t (*alloc_page)(void *ctx); /* a page of host memory (0: none left) */
    /* the VMM: true when a device claims the guest-physical address */
    bool (*mmio)(void *ctx, uint64_t gpa, bool write, unsigned size, uint64_t *value);
    /* optional: told about each REC exit as the host reads it, and once it has handled it */
    void (*exit_seen)(void *ctx, const struct kvm_exit *x);
    void (*exit_handled)(void *ctx, const struct kvm_exit *x);
    /* the VMM's memory for a memslot (its mmap of guest RAM): size bytes of host memory,
     * contiguous in the host's identity map; 0 when there is no room */
    uint64_t (*vmm_ram)(void *ctx, uint64_t size);
    /* optional: the VMM's answer to KVM_EXIT_MEMORY_FAULT for [gpa, gpa + size): true when it
     * converts the range to private (to_private) or shared and calls KVM_RUN again, as QEMU's
     * kvm_convert_memory() does; false when it refuses (QEMU stops the VM). changes: some page
     * of the range has the other attribute now. NULL: converts. */
    bool (*memory_fault)(void *ctx, uint64_t gpa, uint64_t size, bool to_private, bool changes);
};

struct kvm_realm_config {
    unsigned ipa_bits;
    int rtt_level_start; /* -1: as KVM chooses (the fewest levels, at most 16 tables) */
    unsigned vcpus;
    uint16_t vmid;
    uint64_t ram_ipa, ram_size;     /* the memslot of guest RAM */
    uint64_t image_ipa, image_size; /* measured with DATA_CREATE */
    /* the image's image_size bytes (an ELF's segments laid out, zeros between and after them);
     * NULL: the model's placeholder kernel, NOPs with one tag word per page */
    const uint8_t *image_bytes;
    uint64_t entry;                 /* the vCPUs' first PC */
};

#define KVM_MAX_VCPUS 64 /* the scenario language allows 1..64 vCPUs per realm */
#define KVM_MAX_SHARED 256

struct kvm_realm {
    struct kvm_realm_config cfg;
    uint64_t rd, rtt_base, params;
    int start_level;
    unsigned num_start;
    uint64_t recs[KVM_MAX_VCPUS], runs[KVM_MAX_VCPUS];
    uint64_t enter_flags[KVM_MAX_VCPUS], enter_gpr0[KVM_MAX_VCPUS];
    /* a host call's answer, all of enter.gprs, for the next entry */
    bool enter_all_gprs[KVM_MAX_VCPUS];
    uint64_t enter_gprs[KVM_MAX_VCPUS][31];
    /* The RAM memslot (KVM_SET_USER_MEMORY_REGION2 with a guest_memfd), indexed by the GPA
     * without the stolen bit. Its shared backing is the VMM's memory (userspace_addr), there
     * from the start: frame gfn is host page vmm_ram + (gfn - ram_ipa/4K) * 4K. 0 once the
     * realm is destroyed. */
    uint64_t vmm_ram;
    /* the shared pages mapped at the unprotected alias (RTT_MAP_UNPROTECTED), by guest frame */
    struct {
        uint64_t gfn, pa;
    } shared[KVM_MAX_SHARED];
    size_t n_shared;
    /* the private backing (guest_memfd): delegated granules by guest frame, there once the
     * VMM populated the page (DATA_CREATE) or the realm faulted it in (DATA_CREATE_UNKNOWN) */
    struct {
        uint64_t gfn, pa;
    } * private_pages;
    size_t n_private, cap_private;
    /* the RTTs it created (ipa, level), and each REC's auxiliary granules */
    struct {
        uint64_t ipa, pa;
        int level;
    } * rtts;
    size_t n_rtts, cap_rtts;
    /* KVM's memory attributes (KVM_SET_MEMORY_ATTRIBUTES): one bit per page of the memslot,
     * set while KVM_MEMORY_ATTRIBUTE_PRIVATE is clear (shared, after a RIPAS change to
     * EMPTY), clear while private (the VMM makes all of RAM private at the start) */
    uint8_t *shared_attr;
    uint64_t aux[KVM_MAX_VCPUS][16];
    unsigned n_aux;
    /* per vCPU: a REC exit the host stopped at without handling it (kvm_vcpu_run's stop_at),
     * handled by kvm_vcpu_complete() or the next KVM_RUN */
    struct kvm_exit *pending[KVM_MAX_VCPUS];
    /* per vCPU: a RIPAS change KVM applies before the next REC_ENTER (v12 kvm_rec_pre_enter) */
    struct {
        bool due;
        uint64_t base, top, value;
    } ripas_due[KVM_MAX_VCPUS];
    uint64_t granules_delegated; /* for teardown and statistics */
};

/* What the host saw and did for one REC exit (its trace and the scenario's expectations). */
enum kvm_exit_action {
    KVM_ACT_NONE,         /* IRQ: back to the caller */
    KVM_ACT_MAP_PRIVATE,  /* delegate + DATA_CREATE_UNKNOWN */
    KVM_ACT_MAP_SHARED,   /* RTT_MAP_UNPROTECTED of a host page */
    KVM_ACT_MMIO,         /* emulated by the VMM; re-entered with EMUL_MMIO */
    KVM_ACT_INJECT_SEA,   /* an abort the host cannot handle */
    KVM_ACT_SET_RIPAS,    /* RTT_SET_RIPAS over the range the realm asked for */
    KVM_ACT_PSCI,         /* a PSCI request: completed (CPU_ON, AFFINITY_INFO) or noted */
    KVM_ACT_HOST_CALL,    /* answered by KVM's SMCCC handler (host/smccc.h) */
    KVM_ACT_FAILED,       /* an RMI call the host needed failed */
    KVM_ACT_MEMORY_FAULT, /* KVM_EXIT_MEMORY_FAULT: the VMM converts the range, or refuses */
    KVM_ACT_STOPPED,      /* the host stopped at the exit and left it pending (stop_at) */
    KVM_ACT_RIPAS_REJECT, /* a RIPAS change answered with RMI_REJECT (rmesim's host) */
};

struct kvm_exit {
    uint64_t reason, esr, far, hpfar, gpr0, gpr1;
    uint64_t ripas_base, ripas_top, ripas_value, imm;
    uint64_t ipa, gpa; /* the faulting IPA, and with the stolen bit removed */
    enum kvm_exit_action action;
    bool mmio_write, mmio_claimed;
    unsigned mmio_size;
    uint64_t mmio_value;
    uint64_t rmi_status;  /* of REC_ENTER */
    bool reenters;        /* the host enters the REC again after handling this exit */
    uint64_t enter_flags; /* ... with these RmiRecEnter.flags */
    /* KVM_ACT_MEMORY_FAULT: the exit KVM_RUN returned (kvm_run.memory_fault) and the VMM's answer
     */
    uint64_t mf_gpa, mf_size;
    bool mf_private, vmm_converted;
};

struct kvm_run_log {
    struct kvm_exit *exits;
    size_t n, cap;
};

const char *kvm_exit_action_name(enum kvm_exit_action a);

/* Build the realm: delegate, REALM_CREATE, RTTs, INIT_RIPAS over RAM, DATA_CREATE of the image,
 * REC_CREATE per vCPU, REALM_ACTIVATE. 0, or the RMI return code of the call that failed
 * (*failed_fid says which). */
uint64_t kvm_realm_create(const struct kvm_env *env, const struct kvm_realm_config *cfg,
                          struct kvm_realm *realm, uint64_t *failed_fid);

/* KVM_RUN for one vCPU: REC_ENTER and exit handling until the realm exits for an IRQ (the
 * host's kick), the VMM stops the vCPU (a memory fault it refuses, SYSTEM_OFF), or something
 * goes wrong; every exit is appended to log. An exit whose reason is in stop_at (bit
 * 1 << RMI_EXIT_...) is not handled: the run stops there, leaving it pending (realm->pending).
 * A pending exit left by an earlier run is handled first, as kvm_vcpu_complete() does with no
 * response given. False when an RMI call failed or an exit cannot be handled (the last log
 * entry says which). */
bool kvm_vcpu_run(const struct kvm_env *env, struct kvm_realm *realm, unsigned vcpu,
                  struct kvm_run_log *log, unsigned max_exits, uint32_t stop_at);

/* How the host answers a pending exit: a RIPAS change accepted (as KVM does) or rejected, a
 * PSCI request completed with a status (default PSCI_SUCCESS, as KVM does). */
struct kvm_response {
    bool ripas_reject;
    bool has_psci_status;
    uint64_t psci_status;
};

/* Handle vCPU v's pending exit now, answered as resp says (NULL: as KVM would), appending it to
 * log: 1 when the host goes on to enter the REC (call kvm_vcpu_run), 0 when the vCPU stops
 * there, -1 when the handling failed or nothing is pending. */
int kvm_vcpu_complete(const struct kvm_env *env, struct kvm_realm *realm, unsigned vcpu,
                      const struct kvm_response *resp, struct kvm_run_log *log);

void kvm_run_log_free(struct kvm_run_log *log);

/* Which of a memslot page's two backings a lookup wants: the one its memory attribute selects
 * (as KVM's fault path does, kvm_mem_is_private()), or one named. */
enum kvm_backing {
    KVM_BACKING_BY_ATTRIBUTE,
    KVM_BACKING_SHARED,
    KVM_BACKING_PRIVATE,
};

/* Why a lookup found no page */
enum kvm_unbacked {
    KVM_BACKED,
    KVM_NO_MEMSLOT,    /* the GPA lies outside the memslot, or the realm is gone */
    KVM_NOT_POPULATED, /* private, and guest_memfd has no page for it yet */
};

struct kvm_lookup {
    uint64_t gpa;     /* the IPA without the stolen bit */
    uint64_t pa;      /* the page (plus the IPA's offset in it), 0 when nothing backs it */
    bool shared;      /* which backing was looked at */
    bool attr_shared; /* the page's memory attribute: KVM_MEMORY_ATTRIBUTE_PRIVATE clear */
    enum kvm_unbacked why;
};

/* The host's view of a realm IPA: the memslot page of its GPA (whichever alias the IPA is) and
 * the backing `want` picks. False when nothing backs it (out->why says why). */
bool kvm_memslot_lookup(const struct kvm_realm *realm, uint64_t ipa, enum kvm_backing want,
                        struct kvm_lookup *out);
void kvm_realm_free(struct kvm_realm *realm);

/* Tear the realm down as KVM does when its VM goes away: REC_DESTROY each vCPU, DATA_DESTROY
 * every private page, UNMAP_UNPROTECTED every shared one, RTT_DESTROY from the leaves up,
 * REALM_DESTROY, and RMI_GRANULE_UNDELEGATE of every granule it had delegated. 0, or the code
 * of the call that failed (*failed_fid). */
uint64_t kvm_realm_destroy(const struct kvm_env *env, struct kvm_realm *realm,
                           uint64_t *failed_fid);

#endif
