// An A64 core's accesses through the platform: translation (MMU, TLBs, GPC), memory, records.
#include "model/a64_binding.hpp"

#include "model/core.hpp"

extern "C" {
#include "machine/timing.h"
#include "cpu/a64_mmu.h"
#include "mem/port.h"
#include "mmu/tlb.h"
}

namespace rmesim
{

A64Binding::A64Binding(a64_core &c, CoreContext &cs, const uint64_t *timing,
                       rme_ev_access_origin origin, std::vector<mmu_tlb *> tlbs)
    : core(c), cs_(cs), timing_(timing), origin_(origin), tlbs_(std::move(tlbs))
{
    ops_.read = read;
    ops_.write = write;
    ops_.sys_op = sys_op;
    ops_.counter = counter;
    ops_.sysreg_written = sysreg_written;
    ops_.exclusive_global = exclusive_global;
    core.mem = &ops_;
    core.ctx = this;
}

void A64Binding::step(a64_result &out)
{
    check_regime();
    stepping_ = true;
    fault_noted_ = true;
    cs_.insn_valid = true;
    cs_.insn_pc = core.pc;
    cs_.insn_word = 0;
    a64_step(&core, &out);
    if (!fault_noted_) {
        /* the faulting access, recorded now that the core has built its syndrome: the ISS
         * the instruction gives (ISV, SAS, SSE, SRT, SF, AR, WnR) is the core's to know */
        unsigned ec = unsigned(out.esr >> 26);
        if ((ec == 0x24 || ec == 0x25 || ec == 0x20 || ec == 0x21) && last_fault_.target_el != 3)
            last_fault_.esr = out.esr;
        cs_.note_access(regime, origin_, false, last_fault_, fault_cycles_, fault_start_, nullptr);
        fault_noted_ = true;
        cs_.core->settle(fault_settle_, fault_mark_); /* time moves on once it is recorded */
    }
    cs_.insn_valid = false;
    stepping_ = false;
    instructions_++;
    cs_.core->charge(timing_[TIMING_A64_INSN]);
}

// TCR_EL1 fields (D24.2.x): T0SZ [5:0], EPD1 [23], TG0 [15:14] (0 4KB, 1 64KB, 2 16KB),
// IPS [34:32] (0 32 bits, 1 36, 2 40, 3 42, 4 44, 5 48, 6 52). TTBR1 is not modelled: the upper
// range is treated as EPD1 = 1 (a translation fault at level 0 for every address there).
void A64Binding::load_stage1_from_sysregs()
{
    static const unsigned ips_bits[8] = {32, 36, 40, 42, 44, 48, 52, 52};
    static const unsigned tg0_bits[4] = {12, 16, 14, 12};
    uint64_t tcr = core.sys[A64_TCR_EL1], ttbr0 = core.sys[A64_TTBR0_EL1];
    mmu_stage &s = regime.s1;
    s.enabled = core.sys[A64_SCTLR_EL1] & 1;
    s.granule_bits = tg0_bits[(tcr >> 14) & 3];
    s.tsz[0] = unsigned(tcr & 0x3F);
    s.ttbr[0] = ttbr0 & 0x0000FFFFFFFFFFFEull;
    s.two_ranges = false;
    s.oa_bits = ips_bits[(tcr >> 32) & 7];
    s.mair = core.sys[A64_MAIR_EL1];
    s.asid = uint16_t(ttbr0 >> 48);
}

// The translation of [va, va + size) (one page: the caller splits), recorded; false with the
// fault as the core wants it.
bool A64Binding::translate(uint64_t va, unsigned size, unsigned kind, bool write, rme_access &acc,
                           a64_fault *fault)
{
    /* an atomic's read needs write permission: it is a read-modify-write (D8.4.x) */
    mmu_access_kind k = a64_mmu_kind(kind, write);
    rme_access_init(&acc, va, size, k);
    /* the EL the access is made at: the core's, or EL0's for LDTR/STTR (the walker's permission
     * checks, the record's `el`) */
    regime.el = (kind & A64_ACC_UNPRIV) ? 0 : core.el;
    acc.ar = kind & (A64_ACC_ACQUIRE | A64_ACC_RELEASE);
    mmu_translate(&regime, &env, &acc);
    if (acc.fault == MMU_OK)
        return true;
    /* the fault as the MMU reports it: where it is taken and the ISS pieces the core keeps */
    a64_fault_from_access(&acc, fault);
    last_fault_ = acc;
    return false;
}

// The record mmu_translate would make for this access (the memo's, made for it), when the memo
// remembers a hit on its page in this class and the TLB would answer with the same L1 entry;
// nullptr otherwise (nothing done: the caller translates).
A64Binding::FastPage *A64Binding::fast_translate(uint64_t va, unsigned size, unsigned kind,
                                                 bool write)
{
    unsigned el = (kind & A64_ACC_UNPRIV) ? 0 : core.el;
    regime.el = el;
    FastPage *f = memo_.find(env.tlb, regime, va, size,
                             TlbHitMemo::access_class(a64_mmu_kind(kind, write), el));
    if (f)
        f->hit.ar = kind & (A64_ACC_ACQUIRE | A64_ACC_RELEASE);
    return f;
}

bool A64Binding::access(uint64_t va, unsigned size, unsigned kind, bool write, uint64_t *value,
                        a64_fault *fault)
{
    if (!stepping_) /* an access made for the owner between instructions */
        check_regime();
    bool one_page = (va & 0xFFF) + size <= 0x1000; /* a DC ZVA block is one aligned span too */
    FastPage *fast = one_page && fast_on_ ? fast_translate(va, size, kind, write) : nullptr;
    if (!fast || !fast->cacheable || (kind & A64_ACC_DC_ZVA) || (size & (size - 1)) ||
        (va & (size - 1)))
        return access_full(va, size, kind, write, value, fault, fast);
    /* the common case whole: a remembered page, one aligned access to memory the L1D caches */
    const rme_access &acc = fast->hit;
    uint64_t start = cs_.core->now_cycles(), mark = cs_.core->port_cycles(), cyc = acc.cycles;
    uint64_t v = write ? *value : 0;
    mem_status st = cs_.core->access_cacheable(write, acc.pa, acc.pas, size, &v, &cyc, fast->host);
    if (monitor && st == MEM_OK)
        monitor_after(kind, write, acc.pa, size);
    /* the memo remembers only L1 TLB hits with no walk or fault */
    return finish(acc, true, kind, write, st, v, cyc, start, mark, value, fault);
}

// B2.9.x: a load-exclusive marks, any write clears the others' marks on what it wrote
void A64Binding::monitor_after(unsigned kind, bool write, uint64_t pa, unsigned bytes)
{
    if (write || (kind & A64_ACC_DC_ZVA))
        monitor->written(monitor_index, pa, bytes);
    if ((kind & A64_ACC_EXCLUSIVE) && !write)
        monitor->mark(monitor_index, pa);
}

// The access recorded and its time settled; the value loaded, or the fault memory gave.
bool A64Binding::finish(const rme_access &acc, bool l1_hit, unsigned kind, bool write,
                        mem_status st, uint64_t v, uint64_t cyc, uint64_t start, uint64_t mark,
                        uint64_t *value, a64_fault *fault)
{
    if ((kind & A64_ACC_FETCH) && st == MEM_OK)
        cs_.insn_word = uint32_t(v);
    cs_.note_access(regime, origin_, false, acc, cyc, start, st == MEM_OK ? &v : nullptr, nullptr,
                    0, 1, l1_hit);
    cs_.core->settle(cyc, mark);
    if (st != MEM_OK) { /* memory refused it: a synchronous external abort (DFSC 0x10) */
        *fault = a64_fault{};
        fault->target_el = 1;
        fault->fsc = 0x10;
        fault->ea = true;
        return false;
    }
    if (!write)
        *value = v;
    return true;
}

// Every other access: translated here unless the fast path did (fast), across two pages,
// unaligned, a DC ZVA block, memory the L1D does not cache.
bool A64Binding::access_full(uint64_t va, unsigned size, unsigned kind, bool write, uint64_t *value,
                             a64_fault *fault, FastPage *fast)
{
    uint64_t start = cs_.core->now_cycles(), mark = cs_.core->port_cycles(), cyc = 0;
    unsigned span = size;
    bool one_page = (va & 0xFFF) + span <= 0x1000;
    rme_access slow, acc_hi;
    rme_access &acc = fast ? fast->hit : slow;
    /* both pages of an access that crosses one are translated before any byte moves, so a
     * fault on the second leaves memory as it was */
    if (!fast &&
        !translate(va, one_page ? span : 0x1000 - unsigned(va & 0xFFF), kind, write, acc, fault)) {
        defer_fault(acc.cycles, start, acc.cycles, mark);
        return false;
    }
    if (!fast && one_page && fast_on_)
        memo_.fill(env.tlb, regime, va, TlbHitMemo::access_class(acc.kind, regime.el), acc,
                   cs_.core->page_cacheable(acc.pa));
    cyc += acc.cycles;
    uint64_t hi_va = (va | 0xFFF) + 1;
    if (!one_page && !translate(hi_va, unsigned(va + span - hi_va), kind, write, acc_hi, fault)) {
        cs_.note_access(regime, origin_, false, acc, acc.cycles, start, nullptr);
        defer_fault(acc_hi.cycles, start + acc.cycles, cyc + acc_hi.cycles, mark);
        return false;
    }
    if (!one_page)
        cyc += acc_hi.cycles;
    const mem_port *port = cs_.core->port();
    mem_status st = MEM_OK;
    uint64_t v = write ? *value : 0;
    if (kind & A64_ACC_DC_ZVA) { /* a naturally aligned block of zeros */
        for (unsigned off = 0; off < size && st == MEM_OK; off += 8)
            st = mem_write(port, acc.pa + off, acc.pas, 8, 0, &cyc);
    } else if (one_page && ((size & (size - 1)) == 0 ? va & (size - 1) : va % size) == 0) {
        if (fast && fast->cacheable)
            st = cs_.core->access_cacheable(write, acc.pa, acc.pas, size, &v, &cyc, fast->host);
        else
            st = write ? mem_write(port, acc.pa, acc.pas, size, v, &cyc)
                       : mem_read(port, acc.pa, acc.pas, size, &v, &cyc);
    } else { /* unaligned: byte by byte, each to its page's PA */
        uint64_t got = 0;
        for (unsigned i = 0; i < size && st == MEM_OK; i++) {
            uint64_t at = va + i;
            const rme_access &page = at < hi_va ? acc : acc_hi;
            uint64_t pa = page.pa + (at - (at < hi_va ? va : hi_va));
            uint64_t byte = (v >> (8 * i)) & 0xFF;
            st = write ? mem_write(port, pa, page.pas, 1, byte, &cyc)
                       : mem_read(port, pa, page.pas, 1, &byte, &cyc);
            got |= (byte & 0xFF) << (8 * i);
        }
        if (!write)
            v = got;
    }
    if (monitor && st == MEM_OK) {
        monitor_after(kind, write, acc.pa, one_page ? size : 0x1000 - unsigned(va & 0xFFF));
        if (!one_page && (write || (kind & A64_ACC_DC_ZVA)))
            monitor->written(monitor_index, acc_hi.pa & ~0xFFFull, unsigned(va + size - hi_va));
    }
    return finish(acc, false, kind, write, st, v, cyc, start, mark, value, fault);
}

// A faulting access is recorded when the instruction is over (step()), with the core's syndrome
void A64Binding::defer_fault(uint64_t cycles, uint64_t start, uint64_t settle, uint64_t mark)
{
    fault_noted_ = false;
    fault_cycles_ = cycles;
    fault_start_ = start;
    fault_settle_ = settle;
    fault_mark_ = mark;
}

bool A64Binding::read(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t *value,
                      a64_fault *fault)
{
    return static_cast<A64Binding *>(ctx)->access(va, size, kind, false, value, fault);
}

bool A64Binding::write(void *ctx, uint64_t va, unsigned size, unsigned kind, uint64_t value,
                       a64_fault *fault)
{
    return static_cast<A64Binding *>(ctx)->access(va, size, kind, true, &value, fault);
}

// TLBI by EL1 code (C5.5: SYS with CRn 8, op1 0): this regime's entries, on this core or (CRm 3,
// Inner Shareable) on every core. Forms the model does not distinguish invalidate more, as the
// architecture allows. DC and IC have nothing to maintain (the L1D is coherent, fetches read
// memory); AT is not implemented (PAR_EL1 is left as it is).
void A64Binding::sys_op(void *ctx, uint32_t sys, uint64_t xt)
{
    auto *b = static_cast<A64Binding *>(ctx);
    unsigned op1 = (sys >> 11) & 7, crn = (sys >> 7) & 0xF, crm = (sys >> 3) & 0xF, op2 = sys & 7;
    if (crn != 8 || op1 != 0 || (crm != 3 && crm != 7))
        return;
    bool broadcast = crm == 3;
    uint64_t va = (xt & 0xFFFFFFFFFFFull) << 12;
    uint16_t asid = uint16_t(xt >> 48), vmid = b->regime.vmid;
    int ss = int(b->regime.ss);
    if (broadcast)
        b->cs_.core->sync(); /* every core sees it at this time */
    for (mmu_tlb *tlb : b->tlbs_) {
        if (!broadcast && tlb != b->cs_.tlb)
            continue;
        switch (op2) {
        case 1: /* VAE1 */
            tlb_invalidate_ss(tlb, TLB_EL10_VA, ss, vmid, asid, va);
            break;
        case 5: /* VALE1 */
            tlb_invalidate_leaf_ss(tlb, TLB_EL10_VA, ss, vmid, asid, va);
            break;
        case 2: /* ASIDE1 */
            tlb_invalidate_ss(tlb, TLB_EL10_ASID, ss, vmid, asid, 0);
            break;
        default: /* VMALLE1, and VAAE1/VAALE1 (every ASID: the VMID's entries) */
            tlb_invalidate_ss(tlb, TLB_EL10_VMID, ss, vmid, 0, 0);
            break;
        }
    }
    b->cs_.core->charge(b->timing_[broadcast ? TIMING_TLBI_BROADCAST : TIMING_TLBI_LOCAL]);
}

// An MSR to a register the stage-1 regime is made of: the owner rebuilds the regime before the
// next instruction (regime_changed())
void A64Binding::sysreg_written(void *ctx, a64_sysreg reg, uint64_t)
{
    auto *b = static_cast<A64Binding *>(ctx);
    b->regime_changed_ |= reg == A64_SCTLR_EL1 || reg == A64_TCR_EL1 || reg == A64_TTBR0_EL1 ||
                          reg == A64_TTBR1_EL1 || reg == A64_MAIR_EL1;
}

// The global monitor's part of a store-exclusive: this PE's mark still holds (no other core
// wrote into the block since its load-exclusive). The store that follows clears it.
bool A64Binding::exclusive_global(void *ctx, uint64_t, unsigned)
{
    auto *b = static_cast<A64Binding *>(ctx);
    if (!b->monitor)
        return true;
    bool pass = b->monitor->holds(b->monitor_index);
    b->monitor->clear(b->monitor_index);
    return pass;
}

// CNTVCT_EL0 at the core's CNTFRQ: the core's cycles scaled from its clock
uint64_t A64Binding::counter(void *ctx)
{
    auto *b = static_cast<A64Binding *>(ctx);
    uint64_t hz = b->cs_.core->period().to_seconds() > 0
                      ? uint64_t(1.0 / b->cs_.core->period().to_seconds() + 0.5)
                      : 1;
    return uint64_t((unsigned __int128)b->cs_.core->now_cycles() * b->core.id.cntfrq / hz);
}

} // namespace rmesim
