/* Internal: the RSI calls a realm makes with SMC (B5.3) and the PSCI calls the RMM answers. */
#ifndef RMM_RSI_HANDLERS_H
#define RMM_RSI_HANDLERS_H

#include "rmm/rmm.h"

/* What a REC exit reports (RmiRecExit, B4.4.16), before it is written to the run granule. */
struct rec_exit {
    uint64_t reason, esr, far, hpfar, gprs[31];
    uint64_t ripas_base, ripas_top, ripas_value, imm;
};

/* Handle the SMC the REC trapped with (FID in X0). True: the realm resumes; false: *exit is the
 * REC exit to report. */
bool rsi_handle(struct rmm *rmm, struct rmm_rec *rec, struct rec_exit *exit);
/* A5.2.7: inject an SEA for the abort the REC trapped with (its ESR_EL2 and FAR_EL2) */
void rec_inject_sea(struct rmm_rec *rec, uint64_t esr_el2, uint64_t far);
/* PSCI (psci.c): a PSCI FID, and its handling with the same contract as rsi_handle */
bool psci_fid(uint64_t fid);
/* Write the host's answer into the pending RsiHostCall; false: *exit holds the faked abort
 * that asks the host to map its page first. */
bool rsi_host_call_complete(struct rmm *rmm, struct rmm_rec *rec, const uint64_t gprs[31],
                            struct rec_exit *exit);
bool psci_handle(struct rmm *rmm, struct rmm_rec *rec, struct rec_exit *exit);

#endif
