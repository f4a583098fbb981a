// The realm's EL1&0 translation regime as the RMM programs the PE on entry to a REC: the REC's
// EL1 registers for stage 1, the realm's RTT (VTTBR = rtt_base, VTCR from its IPA width and
// start level) for stage 2, its VMID.
#pragma once

extern "C" {
#include "mmu/mmu.h"
#include "rmm/realm.h"
}

namespace rmesim
{

mmu_regime realm_regime(const rmm_rec &rec, unsigned pa_bits);

} // namespace rmesim
