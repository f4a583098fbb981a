#include "model/platform.hpp"

#include <stdexcept>
#include <string>

namespace rmesim
{

using namespace sc_core;

Platform::Platform(const rme_machine &m) : machine_(m), period_(1e6 / m.clock_mhz, SC_PS)
{
    /* the description's arrays belong to the caller: nothing keeps them past construction */
    machine_.memory = nullptr;
    machine_.devices = nullptr;
    tlm::tlm_global_quantum::instance().set(period_ * double(m.quantum));
    const uint64_t *t = m.timing;
    mem_ = phys_mem_create();
    bus_ = std::make_unique<Interconnect>("bus", uint32_t(t[TIMING_INTERCONNECT]), period_);
    std::vector<Core::Range> dram;
    for (size_t i = 0; i < m.n_memory; i++) {
        const rme_machine_range &r = m.memory[i];
        dram.push_back({r.base, r.size});
        add_ram(r.name, r.base, r.size);
    }
    for (size_t i = 0; i < m.n_devices; i++) {
        const rme_machine_device &d = m.devices[i];
        const vdev_model *model = vdev_find_model(d.model);
        if (!model)
            throw std::invalid_argument(std::string("no device model '") + d.model + "'");
        devices_.push_back(vdev_create(model, d.name));
        device_ranges_.push_back({d.base, d.size});
        phys_mem_add_device(mem_, d.name, d.base, d.size, &vdev_mem_ops, devices_.back());
        targets_.push_back(std::make_unique<PhysTarget>(
            d.name, mem_, d.base, d.size, false,
            TargetTiming{uint32_t(t[TIMING_DEVICE]), uint32_t(t[TIMING_DEVICE_OCCUPANCY])},
            period_));
    }
    cores_.resize(m.cores);
    monitor_ = std::make_unique<GlobalMonitor>(m.cores);
    for (unsigned i = 0; i < m.cores; i++) {
        PerCore &c = cores_[i];
        c.core = std::make_unique<Core>(("core" + std::to_string(i)).c_str(), i, period_);
        c.core->socket.bind(bus_->from_initiators);
        gpc_config cfg{0, /* reset: GPC off; EL3 enables it */
                       0,
                       m.pa_range,
                       m.feat_gpc2,
                       m.feat_sel2,
                       m.gpt_cache.entries,
                       m.gpt_cache.ways,
                       unsigned(t[TIMING_GPT_CACHE_HIT])};
        c.gpc = gpc_create(&cfg, c.core->port());
        tlb_config tc{m.tlb_l1.entries,
                      m.tlb_l2.entries,
                      m.tlb_l2.ways,
                      unsigned(t[TIMING_TLB_L1_HIT]),
                      unsigned(t[TIMING_TLB_L2_HIT]),
                      m.walk_cache.entries,
                      m.walk_cache.ways,
                      unsigned(t[TIMING_WALK_CACHE_HIT])};
        c.tlb = tlb_create(&tc);
        c.core->set_l1d(m.l1d.entries, m.l1d.ways, unsigned(t[TIMING_L1D_HIT]), dram);
    }
}

Platform::~Platform()
{
    for (auto &c : cores_) {
        gpc_destroy(c.gpc);
        tlb_destroy(c.tlb);
    }
    for (vdev *d : devices_)
        vdev_destroy(d);
    phys_mem_destroy(mem_);
}

void Platform::add_ram(const char *name, uint64_t base, uint64_t size)
{
    const uint64_t *t = machine_.timing;
    phys_mem_add_ram(mem_, name, base, size);
    targets_.push_back(std::make_unique<PhysTarget>(
        name, mem_, base, size, true,
        TargetTiming{uint32_t(t[TIMING_DRAM]), uint32_t(t[TIMING_DRAM_OCCUPANCY])}, period_));
}

void Platform::complete()
{
    for (auto &target : targets_)
        bus_->attach(*target);
    /* a page the store frees (a wipe) is withdrawn from the cores' DMI first */
    phys_mem_on_release(
        mem_,
        [](void *ctx, uint64_t pa) {
            for (auto &t : static_cast<Platform *>(ctx)->targets_)
                if (t->is_ram() && pa - t->base() < t->size())
                    t->withdraw(pa);
        },
        this);
}

int Platform::device_at(uint64_t addr) const
{
    for (size_t i = 0; i < device_ranges_.size(); i++)
        if (addr - device_ranges_[i].base < device_ranges_[i].size)
            return int(i);
    return -1;
}

} // namespace rmesim
