#include "model/boundaries.hpp"

namespace rmesim
{

namespace
{
HostMachine &host(void *ctx)
{
    return *static_cast<HostMachine *>(ctx);
}
RmmMachine &rmm(void *ctx)
{
    return *static_cast<RmmMachine *>(ctx);
}
} // namespace

kvm_env kvm_env_for(HostMachine &machine)
{
    return kvm_env{
        &machine,
        [](void *c, const uint64_t in[8], uint64_t out[8]) { host(c).smc(in, out); },
        [](void *c, uint64_t pa, bool write, uint64_t *value) {
            return host(c).access(pa, write, value);
        },
        [](void *c) { return host(c).alloc_page(); },
        [](void *c, uint64_t gpa, bool write, unsigned size, uint64_t *value) {
            return host(c).vmm_mmio(gpa, write, size, value);
        },
        [](void *c, const kvm_exit *x) { host(c).exit_seen(*x); },
        [](void *c, const kvm_exit *x) { host(c).exit_handled(*x); },
        [](void *c, uint64_t size) { return host(c).vmm_ram(size); },
        [](void *c, uint64_t gpa, uint64_t size, bool to_private, bool changes) {
            return host(c).vmm_memory_fault(gpa, size, to_private, changes);
        },
    };
}

rmm_env rmm_env_for(RmmMachine &machine, unsigned pa_bits)
{
    return rmm_env{
        &machine,
        [](void *c, uint64_t pa, rme_pas pas, bool write, uint64_t *value) {
            return rmm(c).access(pa, pas, write, value);
        },
        [](void *c, uint64_t pa) { return rmm(c).gtsi(pa, true); },
        [](void *c, uint64_t pa) { return rmm(c).gtsi(pa, false); },
        pa_bits,
        nullptr, /* the machine charges the handler's cost on the calling core */
        0,
        [](void *c, rmm_rec *rec, rmm_trap *trap) { rmm(c).run_rec(*rec, *trap); },
        [](void *c, uint16_t vmid, uint64_t ipa, bool all) { rmm(c).tlbi_s2(vmid, ipa, all); },
        {}, /* the RMM's default virtual GIC (docs/rmm.md) */
        [](void *c, uint64_t pa) { return rmm(c).zero_granule(pa); },
    };
}

} // namespace rmesim
