// The platform's memory system: DRAM regions and devices as TLM-2.0 targets behind an
// interconnect that routes by address and models per-target bandwidth (ContentionModel).
// Storage itself is the sparse phys_mem (mem/), shared by all targets.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "model/contention.hpp"

extern "C" {
#include "mem/phys_mem.h"
}

namespace rmesim
{

struct TargetTiming {
    uint32_t latency_cycles = 0;   // unloaded access latency
    uint32_t occupancy_cycles = 0; // how long one access keeps the target busy
};

// One address range of phys_mem (a DRAM region or a device) as a TLM target.
class PhysTarget : public sc_core::sc_module
{
  public:
    tlm_utils::simple_target_socket<PhysTarget> socket;

    PhysTarget(sc_core::sc_module_name name, phys_mem *mem, uint64_t base, uint64_t size,
               bool is_ram, TargetTiming timing, sc_core::sc_time period);

    uint64_t base() const { return base_; }
    uint64_t size() const { return size_; }
    bool is_ram() const { return is_ram_; }
    const ContentionModel &contention() const { return contention_; }
    uint64_t accesses() const { return accesses_; }
    // The page at pa stops being what a DMI grant points at (its storage is freed): every
    // initiator is told to drop the grant (invalidate_direct_mem_ptr on the backward path).
    void withdraw(uint64_t page);

  private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload &trans);

    phys_mem *mem_;
    uint64_t base_, size_;
    bool is_ram_;
    TargetTiming timing_;
    sc_core::sc_time period_;
    ContentionModel contention_;
    uint64_t accesses_ = 0;
};

// Routes by address; adds its own hop latency. Address-decode misses answer with
// TLM_ADDRESS_ERROR_RESPONSE (an External abort to the requester).
class Interconnect : public sc_core::sc_module
{
  public:
    tlm_utils::multi_passthrough_target_socket<Interconnect> from_initiators;
    tlm_utils::multi_passthrough_initiator_socket<Interconnect> to_targets;

    Interconnect(sc_core::sc_module_name name, uint32_t hop_cycles, sc_core::sc_time period);

    // Bind a target; call before elaboration ends.
    void attach(PhysTarget &target);

  private:
    void b_transport(int id, tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi);
    void invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end);
    unsigned transport_dbg(int id, tlm::tlm_generic_payload &trans);
    int route(uint64_t addr) const;

    struct Route {
        uint64_t base, size;
    };
    std::vector<Route> routes_;
    sc_core::sc_time hop_;
};

} // namespace rmesim
