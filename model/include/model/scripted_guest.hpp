// The scripted Linux-like guest on one realm vCPU: the instructions realm/guest.c emits for the
// steps, indexed by the REC's PC (entry + 4 * index), executed through the realm's stage 1,
// stage 2 and the GPC until one traps to R-EL2. Its observations go to the realm step the core
// runs (CoreContext::realm_run); what it does is told as records.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "model/core_context.hpp"
#include "model/tlb_hit_memo.hpp"
#include "model/platform.hpp"

extern "C" {
#include "realm/guest.h"
#include "scenario/pattern.h"
}

namespace rmesim
{

class ScriptedGuest : public RealmVcpu
{
  public:
    // `realm` names it in explanations ("r0.vcpu0"); entry is the kernel's first instruction.
    ScriptedGuest(std::string realm, unsigned vcpu, uint64_t entry, Platform &platform)
        : name_(std::move(realm)), vcpu_(vcpu), entry_(entry), platform_(platform)
    {
    }

    // The instructions of the next step, after the ones already executed. Those before the
    // REC's PC (but the one just before it, which an SMC's restart runs again) are dropped:
    // a long run holds its current steps' instructions, not every step's since boot.
    void append(const guest_op *ops, size_t n, uint64_t rec_pc);
    // Instructions from entry_ (a run of stores counts each of its own).
    size_t size() const { return end_; }
    // The instruction at index i (first_ <= i < size()): the op itself, or for a run of stores
    // its i-th store, made in a scratch op that the next such call overwrites.
    const guest_op &op(size_t i) const
    {
        if (i - found_first_ > found_repeat_) /* not the op found last (unsigned: below it too) */
            find(i);
        return found_->op.repeat ? run_store(i) : found_->op;
    }
    uint64_t entry() const { return entry_; }
    // A pattern step's access (docs/scenarios.md, "Access patterns"): the instruction at index
    // `at` runs p.count times, each time at the generator's next address, a load or a store as
    // it says; generated as it runs, never stored. The REC's PC stays on it until the last.
    void set_pattern(size_t at, const scn_pattern &p, unsigned size);
    uint64_t pattern_done() const { return pattern_.done; }
    uint64_t pattern_stores() const { return pattern_.stores; }
    uint64_t pattern_count() const { return pattern_.on ? pattern_.gen.p.count : 0; }

    void run(CoreContext &cs, rmm_rec &rec, rmm_trap &trap) override;

  private:
    // Writes what the step's latest successful accesses found into its fields (RealmRun).
    static void report_completed(RealmRun &run);
    void memory_op(CoreContext &cs, rmm_rec *rec, const guest_op &op, rmm_trap *trap,
                   bool &trapped);
    void pattern_op(CoreContext &cs, rmm_rec *rec, const guest_op &op, rmm_trap *trap,
                    bool &trapped);
    void pattern_advance(rmm_rec *rec, uint64_t pc);
    void log_smc(CoreContext &cs, const RealmRun &run, const rmm_rec *rec);
    static void tlbi(CoreContext &cs, const char *op, bool broadcast, unsigned dropped,
                     bool primary);
    static std::string smc_name(uint64_t fid);

    std::string name_;
    unsigned vcpu_;
    uint64_t entry_;
    Platform &platform_;
    // the instructions first_ .. end_ - 1 (by index from entry_): each op with the index of its
    // first instruction (a run of stores is several, realm/guest.h)
    struct Held {
        size_t first;
        guest_op op;
    };
    std::deque<Held> code_;
    size_t first_ = 0, end_ = 0;
    // the op op() found last (most calls want it again) and its instructions' span
    mutable size_t found_index_ = 0, found_first_ = SIZE_MAX, found_repeat_ = 0;
    mutable const Held *found_ = nullptr;
    mutable guest_op scratch_{};
    void find(size_t i) const;
    const guest_op &run_store(size_t i) const;
    struct {
        bool on = false;
        size_t at = 0;
        pattern_gen gen{};
        uint64_t va = 0; // the access to make next (again, after a trap)
        bool store = false;
        uint64_t done = 0, stores = 0;
        uint64_t trapped_pc = 0; // the access at this PC trapped to R-EL2 (0: none)
    } pattern_;
    mmu_regime regime_{}; // the REC's EL1&0 regime while the guest runs (realm_regime)
    bool regime_stale_ = true;
    // the guest's repeated L1 TLB hits (emptied whenever the regime is made again)
    TlbHitMemo memo_;
};

} // namespace rmesim
