// The machine as the host's KVM sees it (HostMachine): its RMI calls, its NS-EL2 accesses, its
// page allocator, the VMM's devices, and the REC exits it reads and handles; the single-stage
// regimes of the host, EL3 and the RMM.
#include "model/software_stack.hpp"

#include <algorithm>

#include "model/cost.hpp"
#include "model/exception_records.hpp"

namespace rmesim
{

// A one-stage regime on one of the platform's block maps (host, EL3, RMM): 48-bit VAs from
// TTBR0, 4KB granule, MAIR attribute 0 Device-nGnRnE and 1 Normal write-back.
mmu_regime SoftwareStack::single_stage_regime(mmu_regime_kind kind, unsigned el, rme_sec_state ss,
                                              uint64_t ttbr) const
{
    mmu_regime r{};
    r.kind = kind;
    r.el = el;
    r.ss = ss;
    r.s1.enabled = true;
    r.s1.granule_bits = 12;
    r.s1.ttbr[0] = ttbr;
    r.s1.tsz[0] = 16;
    r.s1.oa_bits = platform_.machine().pa_range;
    r.s1.mair = 0xFF00;
    return r;
}

void SoftwareStack::smc(const uint64_t in[8], uint64_t out[8])
{
    CoreContext &cs = here();
    rmi_call(cs, in, out, *cs.host_result);
}

bool SoftwareStack::access(uint64_t pa, bool write, uint64_t *value)
{
    return host_access(here(), pa, write, value);
}

uint64_t SoftwareStack::alloc_page()
{
    return fw_.alloc_host_page();
}

uint64_t SoftwareStack::vmm_ram(uint64_t size)
{
    return fw_.alloc_host_range(size);
}

// The VMM: the device that claims the guest-physical address emulates the access.
bool SoftwareStack::vmm_mmio(uint64_t gpa, bool write, unsigned size, uint64_t *value)
{
    CoreContext &cs = here();
    Spending vmm(*cs.core, SW_VMM);
    /* KVM returns to the VMM in user space (NS-EL0), which emulates and calls KVM_RUN again:
     * an ERET to EL0, and its ioctl's SVC back to EL2 (HCR_EL2.TGE) */
    cs.eret(eret_to(2, 0, RME_SS_NS), cs.core->now_cycles());
    cs.core->charge(timing_[TIMING_VMM_MMIO_EXIT]);
    cs.take(svc_taken(RME_SS_NS, 2), cs.core->now_cycles(), cs.core->now_cycles());
    int d = platform_.device_at(gpa);
    if (d < 0) {
        if (!write)
            *value = 0; /* kvmtool: an access nothing claims reads as zero */
        return false;
    }
    uint64_t off = gpa - platform_.device_base(unsigned(d));
    vdev *dev = platform_.device(unsigned(d));
    bool ok = write ? vdev_write(dev, off, size, *value) : vdev_read(dev, off, size, value);
    rme_event e = EventSink::make(RME_EV_MMIO, cs.core->now_cycles(), cs.core->now_cycles());
    e.u.mmio = {unsigned(d), off, *value, size, write};
    cs.sink.emit(e);
    return ok;
}

// The VMM's answer to KVM_EXIT_MEMORY_FAULT (QEMU kvm_cpu_exec() -> kvm_convert_memory()): the
// realm's policy says whether it converts the range (KVM_SET_MEMORY_ATTRIBUTES and the discard;
// KVM's RMI calls for it follow on the host's side) or refuses (QEMU stops the VM). A VMM that
// refuses conversions still answers a fault that changes nothing (the guest's boot asking for
// RAM that is private already): KVM_SET_MEMORY_ATTRIBUTES succeeds with nothing to do.
bool SoftwareStack::vmm_memory_fault(uint64_t, uint64_t, bool, bool changes)
{
    CoreContext &cs = here();
    Spending vmm(*cs.core, SW_VMM);
    cs.eret(eret_to(2, 0, RME_SS_NS), cs.core->now_cycles());
    cs.core->charge(timing_[TIMING_VMM_MEMORY_FAULT]);
    /* its ioctls (the conversion and KVM_RUN again, or stopping the VM): back to EL2 */
    cs.take(svc_taken(RME_SS_NS, 2), cs.core->now_cycles(), cs.core->now_cycles());
    return !(changes && cs.realm_run && cs.realm_run->vmm_refuses);
}

// The host reads the exit: host.rec_exit shows its reason until the host has handled it.
void SoftwareStack::exit_seen(const kvm_exit &exit)
{
    const kvm_exit *x = &exit;

    CoreContext &cs = here();
    rme_event e = EventSink::make(RME_EV_REC_EXIT, cs.core->now_cycles(), cs.core->now_cycles());
    e.u.rec_exit.exit = x;
    cs.sink.emit(e);
    if (cs.realm_run)
        cs.realm_run->exits_seen++;
}

void SoftwareStack::exit_handled(const kvm_exit &exit)
{
    const kvm_exit *x = &exit;
    CoreContext &cs = here();
    /* told before the handler's cycles are charged (charging may synchronise the core) */
    uint64_t decided = cs.core->now_cycles(), handler = timing_[TIMING_HOST_EXIT_HANDLER];
    rme_event e = EventSink::make(RME_EV_HOST_DECISION, decided, decided + handler);
    e.u.rec_exit.exit = x;
    cs.sink.emit(e);
    cs.core->charge(handler);
}

bool SoftwareStack::host_access(CoreContext &cs, uint64_t pa, bool write, uint64_t *value)
{
    cs.state.el = 2;
    return access8(cs, host_regime_, RME_ACC_HOST, pa, write, value) == MMU_OK;
}

// An 8-byte access by software on the core through a regime, then memory, timed: the fault
// the translation or the GPC raised (MMU_FAULT_SEA when memory refused it), or MMU_OK.
mmu_fault SoftwareStack::access8(CoreContext &cs, const mmu_regime &r, rme_ev_access_origin origin,
                                 uint64_t va, bool write, uint64_t *value)
{
    mmu_env env = mmu_env_of(cs);
    const mmu_access_kind kind = write ? MMU_WRITE : MMU_READ;
    /* a repeated L1 TLB hit (model/tlb_hit_memo.hpp), of the host's regime or the RMM's */
    TlbHitMemo &memo = &r == &host_regime_ ? cs.host_memo : cs.rmm_memo;
    const unsigned cls = TlbHitMemo::access_class(kind, r.el);
    const bool aligned = (va & 7) == 0;
    uint64_t mark = cs.core->port_cycles(), op = 0;
    uint64_t start = cs.core->now_cycles();
    TlbHitMemo::Entry *hit = nullptr;
    if (aligned) {
        memo.check_regime(r, env.tlb);
        hit = memo.find(env.tlb, r, va, 8, cls);
    }
    rme_access slow;
    rme_access &acc = hit ? hit->hit : slow;
    if (!hit) {
        rme_access_init(&acc, va, 8, kind);
        acc.sf = true;
        mmu_translate(&r, &env, &acc);
        if (aligned)
            memo.fill(env.tlb, r, va, cls, acc, cs.core->page_cacheable(acc.pa));
    }
    op += acc.cycles;
    mmu_fault f = acc.fault;
    if (f == MMU_OK) {
        mem_status st = hit && hit->cacheable ? cs.core->access_cacheable(write, acc.pa, acc.pas, 8,
                                                                          value, &op, hit->host)
                        : write ? mem_write(cs.core->port(), acc.pa, acc.pas, 8, *value, &op)
                                : mem_read(cs.core->port(), acc.pa, acc.pas, 8, value, &op);
        if (st != MEM_OK)
            f = MMU_FAULT_SEA;
    }
    /* the memo holds only L1 TLB hits with no walk or fault */
    cs.note_access(r, origin, false, acc, op, start, f == MMU_OK ? value : nullptr, nullptr, 0, 1,
                   hit != nullptr);
    /* the PE takes the fault (the software models see it as a failed access: the host's as a
     * refusal, the RMM's GPF as the panic TF-RMM would report) */
    if (f != MMU_OK)
        cs.take(acc.fault != MMU_OK ? abort_taken(acc, r.el, r.ss)
                                    : sea_taken(acc.kind, va, r.el, r.ss),
                start + op, start + op);
    cs.core->settle(op, mark);
    return f;
}

CoreContext &SoftwareStack::here()
{
    return cores_[Core::current()->index()];
}

} // namespace rmesim
