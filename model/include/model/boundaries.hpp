// The software models meet the machine at two boundaries, each one interface with the C callback
// table its library takes: the host's KVM (host/kvm.h's kvm_env) and the RMM (rmm/rmm.h's
// rmm_env). What runs on a realm vCPU is the third (RealmVcpu, model/core_context.hpp). An
// implementation decides how each crossing is timed, traced and routed; the software models see
// only these.
#pragma once

extern "C" {
#include "host/kvm.h"
#include "rmm/rmm.h"
}

namespace rmesim
{

// The machine as the host's KVM at NS-EL2 sees it.
class HostMachine
{
  public:
    virtual ~HostMachine() = default;
    // An SMC: an RMI call through EL3 into the RMM; in[0] the FID, out[0] the status.
    virtual void smc(const uint64_t in[8], uint64_t out[8]) = 0;
    // An 8-byte access through its own stage 1 (an identity map); false on a fault.
    virtual bool access(uint64_t pa, bool write, uint64_t *value) = 0;
    virtual uint64_t alloc_page() = 0; // a zeroed page of host memory, 0 when none is left
    // The VMM's mmap of a memslot's RAM: size bytes of host memory, contiguous; 0 when
    // there is no room.
    virtual uint64_t vmm_ram(uint64_t size) = 0;
    // The VMM in user space: true when a device claims the guest-physical address.
    virtual bool vmm_mmio(uint64_t gpa, bool write, unsigned size, uint64_t *value) = 0;
    // The VMM's answer to KVM_EXIT_MEMORY_FAULT: true when it converts the range (changes: a
    // page of it has the other attribute now).
    virtual bool vmm_memory_fault(uint64_t gpa, uint64_t size, bool to_private, bool changes) = 0;
    // Each REC exit as the host reads it, and once it has handled it.
    virtual void exit_seen(const kvm_exit &x) = 0;
    virtual void exit_handled(const kvm_exit &x) = 0;
};

// The machine as the RMM at R-EL2 sees it.
class RmmMachine
{
  public:
    virtual ~RmmMachine() = default;
    // An 8-byte access to a granule in `pas`, through its R-EL2 stage 1 and the GPC.
    virtual rmm_mem_result access(uint64_t pa, rme_pas pas, bool write, uint64_t *value) = 0;
    // SMC_RMM_GTSI_DELEGATE (to Realm) or _UNDELEGATE (to NS) to EL3: 0 E_RMM_OK, or E_RMM_*.
    virtual int gtsi(uint64_t pa, bool delegate) = 0;
    // Enter the REC at R-EL1 until it traps to R-EL2.
    virtual void run_rec(rmm_rec &rec, rmm_trap &trap) = 0;
    // TLBI IPAS2E1IS (ipa) or, with all, VMALLS12E1IS for the VMID after an RTT change.
    virtual void tlbi_s2(uint16_t vmid, uint64_t ipa, bool all) = 0;
    // Zero a granule in the Realm PAS as TF-RMM does (DC ZVA per block, DSB), timed.
    virtual rmm_mem_result zero_granule(uint64_t pa) = 0;
};

// The callback tables the C libraries take, each entry forwarding to the interface.
kvm_env kvm_env_for(HostMachine &machine);
rmm_env rmm_env_for(RmmMachine &machine, unsigned pa_bits);

} // namespace rmesim
