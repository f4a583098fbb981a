// The software bound to the platform's cores, below the scenario: EL3 (its firmware, the SMC
// path into the RMM and back, its GTSI handling and GPT transitions), the RMM, and the machine as
// the host's KVM and the RMM see it (HostMachine, RmmMachine). Every crossing is timed on the
// core whose thread runs it and told as records; a realm vCPU's instructions are the
// RealmVcpu's of the realm step the core runs (CoreContext::realm_run).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/boundaries.hpp"
#include "model/core_context.hpp"
#include "model/event_stream.hpp"
#include "model/firmware.hpp"
#include "model/platform.hpp"

extern "C" {
#include "mmu/mmu.h"
#include "rmm/rmm.h"
#include "scenario/scenario.h"
}

namespace rmesim
{

class SoftwareStack : public HostMachine, public RmmMachine
{
  public:
    SoftwareStack(Platform &platform, const EventStream &stream);
    ~SoftwareStack() override;
    // Before the platform's map is complete: the firmware's tables (and EL3's carve-out).
    bool build_firmware(const scenario &s, bool verbose, std::string &error);
    // Each core out of reset with the GPC enabled, then the RMM; false with `error` when the RMM
    // cannot track the memory map.
    bool reset(const scenario &s, std::string &error);

    std::vector<CoreContext> &cores() { return cores_; }
    CoreContext &here(); // the core whose thread runs
    Firmware &firmware() { return fw_; }
    rmm &the_rmm() { return rmm_; }
    phys_mem *memory() { return mem_; }
    const rmm &the_rmm() const { return rmm_; }

    // One RMI call from the host at NS-EL2, in time: SMC to EL3, EL3 switches worlds and enters
    // the RMM, which handles it and returns through EL3. An access of the RMM's own that failed
    // is reported in `res` (TF-RMM would panic).
    uint64_t rmi_call(CoreContext &cs, const uint64_t in[8], uint64_t out[8], StepResult &res);
    // An 8-byte access by the host at NS-EL2 through its identity map.
    bool host_access(CoreContext &cs, uint64_t pa, bool write, uint64_t *value);
    // The single-stage regime of the host, EL3 or the RMM on its block map.
    mmu_regime single_stage_regime(mmu_regime_kind kind, unsigned el, rme_sec_state ss,
                                   uint64_t ttbr) const;
    // The host's regime at NS-EL2 (made once the tables exist).
    const mmu_regime &host_regime() const { return host_regime_; }
    static mmu_env mmu_env_of(CoreContext &cs);
    // TLBI RPALOS from EL3's transition code: every core's GPT cache and combined TLB entries.
    static void broadcast_tlbi(void *ctx, uint64_t xt);

    // HostMachine: on the core whose thread runs.
    void smc(const uint64_t in[8], uint64_t out[8]) override;
    bool access(uint64_t pa, bool write, uint64_t *value) override;
    uint64_t alloc_page() override;
    uint64_t vmm_ram(uint64_t size) override;
    bool vmm_mmio(uint64_t gpa, bool write, unsigned size, uint64_t *value) override;
    bool vmm_memory_fault(uint64_t gpa, uint64_t size, bool to_private, bool changes) override;
    void exit_seen(const kvm_exit &x) override;
    void exit_handled(const kvm_exit &x) override;
    // RmmMachine
    rmm_mem_result access(uint64_t pa, rme_pas pas, bool write, uint64_t *value) override;
    int gtsi(uint64_t pa, bool delegate) override;
    void run_rec(rmm_rec &rec, rmm_trap &trap) override;
    void tlbi_s2(uint16_t vmid, uint64_t ipa, bool all) override;
    rmm_mem_result zero_granule(uint64_t pa) override;

  private:
    int rmm_gtsi(uint64_t pa, unsigned gpi);
    mmu_fault access8(CoreContext &cs, const mmu_regime &r, rme_ev_access_origin origin,
                      uint64_t va, bool write, uint64_t *value);

    Platform &platform_;
    const EventStream &stream_;
    const uint64_t *timing_;
    phys_mem *mem_;
    std::vector<CoreContext> cores_;
    Firmware fw_;
    rmm rmm_{};
    bool rmm_ready_ = false;
    mmu_regime rmm_regime_{}, host_regime_{}; // made once the tables exist: every access uses one
};

} // namespace rmesim
