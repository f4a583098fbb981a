#include "model/memory_system.hpp"

#include <cstring>

#include "model/tlm_pas.hpp"

namespace rmesim
{

using namespace sc_core;

PhysTarget::PhysTarget(sc_module_name name, phys_mem *mem, uint64_t base, uint64_t size,
                       bool is_ram, TargetTiming timing, sc_time period)
    : sc_module(name), socket("socket"), mem_(mem), base_(base), size_(size), is_ram_(is_ram),
      timing_(timing), period_(period)
{
    socket.register_b_transport(this, &PhysTarget::b_transport);
    socket.register_get_direct_mem_ptr(this, &PhysTarget::get_direct_mem_ptr);
    socket.register_transport_dbg(this, &PhysTarget::transport_dbg);
}

void PhysTarget::b_transport(tlm::tlm_generic_payload &trans, sc_time &delay)
{
    accesses_++;
    PasExtension *ext = nullptr;
    trans.get_extension(ext);
    rme_pas pas = ext ? ext->pas : RME_PAS_NS;
    unsigned len = trans.get_data_length();
    uint64_t addr = trans.get_address();
    uint64_t value = 0;
    enum mem_status st;
    if (len == 0 || len > 8) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (trans.is_read()) {
        st = phys_mem_read(mem_, addr, pas, len, &value);
        std::memcpy(trans.get_data_ptr(), &value, len); // host is little-endian, as the model
    } else {
        std::memcpy(&value, trans.get_data_ptr(), len);
        st = phys_mem_write(mem_, addr, pas, len, value);
    }
    uint64_t now = (sc_time_stamp() + delay) / period_;
    uint64_t queueing = contention_.book(now, timing_.occupancy_cycles);
    contention_.retire_before(sc_time_stamp() / period_);
    delay += period_ * double(queueing + timing_.latency_cycles);
    trans.set_response_status(st == MEM_OK ? tlm::TLM_OK_RESPONSE
                                           : tlm::TLM_ADDRESS_ERROR_RESPONSE);
    trans.set_dmi_allowed(is_ram_);
}

// DMI hands out one 4K page of host storage at a time (storage is sparse): for a read, only a
// page that holds data (one never written reads as zero and is not allocated for a reader).
bool PhysTarget::get_direct_mem_ptr(tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi)
{
    uint64_t page = trans.get_address() & ~(PHYS_PAGE_SIZE - 1);
    uint8_t *ptr = !is_ram_          ? nullptr
                   : trans.is_read() ? phys_mem_page_if_present(mem_, page)
                                     : phys_mem_page_ptr(mem_, page);
    if (!ptr)
        return false;
    dmi.set_dmi_ptr(ptr);
    dmi.set_start_address(page);
    dmi.set_end_address(page + PHYS_PAGE_SIZE - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(period_ * double(timing_.latency_cycles));
    dmi.set_write_latency(period_ * double(timing_.latency_cycles));
    return true;
}

void PhysTarget::withdraw(uint64_t page)
{
    socket->invalidate_direct_mem_ptr(page, page + PHYS_PAGE_SIZE - 1);
}

unsigned PhysTarget::transport_dbg(tlm::tlm_generic_payload &trans)
{
    unsigned len = trans.get_data_length();
    bool ok = trans.is_read()
                  ? phys_mem_read_bytes(mem_, trans.get_address(), trans.get_data_ptr(), len)
                  : phys_mem_write_bytes(mem_, trans.get_address(), trans.get_data_ptr(), len);
    return ok ? len : 0;
}

Interconnect::Interconnect(sc_module_name name, uint32_t hop_cycles, sc_time period)
    : sc_module(name), from_initiators("from_initiators"), to_targets("to_targets"),
      hop_(period * double(hop_cycles))
{
    from_initiators.register_b_transport(this, &Interconnect::b_transport);
    from_initiators.register_get_direct_mem_ptr(this, &Interconnect::get_direct_mem_ptr);
    from_initiators.register_transport_dbg(this, &Interconnect::transport_dbg);
    to_targets.register_invalidate_direct_mem_ptr(this, &Interconnect::invalidate_direct_mem_ptr);
}

// A target withdrew a DMI region: every initiator hears it (any of them may hold it).
void Interconnect::invalidate_direct_mem_ptr(int, sc_dt::uint64 start, sc_dt::uint64 end)
{
    for (unsigned i = 0; i < from_initiators.size(); i++)
        from_initiators[i]->invalidate_direct_mem_ptr(start, end);
}

void Interconnect::attach(PhysTarget &target)
{
    to_targets.bind(target.socket);
    routes_.push_back({target.base(), target.size()});
}

int Interconnect::route(uint64_t addr) const
{
    for (size_t i = 0; i < routes_.size(); i++)
        if (addr - routes_[i].base < routes_[i].size)
            return int(i);
    return -1;
}

void Interconnect::b_transport(int, tlm::tlm_generic_payload &trans, sc_time &delay)
{
    delay += hop_;
    int t = route(trans.get_address());
    if (t < 0) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    to_targets[t]->b_transport(trans, delay);
}

bool Interconnect::get_direct_mem_ptr(int, tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi)
{
    int t = route(trans.get_address());
    return t >= 0 && to_targets[t]->get_direct_mem_ptr(trans, dmi);
}

unsigned Interconnect::transport_dbg(int, tlm::tlm_generic_payload &trans)
{
    int t = route(trans.get_address());
    return t < 0 ? 0 : to_targets[t]->transport_dbg(trans);
}

} // namespace rmesim
