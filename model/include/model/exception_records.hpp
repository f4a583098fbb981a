// The exception records (model/events.h) for what the PE takes: an abort from an access's
// syndrome, an SMC, the IRQ that ends a realm's run, an SEA the RMM injects; and the security
// state an EL runs in.
#pragma once

#include "model/event_stream.hpp"

namespace rmesim
{

// The security state at `el` when the lower ELs run in `lower`: EL3 is Root (D1.2).
inline rme_sec_state state_at(unsigned el, rme_sec_state lower)
{
    return el == 3 ? RME_SS_ROOT : lower;
}

// An access's fault as the PE takes it: to acc.target_el with its ESR, FAR, HPFAR and MFAR.
rme_ev_exception abort_taken(const rme_access &acc, unsigned from_el, rme_sec_state from);
// A synchronous External abort on an access memory refused (DFSC 0x10), taken at the same EL.
rme_ev_exception sea_taken(mmu_access_kind kind, uint64_t far, unsigned el, rme_sec_state ss);
// SMC #0 (EC 0x17, IL 1), to EL3, or to R-EL2 from a realm (TF-RMM sets HCR_EL2.TSC).
rme_ev_exception smc_taken(unsigned from_el, rme_sec_state from, unsigned to_el);
// SVC #0 from EL0 (EC 0x15, IL 1): a user program's system call, to EL2 with HCR_EL2.TGE set.
rme_ev_exception svc_taken(rme_sec_state ss, unsigned to_el);
// The RMM's INJECT_SEA: it wrote ESR_EL1 (and ELR_EL1) and entered the realm's vector.
rme_ev_exception sea_injected(uint64_t esr, uint64_t far, uint64_t elr);
rme_ev_exception irq_taken(unsigned from_el, rme_sec_state from, unsigned to_el);

rme_ev_eret eret_to(unsigned from_el, unsigned to_el, rme_sec_state lower);

} // namespace rmesim
