// One processing element as a SystemC thread.
//
// The C layers (mmu, gpc, cpu, rmm, ...) count cycles; the core turns them into time as a
// TLM-2.0 quantum keeper does (tlm_utils::tlm_quantumkeeper's rules: work runs ahead of the
// kernel by up to the global quantum and synchronises only at quantum ends, before cross-core
// interactions (sync()) and at the end of every job), but keeps its local time in whole cycles:
// sc_time arithmetic on every access cost more than the access. No wait() per access.
#pragma once

#include <cstring>
#include <deque>
#include <functional>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "model/l1_cache.hpp"
#include "model/tlm_pas.hpp"

extern "C" {
#include "mem/port.h"
}

namespace rmesim
{

class Core : public sc_core::sc_module
{
  public:
    using Job = std::function<void(Core &)>;

    tlm_utils::simple_initiator_socket<Core> socket;

    Core(sc_core::sc_module_name name, unsigned index, sc_core::sc_time period);

    unsigned index() const { return index_; }
    // The core whose thread runs now (SystemC runs one thread at a time; each core sets this
    // whenever its thread resumes), so that code shared by every core knows where it runs.
    static Core *current() { return current_; }
    sc_core::sc_time period() const { return period_; }

    // Queue a job; `done` is notified when it has finished and the core has synchronised.
    void post(Job job);
    sc_core::sc_event &done_event() { return done_; }
    bool idle() const { return jobs_.empty() && !busy_; }

    // The port the C layers running on this core use to reach physical memory.
    const mem_port *port() const { return &port_; }

    // Charge cycles spent by the C layers. Memory latency is charged by the port as it happens,
    // so an operation that counted `op_cycles` in total, memory included, settles with
    // settle(op_cycles, mark) where mark = port_cycles() taken before the operation.
    void charge(uint64_t cycles)
    {
        spend(cycles);
        local_ += cycles;
        if (local_ >= quantum_left_)
            synchronise();
    }
    void settle(uint64_t op_cycles, uint64_t port_mark)
    {
        uint64_t by_port = port_cycles_ - port_mark;
        charge(op_cycles > by_port ? op_cycles - by_port : 0);
    }
    uint64_t port_cycles() const { return port_cycles_; }
    // Synchronise with the kernel now (before a cross-core interaction).
    void sync();
    // Synchronise, then let `cycles` of simulated time pass with nothing to do (spent by no
    // account): a step that starts later than the others of its group.
    void idle_for(uint64_t cycles);
    // Synchronise, then wait for another core's thread to notify `e` (spent by no account).
    void wait_for(sc_core::sc_event &e);
    // This core's local view of the current time, in cycles.
    uint64_t now_cycles() const
    {
        return base_cycles_ +
               local_; /* floor((base_ + local) / period) for whole cycles of local */
    }
    uint64_t total_cycles() const { return total_cycles_; }

    // Whose cycles these are: the software models name the account that runs now (the host,
    // EL3, the RMM, the realm, the VMM...), and every cycle the core spends is added to it.
    static constexpr unsigned kAccounts = 8;
    void set_account(unsigned account)
    {
        unsigned a = account < kAccounts ? account : 0;
        if (a != account_ && on_account_)
            on_account_(a);
        account_ = a;
    }
    // Told of every change of account, for tracing (when the core's software changes hands).
    void on_account_change(std::function<void(unsigned)> f) { on_account_ = std::move(f); }
    unsigned account() const { return account_; }
    uint64_t account_cycles(unsigned account) const { return by_account_[account]; }

    // The L1 data cache in front of the port: accesses to the cacheable ranges (DRAM) that hit
    // cost hit_cycles and leave the bus alone.
    struct Range {
        uint64_t base, size;
    };
    void set_l1d(unsigned lines, unsigned ways, unsigned hit_cycles, std::vector<Range> cacheable);
    const L1Cache &l1d() const { return l1d_; }

    // For a caller that keeps its own table of pages (A64Binding's fast path): whether every
    // byte of pa's 4 KB page is in a cacheable range (then any access inside it is), and the
    // port's work for an access inside such a page, the same in every count, time and byte,
    // with the caller's memory of the page's DMI pointer (kept by this call).
    struct HostPage {
        uint8_t *data = nullptr;
        uint64_t epoch = 0; // the DMI withdrawals seen when it was taken
        bool writable = false;
    };
    bool page_cacheable(uint64_t pa) const;
    enum mem_status access_cacheable(bool write, uint64_t pa, rme_pas pas, unsigned size,
                                     uint64_t *value, uint64_t *cycles, HostPage &host)
    {
        if (!l1d_.access(pa, pas))
            return bus(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, pa, pas, size, value,
                       cycles);
        if (!host.data || host.epoch != dmi_epoch_ || (write && !host.writable))
            return l1_hit(write, pa, size, value, cycles, &host);
        /* l1_hit()'s work when the page's pointer is at hand */
        uint8_t *p = host.data + (pa & 0xFFF); /* PHYS_PAGE_SIZE, the DMI pages' size */
        if (write)
            copy_bytes(p, value, size);
        else {
            uint64_t v = 0;
            copy_bytes(&v, p, size);
            *value = v;
        }
        l1_hit_time(cycles);
        return MEM_OK;
    }
    // Up to 8 bytes at pa through the TLM debug path (no time, no cache, no contention), in the
    // payload t: the core's own for an L1 hit on a page with no host pointer, a fresh one for a
    // debugger.
    enum mem_status debug_word(tlm::tlm_generic_payload &t, uint64_t pa, bool write, unsigned size,
                               uint64_t *value);

  private:
    void run();
    static enum mem_status port_read(void *ctx, uint64_t pa, rme_pas pas, unsigned size,
                                     uint64_t *value, uint64_t *cycles);
    static enum mem_status port_write(void *ctx, uint64_t pa, rme_pas pas, unsigned size,
                                      uint64_t value, uint64_t *cycles);
    enum mem_status transport(tlm::tlm_command cmd, uint64_t pa, rme_pas pas, unsigned size,
                              uint64_t *value, uint64_t *cycles);
    // L1D hits read and write the functional store through TLM-2.0 DMI pages, held in a small
    // direct-mapped table; a target withdraws them with invalidate_direct_mem_ptr.
    uint8_t *dmi_page(uint64_t pa, bool write);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
    uint64_t dmi_epoch_ = 1; // DMI withdrawals so far (a HostPage of an older epoch is stale)
    enum mem_status l1_hit(bool write, uint64_t pa, unsigned size, uint64_t *value,
                           uint64_t *cycles, HostPage *host);
    void l1_hit_time(uint64_t *cycles)
    {
        spend(l1d_hit_cycles_);
        port_cycles_ += l1d_hit_cycles_;
        local_ += l1d_hit_cycles_;
        if (cycles)
            *cycles += l1d_hit_cycles_;
    }
    static void copy_bytes(void *to, const void *from, unsigned size)
    {
        switch (size) { /* a constant size each: no call to memcpy */
        case 1:
            std::memcpy(to, from, 1);
            break;
        case 2:
            std::memcpy(to, from, 2);
            break;
        case 4:
            std::memcpy(to, from, 4);
            break;
        case 8:
            std::memcpy(to, from, 8);
            break;
        default:
            std::memcpy(to, from, size);
        }
    }
    enum mem_status bus(tlm::tlm_command cmd, uint64_t pa, rme_pas pas, unsigned size,
                        uint64_t *value, uint64_t *cycles);
    struct DmiPage {
        uint64_t page = ~0ull; // page number
        uint8_t *data = nullptr;
        bool writable = false;
    };
    static constexpr unsigned kDmiPages = 64;
    DmiPage dmi_[kDmiPages];

    unsigned index_;
    sc_core::sc_time period_;
    tlm::tlm_generic_payload trans_; // reused by every access (constructing one costs more)
    // Local time: cycles run ahead of the kernel since the last synchronisation, and the count
    // at which the quantum ends (tlm_quantumkeeper::need_sync), recomputed on each resume.
    uint64_t local_ = 0, quantum_left_ = 0;
    sc_core::sc_time next_sync_;
    void restart_quantum(); // tlm_quantumkeeper::reset()
    void synchronise();     // tlm_quantumkeeper::sync(), then resume()
    std::deque<Job> jobs_;
    bool busy_ = false;
    sc_core::sc_event work_, done_;
    mem_port port_;
    uint64_t total_cycles_ = 0;
    unsigned account_ = 0;
    std::function<void(unsigned)> on_account_;
    uint64_t by_account_[kAccounts] = {};
    void spend(uint64_t cycles)
    {
        total_cycles_ += cycles;
        by_account_[account_] += cycles;
    }
    uint64_t port_cycles_ = 0;
    static inline Core *current_ = nullptr;
    // The kernel's time changes only while this thread waits: it is read again on each resume.
    void resume();
    sc_core::sc_time base_;
    uint64_t base_cycles_ = 0; // floor(base_ / period_)
    L1Cache l1d_{0, 0};
    unsigned l1d_hit_cycles_ = 0;
    std::vector<Range> cacheable_;
};

} // namespace rmesim
