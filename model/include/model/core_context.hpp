// One core as the software models use it: the platform's core with its PE state, GPC and TLB,
// the sink its records go to, and what its software is doing now (inside an RMI call, running a
// realm step). The records of model/events.h are emitted through its methods.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/core.hpp"
#include "model/cost.hpp"
#include "model/event_stream.hpp"
#include "model/step_result.hpp"
#include "model/tlb_hit_memo.hpp"

extern "C" {
#include "cpu/pe.h"
#include "gpc/gpc_unit.h"
#include "mmu/regime.h"
#include "mmu/tlb.h"
#include "rmm/rmm.h"
}

namespace rmesim
{

class RealmVcpu;

// A realm's SMC the REC has not returned from yet: it outlives the run when the host stops at
// its exit (stop_at) or its VMM stops the vCPU, and the next run of the vCPU carries it on.
struct SmcInFlight {
    bool pending = false;
    uint64_t args[5] = {}, start = 0, pc = 0; // X0-X4, when, where
    uint64_t again = 0;                       // X1 for a repeated RSI_IPA_STATE_SET
};

// The realm step a host is running on a core: what runs on the vCPU, and where the step's
// observations go.
struct RealmRun {
    RealmVcpu *vcpu_impl;
    unsigned vcpu;
    struct CoreContext *cs;
    StepResult *out;
    bool primary_seen = false;
    SmcInFlight smc{};
    size_t exits_seen = 0;
    uint64_t stopped_at = 0;  // the PC where an SEA or a guest fault ended the step
    long primary_exit = -1;   // the REC exit the step's own access caused
    bool vmm_refuses = false; // the VMM's policy for memory faults: refuse to convert
    uint64_t instructions = 0, faults = 0;
    // What the step's latest successful accesses found, written to `out` only when something
    // else is about to be (or the guest stops running): a stream of accesses costs no field
    // updates per access. Each member is the latest of its kind since the last write.
    struct Completed {
        bool pending = false, has_gpi = false, has_value = false;
        uint64_t pa = 0, value = 0;
        rme_pas pas = RME_PAS_NS;
        uint8_t gpi = 0;
    } completed{};
};

// A call's arguments by name, as its record holds them (at most 8), without allocating.
struct CallArgs {
    unsigned n = 0;
    const char *names[8];
    uint64_t values[8];
    CallArgs &add(const char *name, uint64_t value)
    {
        if (n < 8) {
            names[n] = name;
            values[n++] = value;
        }
        return *this;
    }
};

struct CoreContext {
    Core *core = nullptr; // the platform's
    pe state;
    gpc_unit *gpc = nullptr;
    mmu_tlb *tlb = nullptr;
    EventSink sink; // where everything this core does is told
    // what this core is doing for the software models now
    bool in_rmm = false;               // inside an RMI call at R-EL2
    StepResult *host_result = nullptr; // the step (or build) the host is working for
    RealmRun *realm_run = nullptr;     // the realm step the host is running here
    uint64_t gpt_transitions = 0;      // granules EL3 moved between PASes for this core
    // the operations of this core's SMC_RMM_GTSI_* call: made at its first, then reused (a
    // call counts and times about ten operations; a 10 KB record per call cost more)
    std::unique_ptr<gpt_op_log> gtsi_log;
    std::string step_id;                        // the step (or realm build) running here
    rme_ev_step step{};                         // ... as the records name it
    std::array<uint64_t, SW_COUNT> cost_mark{}; // the accounts when the step began
    // the L1 TLB hits the host (its scenario steps and its software) and the RMM repeat here
    TlbHitMemo host_memo, rmm_memo;
    // the instruction real code executes here (the A64 core): its accesses name it
    bool insn_valid = false;
    uint64_t insn_pc = 0;
    uint32_t insn_word = 0;

    // The step (or realm build) whose work the core does from now on: records name it.
    void set_running(const std::string &id, unsigned index);
    // An exception taken at `cycle`, its handler running from `entered` (the entry's cost,
    // where the model charges one); a return, the lower EL running from `cycle`.
    void take(const rme_ev_exception &x, uint64_t cycle, uint64_t entered) const;
    void eret(const rme_ev_eret &r, uint64_t cycle) const;
    // An access through the MMU, over `cycles` from `start_cycle`; value when memory answered.
    // A step's own access names what is at its PA (target) and which of how many it is.
    // When no view reads ACCESS records, the access is only counted (no record is made);
    // l1_hit: the L1 TLB answered it with no walk, GPT lookup or fault (counted the short way).
    [[gnu::always_inline]] void note_access(const mmu_regime &r, rme_ev_access_origin origin,
                                            bool primary, const rme_access &acc, uint64_t cycles,
                                            uint64_t start_cycle, const uint64_t *value,
                                            const char *target = nullptr, unsigned repeat = 0,
                                            unsigned repeats = 1, bool l1_hit = false) const
    {
        bool counted = l1_hit ? sink.l1_hit_counted_without_record(r.kind, acc, cycles)
                              : sink.counted_without_record(r.kind, acc, cycles);
        if (!counted)
            emit_access(r, origin, primary, acc, cycles, start_cycle, value, target, repeat,
                        repeats);
    }
    // A call made by an SMC (status null) at `start_cycle`, or its return now, with its status.
    void note_call(uint64_t start_cycle, const char *name, uint64_t fid, unsigned caller_el,
                   rme_sec_state caller_ss, const CallArgs &args, const char *status,
                   unsigned index, uint64_t result = 0) const;

  private:
    void emit_access(const mmu_regime &r, rme_ev_access_origin origin, bool primary,
                     const rme_access &acc, uint64_t cycles, uint64_t start_cycle,
                     const uint64_t *value, const char *target, unsigned repeat,
                     unsigned repeats) const;
};

// What runs on a realm vCPU when the RMM enters its REC (rmm_env.run_rec): instructions from
// the REC's PC until one traps to R-EL2 (an abort, an SMC, the host's IRQ), on the core the RMM
// runs on. The scripted Linux-like guest is one kind (model/scripted_guest.hpp); an A64 core
// running real code is another.
class RealmVcpu
{
  public:
    virtual ~RealmVcpu() = default;
    virtual void run(CoreContext &core, rmm_rec &rec, rmm_trap &trap) = 0;
};

} // namespace rmesim
