/* KVM_RUN for a realm vCPU: enter the REC, read its exit, handle it as the KVM CCA host series
 * does (v12: arch/arm64/kvm/rmi-exit.c handle_rec_exit() and its rec_exit_* handlers, rmi.c
 * kvm_rec_pre_enter()), and hand the VMM what KVM hands it (MMIO, KVM_EXIT_MEMORY_FAULT). */
#include "kvm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "host/smccc.h"
#include "rmm/psci.h"

#define ESR_EC(esr) ((esr) >> 26)
#define ESR_ISV (1ull << 24)
#define ESR_WNR (1ull << 6)
#define EC_DABT_LOWER 0x24
#define EC_IABT_LOWER 0x20

const char *kvm_exit_action_name(enum kvm_exit_action a)
{
    static const char *const names[] = {"none",       "map_private",  "map_shared", "mmio",
                                        "inject_sea", "set_ripas",    "psci",       "host_call",
                                        "failed",     "memory_fault", "stopped",    "ripas_reject"};
    return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "?";
}

/* A private page on first touch: delegate and DATA_CREATE_UNKNOWN (v12 realm_map_protected) */
static uint64_t map_private(const struct kvm_env *env, struct kvm_realm *r, uint64_t ipa)
{
    uint64_t data = kvm_delegated_page(env, r);
    if (!data)
        return rmi_pack(RMI_ERROR_INPUT, 0);
    const uint64_t in[8] = {RMI_DATA_CREATE_UNKNOWN, r->rd, data, ipa};
    uint64_t rc = kvm_rmi_with_rtts(env, r, in, ipa, NULL);
    if (rmi_status_of(rc) == RMI_ERROR_RTT && rmi_index_of(rc) == 3) {
        /* another vCPU mapped the page between this one's fault and now (its first touch
         * raced ours): KVM gives the granule back and lets the access fault again, which
         * finds the page mapped */
        return kvm_undelegate(env, r, data);
    }
    if (rc == 0)
        kvm_remember_private(r, ipa >> 12, data);
    return rc;
}

/* A shared page on first touch: the VMM's page for that frame (the memslot's shared backing,
 * never delegated), mapped at the unprotected alias (v12 realm_map_non_secure) with Normal WB
 * memory, read/write */
static uint64_t map_shared(const struct kvm_env *env, struct kvm_realm *r, uint64_t ipa,
                           uint64_t gfn)
{
    uint64_t pa = r->vmm_ram + (gfn << 12) - r->cfg.ram_ipa;
    bool mapped = false;
    for (size_t i = 0; i < r->n_shared; i++)
        mapped |= r->shared[i].gfn == gfn;
    if (!mapped) {
        if (r->n_shared == KVM_MAX_SHARED)
            return rmi_pack(RMI_ERROR_INPUT, 0);
        r->shared[r->n_shared].gfn = gfn;
        r->shared[r->n_shared++].pa = pa;
    }
    uint64_t desc = pa | (6ull << 2) | (3ull << 6);
    const uint64_t in[8] = {RMI_RTT_MAP_UNPROTECTED, r->rd, ipa, 3, desc};
    return kvm_rmi_with_rtts(env, r, in, ipa, NULL);
}

static struct kvm_exit *log_next(struct kvm_run_log *log)
{
    void *p = kvm_grow(log->exits, &log->cap, log->n, sizeof(*log->exits));
    if (!p)
        return NULL;
    log->exits = p;
    struct kvm_exit *x = &log->exits[log->n++];
    memset(x, 0, sizeof(*x));
    return x;
}

void kvm_run_log_free(struct kvm_run_log *log)
{
    free(log->exits);
    memset(log, 0, sizeof(*log));
}

/* KVM_RUN returns KVM_EXIT_MEMORY_FAULT for [gpa, gpa + size); the VMM converts the range
 * (QEMU kvm_convert_memory(): KVM_SET_MEMORY_ATTRIBUTES, then it discards the other backing)
 * and runs the vCPU again, or refuses and the vCPU stops. False: stopped, or the conversion's
 * RMI calls failed (*rc). */
static bool memory_fault(const struct kvm_env *env, struct kvm_realm *r, struct kvm_exit *x,
                         uint64_t gpa, uint64_t size, bool to_private, uint64_t *rc)
{
    x->action = KVM_ACT_MEMORY_FAULT;
    x->mf_gpa = gpa;
    x->mf_size = size;
    x->mf_private = to_private;
    bool changes = false;
    for (uint64_t at = gpa; at < gpa + size && !changes; at += PAGE)
        changes = at - r->cfg.ram_ipa < r->cfg.ram_size && kvm_page_shared(r, at) == to_private;
    x->vmm_converted =
        !env->memory_fault || env->memory_fault(env->ctx, gpa, size, to_private, changes);
    *rc = 0;
    if (!x->vmm_converted)
        return false;
    *rc = kvm_set_memory_attributes(env, r, gpa, gpa + size, to_private);
    if (*rc != 0)
        x->action = KVM_ACT_FAILED;
    return *rc == 0;
}

/* v12 rmi-exit.c rec_exit_sync_dabt / iabt and mmu.c kvm_handle_guest_abort(): a fault in the
 * memslot is a missing mapping; outside it, an ISV data abort is MMIO for the VMM; anything
 * else gets an SEA. A protected-alias fault on a page whose memory attribute is shared goes to
 * the VMM as a memory fault (gmem_abort(): gpa without the stolen bit, PAGE_SIZE, private);
 * a shared-alias fault is mapped whatever the attribute (user_mem_abort() does not check it). */
static bool handle_sync(const struct kvm_env *env, struct kvm_realm *r, unsigned v,
                        struct kvm_exit *x, uint64_t *rc)
{
    uint64_t ec = ESR_EC(x->esr);
    uint64_t stolen = 1ull << (r->cfg.ipa_bits - 1);
    x->ipa = (x->hpfar << 8) | (x->far & 0xFFF);
    x->gpa = x->ipa & ~stolen;
    bool shared = x->ipa & stolen;
    bool in_slot = x->gpa - r->cfg.ram_ipa < r->cfg.ram_size;
    r->enter_flags[v] = 0;
    *rc = 0;
    if (ec != EC_DABT_LOWER && ec != EC_IABT_LOWER) {
        x->action = KVM_ACT_FAILED;
        *rc = rmi_pack(RMI_ERROR_INPUT, 0);
        return false;
    }
    if (in_slot && !shared && kvm_page_shared(r, x->gpa))
        return memory_fault(env, r, x, x->gpa & ~(PAGE - 1), PAGE, true, rc);
    if (in_slot) {
        uint64_t page = x->ipa & ~(PAGE - 1);
        x->action = shared ? KVM_ACT_MAP_SHARED : KVM_ACT_MAP_PRIVATE;
        *rc = shared ? map_shared(env, r, page, x->gpa >> 12) : map_private(env, r, page);
        if (*rc != 0)
            x->action = KVM_ACT_FAILED;
        return *rc == 0;
    }
    if (ec == EC_DABT_LOWER && (x->esr & ESR_ISV)) {
        x->action = KVM_ACT_MMIO;
        x->mmio_write = x->esr & ESR_WNR;
        x->mmio_size = 1u << ((x->esr >> 22) & 3);
        x->mmio_value = x->mmio_write ? x->gpr0 : 0;
        x->mmio_claimed = env->mmio(env->ctx, x->gpa, x->mmio_write, x->mmio_size, &x->mmio_value);
        r->enter_flags[v] = RMI_ENTER_EMUL_MMIO;
        r->enter_gpr0[v] = x->mmio_write ? 0 : x->mmio_value;
        return true;
    }
    x->action = KVM_ACT_INJECT_SEA;
    r->enter_flags[v] = RMI_ENTER_INJECT_SEA;
    return true;
}

/* v12 rmi-exit.c rec_exit_psci() and psci.c: KVM handles the call as for any VM; CPU_ON and
 * AFFINITY_INFO name another vCPU by MPIDR and are completed with RMI_PSCI_COMPLETE (status
 * SUCCESS; KVM ignores the call's result: a REC still pending then fails REC_ENTER). False: the
 * vCPU stops (CPU_OFF, SYSTEM_OFF/RESET: KVM_RUN returns). */
static bool handle_psci(const struct kvm_env *env, struct kvm_realm *r, unsigned v,
                        struct kvm_exit *x, const struct kvm_response *resp)
{
    uint64_t fid = x->gpr0;
    x->action = KVM_ACT_PSCI;
    r->enter_flags[v] = 0;
    if (fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64 || fid == PSCI_AFFINITY_INFO_32 ||
        fid == PSCI_AFFINITY_INFO_64) {
        uint64_t target = (x->gpr1 & 0xF) + 16 * ((x->gpr1 >> 8) & 0xFF);
        uint64_t target_rec = target < KVM_MAX_VCPUS ? r->recs[target] : 0;
        uint64_t status = resp && resp->has_psci_status ? resp->psci_status : PSCI_SUCCESS;
        kvm_rmi(env, RMI_PSCI_COMPLETE, r->recs[v], target_rec, status, 0, 0, NULL);
        return true;
    }
    return !(fid == PSCI_CPU_OFF || fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET);
}

/* v12 rmi-exit.c rec_exit_ripas_change(): no RMI call at the exit; KVM_RUN returns
 * KVM_EXIT_MEMORY_FAULT for the whole range (private when it becomes RAM), and the change itself
 * is made before the next REC_ENTER (kvm_complete_ripas_change()). A rejection enters with
 * RmiRecEnter.flags.ripas_response = REJECT and no RTT_SET_RIPAS: v12 sets that flag only on
 * its invalid-range path, which the RMM's own checks make unreachable, so REJECT is a choice
 * rmesim's host offers (docs/host.md). */
static bool handle_ripas_change(const struct kvm_env *env, struct kvm_realm *r, unsigned v,
                                struct kvm_exit *x, const struct kvm_response *resp, uint64_t *rc)
{
    *rc = 0;
    if (resp && resp->ripas_reject) {
        x->action = KVM_ACT_RIPAS_REJECT;
        r->enter_flags[v] = RMI_ENTER_RIPAS_RESPONSE;
        return true;
    }
    r->enter_flags[v] = 0;
    r->ripas_due[v].due = true;
    r->ripas_due[v].base = x->ripas_base;
    r->ripas_due[v].top = x->ripas_top;
    r->ripas_due[v].value = x->ripas_value;
    return memory_fault(env, r, x, x->ripas_base, x->ripas_top - x->ripas_base,
                        x->ripas_value == RMI_RIPAS_RAM, rc);
}

/* One exit, handled: true when the host enters the REC again; else *ok says whether the run
 * ended as it should (an IRQ, a stopped vCPU) or failed. */
static bool handle_exit(const struct kvm_env *env, struct kvm_realm *r, unsigned v,
                        struct kvm_exit *x, const struct kvm_response *resp, bool *ok)
{
    uint64_t rc = 0;
    bool go_on;
    switch (x->reason) {
    case RMI_EXIT_IRQ:
    case RMI_EXIT_FIQ:
        x->action = KVM_ACT_NONE;
        go_on = false;
        break;
    case RMI_EXIT_SYNC:
        go_on = handle_sync(env, r, v, x, &rc);
        break;
    case RMI_EXIT_PSCI:
        go_on = handle_psci(env, r, v, x, resp);
        break;
    case RMI_EXIT_HOST_CALL:
        /* v12 rmi-exit.c rec_exit_host_call(): KVM's SMCCC handler on the call's registers;
         * kvm_rec_pre_enter() hands all of them back */
        x->action = KVM_ACT_HOST_CALL;
        r->enter_flags[v] = 0;
        kvm_smccc_call(r->enter_gprs[v]);
        r->enter_gpr0[v] = r->enter_gprs[v][0];
        r->enter_all_gprs[v] = true;
        go_on = true;
        break;
    case RMI_EXIT_RIPAS_CHANGE:
        go_on = handle_ripas_change(env, r, v, x, resp, &rc);
        break;
    default: /* SERROR: not modelled by this host yet */
        x->action = KVM_ACT_FAILED;
        go_on = false;
        break;
    }
    *ok = !go_on && x->action != KVM_ACT_FAILED && rc == 0;
    x->reenters = go_on;
    x->enter_flags = r->enter_flags[v];
    if (env->exit_handled)
        env->exit_handled(env->ctx, x);
    return go_on;
}

int kvm_vcpu_complete(const struct kvm_env *env, struct kvm_realm *r, unsigned v,
                      const struct kvm_response *resp, struct kvm_run_log *log)
{
    struct kvm_exit *x = r->pending[v] ? log_next(log) : NULL;
    if (!x)
        return -1;
    *x = *r->pending[v];
    free(r->pending[v]);
    r->pending[v] = NULL;
    bool ok;
    if (handle_exit(env, r, v, x, resp, &ok))
        return 1;
    return ok ? 0 : -1;
}

/* The REC's exit as KVM reads it from RmiRecRun (RMM spec B4.4.18 RmiRecExit) */
static void read_exit(const struct kvm_env *env, struct kvm_realm *r, unsigned v,
                      struct kvm_exit *x)
{
    uint64_t run = r->runs[v];
    x->reason = kvm_get(env, run + RMI_EXIT_REASON);
    x->esr = kvm_get(env, run + RMI_EXIT_ESR);
    x->far = kvm_get(env, run + RMI_EXIT_FAR);
    x->hpfar = kvm_get(env, run + RMI_EXIT_HPFAR);
    x->gpr0 = kvm_get(env, run + RMI_EXIT_GPRS);
    x->gpr1 = kvm_get(env, run + RMI_EXIT_GPRS + 8);
    if (x->reason == RMI_EXIT_HOST_CALL) {
        x->imm = kvm_get(env, run + RMI_EXIT_IMM); /* recorded; KVM does not use it */
        for (unsigned i = 0; i < 31; i++)
            r->enter_gprs[v][i] = kvm_get(env, run + RMI_EXIT_GPRS + 8 * i);
    }
    if (x->reason == RMI_EXIT_RIPAS_CHANGE) {
        x->ripas_base = kvm_get(env, run + RMI_EXIT_RIPAS_BASE);
        x->ripas_top = kvm_get(env, run + RMI_EXIT_RIPAS_TOP);
        x->ripas_value = kvm_get(env, run + RMI_EXIT_RIPAS_VALUE);
    }
}

bool kvm_vcpu_run(const struct kvm_env *env, struct kvm_realm *r, unsigned v,
                  struct kvm_run_log *log, unsigned max_exits, uint32_t stop_at)
{
    if (r->pending[v]) { /* the next KVM_RUN carries on where the last one stopped */
        int done = kvm_vcpu_complete(env, r, v, NULL, log);
        if (done <= 0)
            return done == 0;
    }
    uint64_t run = r->runs[v];
    for (unsigned n = 0; n < max_exits; n++) {
        kvm_complete_ripas_change(env, r, v);
        kvm_put(env, run + RMI_ENTER_FLAGS, r->enter_flags[v]);
        kvm_put(env, run + RMI_ENTER_GPRS, r->enter_gpr0[v]);
        for (unsigned i = 1; r->enter_all_gprs[v] && i < 31; i++)
            kvm_put(env, run + RMI_ENTER_GPRS + 8 * i, r->enter_gprs[v][i]);
        r->enter_all_gprs[v] = false;
        r->enter_flags[v] = r->enter_gpr0[v] = 0;
        uint64_t rc = kvm_rmi(env, RMI_REC_ENTER, r->recs[v], run, 0, 0, 0, NULL);
        struct kvm_exit *x = log_next(log);
        if (!x)
            return false;
        x->rmi_status = rc;
        if (rc != 0) {
            x->action = KVM_ACT_FAILED;
            return false;
        }
        read_exit(env, r, v, x);
        if (env->exit_seen)
            env->exit_seen(env->ctx, x);
        if (x->reason < 32 && (stop_at >> x->reason) & 1) {
            r->pending[v] = malloc(sizeof(*x));
            if (!r->pending[v])
                return false;
            *r->pending[v] = *x;
            x->action = KVM_ACT_STOPPED;
            if (env->exit_handled)
                env->exit_handled(env->ctx, x);
            return true;
        }
        bool ok;
        if (!handle_exit(env, r, v, x, NULL, &ok))
            return ok;
    }
    return false;
}
