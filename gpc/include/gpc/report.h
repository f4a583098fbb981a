/* How a GPC fault is reported (Arm ARM D1.4.5.3, ASL ReportAsGPCException / TakeGPCException):
 * as a GPC exception to EL3 (EC 0x1E) or as an ordinary Instruction/Data Abort whose FSC says
 * GPF, routed by SCR_EL3.GPF and HCR_EL2.{TGE,GPF}. */
#ifndef GPC_REPORT_H
#define GPC_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "gpc/gpc.h"

struct gpc_fault_context {
    struct gpc_result result;
    unsigned current_el;
    bool scr_gpf, hcr_tge, hcr_gpf;
    bool on_walk;     /* the access was a translation-table walk (or its HW update) */
    int walk_level;   /* its translation level, -1..3 */
    bool s2_walk;     /* ... for a stage-2 walk */
    bool s1ptw;       /* the stage-2 translation of a stage-1 walk access */
    bool instruction; /* fetch */
    bool write;
    uint64_t va, pa, ipa;
    enum rme_pas pas;
};

struct gpc_fault_report {
    bool gpc_exception; /* EC 0x1E to EL3 */
    unsigned target_el;
    unsigned ec;
    unsigned fsc;   /* DFSC/IFSC or xFSC */
    unsigned gpcsc; /* GPC exceptions only */
    uint64_t esr, far;
    bool mfar_valid, hpfar_valid;
    uint64_t mfar, hpfar;
};

void gpc_report(const struct gpc_fault_context *ctx, struct gpc_fault_report *out);

/* FSC for a GPF: 0x28 on the output address, 0x24+level (0x23 at level -1) on a walk. */
unsigned gpc_fsc(bool on_walk, int walk_level);
/* MFAR_EL3 for a GPC exception: PA[51:12] in [51:12], {NSE,NS} of the PAS in [62:63]. */
uint64_t gpc_mfar(uint64_t pa, enum rme_pas pas);

#endif
