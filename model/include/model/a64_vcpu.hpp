// A realm vCPU that runs real A64 code (cpu/a64.h): when the RMM enters its REC, the core takes
// the REC's registers and runs instructions through the realm's two stages, the TLBs, the GPC
// and memory (A64Binding) until one traps to R-EL2 (a stage-2 abort, an SMC) or the step's goal
// is met and the host's kick arrives (an IRQ exit). Exceptions to the realm's own EL1 (SVC,
// UNDEFINED, stage-1 aborts) are taken inside, through its VBAR_EL1.
#pragma once

#include <memory>
#include <functional>
#include <string>

#include "model/core_context.hpp"

extern "C" {
#include "cpu/a64.h"
#include "mmu/regime.h"
}

namespace rmesim
{

class Platform;

// What a run step asks of the vCPU: at most this many instructions, and optionally to stop
// before executing the instruction at a PC, or once output_reached() says the devices printed
// what the step waits for (asked when the vCPU is entered: a device's output only grows while
// the host emulates an access, between two entries).
struct A64Goal {
    uint64_t max_instructions = 0;
    bool has_pc = false;
    uint64_t pc = 0;
    std::function<bool()> output_reached;
};

class A64Vcpu;

// A debugger attached to the vCPUs (rmesim run --gdb, model/gdb_server.hpp): told before each
// instruction, it may stop the vCPU there (it returns when the debugger resumes it; simulated
// time does not move meanwhile).
class VcpuDebugger
{
  public:
    virtual ~VcpuDebugger() = default;
    virtual void before_instruction(A64Vcpu &vcpu) = 0;
};

class A64Vcpu : public RealmVcpu
{
  public:
    A64Vcpu(std::string realm, unsigned vcpu, Platform &platform);

    void run(CoreContext &cs, rmm_rec &rec, rmm_trap &trap) override;

    // The step's goal; how many instructions ran since it was set, and why the last run ended.
    void set_goal(const A64Goal &goal);
    uint64_t executed() const { return executed_; }
    const char *ended() const { return ended_; }
    const a64_core &state() const { return core_; }

    // For a debugger: its name (REALM.vcpuN), its registers (written between instructions),
    // and the regime its last run translated through (valid once it has run: has_run()).
    void set_debugger(VcpuDebugger *debugger) { debugger_ = debugger; }
    const std::string &realm() const { return name_; }
    unsigned index() const { return vcpu_; }
    a64_core &registers() { return core_; }
    bool has_run() const { return has_run_; }
    const mmu_regime &regime() const { return regime_; }
    bool scr_gpf() const { return scr_gpf_; }

  private:
    void load(const rmm_rec &rec);
    void save(rmm_rec &rec) const;

    std::string name_;
    unsigned vcpu_;
    Platform &platform_;
    a64_core core_{};
    A64Goal goal_{};
    uint64_t executed_ = 0;
    const char *ended_ = "";
    VcpuDebugger *debugger_ = nullptr;
    bool has_run_ = false, scr_gpf_ = false;
    mmu_regime regime_{};
};

} // namespace rmesim
