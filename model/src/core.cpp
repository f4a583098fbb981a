#include "model/core.hpp"

#include <cstring>

#include <tlm_core/tlm_2/tlm_quantum/tlm_global_quantum.h>

extern "C" {
#include "mem/phys_mem.h"
}

namespace rmesim
{

using namespace sc_core;

static_assert(PHYS_PAGE_SIZE == 0x1000, "Core::access_cacheable's page offset");

Core::Core(sc_module_name name, unsigned index, sc_time period)
    : sc_module(name), socket("socket"), index_(index), period_(period)
{
    port_.ctx = this;
    port_.read = &Core::port_read;
    port_.write = &Core::port_write;
    socket.register_invalidate_direct_mem_ptr(this, &Core::invalidate_direct_mem_ptr);
    restart_quantum();
    SC_HAS_PROCESS(Core);
    SC_THREAD(run);
}

void Core::post(Job job)
{
    jobs_.push_back(std::move(job));
    work_.notify(SC_ZERO_TIME);
}

void Core::run()
{
    for (;;) {
        while (jobs_.empty())
            wait(work_);
        resume();
        busy_ = true;
        Job job = std::move(jobs_.front());
        jobs_.pop_front();
        job(*this);
        sc_core::wait(period_ * double(local_)); // every job ends synchronised, so steps start
        restart_quantum();                       // at a common time
        busy_ = false;
        done_.notify(SC_ZERO_TIME);
    }
}

void Core::restart_quantum()
{
    local_ = 0;
    next_sync_ = sc_time_stamp() + tlm::tlm_global_quantum::instance().compute_local_quantum();
    resume();
}

void Core::resume()
{
    current_ = this;
    base_ = sc_time_stamp();
    base_cycles_ = uint64_t(base_ / period_);
    /* need_sync() is base_ + local_ * period_ >= next_sync_: in whole cycles, local_ >= this */
    uint64_t p = period_.value(), ahead = next_sync_ > base_ ? (next_sync_ - base_).value() : 0;
    quantum_left_ = (ahead + p - 1) / p;
}

void Core::synchronise()
{
    sc_core::wait(period_ * double(local_));
    restart_quantum();
}

void Core::sync()
{
    synchronise();
}

void Core::idle_for(uint64_t cycles)
{
    synchronise();
    wait(period_ * double(cycles));
    resume();
}

void Core::wait_for(sc_event &e)
{
    synchronise();
    wait(e);
    resume();
}

void Core::set_l1d(unsigned lines, unsigned ways, unsigned hit_cycles, std::vector<Range> cacheable)
{
    l1d_ = L1Cache(lines, ways);
    l1d_hit_cycles_ = hit_cycles;
    cacheable_ = std::move(cacheable);
}

enum mem_status Core::transport(tlm::tlm_command cmd, uint64_t pa, rme_pas pas, unsigned size,
                                uint64_t *value, uint64_t *cycles)
{
    bool cacheable = false;
    if (l1d_.enabled())
        for (const Range &r : cacheable_)
            cacheable |= pa - r.base < r.size && pa + size - 1 - r.base < r.size;
    if (cacheable && l1d_.access(pa, pas))
        return l1_hit(cmd == tlm::TLM_WRITE_COMMAND, pa, size, value, cycles, nullptr);
    return bus(cmd, pa, pas, size, value, cycles);
}

bool Core::page_cacheable(uint64_t pa) const
{
    uint64_t page = pa & ~(PHYS_PAGE_SIZE - 1);
    if (!l1d_.enabled())
        return false;
    for (const Range &r : cacheable_)
        if (page - r.base < r.size && page + PHYS_PAGE_SIZE - 1 - r.base < r.size)
            return true;
    return false;
}

// An L1 hit: the data comes from the one functional store, without the bus. host: the caller's
// DMI pointer to pa's page, used while no target has withdrawn a DMI region since it was taken
// (dmi_page() would answer with the same page), refreshed when dmi_page() is asked.
enum mem_status Core::l1_hit(bool write, uint64_t pa, unsigned size, uint64_t *value,
                             uint64_t *cycles, HostPage *host)
{
    /* zeros written to a page never written need no storage (it reads as zero): such a write
     * asks for the page only if it is there, else goes the debug way, which stores nothing
     * (mem/phys_mem.h) */
    bool zeros = write && (size == 8 ? *value : *value & ((1ull << (8 * size)) - 1)) == 0;
    bool need_write = write && !zeros;
    uint8_t *p = nullptr;
    if (host && host->data && host->epoch == dmi_epoch_ && (!need_write || host->writable))
        p = host->data + pa % PHYS_PAGE_SIZE;
    else if ((pa & (PHYS_PAGE_SIZE - 1)) + size <= PHYS_PAGE_SIZE) {
        p = dmi_page(pa, need_write);
        if (p && host) {
            const DmiPage &d = dmi_[(pa / PHYS_PAGE_SIZE) % kDmiPages];
            *host = HostPage{d.data, dmi_epoch_, d.writable};
        }
    }
    if (p) {
        if (write)
            std::memcpy(p, value, size);
        else {
            uint64_t v = 0;
            std::memcpy(&v, p, size);
            *value = v;
        }
    } else if (debug_word(trans_, pa, write, size, value) != MEM_OK) {
        /* a page never written (reads zero), or an access across two pages */
        return MEM_EXTERNAL_ABORT;
    }
    l1_hit_time(cycles);
    return MEM_OK;
}

mem_status Core::debug_word(tlm::tlm_generic_payload &t, uint64_t pa, bool write, unsigned size,
                            uint64_t *value)
{
    uint8_t data[8] = {0};
    if (write)
        std::memcpy(data, value, size);
    t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(pa);
    t.set_data_ptr(data);
    t.set_data_length(size);
    if (socket->transport_dbg(t) != size)
        return MEM_EXTERNAL_ABORT;
    if (!write) {
        uint64_t v = 0;
        std::memcpy(&v, data, size);
        *value = v;
    }
    return MEM_OK;
}

// Through the interconnect to the target, timed (an L1 miss, or memory the L1D does not cache).
enum mem_status Core::bus(tlm::tlm_command cmd, uint64_t pa, rme_pas pas, unsigned size,
                          uint64_t *value, uint64_t *cycles)
{
    tlm::tlm_generic_payload &trans = trans_;
    PasExtension ext;
    ext.pas = pas;
    ext.initiator = index_;
    uint8_t data[8] = {0};
    if (cmd == tlm::TLM_WRITE_COMMAND)
        std::memcpy(data, value, size);
    trans.set_command(cmd);
    trans.set_address(pa);
    trans.set_data_ptr(data);
    trans.set_data_length(size);
    trans.set_streaming_width(size);
    trans.set_byte_enable_ptr(nullptr);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    trans.set_extension(&ext);
    sc_time before = period_ * double(local_), delay = before;
    socket->b_transport(trans, delay);
    trans.clear_extension(&ext);
    /* every target and hop adds whole cycles (memory_system.cpp) */
    uint64_t spent = uint64_t((delay - before) / period_);
    // The access's latency becomes local time now, so the next access of the same operation
    // arrives after it (the C layer's own counters only record it).
    spend(spent);
    port_cycles_ += spent;
    local_ += spent;
    if (cycles)
        *cycles += spent;
    if (cmd == tlm::TLM_READ_COMMAND) {
        uint64_t v = 0;
        std::memcpy(&v, data, size);
        *value = v;
    }
    return trans.get_response_status() == tlm::TLM_OK_RESPONSE ? MEM_OK : MEM_EXTERNAL_ABORT;
}

uint8_t *Core::dmi_page(uint64_t pa, bool write)
{
    uint64_t page = pa / PHYS_PAGE_SIZE;
    DmiPage &d = dmi_[page % kDmiPages];
    if (d.page != page || (write && !d.writable)) {
        tlm::tlm_generic_payload &req = trans_;
        tlm::tlm_dmi dmi;
        req.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        req.set_address(pa);
        req.set_data_length(1);
        if (!socket->get_direct_mem_ptr(req, dmi) ||
            dmi.get_start_address() > page * PHYS_PAGE_SIZE ||
            dmi.get_end_address() < page * PHYS_PAGE_SIZE + PHYS_PAGE_SIZE - 1 ||
            !(write ? dmi.is_write_allowed() : dmi.is_read_allowed()))
            return nullptr;
        d.page = page;
        d.data = dmi.get_dmi_ptr() + (page * PHYS_PAGE_SIZE - dmi.get_start_address());
        d.writable = dmi.is_write_allowed();
    }
    return d.data + pa % PHYS_PAGE_SIZE;
}

void Core::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end)
{
    dmi_epoch_++; /* every HostPage taken before may be the one withdrawn */
    for (DmiPage &d : dmi_)
        if (d.page != ~0ull && d.page * PHYS_PAGE_SIZE <= end &&
            start <= d.page * PHYS_PAGE_SIZE + PHYS_PAGE_SIZE - 1)
            d = DmiPage{};
}

enum mem_status Core::port_read(void *ctx, uint64_t pa, rme_pas pas, unsigned size, uint64_t *value,
                                uint64_t *cycles)
{
    return static_cast<Core *>(ctx)->transport(tlm::TLM_READ_COMMAND, pa, pas, size, value, cycles);
}

enum mem_status Core::port_write(void *ctx, uint64_t pa, rme_pas pas, unsigned size, uint64_t value,
                                 uint64_t *cycles)
{
    return static_cast<Core *>(ctx)->transport(tlm::TLM_WRITE_COMMAND, pa, pas, size, &value,
                                               cycles);
}

} // namespace rmesim
