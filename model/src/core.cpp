#include "model/core.hpp"

#include <cstring>

namespace rmesim
{

using namespace sc_core;

Core::Core(sc_module_name name, unsigned index, sc_time period)
    : sc_module(name), socket("socket"), index_(index), period_(period)
{
    port_.ctx = this;
    port_.read = &Core::port_read;
    port_.write = &Core::port_write;
    qk_.reset();
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
        qk_.sync(); // every job ends synchronised, so steps start at a common time
        busy_ = false;
        done_.notify(SC_ZERO_TIME);
    }
}

void Core::charge(uint64_t cycles)
{
    spend(cycles);
    qk_.inc(period_ * double(cycles));
    if (qk_.need_sync()) {
        qk_.sync();
        resume();
    }
}

void Core::settle(uint64_t op_cycles, uint64_t port_mark)
{
    uint64_t by_port = port_cycles_ - port_mark;
    charge(op_cycles > by_port ? op_cycles - by_port : 0);
}

void Core::sync()
{
    qk_.sync();
    resume();
}

void Core::idle_for(uint64_t cycles)
{
    qk_.sync();
    wait(period_ * double(cycles));
    resume();
}

void Core::wait_for(sc_event &e)
{
    qk_.sync();
    wait(e);
    resume();
}

uint64_t Core::now_cycles() const
{
    return uint64_t((base_ + qk_.get_local_time()) / period_);
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
    if (cacheable && l1d_.access(pa, pas)) {
        /* an L1 hit: the data comes from the one functional store, without the bus */
        tlm::tlm_generic_payload &dbg = trans_;
        uint8_t data[8] = {0};
        if (cmd == tlm::TLM_WRITE_COMMAND)
            std::memcpy(data, value, size);
        dbg.set_command(cmd);
        dbg.set_address(pa);
        dbg.set_data_ptr(data);
        dbg.set_data_length(size);
        if (socket->transport_dbg(dbg) != size)
            return MEM_EXTERNAL_ABORT;
        if (cmd == tlm::TLM_READ_COMMAND) {
            uint64_t v = 0;
            std::memcpy(&v, data, size);
            *value = v;
        }
        spend(l1d_hit_cycles_);
        port_cycles_ += l1d_hit_cycles_;
        qk_.inc(period_ * double(l1d_hit_cycles_));
        if (cycles)
            *cycles += l1d_hit_cycles_;
        return MEM_OK;
    }
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
    sc_time delay = qk_.get_local_time();
    sc_time before = delay;
    socket->b_transport(trans, delay);
    trans.clear_extension(&ext);
    uint64_t spent = uint64_t((delay - before) / period_);
    // The access's latency becomes local time now, so the next access of the same operation
    // arrives after it (the C layer's own counters only record it).
    spend(spent);
    port_cycles_ += spent;
    qk_.set(delay);
    if (cycles)
        *cycles += spent;
    if (cmd == tlm::TLM_READ_COMMAND) {
        uint64_t v = 0;
        std::memcpy(&v, data, size);
        *value = v;
    }
    return trans.get_response_status() == tlm::TLM_OK_RESPONSE ? MEM_OK : MEM_EXTERNAL_ABORT;
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
