/* Internal: the GIC state a host hands to REC entry (RmiRecEnter.gicv3_hcr, gicv3_lrs) and
 * the RMM's check of it (RMM spec A6.1, B4.3.14 rec_gicv3). */
#ifndef RMM_VGIC_H
#define RMM_VGIC_H

#include <stdbool.h>
#include <stdint.h>

#include "rmm/rmm.h"

#define VGIC_MAX_LRS 16 /* RmiRecEnter.gicv3_lrs[16] (B4.4.14) */

/* The features the RMM validates against: env's, with the model's defaults for fields left 0. */
struct rmm_vgic vgic_features(const struct rmm_vgic *given);

/* Gicv3ConfigIsValid (A6.1): hcr sets only the ICH_HCR_EL2 bits the host controls, and every
 * implemented LR that is not Invalid is an architecturally valid ICH_LR<n>_EL2 with HW == 0. */
bool vgic_enter_state_valid(const struct rmm_vgic *g, uint64_t hcr,
                            const uint64_t lrs[VGIC_MAX_LRS]);

#endif
