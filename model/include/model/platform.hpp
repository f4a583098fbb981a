// The machine as SystemC modules, built from a plain C description (machine/machine.h): the
// sparse physical memory, DRAM and device targets behind one interconnect, and per core a
// SystemC thread with its TLM initiator socket, L1 data cache, TLB and GPC unit (at reset: EL3
// enables it). It knows no scenario and no software: the runner, or someone else's sc_main
// (examples/embed), puts software on the cores.
#pragma once

#include <memory>
#include <vector>

#include "model/exclusive_monitor.hpp"
#include "model/core.hpp"
#include "model/memory_system.hpp"

extern "C" {
#include "gpc/gpc_unit.h"
#include "host/vdev.h"
#include "machine/machine.h"
#include "mem/phys_mem.h"
#include "mmu/tlb.h"
}

namespace rmesim
{

class Platform
{
  public:
    // Every device's model must be one the host's VMM has (vdev_find_model).
    explicit Platform(const rme_machine &machine);
    ~Platform();
    Platform(const Platform &) = delete;
    Platform &operator=(const Platform &) = delete;

    // RAM outside the description's memory (EL3's carve-out), added before complete().
    void add_ram(const char *name, uint64_t base, uint64_t size);
    // Binds every target to the interconnect: the physical map is final. Before sc_start.
    void complete();

    const rme_machine &machine() const { return machine_; }
    sc_core::sc_time period() const { return period_; }
    unsigned cores() const { return unsigned(cores_.size()); }
    Core &core(unsigned i) { return *cores_[i].core; }
    const Core &core(unsigned i) const { return *cores_[i].core; }
    gpc_unit *gpc(unsigned i) const { return cores_[i].gpc; }
    mmu_tlb *tlb(unsigned i) const { return cores_[i].tlb; }
    phys_mem *memory() const { return mem_; }
    vdev *device(unsigned i) const { return devices_[i]; }
    uint64_t device_base(unsigned i) const { return device_ranges_[i].base; }
    // The device whose range holds addr, or -1.
    int device_at(uint64_t addr) const;
    const std::vector<std::unique_ptr<PhysTarget>> &targets() const { return targets_; }
    // The global exclusive monitor the cores' load- and store-exclusives share.
    GlobalMonitor &monitor() { return *monitor_; }

  private:
    struct PerCore {
        std::unique_ptr<Core> core;
        gpc_unit *gpc = nullptr;
        mmu_tlb *tlb = nullptr;
    };
    rme_machine machine_;
    sc_core::sc_time period_;
    phys_mem *mem_ = nullptr;
    std::vector<vdev *> devices_;
    std::vector<Core::Range> device_ranges_;
    std::unique_ptr<Interconnect> bus_;
    std::vector<std::unique_ptr<PhysTarget>> targets_;
    std::vector<PerCore> cores_;
    std::unique_ptr<GlobalMonitor> monitor_;
};

} // namespace rmesim
