// An A64 core (cpu/a64.h) on a platform core: its instruction fetches and data accesses go
// through a translation regime (the MMU with its TLBs and walk cache, the GPC) and then memory
// (L1D, DRAM, devices), each timed and recorded as an ACCESS like any software's, and each
// instruction costs the `a64_insn` timing entry on top.
#pragma once

#include <memory>
#include <vector>

#include "model/core_context.hpp"
#include "model/exclusive_monitor.hpp"
#include "model/tlb_hit_memo.hpp"

extern "C" {
#include "cpu/a64.h"
#include "mmu/mmu.h"
}

namespace rmesim
{

class A64Binding
{
  public:
    // The core's registers and the regime its accesses go through; origin names whose they are
    // in the records (a realm guest, or a program on the core).
    // The core's state is the caller's (it outlives a binding: a vCPU moves between cores);
    // tlbs: every core's, for the broadcast (Inner Shareable) TLBI operations.
    A64Binding(a64_core &core, CoreContext &cs, const uint64_t *timing, rme_ev_access_origin origin,
               std::vector<mmu_tlb *> tlbs);
    A64Binding(const A64Binding &) = delete;
    A64Binding &operator=(const A64Binding &) = delete;

    a64_core &core;
    mmu_regime regime{};
    mmu_env env{};
    // the platform's global exclusive monitor and this core's place in it (nullptr: the core's
    // local monitor alone decides, as on a single PE)
    GlobalMonitor *monitor = nullptr;
    unsigned monitor_index = 0;

    // The stage-1 half of `regime` from the core's SCTLR_EL1.M, TCR_EL1 (T0SZ, TG0, EPD1, IPS),
    // TTBR0_EL1 (BADDR, ASID) and MAIR_EL1, after the caller has set them; stage 2, the kind,
    // the security state and the VMID stay as the caller made them.
    void load_stage1_from_sysregs();

    // One instruction: its accesses, then its base cost. A fault reported for EL2 or EL3 leaves
    // the translation it came from in last_fault.
    void step(a64_result &out);
    const rme_access &last_fault() const { return last_fault_; }
    // True once after an MSR changed SCTLR_EL1, TCR_EL1, TTBR0/1_EL1 or MAIR_EL1: the caller
    // rebuilds the regime's stage 1 before the next step.
    bool regime_changed()
    {
        bool changed = regime_changed_;
        regime_changed_ = false;
        return changed;
    }
    uint64_t instructions() const { return instructions_; }

    // The fast path on (default) or off: off, every access takes the full path; on, a repeated
    // TLB hit is served from the table below. Outputs are the same either way (a test runs both).
    void set_fast_path(bool on)
    {
        fast_on_ = on;
        flush_fast();
    }
    // Accesses the fast path translated.
    uint64_t fast_hits() const { return memo_.hits(); }

  private:
    // The fast path: a repeated L1 TLB hit served from the memo (model/tlb_hit_memo.hpp).
    using FastPage = TlbHitMemo::Entry;
    void check_regime() { memo_.check_regime(regime, env.tlb); }
    void flush_fast() { memo_.flush(); }
    [[gnu::always_inline]] inline FastPage *fast_translate(uint64_t va, unsigned size,
                                                           unsigned kind, bool write);
    TlbHitMemo memo_;
    bool fast_on_ = true, stepping_ = false;

    void defer_fault(uint64_t cycles, uint64_t start, uint64_t settle, uint64_t mark);
    static bool read(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t *value,
                     a64_fault *fault);
    static bool write(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t value,
                      a64_fault *fault);
    static void sys_op(void *ctx, uint32_t sys, uint64_t value);
    static uint64_t counter(void *ctx);
    static void sysreg_written(void *ctx, a64_sysreg reg, uint64_t value);
    static bool exclusive_global(void *ctx, uint64_t va, unsigned size);
    bool access(uint64_t va, unsigned size, unsigned kind, bool write, uint64_t *value,
                a64_fault *fault);
    [[gnu::noinline]] bool access_full(uint64_t va, unsigned size, unsigned kind, bool write,
                                       uint64_t *value, a64_fault *fault, FastPage *fast);
    void monitor_after(unsigned kind, bool write, uint64_t pa, unsigned bytes);
    // l1_hit: acc is an L1 TLB hit with no walk, GPT lookup or fault (counted as one)
    [[gnu::always_inline]] inline bool finish(const rme_access &acc, bool l1_hit, unsigned kind,
                                              bool write, mem_status st, uint64_t v, uint64_t cyc,
                                              uint64_t start, uint64_t mark, uint64_t *value,
                                              a64_fault *fault);
    bool translate(uint64_t va, unsigned size, unsigned kind, bool write, rme_access &acc,
                   a64_fault *fault);

    CoreContext &cs_;
    const uint64_t *timing_;
    rme_ev_access_origin origin_;
    std::vector<mmu_tlb *> tlbs_;
    a64_mem_ops ops_{};
    rme_access last_fault_{};
    bool fault_noted_ = true;
    uint64_t fault_cycles_ = 0, fault_start_ = 0, fault_settle_ = 0, fault_mark_ = 0;
    uint64_t instructions_ = 0;
    bool regime_changed_ = false;
};

} // namespace rmesim
