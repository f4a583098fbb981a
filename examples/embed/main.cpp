// rmesim inside someone else's SystemC sc_main: the platform built from its plain C
// description, no YAML. EL3's part is done by hand (a GPT, the GPC enabled), and so is the
// RMM's (a realm stage 2 with a 40-bit IPA: private RAM, and the UART through the unprotected
// alias, descriptor NS bit set). Core 0's MMU and GPC, behind its TLM initiator socket, make two
// realm stores; each prints its IPA, PA, PAS and GPI.
#include <cstdio>

#include "model/platform.hpp"

extern "C" {
#include "gpc/gpt_el3.h"
#include "gpc/report.h"
#include "mmu/mmu.h"
#include "mmu/pgtable.h"
}

int sc_main(int, char **)
{
    static const rme_machine_range dram[] = {{"dram", 0x8000'0000, 1ull << 30}};
    static const rme_machine_device uart[] = {{"uart0", "pl011", 0x10'0000, 0x1000}};
    rme_machine m;
    rme_machine_defaults(&m);
    m.memory = dram, m.n_memory = 1, m.devices = uart, m.n_devices = 1;
    rmesim::Platform platform(m);
    const uint64_t gpt = 0x1'0000'0000, realm_ram = 0x8000'0000, s2 = realm_ram + 0x10'0000;
    platform.add_ram("gpt", gpt, 1ull << 30); // EL3's Root carve-out: the GPT
    platform.complete();

    // EL3: a 40-bit GPT with 4KB granules; 2MB of DRAM in the Realm PAS, the rest NS.
    mem_port direct = phys_mem_port(platform.memory()); // tables are built before time 0
    gpt_build_params gp{};
    gp.g = {40, 30, 12};
    gp.features = {true, false};
    gp.l0_base = gpt, gp.l1_base = gpt + 0x10'0000, gp.l1_size = 0x10'0000;
    const gpt_region regions[] = {{0x10'0000, 0x1000, GPI_NS, false},
                                  {realm_ram, 0x20'0000, GPI_REALM, false},
                                  {realm_ram + 0x20'0000, (1 << 30) - 0x20'0000, GPI_NS, false},
                                  {gpt, 1ull << 30, GPI_ROOT, true}};
    gpt_build_result built;
    uint64_t gpccr, gptbr;
    if (int rc = gpt_build(&direct, &gp, regions, 4, &built)) {
        std::fprintf(stderr, "embed: EL3 could not build the GPT (%d, region %zu)\n", rc,
                     built.bad_region);
        return 1;
    }
    gpt_enable_values(&gp, 30, false, &gpccr, &gptbr);
    gpt_op_log enable_log;
    gpt_enable(platform.gpc(0), gpccr, gptbr, &enable_log);

    // The RMM: the realm's stage 2 in Realm memory; IPA 0x8000_0000 is private RAM, and the
    // unprotected alias of IPA 0x10_0000 (the top IPA bit set) is the UART, NS bit 55 set.
    uint64_t next = s2 + 0x2000; // the two concatenated level-1 start tables come first
    pt_builder b{&direct,
                 RME_PAS_REALM,
                 12,
                 40,
                 1,
                 s2,
                 [](void *ctx) { return (*static_cast<uint64_t *>(ctx) += 0x1000) - 0x1000; },
                 &next,
                 0};
    const uint64_t rw = DESC_AF | DESC_S2_READ | DESC_S2_WRITE, alias = 0x80'0010'0000;
    pt_map(&b, realm_ram, realm_ram, 0x1000, rw | DESC_S2_MEMATTR(0xF) | DESC_SH_INNER, 3);
    pt_map(&b, alias, 0x10'0000, 0x1000, rw | DESC_S2_NS, 3); /* Device-nGnRnE */
    mmu_regime r{};
    r.kind = MMU_REALM_EL10, r.el = 1, r.ss = RME_SS_REALM, r.vmid = 1;
    r.s2.enabled = true, r.s2.granule_bits = 12, r.s2.ttbr[0] = s2, r.s2.tsz[0] = 64 - 40;
    r.s2.start_level = 1, r.s2.concat = 2, r.s2.oa_bits = 48;

    rmesim::Core &core = platform.core(0);
    core.post([&](rmesim::Core &c) {
        mmu_env env{platform.gpc(0), platform.tlb(0), c.port(), false, false, false};
        for (uint64_t ipa : {realm_ram, alias}) { /* stage 1 off: VA = IPA */
            rme_access a;
            rme_access_init(&a, ipa, 1, MMU_WRITE);
            mmu_translate(&r, &env, &a);
            uint64_t cycles = a.cycles;
            if (a.fault == MMU_OK)
                mem_write(c.port(), a.pa, a.pas, 1, 'H', &cycles);
            c.charge(a.cycles);
            std::printf("IPA %#llx -> PA %#llx, PAS %s, GPI %s: %s (%llu cycles)\n",
                        (unsigned long long)a.ipa, (unsigned long long)a.pa, rme_pas_name(a.pas),
                        gpi_name(a.gpc.gpi), mmu_fault_name(a.fault), (unsigned long long)cycles);
        }
    });
    sc_core::sc_start();
    std::printf("uart0 output: \"%s\"\n", vdev_output(platform.device(0)));
    return 0;
}
