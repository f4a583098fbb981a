// `rmesim run FILE --gdb PORT`: a GDB remote-protocol server for the realm vCPUs that run A64
// code, one thread per vCPU. It is told before each instruction (VcpuDebugger); a breakpoint, a
// finished single step, the debugger's interrupt or its arrival stops the vCPU there: the
// server then answers the debugger on the socket until it continues, detaches or goes, with
// the SystemC kernel blocked, so simulated time stands still. Memory is read by VA as the
// stopped guest sees it (its stage 1 and stage 2, the GPC) without side effects: no TLB, no
// GPT cache, no records, no time, through the TLM debug path. `monitor explain` tells the last
// data access the vCPUs' code made (the event stream's ACCESS record).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/a64_vcpu.hpp"
#include "model/event_stream.hpp"
#include "model/explain_decode.hpp"
#include "model/gdb_connection.hpp"

namespace rmesim
{

class Platform;

class GdbServer : public VcpuDebugger, public EventObserver
{
  public:
    // Listens on 127.0.0.1:port; wait: stop before the first instruction until a debugger
    // has come (--gdb-wait). False with the reason.
    bool listen(unsigned port, bool wait, std::string &error);
    // The machine whose memory it reads, and the clock and GPT granule its explanations use.
    void attach(Platform &platform, ExplainPlatform explain);
    // A thread: a vCPU that runs A64 code (called in the order of the scenario's realms).
    void add(A64Vcpu &vcpu);
    size_t threads() const { return vcpus_.size(); }

    void before_instruction(A64Vcpu &vcpu) override;
    void on_event(const rme_event &e) override;
    // The run is over with this exit status: a debugger still attached is told (W).
    void finish(int status);

  private:
    enum class Resume { kContinue, kStep, kDetach };
    // Stopped: tell the debugger why (unless it asked nothing yet), then serve it until it
    // resumes.
    void stop(unsigned thread, int signal, bool announce);
    Resume serve();
    std::string answer(const std::string &packet, bool &resumed, Resume &how);
    std::string stop_reply() const;
    std::string query(const std::string &packet) const;
    std::string monitor(const std::string &command) const;
    std::string vcont(const std::string &packet, bool &resumed, Resume &how);
    std::string read_registers(unsigned thread) const;
    std::string write_registers(unsigned thread, const std::string &hex);
    std::string read_register(unsigned thread, unsigned n) const;
    std::string write_register(unsigned thread, unsigned n, const std::string &hex);
    std::string read_memory(const std::string &args) const;
    std::string write_memory(const std::string &args);
    // The PA behind a VA of the thread's regime, without side effects; false with a reason.
    bool translate(unsigned thread, uint64_t va, uint64_t &pa, std::string &why) const;
    bool debug_access(uint64_t pa, bool write, uint8_t &byte) const;
    unsigned thread_of(const A64Vcpu &vcpu) const;
    void detach();

    GdbConnection conn_;
    bool wait_ = false, started_ = false;
    Platform *platform_ = nullptr;
    ExplainPlatform explain_{};
    std::vector<A64Vcpu *> vcpus_;   // thread i + 1
    std::set<uint64_t> breakpoints_; // Z0 addresses (VAs)
    unsigned current_ = 0;           // the thread that stopped (0-based); Hg selects another
    unsigned general_ = 0;           // Hg: registers and memory
    unsigned step_thread_ = 0;       // the thread a resuming `s` or vCont;s steps
    int stepping_ = -1;              // the thread a step runs on, or -1
    bool step_begun_ = false;        // ... and its one instruction has been let through
    int last_signal_ = 5;
    uint64_t polls_ = 0;
    // the last data access (or faulting fetch) the vCPUs' code made, for `monitor explain`
    bool have_last_ = false;
    rme_ev_access last_{};
    rme_access last_access_{};
    unsigned last_core_ = 0;
    uint64_t last_memory_cycles_ = 0;
    std::string explain_last() const;
};

} // namespace rmesim
