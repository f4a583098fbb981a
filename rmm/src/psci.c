/* PSCI for realms (RMM spec B6.3, A4.3.7) and RMI_PSCI_COMPLETE (B4.3.7). The RMM answers
 * VERSION and FEATURES itself; CPU_SUSPEND, CPU_OFF, SYSTEM_OFF and SYSTEM_RESET are
 * notifications to the host; CPU_ON and AFFINITY_INFO name another REC by MPIDR, which only
 * the host can map to a REC address, so they wait for RMI_PSCI_COMPLETE. */
#include <string.h>

#include "esr.h"
#include "rmi_handlers.h"
#include "rmm/psci.h"
#include "rsi_handlers.h"

static bool is_fid(uint64_t fid, uint64_t smc32, uint64_t smc64)
{
    return fid == smc32 || fid == smc64;
}

bool psci_fid(uint64_t fid)
{
    return (fid & ~0x1Full) == 0x84000000ull || (fid & ~0x1Full) == 0xC4000000ull;
}

/* the REC index an MPIDR names (A2.3.3); ~0 when malformed */
static uint64_t mpidr_to_index(uint64_t mpidr)
{
    if (mpidr & 0xFFFFFFFF000000F0ull)
        return ~0ull;
    return (mpidr & 0xF) + 16 * ((mpidr >> 8) & 0xFF) + 4096 * ((mpidr >> 16) & 0xFF) +
           1048576 * ((mpidr >> 24) & 0xFF);
}

static void psci_exit(struct rmm_rec *rec, struct rec_exit *exit, unsigned nargs)
{
    memset(exit, 0, sizeof(*exit));
    exit->reason = RMI_EXIT_PSCI;
    for (unsigned i = 0; i < nargs; i++) /* exit.gprs[0] = FID, then its arguments */
        exit->gprs[i] = rec->gprs[i];
}

bool psci_handle(struct rmm *rmm, struct rmm_rec *rec, struct rec_exit *exit)
{
    (void)rmm;
    uint64_t fid = rec->gprs[0];
    struct rmm_realm *r = rec->realm;
    if (fid == PSCI_VERSION) {
        rec->gprs[0] = PSCI_VERSION_1_1;
        return true;
    }
    if (fid == PSCI_FEATURES) {
        uint64_t f = rec->gprs[1];
        bool known = is_fid(f, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64) || f == PSCI_CPU_OFF ||
                     is_fid(f, PSCI_CPU_ON_32, PSCI_CPU_ON_64) ||
                     is_fid(f, PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64) ||
                     f == PSCI_SYSTEM_OFF || f == PSCI_SYSTEM_RESET || f == PSCI_FEATURES ||
                     f == SMCCC_VERSION;
        rec->gprs[0] = known ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
        return true;
    }
    if (is_fid(fid, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64)) {
        psci_exit(rec, exit, 1); /* a notification: the call succeeds at once */
        rec->gprs[0] = PSCI_SUCCESS;
        return false;
    }
    if (fid == PSCI_CPU_OFF) {
        rec->runnable = false;
        psci_exit(rec, exit, 1);
        rec->gprs[0] = PSCI_SUCCESS;
        return false;
    }
    if (fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET) {
        r->state = REALM_SYSTEM_OFF; /* no REC of the realm runs again */
        psci_exit(rec, exit, 1);
        return false;
    }
    bool cpu_on = is_fid(fid, PSCI_CPU_ON_32, PSCI_CPU_ON_64);
    if (cpu_on || is_fid(fid, PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64)) {
        uint64_t target = mpidr_to_index(rec->gprs[1]);
        if (cpu_on && !ipa_is_protected(r, rec->gprs[2])) { /* the entry point */
            rec->gprs[0] = PSCI_INVALID_ADDRESS;
            return true;
        }
        if (!cpu_on && rec->gprs[2] != 0) { /* lowest affinity level */
            rec->gprs[0] = PSCI_INVALID_PARAMETERS;
            return true;
        }
        if (target >= r->rec_index) { /* no such REC */
            rec->gprs[0] = PSCI_INVALID_PARAMETERS;
            return true;
        }
        if (target == rec->index) {
            rec->gprs[0] = cpu_on ? PSCI_ALREADY_ON : PSCI_AFFINITY_ON;
            return true;
        }
        rec->psci_pending = true; /* X0..X3 stay as the request until the host completes it */
        psci_exit(rec, exit, 2);
        return false;
    }
    rec->gprs[0] = PSCI_NOT_SUPPORTED;
    return true;
}

void rmi_psci_complete(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    uint64_t calling_pa = in[1], target_pa = in[2], status = in[3];
    if (calling_pa == target_pa) { /* alias */
        out[0] = INPUT;
        return;
    }
    struct granule *gc = granule_checked(rmm, calling_pa, GRANULE_REC);
    struct granule *gt = granule_checked(rmm, target_pa, GRANULE_REC);
    if (!gc || !gt) { /* calling_align/bound/state, target_align/bound/state */
        out[0] = INPUT;
        return;
    }
    struct rmm_rec *calling = gc->obj, *target = gt->obj;
    if (!calling->psci_pending ||                            /* pending */
        target->realm != calling->realm ||                   /* owner */
        mpidr_to_index(calling->gprs[1]) != target->index) { /* target */
        out[0] = INPUT;
        return;
    }
    bool on = target->runnable || target->running;
    uint64_t result;
    if (is_fid(calling->gprs[0], PSCI_CPU_ON_32, PSCI_CPU_ON_64)) {
        /* status: the host may deny a CPU_ON, but not for a CPU that is already on */
        if ((status != PSCI_SUCCESS && status != PSCI_DENIED) || (status == PSCI_DENIED && on)) {
            out[0] = INPUT;
            return;
        }
        if (on) {
            result = PSCI_ALREADY_ON;
        } else if (status == PSCI_DENIED) {
            result = PSCI_DENIED;
        } else { /* on_success: the target starts at the entry point with X0 = context */
            memset(target->gprs, 0, sizeof(target->gprs));
            target->gprs[0] = calling->gprs[3];
            target->pc = calling->gprs[2];
            target->el1.sctlr = 0; /* MMU off, at EL1h (TF-RMM psci_reset_rec) */
            target->pstate = SPSR_EL1H_DAIF;
            target->runnable = true;
            result = PSCI_SUCCESS;
        }
    } else { /* AFFINITY_INFO: only SUCCESS is permitted */
        if (status != PSCI_SUCCESS) {
            out[0] = INPUT;
            return;
        }
        result = on ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF;
    }
    calling->gprs[0] = result;
    calling->gprs[1] = calling->gprs[2] = calling->gprs[3] = 0;
    calling->psci_pending = false;
    out[0] = SUCCESS;
}
